"""Changes announced by the services that own data, for the apps that derive data from it.

One hook, explicit at both ends:

- the **owner** says what changed: its service calls ``announce(topic, ids)`` inside the
  transaction that writes (``announce(PARTNERSHIPS, [partnership.pk])``);
- the **deriving app** subscribes once, in its ``AppConfig.ready``:
  ``subscribe(PARTNERSHIPS, refresh)``. After the transaction commits, ``refresh`` is
  called once for that transaction with the union of the ids announced under the topic
  (a ``frozenset`` of ints), in the writer's process, outside any transaction.

Rules:

- A rolled-back transaction calls nobody (Django's ``transaction.on_commit``). Outside a
  transaction (autocommit) the subscribers are called at once.
- Delivery is *at least once*: a subscriber may receive an id whose change was rolled back
  (a savepoint rolled back inside a transaction that commits; a transaction rolled back
  earlier on the same connection, whose ids ride with the next commit), so what it does
  must be idempotent — compute again from the committed data, never apply a delta.
- A failing subscriber is logged (``reciprocite.core.changes``) and never raised into the
  writer, whose data is committed; the other subscribers still run. Its derived data may
  then be stale until the next announcement of those ids or its rebuild.
- A subscriber may register a *rebuild* (``subscribe(topic, refresh, rebuild=…)``): the
  whole derived data computed again. ``rebuild_all()`` runs every one; the command
  ``manage.py derived_rebuild`` calls it. It is the documented way after writes that
  bypass the services — raw SQL, a database restore, a bulk load — and after a failure.
- Reads never write: a selector never repairs derived data, it reads what is there.

Topics are named ``"<owning app>.<entity>"``; the owner defines the constant and documents
what its ids mean. Known today:

| topic | announced by | ids | subscribers |
|---|---|---|---|
| ``registry.partnerships`` | ``registry.services`` and ``registry.imports`` (the admin too) | partnerships whose record, parties or projects (any field, themes, fundings; created, moved, deleted) changed | ``panorama`` (its figures table) |

Tests: a test inside a transaction that never commits (pytest-django's default ``db``)
does not reach the subscribers; wrap the writes in
``django_capture_on_commit_callbacks(execute=True)`` (``TestCase.captureOnCommitCallbacks``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from asgiref.local import Local
from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)

Subscriber = Callable[[frozenset[int]], object]
Rebuild = Callable[[], object]


@dataclass
class _Batch:
    """The ids announced by one transaction of one connection, topic by topic."""

    ids: dict[str, set[int]] = field(default_factory=dict)
    sent: bool = False


_subscribers: dict[str, list[Subscriber]] = {}
_rebuilds: dict[str, Rebuild] = {}
# the open batch of each database connection, per thread (as Django's connections)
_local = Local()


def _open() -> dict[str, _Batch]:
    try:
        return _local.batches  # type: ignore[no-any-return]
    except AttributeError:
        _local.batches = {}
        return _local.batches  # type: ignore[no-any-return]


def subscribe(topic: str, callback: Subscriber, *, rebuild: Rebuild | None = None) -> None:
    """Call ``callback(ids)`` after each committed transaction that announced ``topic``.
    ``rebuild`` (optional) computes the subscriber's whole derived data again, for
    ``rebuild_all``. Subscribing the same callback twice changes nothing (``ready`` may run
    twice in tests)."""
    callbacks = _subscribers.setdefault(topic, [])
    if callback not in callbacks:
        callbacks.append(callback)
    if rebuild is not None:
        _rebuilds[f"{rebuild.__module__}.{rebuild.__qualname__}"] = rebuild


def unsubscribe(topic: str, callback: Subscriber) -> None:
    """The callback is no longer called (its rebuild, if any, stays)."""
    callbacks = _subscribers.get(topic, [])
    if callback in callbacks:
        callbacks.remove(callback)


def subscribers(topic: str) -> tuple[Subscriber, ...]:
    return tuple(_subscribers.get(topic, ()))


def announce(topic: str, ids: Iterable[int | None], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that the records ``ids`` of ``topic`` changed in the current transaction (on the
    database ``using``). ``None`` ids are skipped, so ``[old_id, new_id]`` may hold one."""
    wanted = {int(i) for i in ids if i is not None}
    if not wanted or not _subscribers.get(topic):
        return
    batches = _open()
    batch = batches.get(using)
    if batch is None or batch.sent:
        batch = batches[using] = _Batch()
    batch.ids.setdefault(topic, set()).update(wanted)
    # One hook per announcement, all sharing the batch: the first that runs sends it and
    # the others find it sent. A hook dropped with a rolled-back savepoint leaves the others,
    # so the batch is never lost while its transaction commits.
    transaction.on_commit(lambda: _send(batch, using), using=using)


def _send(batch: _Batch, using: str) -> None:
    if batch.sent:
        return
    batch.sent = True
    if _open().get(using) is batch:
        del _open()[using]
    for topic, ids in batch.ids.items():
        frozen = frozenset(ids)
        for callback in subscribers(topic):
            try:
                callback(frozen)
            except Exception:  # the writer's data is committed: log, and go on
                logger.exception("change subscriber %r failed on %s", callback, topic)


def discard() -> None:
    """Forget what the current thread announced and has not sent yet. A transaction rolled
    back leaves its batch open, to be sent with the next one that commits (harmless: at
    least once); the tests, whose transactions never commit, call this between tests."""
    _open().clear()


def rebuild_all() -> list[str]:
    """Runs every subscriber's rebuild; returns their names, in order."""
    done = []
    for name, rebuild in sorted(_rebuilds.items()):
        rebuild()
        done.append(name)
    return done
