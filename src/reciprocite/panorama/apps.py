from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanoramaConfig(AppConfig):
    name = "reciprocite.panorama"
    label = "panorama"
    verbose_name = _("Panorama")

    def ready(self) -> None:
        # The figures table follows the registry's announcements (core.changes): the
        # partnerships a committed transaction wrote are refreshed, and the rebuild is what
        # `manage.py derived_rebuild` runs after writes that announced nothing.
        from reciprocite.core import changes
        from reciprocite.registry.services import PARTNERSHIPS

        from . import services

        changes.subscribe(PARTNERSHIPS, services.figures_refresh, rebuild=services.figures_rebuild)
