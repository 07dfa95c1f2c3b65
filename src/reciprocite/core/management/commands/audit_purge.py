from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from reciprocite.core.audit import audit_purge


class Command(BaseCommand):
    help = "Delete the audit events older than RECIPROCITE_AUDIT_RETENTION_DAYS (default 365)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = audit_purge()
        days = settings.RECIPROCITE_AUDIT_RETENTION_DAYS
        self.stdout.write(f"{deleted} audit event(s) older than {days} days deleted.")
