"""Shared fixtures for the surveys tests: a real SMTP server on localhost."""

from __future__ import annotations

import email
import email.policy
import socket
import threading

import pytest


class RecordingHandler:
    """An aiosmtpd handler that keeps every message and refuses the addresses in ``refuse``
    with a permanent 550 (or ``refuse_code``)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.refuse_code = "550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:
            return self.refuse_code.format(address=address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """Messages delivered to ``address``, in the order received."""
        return [m for m in self.messages if address in str(m["To"])]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port; Django sends to it.

    Yields the handler: ``.messages`` (parsed e-mails), ``.refuse`` (addresses to refuse).
    """
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Réciprocité <enquetes@reseau.test>"
    settings.RECIPROCITE_SITE_URL = "http://testserver"
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def cooperations_form(db):
    """A ``cooperations`` questionnaire with one version (its structure kept minimal)."""
    from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion

    questionnaire = Questionnaire.objects.create(
        form_id="cooperations", title="Coopérations sociales", default_language="fr"
    )
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        version="1",
        structure={"type": "survey", "name": "cooperations", "children": []},
    )
    return questionnaire


@pytest.fixture
def members(db):
    """Three member authorities with contact e-mails, and one without."""
    from reciprocite.accounts.services import organisation_create

    return {
        "caen": organisation_create(
            name="Ville de Caen", kind="member", contact_email="international@caen.test"
        ),
        "nantes": organisation_create(
            name="Ville de Nantes", kind="member", contact_email="cooperation@nantes.test"
        ),
        "rennes": organisation_create(
            name="Ville de Rennes", kind="member", contact_email="dri@rennes.test"
        ),
        "silent": organisation_create(name="Ville de Vire", kind="member"),
    }


@pytest.fixture(autouse=True)
def _taxonomy_for_transactional_tests(request):
    """A transactional test starts from the database another one flushed: the themes and
    publics seeded by the migrations are put back first, whatever ran before."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("_django_db_helper")
    from reciprocite.registry.models import TargetPublic, Theme
    from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES

    for code, (_label, dac_code) in THEMES.items():
        Theme.objects.get_or_create(code=code, defaults={"dac_code": dac_code})
    for code in TARGET_PUBLICS:
        TargetPublic.objects.get_or_create(code=code)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Code run outside a request (services, the CLI in-process) speaks English in these
    tests, whose assertions are written in English; pages keep their own language (French
    by default, the respondent's for collection)."""
    from django.utils import translation

    with translation.override("en"):
        yield
