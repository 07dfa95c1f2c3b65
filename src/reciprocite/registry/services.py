"""Writes for the registry. Every function records who did it (``actor``) in the history.

Views, the API and the CLI check permissions (``permissions.py``) before calling these.

What changed is announced (``core.changes``) under ``PARTNERSHIPS``, inside the writing
transaction, for the apps that derive data from the registry (the panorama's figures): the
ids of the partnerships whose record, parties or projects (any field, themes, publics,
fundings; created, deleted, restored) were written. A writer outside these services (the
admin, a bulk import) calls ``partnerships_announce`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocite.core import changes

from .models import (
    Actor,
    BudgetLine,
    Document,
    Funder,
    Partnership,
    PartnershipParty,
    PartnershipTranslation,
    Programme,
    Project,
    ProjectActor,
    ProjectFunding,
    ProjectTranslation,
    Replication,
    Side,
    TargetPublic,
    Theme,
    Translation,
)

PARTNERSHIP_FIELDS = (
    "title",
    "kind",
    "status",
    "start_date",
    "end_date",
    "description",
    "language",
    "is_published",
    "is_fictitious",
)
PROJECT_FIELDS = (
    "title",
    "summary",
    "description",
    "results",
    "status",
    "start_date",
    "end_date",
    "budget_amount",
    "budget_currency",
    "language",
    "programme",
    "is_fictitious",
)
PROGRAMME_FIELDS = ("title", "start_year", "end_year", "description")

# The topic of core.changes: ids of partnerships whose record, parties or projects changed.
PARTNERSHIPS = "registry.partnerships"


def partnerships_announce(ids: Iterable[int | None]) -> None:
    """Announce, in the current transaction, that these partnerships changed (``None`` ids
    are skipped): the subscribers of ``PARTNERSHIPS`` are called after the commit."""
    changes.announce(PARTNERSHIPS, ids)


def _author(instance, actor):
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    return instance


def _check_fields(fields: dict, allowed: Iterable[str], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {', '.join(sorted(unknown))}")


def _save(instance, actor):
    instance.full_clean()
    _author(instance, actor).save()
    return instance


def _soft_delete(instance, actor):
    instance.deleted_at = timezone.now()
    instance.deleted_by = actor if getattr(actor, "pk", None) else None
    _author(instance, actor).save()


def _restore(instance, actor):
    instance.deleted_at = None
    instance.deleted_by = None
    _author(instance, actor).save()


# --- partnerships -------------------------------------------------------------------------


def _set_parties(partnership, actor, french: Iterable, partners: Iterable) -> None:
    french, partners = list(french), list(partners)
    if not french or not partners:
        raise ValidationError(
            {"territories": _("A partnership needs at least one French and one partner territory.")}
        )
    wanted = {t.pk: Side.FRENCH for t in french} | {t.pk: Side.PARTNER for t in partners}
    if len(wanted) != len(french) + len(partners):
        raise ValidationError({"territories": _("A territory cannot be on both sides.")})
    existing = {p.territory_id: p for p in partnership.parties.all()}
    for territory_id, party in existing.items():
        if territory_id not in wanted:
            _author(party, actor).delete()
    for territory_id, side in wanted.items():
        party = existing.get(territory_id)
        if party is None:
            party = PartnershipParty(partnership=partnership, territory_id=territory_id, side=side)
            _save(party, actor)
        elif party.side != side:
            party.side = side
            _save(party, actor)
    partnership._party_territory_ids = set(wanted)


@transaction.atomic
def partnership_create(
    *, actor=None, french_territories: Iterable, partner_territories: Iterable, **fields
) -> Partnership:
    _check_fields(fields, PARTNERSHIP_FIELDS, "partnership")
    partnership = _save(Partnership(**fields), actor)
    _set_parties(partnership, actor, french_territories, partner_territories)
    partnerships_announce([partnership.pk])
    return partnership


@transaction.atomic
def partnership_update(
    *,
    actor=None,
    partnership: Partnership,
    french_territories: Iterable | None = None,
    partner_territories: Iterable | None = None,
    **fields,
) -> Partnership:
    _check_fields(fields, PARTNERSHIP_FIELDS, "partnership")
    for key, value in fields.items():
        setattr(partnership, key, value)
    _save(partnership, actor)
    if french_territories is not None or partner_territories is not None:
        current = list(partnership.parties.select_related("territory"))
        french = french_territories
        if french is None:
            french = [p.territory for p in current if p.side == Side.FRENCH]
        partners = partner_territories
        if partners is None:
            partners = [p.territory for p in current if p.side == Side.PARTNER]
        _set_parties(partnership, actor, french, partners)
    partnerships_announce([partnership.pk])
    return partnership


@transaction.atomic
def partnership_delete(*, actor=None, partnership: Partnership) -> None:
    """Soft deletion: the partnership and its projects disappear from lists, and can come back."""
    _soft_delete(partnership, actor)
    partnerships_announce([partnership.pk])


@transaction.atomic
def partnership_restore(*, actor=None, partnership: Partnership) -> Partnership:
    _restore(partnership, actor)
    partnerships_announce([partnership.pk])
    return partnership


# --- funders, programmes and budgets ---------------------------------------------------------


def funder_get_or_create(*, actor=None, name: str, kind: str) -> Funder:
    funder = Funder.objects.filter(name=name).first()
    if funder is None:
        funder = _save(Funder(name=name, kind=kind), actor)
    return funder


@transaction.atomic
def programme_create(*, actor=None, partnership: Partnership, **fields) -> Programme:
    _check_fields(fields, PROGRAMME_FIELDS, "programme")
    return _save(Programme(partnership=partnership, **fields), actor)


@transaction.atomic
def programme_update(*, actor=None, programme: Programme, **fields) -> Programme:
    _check_fields(fields, PROGRAMME_FIELDS, "programme")
    for key, value in fields.items():
        setattr(programme, key, value)
    return _save(programme, actor)


@transaction.atomic
def programme_delete(*, actor=None, programme: Programme) -> None:
    _soft_delete(programme, actor)


@transaction.atomic
def budget_line_set(
    *,
    actor=None,
    programme: Programme,
    year: int,
    funder: Funder,
    amount: Decimal,
    currency: str = "EUR",
) -> BudgetLine:
    """Set what ``funder`` gives ``programme`` in ``year`` (creates or replaces the line)."""
    line = BudgetLine.objects.filter(
        programme=programme, year=year, funder=funder, currency=currency
    ).first() or BudgetLine(programme=programme, year=year, funder=funder, currency=currency)
    line.amount = Decimal(amount)
    return _save(line, actor)


@transaction.atomic
def budget_line_delete(*, actor=None, line: BudgetLine) -> None:
    _author(line, actor).delete()


# --- projects ---------------------------------------------------------------------------------


def _themes(codes: Iterable[str]) -> list[Theme]:
    codes = list(dict.fromkeys(codes))
    found = list(Theme.objects.filter(code__in=codes))
    missing = set(codes) - {t.code for t in found}
    if missing:
        raise ValidationError({"themes": _("Unknown themes: %s") % ", ".join(sorted(missing))})
    return found


def _publics(codes: Iterable[str]) -> list[TargetPublic]:
    codes = list(dict.fromkeys(codes))
    found = list(TargetPublic.objects.filter(code__in=codes))
    missing = set(codes) - {t.code for t in found}
    if missing:
        raise ValidationError(
            {"publics": _("Unknown target publics: %s") % ", ".join(sorted(missing))}
        )
    return found


def _set_fundings(project, actor, fundings) -> None:
    """``fundings``: iterable of (funder, amount, currency)."""
    wanted = {}
    for funder, amount, currency in fundings:
        wanted[funder.pk] = (funder, Decimal(amount), currency or "EUR")
    for existing in list(project.fundings.all()):
        if existing.funder_id not in wanted:
            _author(existing, actor).delete()
    current = {f.funder_id: f for f in project.fundings.all()}
    for funder_id, (funder, amount, currency) in wanted.items():
        funding = current.get(funder_id) or ProjectFunding(project=project, funder=funder)
        if funding.pk and funding.amount == amount and funding.currency == currency:
            continue
        funding.amount, funding.currency = amount, currency
        _save(funding, actor)


@transaction.atomic
def project_create(
    *,
    actor=None,
    partnership: Partnership,
    themes: Iterable[str],
    publics: Iterable[str] = (),
    fundings: Iterable = (),
    **fields,
) -> Project:
    _check_fields(fields, PROJECT_FIELDS, "project")
    theme_objs = _themes(themes)
    if not theme_objs:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    project = _save(Project(partnership=partnership, **fields), actor)
    project.themes.set(theme_objs)
    project.publics.set(_publics(publics))
    _set_fundings(project, actor, fundings)
    partnerships_announce([project.partnership_id])
    return project


@transaction.atomic
def project_update(
    *,
    actor=None,
    project: Project,
    themes: Iterable[str] | None = None,
    publics: Iterable[str] | None = None,
    fundings: Iterable | None = None,
    **fields,
) -> Project:
    _check_fields(fields, PROJECT_FIELDS, "project")
    for key, value in fields.items():
        setattr(project, key, value)
    _save(project, actor)
    if themes is not None:
        theme_objs = _themes(themes)
        if not theme_objs:
            raise ValidationError({"themes": _("Choose at least one theme.")})
        project.themes.set(theme_objs)
    if publics is not None:
        project.publics.set(_publics(publics))
    if fundings is not None:
        _set_fundings(project, actor, fundings)
    partnerships_announce([project.partnership_id])
    return project


@transaction.atomic
def project_delete(*, actor=None, project: Project) -> None:
    _soft_delete(project, actor)
    partnerships_announce([project.partnership_id])


@transaction.atomic
def project_restore(*, actor=None, project: Project) -> Project:
    _restore(project, actor)
    partnerships_announce([project.partnership_id])
    return project


# --- actors and their roles ------------------------------------------------------------------


def actor_create(*, actor=None, **fields) -> Actor:
    return _save(Actor(**fields), actor)


def actor_get_or_create(*, actor=None, name: str, kind: str, territory=None, **fields) -> Actor:
    existing = Actor.objects.filter(name=name, territory=territory).first()
    if existing:
        return existing
    return actor_create(actor=actor, name=name, kind=kind, territory=territory, **fields)


@transaction.atomic
def project_actor_add(
    *, actor=None, project: Project, member: Actor, role: str, note: str = ""
) -> ProjectActor:
    link = ProjectActor.objects.filter(project=project, actor=member, role=role).first()
    if link is None:
        link = ProjectActor(project=project, actor=member, role=role)
    link.note = note
    return _save(link, actor)


@transaction.atomic
def project_actor_remove(*, actor=None, link: ProjectActor) -> None:
    _author(link, actor).delete()


# --- replications ------------------------------------------------------------------------------


@transaction.atomic
def replication_link(
    *, actor=None, model: Project, replica: Project, note: str = ""
) -> Replication:
    """Record that ``replica`` duplicated the model built by ``model``."""
    if model.pk == replica.pk:
        raise ValidationError({"replica": _("A project cannot replicate itself.")})
    if Replication.objects.filter(model=replica, replica=model).exists():
        raise ValidationError({"replica": _("These projects are already linked the other way.")})
    link = Replication.objects.filter(model=model, replica=replica).first() or Replication(
        model=model, replica=replica
    )
    link.note = note
    return _save(link, actor)


@transaction.atomic
def replication_unlink(*, actor=None, link: Replication) -> None:
    _author(link, actor).delete()


# --- documents ---------------------------------------------------------------------------------


DOCUMENT_TYPES = ("pdf", "odt", "docx")


def document_file_checked(upload):
    """The upload, renamed with the extension of the type found in its content (PDF, ODT or
    DOCX: ``polyglot.html`` holding a PDF is stored as ``polyglot.pdf``, served as a PDF);
    ValidationError naming the file when the content is none of them, too large, or a zip
    archive refused as hostile (interop.files, as the knowledge base's attachments)."""
    import io
    import zipfile

    from django.template.defaultfilters import filesizeformat

    from reciprocite.interop import files

    limit = files.max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file",
        )
    data = files.read_upload(upload)
    refused = ValidationError(
        _("%(name)s is not a PDF, ODT or DOCX document (checked from its content)."),
        params={"name": upload.name},
        code="file",
    )
    if not data.startswith((b"%PDF-", b"PK\x03\x04")):
        raise refused
    try:
        kind = files.check_file(upload.name, data)
    except ValidationError:
        if data.startswith(b"%PDF-") or not zipfile.is_zipfile(io.BytesIO(data)):
            raise refused from None
        raise  # a hostile archive: too many files, a zip bomb, encrypted
    if kind not in DOCUMENT_TYPES:
        raise refused
    upload.seek(0)
    upload.name = files.stored_name(upload.name, kind)
    return upload


@transaction.atomic
def document_add(*, actor=None, partnership: Partnership, **fields) -> Document:
    if fields.get("file"):
        try:
            fields["file"] = document_file_checked(fields["file"])
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
    return _save(Document(partnership=partnership, **fields), actor)


@transaction.atomic
def document_delete(*, actor=None, document: Document) -> None:
    _soft_delete(document, actor)


# --- translations ----------------------------------------------------------------------------


def translation_model(original: Partnership | Project) -> type[Translation]:
    """The model of the translations of ``original`` (a partnership or a project)."""
    return PartnershipTranslation if isinstance(original, Partnership) else ProjectTranslation


@transaction.atomic
def translation_save(
    *, actor=None, original: Partnership | Project, language: str, **texts: str
) -> Translation:
    """Add the translation of ``original`` into ``language``, or change it. A changed text is
    no longer checked: someone who reads both languages checks it again."""
    model = translation_model(original)
    _check_fields(texts, model.TEXT_FIELDS, "translation")
    parent = "partnership" if model is PartnershipTranslation else "project"
    translation = model._default_manager.select_for_update().filter(
        **{parent: original, "language": language}
    ).first() or model(**{parent: original, "language": language})
    changed = translation.pk is None or any(
        getattr(translation, name) != (value or "").strip() for name, value in texts.items()
    )
    if not changed:  # nothing to record: no new version, the check stands
        return translation
    for name, value in texts.items():
        setattr(translation, name, (value or "").strip())
    translation.checked_at = None
    translation.checked_by = None
    return _save(translation, actor)


def translation_check(*, actor=None, translation: Translation) -> Translation:
    """Record that ``actor`` checked the translation against its original."""
    translation.checked_at = timezone.now()
    translation.checked_by = actor if getattr(actor, "pk", None) else None
    return _save(translation, actor)
