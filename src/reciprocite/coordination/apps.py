from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "reciprocite.coordination"
    verbose_name = _("Coordination of the actors")
