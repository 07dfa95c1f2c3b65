"""Logging helpers named by settings.LOGGING (imported before the apps are ready: no models)."""

from __future__ import annotations

import logging


class ForbiddenFilter(logging.Filter):
    """On ``django.request``: a refused request (403) is one warning line, without the
    traceback Django attaches to "Forbidden (Permission denied)". The denial itself is in the
    audit log (core.audit)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
