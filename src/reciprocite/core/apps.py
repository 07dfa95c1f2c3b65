from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "reciprocite.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app declares its background jobs in a `tasks.py` module (see core.jobs).
        autodiscover_modules("tasks")
        # The audit log of sign-ins is cross-cutting: Django's own signals, whatever view
        # signs the user in or out (accounts, admin, a second factor…). See core.audit.
        from django.contrib.auth import signals

        from . import audit

        signals.user_logged_in.connect(audit.on_user_logged_in, dispatch_uid="audit_sign_in")
        signals.user_login_failed.connect(
            audit.on_user_login_failed, dispatch_uid="audit_sign_in_failed"
        )
        signals.user_logged_out.connect(audit.on_user_logged_out, dispatch_uid="audit_sign_out")
