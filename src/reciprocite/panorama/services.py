"""Writes of the panorama: the figures table (``models.PartnershipFigure``) kept current.

How the figures follow the registry:

1. Every write of a project or of its themes through the ORM (the registry's services, the
   admin, imports, survey reviews) sends Django's signals; ``signals.py`` then *marks* the
   partnership(s) concerned (``FigureMark``) inside the writing transaction, and asks for
   ``figures_sync`` once that transaction commits.
2. ``figures_sync`` computes the figures of the marked partnerships again (a few grouped
   queries over their projects only) and records the stamp of the projects and links it
   saw. The panorama's selectors call it too before reading, so a mark whose commit hook did
   not run (a test's transaction, a crashed process) is never read stale.
3. A stamp that moved with no mark (rows written by raw SQL or ``bulk_create``, which send
   no signal) or a new layout of the table: every figure is rebuilt, set-based (about
   0.5–1 s for 100k projects).

Concurrent syncs are serialised by a lock on the state row (PostgreSQL ``SELECT … FOR
UPDATE``; SQLite's transactions are ``IMMEDIATE`` in our settings).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from reciprocite.registry.models import Project
from reciprocite.registry.selectors import budget_band_sql

from .models import FigureMark, FigureState, PartnershipFigure

# Bumped whenever the rows' meaning changes: figures of an older layout are rebuilt.
LAYOUT = 1
# Partnerships refreshed per statement (bound parameters stay well under the limits).
CHUNK = 500


def _tables() -> tuple[str, str, str]:
    # table names come from the models' metadata, never from input
    return (
        Project._meta.db_table,
        Project.themes.through._meta.db_table,
        PartnershipFigure._meta.db_table,
    )


def _statements(partnership_ids: list[int] | None) -> list[tuple[str, list]]:
    """INSERT … SELECT statements computing the figures of these partnerships (all when
    None)."""
    project, link, figure = _tables()
    band, band_params = budget_band_sql("p")
    where, where_params = "p.deleted_at IS NULL", []
    if partnership_ids is not None:
        where += " AND p.partnership_id IN (" + ", ".join(["%s"] * len(partnership_ids)) + ")"
        where_params = list(partnership_ids)
    into = f"INSERT INTO {figure} (partnership_id, scope, kind, item, projects, budget) "
    none = "CAST(NULL AS NUMERIC)"
    return [
        # every alive project: its count, its band, its themes
        (
            into + f"SELECT p.partnership_id, '', 'count', '', COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {project} p WHERE {where} GROUP BY p.partnership_id",
            where_params,
        ),
        (
            into + "SELECT partnership_id, '', 'band', band, COUNT(*), SUM(budget_amount) "  # noqa: S608 (table names from the models' metadata)
            f"FROM (SELECT p.partnership_id, {band} AS band, p.budget_amount "
            f"FROM {project} p WHERE {where}) b WHERE band <> '' GROUP BY partnership_id, band",
            band_params + where_params,
        ),
        (
            into + f"SELECT p.partnership_id, '', 'theme', l.theme_id, COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {link} l JOIN {project} p ON p.id = l.project_id WHERE {where} "
            "GROUP BY p.partnership_id, l.theme_id",
            where_params,
        ),
        # the same within each theme's projects (scope = the theme)
        (
            into + f"SELECT p.partnership_id, l.theme_id, 'count', '', COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {link} l JOIN {project} p ON p.id = l.project_id WHERE {where} "
            "GROUP BY p.partnership_id, l.theme_id",
            where_params,
        ),
        (
            into + "SELECT partnership_id, scope, 'band', band, COUNT(*), SUM(budget_amount) "  # noqa: S608 (table names from the models' metadata)
            f"FROM (SELECT p.partnership_id, l.theme_id AS scope, {band} AS band, "
            f"p.budget_amount FROM {link} l JOIN {project} p ON p.id = l.project_id "
            f"WHERE {where}) b WHERE band <> '' GROUP BY partnership_id, scope, band",
            band_params + where_params,
        ),
        (
            into + f"SELECT p.partnership_id, l.theme_id, 'theme', o.theme_id, COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {link} l JOIN {link} o ON o.project_id = l.project_id "
            f"JOIN {project} p ON p.id = l.project_id WHERE {where} "
            "GROUP BY p.partnership_id, l.theme_id, o.theme_id",
            where_params,
        ),
    ]


def _execute(statements: list[tuple[str, list]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def figures_stamp() -> str:
    """What the figures depend on, read from indexes only: the projects' number, newest id
    and last change, and the project–theme links' number and newest id."""
    project, link, _figure = _tables()
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {project}), (SELECT MAX(id) FROM {project}), "  # noqa: S608
        f"(SELECT MAX(updated_at) FROM {project}), (SELECT COUNT(*) FROM {link}), "
        f"(SELECT MAX(id) FROM {link})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return repr(cursor.fetchone())


def figures_mark(partnership_ids: Iterable[int | None], token: str) -> None:
    """Marks these partnerships' figures as to be computed again, in the caller's
    transaction; ``token`` names that transaction (a mark already written by it is not
    written twice)."""
    ids = {int(pid) for pid in partnership_ids if pid is not None}
    if ids:
        FigureMark.objects.bulk_create(
            [FigureMark(partnership_id=pid, token=token) for pid in sorted(ids)],
            ignore_conflicts=True,
        )


@transaction.atomic
def figures_refresh(partnership_ids: Iterable[int]) -> int:
    """Computes the figures of these partnerships again; returns how many."""
    ids = sorted({int(pid) for pid in partnership_ids})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        PartnershipFigure.objects.filter(partnership_id__in=chunk).delete()
        _execute(_statements(chunk))
    return len(ids)


@transaction.atomic
def figures_rebuild() -> None:
    """Computes every figure again, set-based, and records the stamp."""
    state = _locked_state()
    # the marks visible now are covered by the rebuild; one committed later stays
    FigureMark.objects.all().delete()
    PartnershipFigure.objects.all().delete()
    _execute(_statements(None))
    if connection.vendor == "postgresql":
        # fresh statistics: planned with none, the sums sort 100k rows on disk (4x slower)
        _execute([(f"ANALYZE {_tables()[2]}", [])])
    state.stamp, state.layout = figures_stamp(), LAYOUT
    state.save(update_fields=["stamp", "layout"])


def _locked_state() -> FigureState:
    state = FigureState.objects.select_for_update().filter(pk=1).first()
    if state is None:  # removed by hand (or a flushed test database): start again
        state = FigureState.objects.create(pk=1, stamp="", layout=0)
    return state


def figures_sync() -> str:
    """Brings the figures up to date with the projects; returns what it did: ``"current"``,
    ``"refreshed"`` (the marked partnerships) or ``"rebuilt"`` (everything). Cheap when
    nothing changed: the marks, the state row and the stamp, all read by index."""
    stamp = figures_stamp()
    state = FigureState.objects.filter(pk=1).first()
    if (
        state is not None
        and state.layout == LAYOUT
        and state.stamp == stamp
        and not FigureMark.objects.exists()
    ):
        return "current"
    with transaction.atomic():
        state = _locked_state()
        # exactly the marks read are deleted: one committed meanwhile stays for the next sync
        marks = dict(FigureMark.objects.values_list("pk", "partnership_id"))
        stamp = figures_stamp()
        if state.layout != LAYOUT or (not marks and state.stamp != stamp):
            figures_rebuild()
            return "rebuilt"
        if marks:
            figures_refresh(set(marks.values()))
            read = sorted(marks)
            for start in range(0, len(read), CHUNK):
                FigureMark.objects.filter(pk__in=read[start : start + CHUNK]).delete()
        state.stamp = stamp
        state.save(update_fields=["stamp"])
        return "refreshed" if marks else "current"
