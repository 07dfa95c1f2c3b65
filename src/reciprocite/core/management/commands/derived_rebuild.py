from typing import Any

from django.core.management.base import BaseCommand

from reciprocite.core.changes import rebuild_all


class Command(BaseCommand):
    help = (
        "Compute every derived table again (each subscriber of core.changes that registered a "
        "rebuild): after writes that bypassed the services (raw SQL, a restore, a bulk load)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in rebuild_all():
            self.stdout.write(f"rebuilt: {name}")
