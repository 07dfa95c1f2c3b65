"""Import and export of experience sheets as JSON Lines (one sheet per line).

The layout is the one of the shared corpus (``data/knowledge/sheets.jsonl``): ``ref``,
``lang``, ``title``, ``french_authority``, ``partner_authority``, ``country``, ``themes``,
``stage``, the narrative fields as plain text, ``year_start``; optionally ``contacts`` and
``translation_of`` (the ref of the original sheet). The ``ref`` is the stable key: importing a
file again updates the sheets it names and creates none twice. Every line is checked before
anything is written; one bad line and nothing is written (one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import orjson
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reciprocite.interop.errors import InvalidRows, RowError

from . import services
from .models import Sheet
from .sanitize import html_to_text, text_to_html
from .taxonomy import NARRATIVE_FIELDS, Stage, Status

NARRATIVE = [name for name, _label in NARRATIVE_FIELDS]
REQUIRED = ("ref", "lang", "title")
TEXT_FIELDS = ("title", "french_authority", "partner_authority")
KEYS = (
    "ref",
    "lang",
    "title",
    "french_authority",
    "partner_authority",
    "country",
    "themes",
    "stage",
    *NARRATIVE,
    "year_start",
)
OPTIONAL_KEYS = ("contacts", "translation_of")
MAX_LINE_CHARS = 1_000_000
MAX_LINES = 100_000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class LineError(RowError):
    """A problem on one line of a JSON Lines file (the line number as an editor shows it)."""

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(_("line %(line)s") % {"line": self.row})
        if self.field:
            where.append(_("field %(field)s") % {"field": self.field})
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ImportReport:
    """What an import did to each sheet of the file.

    ``created``, ``updated`` and ``unchanged`` share the sheets read by their content (an
    existing sheet whose content is the same but which this import published is not
    ``unchanged``: something happened to it); ``published`` counts the sheets this import
    made public (created published, or moved to published), whatever their content did."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    published: int = 0
    refs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "published": self.published,
        }

    def summary(self) -> str:
        """One sentence for people: what happened to the sheets read."""
        return (
            _(
                "%(read)d sheets read: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged; %(published)d published."
            )
            % self.as_dict()
        )


def _text(value, field_name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field_name: _("must be text")})
    if "\x00" in value:
        raise ValidationError({field_name: _("must not contain NUL characters")})
    return value


def parse_line(record) -> tuple[dict, dict]:
    """(fields for the services, extras: ref, themes, translation_of) from one JSON object."""
    if not isinstance(record, dict):
        raise ValidationError({"__all__": _("each line must be a JSON object")})
    unknown = sorted(set(record) - set(KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise ValidationError(
            {unknown[0]: _("unknown field; the fields are %(all)s") % {"all": ", ".join(KEYS)}}
        )
    for name in REQUIRED:
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise ValidationError({name: _("required")})
    ref = record["ref"].strip()
    if len(ref) > 64:
        raise ValidationError({"ref": _("at most 64 characters")})
    lang = record["lang"].strip().lower()
    if lang not in services.LANGUAGES:
        raise ValidationError(
            {"lang": _("unknown language; use one of %(all)s") % {"all": "fr, en, ar, ru"}}
        )
    fields: dict = {"language": lang}
    for name in TEXT_FIELDS:
        fields[name] = _text(record.get(name), name)
    if len(" ".join(fields["title"].split())) > 300:
        raise ValidationError({"title": _("at most 300 characters")})
    for name in (*NARRATIVE, "contacts"):
        fields[name] = text_to_html(_text(record.get(name), name))
    fields["country"] = services.normalise_country(_text(record.get("country"), "country"))
    stage = _text(record.get("stage"), "stage").strip()
    if stage and stage not in Stage.values:
        raise ValidationError(
            {"stage": _("unknown stage; use one of %(all)s") % {"all": ", ".join(Stage.values)}}
        )
    fields["stage"] = stage
    year = record.get("year_start")
    if year in (None, ""):
        fields["year_start"] = None
    elif isinstance(year, bool) or not isinstance(year, int | str):
        raise ValidationError({"year_start": _("must be a year such as 2010")})
    else:
        fields["year_start"] = year
    themes = record.get("themes") or []
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        raise ValidationError({"themes": _("must be a list of theme codes")})
    extras = {
        "ref": ref,
        "themes": services.check_themes(themes),
        "translation_of": _text(record.get("translation_of"), "translation_of").strip(),
    }
    return services._clean_fields(fields), extras


def _error_of(exc: ValidationError, source: str, line: int) -> LineError:
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.message_dict.items()))
        return LineError(source, line, None if name == "__all__" else name, " ".join(errors))
    return LineError(source, line, None, " ".join(exc.messages))


def read_lines(data: bytes, source: str) -> list[tuple[int, dict]]:
    """The JSON objects of a JSON Lines file with their line numbers (blank lines skipped)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidRows(
            [LineError(source, None, None, _("not UTF-8 text (byte %(pos)s)") % {"pos": exc.start})]
        ) from None
    records, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(records) + len(errors) >= MAX_LINES:
            raise InvalidRows(
                [
                    LineError(
                        source,
                        number,
                        None,
                        _("too many lines: %(max)s at most") % {"max": MAX_LINES},
                    )
                ]
            )
        if len(line) > MAX_LINE_CHARS:
            errors.append(LineError(source, number, None, _("the line is too long")))
            continue
        try:
            records.append((number, orjson.loads(line)))
        except orjson.JSONDecodeError as exc:
            errors.append(
                LineError(source, number, None, _("not valid JSON: %(msg)s") % {"msg": str(exc)})
            )
    if errors:
        raise InvalidRows(errors)
    return records


def _same(sheet: Sheet, fields: dict, themes: list[str], original: Sheet | None) -> bool:
    for name, value in fields.items():
        if getattr(sheet, name) != value:
            return False
    if (sheet.translation_of_id or None) != (original.pk if original else None):
        return False
    return sorted(sheet.themes.values_list("code", flat=True)) == themes


def sheets_import(
    data: bytes,
    *,
    source: str,
    actor=None,
    publish: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the sheets of a JSON Lines file; InvalidRows (nothing written) on any bad line."""
    records = read_lines(data, source)
    parsed, errors = [], []
    seen: dict[str, int] = {}
    for number, record in records:
        try:
            fields, extras = parse_line(record)
        except ValidationError as exc:
            errors.append(_error_of(exc, source, number))
            continue
        if extras["ref"] in seen:
            errors.append(
                LineError(
                    source,
                    number,
                    "ref",
                    _("%(ref)s is already on line %(line)s")
                    % {"ref": extras["ref"], "line": seen[extras["ref"]]},
                )
            )
            continue
        seen[extras["ref"]] = number
        parsed.append((number, fields, extras))
    refs_in_file = set(seen)
    known = set(
        Sheet.objects.filter(
            ref__in=[e["translation_of"] for _n, _f, e in parsed if e["translation_of"]]
        ).values_list("ref", flat=True)
    )
    for number, _fields, extras in parsed:
        target = extras["translation_of"]
        if target and target not in refs_in_file and target not in known:
            errors.append(
                LineError(
                    source,
                    number,
                    "translation_of",
                    _("no sheet with the ref %(ref)s") % {"ref": target},
                )
            )
        if target == extras["ref"]:
            errors.append(
                LineError(source, number, "translation_of", _("a sheet cannot translate itself"))
            )
    if errors:
        raise InvalidRows(errors)

    report = ImportReport(read=len(parsed))
    total = len(parsed)
    step = _("Sheets")
    # Originals first, so that translations find them.
    ordered = sorted(parsed, key=lambda item: bool(item[2]["translation_of"]))
    with transaction.atomic():
        existing = {s.ref: s for s in Sheet.objects.filter(ref__in=refs_in_file)}
        for done, (number, fields, extras) in enumerate(ordered, start=1):
            ref = extras["ref"]
            original = None
            if extras["translation_of"]:
                original = Sheet.objects.get(ref=extras["translation_of"])
            try:
                sheet = existing.get(ref)
                if sheet is None:
                    services.sheet_create(
                        actor=actor,
                        ref=ref,
                        themes=extras["themes"],
                        status=Status.PUBLISHED if publish else Status.DRAFT,
                        translation_of=original,
                        note=_("Imported from %(source)s") % {"source": source},
                        **fields,
                    )
                    report.created += 1
                    report.published += publish
                else:
                    to_publish = publish and sheet.status != Status.PUBLISHED
                    if _same(sheet, fields, extras["themes"], original):
                        # published now: not "unchanged" (the figure used to say so)
                        report.unchanged += not to_publish
                    else:
                        services.sheet_update(
                            actor=actor,
                            sheet=sheet,
                            themes=extras["themes"],
                            translation_of=original,
                            note=_("Imported from %(source)s") % {"source": source},
                            **fields,
                        )
                        report.updated += 1
                    if to_publish:
                        services.sheet_transition(actor=actor, sheet=sheet, to=Status.PUBLISHED)
                        report.published += 1
            except ValidationError as exc:
                # A constraint only the database knows (rare): report it, write nothing.
                transaction.set_rollback(True)
                raise InvalidRows([_error_of(exc, source, number)]) from None
            report.refs.append(ref)
            if progress is not None:
                progress(step, done, total)
    return report


def sheet_record(sheet: Sheet) -> dict:
    """A sheet in the import layout (narrative fields as plain text)."""
    record = {
        "ref": sheet.ref,
        "lang": sheet.language,
        "title": sheet.title,
        "french_authority": sheet.french_authority,
        "partner_authority": sheet.partner_authority,
        "country": sheet.country,
        "themes": sorted(t.code for t in sheet.themes.all()),
        "stage": sheet.stage,
    }
    for name in NARRATIVE:
        record[name] = html_to_text(getattr(sheet, name))
    record["year_start"] = sheet.year_start
    if sheet.contacts:
        record["contacts"] = html_to_text(sheet.contacts)
    if sheet.translation_of_id:
        record["translation_of"] = sheet.translation_of.ref
    return record


def sheets_export(sheets: Iterable[Sheet]) -> bytes:
    """JSON Lines of the sheets, one per line, UTF-8."""
    lines = [orjson.dumps(sheet_record(sheet)) for sheet in sheets]
    return b"\n".join(lines) + (b"\n" if lines else b"")
