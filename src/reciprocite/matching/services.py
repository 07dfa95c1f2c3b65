"""Writes of the matching app: records (imported or edited), their features, contacts, ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reciprocite.territories.models import Territory
from reciprocite.territories.services import AmbiguousTerritory, territory_get_or_create

from .engine import features
from .imports import LineError, Row
from .models import Expertise, Innovation, LearningInterest, LedgerEntry, MatchRecord, Need

MODELS: dict[str, type[MatchRecord]] = {
    "expertise": Expertise,
    "needs": Need,
    "innovations": Innovation,
    "interests": LearningInterest,
}
# The record kind (RecordKind) of each import kind, and back.
KIND_OF_IMPORT = {
    "expertise": "expertise",
    "needs": "need",
    "innovations": "innovation",
    "interests": "interest",
}
MODEL_OF_KIND: dict[str, type[MatchRecord]] = {
    KIND_OF_IMPORT[k]: model for k, model in MODELS.items()
}


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    vectors_built: int


def record_features_refresh(record: MatchRecord, *, force: bool = False) -> bool:
    """Recompute the record's stored features when its text (or title, or language) changed
    since they were computed; True when they were. The caller saves."""
    digest = features.text_hash(record.title, record.matching_text(), record.lang)
    if not force and record.text_hash == digest:
        return False
    stored = features.compute(title=record.title, text=record.matching_text(), lang=record.lang)
    record.text_hash = stored.text_hash
    record.terms = stored.terms
    record.query_terms = stored.query_terms
    record.passages = stored.passages
    record.vectors = stored.vectors
    return True


def record_save(record: MatchRecord) -> MatchRecord:
    """Check and save one record, refreshing its features if its text changed."""
    record.full_clean()
    record_features_refresh(record)
    record.save()
    return record


def _stored_for(
    rows: list[Row],
    model: type[MatchRecord],
    existing: dict[str, MatchRecord],
    progress: Callable[[int, int], None] | None,
) -> dict[str, features.Stored]:
    """Features of the rows whose text changed, computed before the transaction (the model
    takes a tenth of a second a passage)."""
    out: dict[str, features.Stored] = {}
    todo = []
    for row in rows:
        probe = model(**row.fields)
        text = probe.matching_text()
        digest = features.text_hash(probe.title, text, probe.lang)
        current = existing.get(row.ref)
        if current is None or current.text_hash != digest:
            todo.append((row.ref, probe.title, text, probe.lang))
    for done, (ref, title, text, lang) in enumerate(todo, start=1):
        out[ref] = features.compute(title=title, text=text, lang=lang)
        if progress:
            progress(done, len(todo))
    return out


def records_import(
    *,
    kind: str,
    rows: list[Row],
    publish: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Create or update the records of `rows` by ref (idempotent), authorities resolved to
    territories by name and country (created when missing). All or nothing: a row that
    fails its checks raises LineError and nothing is written."""
    model = MODELS[kind]
    refs = [row.ref for row in rows]
    existing = {r.ref: r for r in model.all_objects.filter(ref__in=refs)}
    stored = _stored_for(rows, model, existing, progress)
    created = updated = unchanged = 0
    with transaction.atomic():
        authorities: dict[tuple[str, str], Territory] = {}
        for row in rows:
            key = (row.authority["name"].casefold(), row.authority["country"])
            if key not in authorities:
                try:
                    authorities[key], _created = territory_get_or_create(
                        name=row.authority["name"],
                        country=row.authority["country"],
                        kind=row.authority["kind"],
                    )
                except AmbiguousTerritory:
                    raise LineError(
                        row.line, "authority", _("several territories bear this name")
                    ) from None
            record = existing.get(row.ref) or model(ref=row.ref)
            before = {f: getattr(record, f, None) for f in row.fields}
            was_new = record.pk is None
            for field, value in row.fields.items():
                setattr(record, field, value)
            record.authority = authorities[key]
            changed = was_new or before != row.fields or record.deleted_at is not None
            if publish and not record.published:
                record.published = True
                changed = True
            record.deleted_at = None
            if row.ref in stored:
                s = stored[row.ref]
                record.text_hash, record.terms = s.text_hash, s.terms
                record.query_terms = s.query_terms
                record.passages, record.vectors = s.passages, s.vectors
                changed = True
            if not changed:
                unchanged += 1
                continue
            try:
                record.full_clean(validate_unique=False)
            except Exception as exc:  # ValidationError: name the first field
                field, message = _first_error(exc)
                raise LineError(row.line, field, message) from None
            record.save()
            if was_new:
                created += 1
            else:
                updated += 1
    return ImportReport(created, updated, unchanged, len(stored))


def _first_error(exc: Exception) -> tuple[str, str]:
    detail = getattr(exc, "message_dict", None)
    if detail:
        field, messages = next(iter(detail.items()))
        return field, "; ".join(messages)
    return "-", "; ".join(getattr(exc, "messages", [str(exc)]))


def records_refresh(
    *,
    kinds: Iterable[str] = tuple(MODELS),
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the stored features of every record whose text changed (or all: force)."""
    records = [r for kind in kinds for r in MODELS[kind].objects.all()]
    count = 0
    for done, record in enumerate(records, start=1):
        if record_features_refresh(record, force=force):
            record.save(update_fields=["text_hash", "terms", "query_terms", "passages", "vectors"])
            count += 1
        if progress:
            progress(done, len(records))
    return count


def ledger_entry_add(
    *,
    authority: Territory,
    side: str,
    learned: str,
    project: Any = None,
    sheet: Any = None,
    exchange_ref: str = "",
    **fields: Any,
) -> LedgerEntry:
    """Record in the reciprocity ledger what one side learned about one project, sheet or
    exchange (exactly one) and what it changed at home; checked before it is saved."""
    entry = LedgerEntry(
        authority=authority,
        side=side,
        learned=learned,
        project=project,
        sheet=sheet,
        exchange_ref=exchange_ref,
        **fields,
    )
    entry.full_clean()
    entry.save()
    return entry
