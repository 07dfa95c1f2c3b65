from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _unindex_deleted_sheet(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A sheet deleted by any path (services, a cascade from its original, the admin) leaves
    the search index in the same transaction."""
    from .search import remove_sheet

    remove_sheet(instance.pk)


class KnowledgeConfig(AppConfig):
    name = "reciprocite.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        post_delete.connect(
            _unindex_deleted_sheet,
            sender=self.get_model("Sheet"),
            dispatch_uid="knowledge.unindex_deleted_sheet",
        )
