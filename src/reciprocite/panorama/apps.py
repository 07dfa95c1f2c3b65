from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanoramaConfig(AppConfig):
    name = "reciprocite.panorama"
    label = "panorama"
    verbose_name = _("Panorama")
