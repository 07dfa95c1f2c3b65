"""Receivers that keep the panorama's figures current (see ``services``): any write of a
project or of its themes marks the partnerships concerned in the same transaction, and the
figures are computed again once it commits."""

from __future__ import annotations

import logging
import uuid

from django.db import connection, transaction

from reciprocite.registry.models import Project

from . import services

logger = logging.getLogger(__name__)


def _sync_after_commit() -> None:
    """Registered once per transaction (``on_commit``; at once outside a transaction): the
    figures follow the write. A test's transaction never commits: the selectors' own sync
    then reads the marks."""
    try:
        services.figures_sync()
    except Exception:  # the write is committed; the next read syncs again
        logger.exception("panorama figures: sync after commit failed")


def _transaction_token() -> str:
    """A name for the current transaction: kept on the connection while this transaction's
    commit hook is pending, new otherwise (a new transaction, or the hook's savepoint rolled
    back — and its marks with it). Outside a transaction every write is its own."""
    if any(func is _sync_after_commit for _sids, func, _robust in connection.run_on_commit):
        token = getattr(connection, "_panorama_token", None)
        if token:
            return token
    token = uuid.uuid4().hex
    connection._panorama_token = token
    return token


def _mark(ids) -> None:
    services.figures_mark(ids, _transaction_token())
    # once per transaction: hundreds of projects written in one import ask only once
    if not any(func is _sync_after_commit for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_sync_after_commit)


def project_pre_save(sender, instance, raw=False, **kwargs) -> None:
    # a project moved to another partnership: the old one's figures change too
    if instance.pk is not None and not instance._state.adding:
        instance._panorama_previous_partnership = (
            Project.objects.filter(pk=instance.pk).values_list("partnership_id", flat=True).first()
        )


def project_saved(sender, instance, **kwargs) -> None:
    _mark([instance.partnership_id, getattr(instance, "_panorama_previous_partnership", None)])


def project_deleted(sender, instance, **kwargs) -> None:
    _mark([instance.partnership_id])


def themes_changed(sender, instance, action, reverse, **kwargs) -> None:
    # From the project's side only: the registry's history (django-simple-history) records
    # theme changes from there and refuses them from the theme's side; rows of the link
    # table written directly send no signal and are caught by the stamp (``services``).
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        _mark([instance.partnership_id])
