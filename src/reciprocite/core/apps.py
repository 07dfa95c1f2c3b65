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
