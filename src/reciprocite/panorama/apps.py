from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanoramaConfig(AppConfig):
    name = "reciprocite.panorama"
    label = "panorama"
    verbose_name = _("Panorama")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from reciprocite.registry.models import Project

        from . import signals

        uid = "panorama.figures."
        pre_save.connect(signals.project_pre_save, sender=Project, dispatch_uid=uid + "pre")
        post_save.connect(signals.project_saved, sender=Project, dispatch_uid=uid + "save")
        post_delete.connect(signals.project_deleted, sender=Project, dispatch_uid=uid + "delete")
        m2m_changed.connect(
            signals.themes_changed, sender=Project.themes.through, dispatch_uid=uid + "themes"
        )
