"""Settings, all read from the environment (see docs/configuration.md).

DATABASE_URL   database (default: SQLite in $RECIPROCITE_DATA_DIR/reciprocite.sqlite3)
SECRET_KEY     secret key (a development key is generated into the data folder otherwise)
ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1,[::1])
DEBUG          1/true to turn debug on (default: off)
RECIPROCITE_DATA_DIR  where SQLite, uploaded files and the development key live (default: ./var)
SECURE_SSL     1 when served over HTTPS (secure cookies, redirect, HSTS); see docs/security.md
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("RECIPROCITE_DATA_DIR", Path.cwd() / "var")).resolve()
# The test suite in parallel (pytest-xdist): each worker process has a database of its own
# and, here, a data folder of its own (file cache, uploads, heartbeat), unless one is given.
if "RECIPROCITE_DATA_DIR" not in os.environ and os.environ.get("PYTEST_XDIST_WORKER"):
    DATA_DIR = DATA_DIR / f"test-{os.environ['PYTEST_XDIST_WORKER']}"
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "reciprocite.core",
    "reciprocite.accounts",
    "reciprocite.territories",
    "reciprocite.registry",
    "reciprocite.surveys",
    "reciprocite.knowledge",
    "reciprocite.matching",
    "reciprocite.coordination",
    "reciprocite.panorama",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "reciprocite.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reciprocite.core.middleware.FrenchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "reciprocite.core.audit.DenialAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "reciprocite.config.urls"
WSGI_APPLICATION = "reciprocite.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "reciprocite.core.security.csp_nonce",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'reciprocite.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if os.environ.get("PYTEST_VERSION") else 60

# A cache shared by every server process (gunicorn workers), with nothing to install: facet
# and list counts are kept there under a version stamp of the data (see registry.selectors).
CACHES = {
    "default": {
        "BACKEND": "reciprocite.core.cache.FileCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

# Failed sign-ins, codes, tokens and reset requests are counted in their own cache
# (accounts.throttle), shared by every server process; each test process keeps its own.
CACHES["throttle"] = (
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    if os.environ.get("PYTEST_VERSION")
    else {
        "BACKEND": "reciprocite.core.cache.FileCache",
        "LOCATION": str(DATA_DIR / "throttle"),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 100000},
    }
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
]
LANGUAGES_BIDI = ["ar"]
# Pages are in French until the visitor chooses; 1 follows the browser's language instead.
RECIPROCITE_BROWSER_LANGUAGE = env_bool("RECIPROCITE_BROWSER_LANGUAGE")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns when the folder is missing
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Conventions and other documents: 20 MB at most.
RECIPROCITE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security: headers, HTTPS and the audit log (docs/security.md, docs/configuration.md).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Served over HTTPS (behind a proxy that terminates TLS and sets X-Forwarded-Proto):
# secure cookies, redirect http:// to https://, HSTS. RECIPROCITE_HTTPS is the older name.
SECURE_SSL = env_bool("SECURE_SSL", env_bool("RECIPROCITE_HTTPS"))
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
# the load balancer's probe speaks plain HTTP to the application
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL else None
SECURE_HSTS_SECONDS = (
    int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600))) if SECURE_SSL else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# Content-Security-Policy and Permissions-Policy of every response (core.security).
RECIPROCITE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce'"],
    "style-src": ["'self'", "'nonce'"],
    "img-src": ["'self'", "data:", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
RECIPROCITE_PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# ... except for our own pages that need one: a questionnaire's "use my position" (geopoint)
RECIPROCITE_PERMISSIONS_POLICY_SELF = {
    "geolocation": ["surveys:collect_respond", "surveys:collect_preview"],
}
# Where vulnerabilities are reported: /.well-known/security.txt and docs/security.md.
RECIPROCITE_SECURITY_CONTACT = os.environ.get(
    "RECIPROCITE_SECURITY_CONTACT", "mailto:security@reciprocite.invalid"
)
# Throttling (accounts.throttle, docs/accounts.md): N failures within the window lock the
# account, the address or the e-mail address for the rest of the window.
RECIPROCITE_THROTTLE_MINUTES = int(os.environ.get("RECIPROCITE_THROTTLE_MINUTES", "15"))
RECIPROCITE_SIGNIN_ACCOUNT_LIMIT = int(os.environ.get("RECIPROCITE_SIGNIN_ACCOUNT_LIMIT", "10"))
RECIPROCITE_SIGNIN_ADDRESS_LIMIT = int(os.environ.get("RECIPROCITE_SIGNIN_ADDRESS_LIMIT", "50"))
RECIPROCITE_TOKEN_ADDRESS_LIMIT = int(os.environ.get("RECIPROCITE_TOKEN_ADDRESS_LIMIT", "20"))
RECIPROCITE_PASSWORD_RESET_LIMIT = int(os.environ.get("RECIPROCITE_PASSWORD_RESET_LIMIT", "5"))
# X-Forwarded-For is believed only from these proxies (addresses or networks, commas)
RECIPROCITE_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("RECIPROCITE_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _name in (
    "RECIPROCITE_THROTTLE_MINUTES",
    "RECIPROCITE_SIGNIN_ACCOUNT_LIMIT",
    "RECIPROCITE_SIGNIN_ADDRESS_LIMIT",
    "RECIPROCITE_TOKEN_ADDRESS_LIMIT",
    "RECIPROCITE_PASSWORD_RESET_LIMIT",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a whole number above 0")
# Reset links sent by e-mail stay valid this long (Django's setting, in seconds): an hour.
PASSWORD_RESET_TIMEOUT = 3600

# Audit events (sign-ins, tokens, denials) older than this are purged (core.audit).
RECIPROCITE_AUDIT_RETENTION_DAYS = int(os.environ.get("RECIPROCITE_AUDIT_RETENTION_DAYS", "365"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # a refused request (403) is one line in the log, never a traceback: see core.logs
    "filters": {"forbidden_without_traceback": {"()": "reciprocite.core.logs.ForbiddenFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["forbidden_without_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Page size of lists in pages and the API.
RECIPROCITE_PAGE_SIZE = 20

# E-mail (survey invitations and reminders) through SMTP; see docs/configuration.md.
# Background work (imports, reports, campaigns) through Django's tasks API (the django-tasks
# backport): the database backend, whose worker `reciprocite serve` starts beside the web
# server (or `reciprocite worker` alone); `immediate` runs each job inside the request.
# The test suite runs jobs immediately.
TASK_BACKEND = os.environ.get(
    "RECIPROCITE_TASK_BACKEND", "immediate" if os.environ.get("PYTEST_VERSION") else "database"
)
if TASK_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured("RECIPROCITE_TASK_BACKEND must be 'database' or 'immediate'")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASK_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# The worker's heartbeat (docs/configuration.md): the worker rewrites this file every few
# seconds; /healthz calls the worker down when it is older than the stale delay, and the jobs
# pages warn when jobs have been waiting longer than the warning delay.
RECIPROCITE_WORKER_HEARTBEAT_FILE = DATA_DIR / "worker-heartbeat.json"


def env_seconds(name: str, default: str) -> float:
    raw = os.environ.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 10**7:
        raise ImproperlyConfigured(f"{name} must be a number of seconds above 0, not {raw!r}")
    return value


RECIPROCITE_WORKER_HEARTBEAT_SECONDS = env_seconds("RECIPROCITE_WORKER_HEARTBEAT_SECONDS", "5")
RECIPROCITE_WORKER_STALE_SECONDS = env_seconds("RECIPROCITE_WORKER_STALE_SECONDS", "30")
RECIPROCITE_JOB_WAIT_WARNING_SECONDS = env_seconds("RECIPROCITE_JOB_WAIT_WARNING_SECONDS", "120")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Réciprocité <reciprocite@localhost>")
# The address of the site as respondents reach it: the base of the links in invitations.
RECIPROCITE_SITE_URL = os.environ.get("RECIPROCITE_SITE_URL", "http://127.0.0.1:8000")
