"""The real SMTP server of the surveys tests (aiosmtpd on 127.0.0.1), for reset e-mails."""

from tests.surveys.conftest import smtp_server  # noqa: F401 - a fixture, used by name
