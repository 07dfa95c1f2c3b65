"""API for the registry: partnerships, projects and the taxonomy.

Thin: reads go through ``selectors``, writes through ``services`` with ``actor`` set to the
token's user (so the history records who), and every decision through ``permissions`` asked
about the token's membership.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja import Path as PathParam

from reciprocite.accounts.authentication import bearer, optional_membership
from reciprocite.core.api import (
    COUNTRY_CODE,
    ERRORS_ANY,
    ERRORS_READ,
    ERRORS_WRITE,
    ID_QUERY,
    MAX_ID,
    OPTIONAL_BEARER,
    YEAR,
    PageOut,
    PageParams,
    check_query_params,
    choice,
    field_errors,
    forbidden,
    invalid,
    not_found,
    paginate,
    query_schema,
    without,
)
from reciprocite.territories.geography import zones
from reciprocite.territories.models import Territory, TerritoryKind

from . import permissions, selectors, services
from .models import (
    Partnership,
    PartnershipKind,
    PartnershipStatus,
    Programme,
    Project,
    ProjectStatus,
    TargetPublic,
    Theme,
)
from .schemas import (
    PartnershipDetail,
    PartnershipIn,
    PartnershipPatch,
    PartnershipSummary,
    ProjectDetail,
    ProjectIn,
    ProjectPatch,
    ProjectSummary,
    PublicOut,
    ThemeOut,
    partnership_detail,
    partnership_summary,
    project_detail,
    project_summary,
    theme_out,
)
from .taxonomy import BUDGET_BANDS, THEMES, public_label

router = Router(tags=["registry"])

PartnershipId = PathParam(..., ge=1, le=MAX_ID, description="Partnership id.")
ProjectId = PathParam(..., ge=1, le=MAX_ID, description="Project id.")

# --- list parameters and pages -----------------------------------------------------------------


class RegistryFacetOut(Schema):
    value: str = Field(..., description="The value of the filter of the same name.")
    label: str
    count: int


class DecadeFacetOut(Schema):
    value: int = Field(..., description="First year of the decade (1990 for 1990–1999).")
    label: str
    count: int


class RegistryFacetsOut(Schema):
    country: list[RegistryFacetOut]
    zone: list[RegistryFacetOut]
    theme: list[RegistryFacetOut]
    authority_kind: list[RegistryFacetOut]
    decade: list[DecadeFacetOut]
    status: list[RegistryFacetOut]
    budget_band: list[RegistryFacetOut]
    kind: list[RegistryFacetOut]


class _Page(PageOut):
    facets: RegistryFacetsOut | None = Field(
        None, description="With facets=1: counts over the whole filtered list."
    )


class PartnershipPageOut(_Page):
    results: list[PartnershipSummary]


class ProjectPageOut(_Page):
    results: list[ProjectSummary]


def _q(description: str):
    return Query(None, description=description)


class _RegistryQuery(Schema):
    """The whitelisted filters of the registry pages (see docs/api.md); their values are
    checked by ``selectors.RegistryFilters`` (a 400 naming the parameter)."""

    q: query_schema({"type": "string", "maxLength": 200}) = _q(
        "Words of the title (and of territory names, for partnerships)."
    )
    country: COUNTRY_CODE = _q("ISO 3166-1 alpha-2 code of a partner-side territory.")
    zone: choice(z.key for z in zones()) = _q(
        "Study zone of a partner-side territory (see /zones)."
    )
    theme: choice(THEMES) = _q("Theme code (see /themes).")
    authority_kind: choice(TerritoryKind.values) = _q("Kind of one of the territories.")
    year_from: YEAR = _q("Start year at least (1900–2100).")
    year_to: YEAR = _q("Start year at most (1900–2100).")
    budget_band: choice(BUDGET_BANDS) = _q("Band of the budget in euros.")
    kind: choice(PartnershipKind.values) = _q("Kind of partnership.")
    facets: bool = Query(False, description="1 to add the facet counts of the whole list.")


class RegistryQuery(_RegistryQuery):
    status: choice(PartnershipStatus.values) = _q("Status of the partnership.")


class ProjectQuery(_RegistryQuery):
    status: choice(ProjectStatus.values) = _q("Status of the project.")
    partnership: ID_QUERY = _q("Id of the partnership.")


def _filters(request, *, for_projects: bool) -> selectors.RegistryFilters:
    check_query_params(request)
    return selectors.RegistryFilters.parse(
        without(request.GET, "facets"), for_projects=for_projects, strict=True
    )


# --- helpers ------------------------------------------------------------------------------------

_BODY_NAMES = {"budget_amount": "budget.amount", "budget_currency": "budget.currency"}


def _validation(exc: ValidationError) -> ValidationError:
    errors = field_errors(exc)
    return invalid({_BODY_NAMES.get(name, name): msgs for name, msgs in errors.items()})


def _territories(ids: list[int], field: str) -> list[Territory]:
    ids = list(dict.fromkeys(ids))
    found = {t.pk: t for t in Territory.objects.filter(pk__in=ids)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise invalid({field: [_("Unknown territory ids: %s.") % ", ".join(missing)]})
    return [found[pk] for pk in ids]


def _fundings(items, actor) -> list[tuple]:
    result = []
    for i, item in enumerate(items):
        try:
            funder = services.funder_get_or_create(
                actor=actor, name=item.funder.name, kind=item.funder.kind
            )
        except ValidationError as exc:
            raise invalid(field_errors(exc, prefix=f"fundings.{i}.funder.")) from exc
        result.append((funder, item.amount, item.currency))
    return result


def _programme(pk: int | None, partnership: Partnership):
    if pk is None:
        return None
    programme = Programme.objects.filter(pk=pk, partnership=partnership).first()
    if programme is None:
        raise invalid({"programme": [_("No programme %(id)s in this partnership.") % {"id": pk}]})
    return programme


def _project_fields(body, partnership: Partnership) -> dict:
    """The fields a body gives, as keyword arguments of the project services (themes,
    publics and scalar fields; fundings are handled apart)."""
    data = body.dict(exclude_unset=True)
    data.pop("partnership", None)
    if "budget" in data:
        budget = data.pop("budget") and body.budget  # the model keeps the default currency
        data["budget_amount"] = budget.amount if budget else None
        if budget:
            data["budget_currency"] = budget.currency
    if "programme" in data:
        data["programme"] = _programme(data["programme"], partnership)
    if "fundings" in data:
        data.pop("fundings")
    return data


def _partnership_for_write(partnership_id: int, membership) -> Partnership:
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None or not permissions.can_view_partnership(membership, partnership):
        raise not_found("partnership", partnership_id)
    return partnership


def _project_for_write(project_id: int, membership) -> Project:
    project = Project.objects.select_related("partnership").filter(pk=project_id).first()
    if (
        project is None
        or project.partnership.is_deleted
        or not permissions.can_view_project(membership, project)
    ):
        raise not_found("project", project_id)
    return project


def _partnership_out(request, pk: int, viewer):
    partnership = selectors.partnership_detail(pk=pk, viewer=viewer)
    if partnership is None:
        raise not_found("partnership", pk)
    return partnership_detail(request, partnership, viewer)


def _project_out(request, pk: int, viewer):
    project = selectors.project_detail(pk=pk, viewer=viewer)
    if project is None:
        raise not_found("project", pk)
    return project_detail(request, project, viewer)


# --- partnerships ---------------------------------------------------------------------------------


@router.get(
    "/partnerships",
    response={200: PartnershipPageOut, **ERRORS_READ},
    exclude_unset=True,
    url_name="partnership_list",
    summary="List partnerships",
    openapi_extra=OPTIONAL_BEARER,
)
def partnership_list(request, filters: Query[RegistryQuery], paging: Query[PageParams]):
    """Published partnerships (and, with a token, those its role may see), by title."""
    viewer = optional_membership(request)
    qs = selectors.partnership_list(filters=_filters(request, for_projects=False), viewer=viewer)
    page = paginate(
        request,
        qs,
        page=paging.page,
        page_size=paging.page_size,
        serialize=lambda p: partnership_summary(request, p),
    )
    if filters.facets:
        page["facets"] = selectors.partnership_facets(qs)
    return page


@router.get(
    "/partnerships/{id}",
    response={200: PartnershipDetail, **ERRORS_READ},
    url_name="partnership_detail",
    summary="One partnership",
    openapi_extra=OPTIONAL_BEARER,
)
def partnership_get(request, id: int = PartnershipId):
    """Its parties, programmes with their budget lines, projects and documents."""
    return _partnership_out(request, id, optional_membership(request))


@router.post(
    "/partnerships",
    response={201: PartnershipDetail, **ERRORS_WRITE},
    auth=bearer,
    url_name="partnership_create",
    summary="Create a partnership",
)
def partnership_create(request, body: PartnershipIn):
    """Analysts, administrators, and member editors for a partnership their territory is a
    party to."""
    membership = request.auth
    if not permissions.can_create_partnership(membership):
        raise forbidden(
            _(
                "This token may not create partnerships "
                "(it acts with the role of its membership only)."
            )
        )
    data = body.dict(exclude_unset=True)
    french = _territories(data.pop("french_territories"), "french_territories")
    partners = _territories(data.pop("partner_territories"), "partner_territories")
    with transaction.atomic():
        try:
            partnership = services.partnership_create(
                actor=membership.user,
                french_territories=french,
                partner_territories=partners,
                **data,
            )
        except ValidationError as exc:
            raise _validation(exc) from exc
        if not permissions.can_edit_partnership(membership, partnership):
            # e.g. a member editor creating a partnership its own territory is not party to
            raise forbidden(
                _(
                    "This token may not create a partnership its territory is not a party to "
                    "(it acts with the role of its membership only)."
                )
            )
    return Status(201, _partnership_out(request, partnership.pk, membership))


@router.patch(
    "/partnerships/{id}",
    response={200: PartnershipDetail, **ERRORS_WRITE},
    auth=bearer,
    url_name="partnership_update",
    summary="Change a partnership",
)
def partnership_update(request, body: PartnershipPatch, id: int = PartnershipId):
    """Analysts, administrators and member editors of a party (not partner editors)."""
    membership = request.auth
    partnership = _partnership_for_write(id, membership)
    if not permissions.can_edit_partnership(membership, partnership):
        raise forbidden(
            _(
                "This token may not edit this partnership "
                "(it acts with the role of its membership only)."
            )
        )
    data = body.dict(exclude_unset=True)
    for side in ("french_territories", "partner_territories"):
        if data.get(side) is not None:
            data[side] = _territories(data[side], side)
        elif side in data:
            raise invalid({side: [_("Give a list of territory ids.")]})
    with transaction.atomic():
        try:
            services.partnership_update(actor=membership.user, partnership=partnership, **data)
        except ValidationError as exc:
            raise _validation(exc) from exc
        if not permissions.can_edit_partnership(membership, partnership):
            raise forbidden(
                _(
                    "This token may not remove its own territory from this partnership "
                    "(it acts with the role of its membership only)."
                )
            )
    return _partnership_out(request, partnership.pk, membership)


@router.delete(
    "/partnerships/{id}",
    response={204: None, **ERRORS_WRITE},
    auth=bearer,
    url_name="partnership_delete",
    summary="Delete a partnership (soft)",
)
def partnership_delete(request, id: int = PartnershipId):
    """Administrators and member editors of a party. The partnership and its projects leave
    every list and can be restored from the site."""
    membership = request.auth
    partnership = _partnership_for_write(id, membership)
    if not permissions.can_delete_partnership(membership, partnership):
        raise forbidden(
            _(
                "This token may not delete this partnership "
                "(it acts with the role of its membership only)."
            )
        )
    services.partnership_delete(actor=membership.user, partnership=partnership)
    return Status(204, None)


# --- projects ---------------------------------------------------------------------------------------


@router.get(
    "/projects",
    response={200: ProjectPageOut, **ERRORS_READ},
    exclude_unset=True,
    url_name="project_list",
    summary="List projects",
    openapi_extra=OPTIONAL_BEARER,
)
def project_list(request, filters: Query[ProjectQuery], paging: Query[PageParams]):
    """Projects of the partnerships the caller may see, by title."""
    viewer = optional_membership(request)
    qs = selectors.project_list(filters=_filters(request, for_projects=True), viewer=viewer)
    page = paginate(
        request,
        qs,
        page=paging.page,
        page_size=paging.page_size,
        serialize=lambda p: project_summary(request, p),
    )
    if filters.facets:
        page["facets"] = selectors.project_facets(qs)
    return page


@router.get(
    "/projects/{id}",
    response={200: ProjectDetail, **ERRORS_READ},
    url_name="project_detail",
    summary="One project",
    openapi_extra=OPTIONAL_BEARER,
)
def project_get(request, id: int = ProjectId):
    """Themes with DAC codes, target publics, budget, co-fundings, actors with their roles and
    replications in both directions."""
    return _project_out(request, id, optional_membership(request))


@router.post(
    "/projects",
    response={201: ProjectDetail, **ERRORS_WRITE},
    auth=bearer,
    url_name="project_create",
    summary="Create a project",
)
def project_create(request, body: ProjectIn):
    """Analysts, administrators and the editors (member or partner) of a party."""
    membership = request.auth
    partnership_id = body.partnership
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None or not permissions.can_view_partnership(membership, partnership):
        raise invalid({"partnership": [_("No partnership with id %s.") % partnership_id]})
    if not permissions.can_create_project(membership, partnership):
        raise forbidden(
            _(
                "This token may not add projects to this partnership "
                "(it acts with the role of its membership only)."
            )
        )
    with transaction.atomic():
        fundings = _fundings(body.fundings, membership.user)
        fields = _project_fields(body, partnership)
        try:
            project = services.project_create(
                actor=membership.user, partnership=partnership, fundings=fundings, **fields
            )
        except ValidationError as exc:
            raise _validation(exc) from exc
    return Status(201, _project_out(request, project.pk, membership))


@router.patch(
    "/projects/{id}",
    response={200: ProjectDetail, **ERRORS_WRITE},
    auth=bearer,
    url_name="project_update",
    summary="Change a project",
)
def project_update(request, body: ProjectPatch, id: int = ProjectId):
    """Analysts, administrators and the editors (member or partner) of a party."""
    membership = request.auth
    project = _project_for_write(id, membership)
    if not permissions.can_edit_project(membership, project):
        raise forbidden(
            _(
                "This token may not edit this project "
                "(it acts with the role of its membership only)."
            )
        )
    data = body.dict(exclude_unset=True)
    for name in ("themes", "publics", "fundings"):
        if name in data and data[name] is None:
            raise invalid({name: [_("Give a list (possibly empty for publics and fundings).")]})
    with transaction.atomic():
        fundings = _fundings(body.fundings, membership.user) if "fundings" in data else None
        fields = _project_fields(body, project.partnership)
        try:
            services.project_update(
                actor=membership.user, project=project, fundings=fundings, **fields
            )
        except ValidationError as exc:
            raise _validation(exc) from exc
    return _project_out(request, project.pk, membership)


@router.delete(
    "/projects/{id}",
    response={204: None, **ERRORS_WRITE},
    auth=bearer,
    url_name="project_delete",
    summary="Delete a project (soft)",
)
def project_delete(request, id: int = ProjectId):
    """Administrators and member editors of a party (not partner editors, nor analysts)."""
    membership = request.auth
    project = _project_for_write(id, membership)
    if not permissions.can_delete_project(membership, project):
        raise forbidden(
            _(
                "This token may not delete this project "
                "(it acts with the role of its membership only)."
            )
        )
    services.project_delete(actor=membership.user, project=project)
    return Status(204, None)


# --- taxonomy ---------------------------------------------------------------------------------------


@router.get(
    "/themes", response={200: list[ThemeOut], **ERRORS_ANY}, url_name="theme_list", summary="Themes"
)
def theme_list(request):
    """The study's social-action themes with their OECD DAC 5 sector codes; a theme's
    ``code`` is the value of the ``theme`` filter and of a project's ``themes``."""
    return [theme_out(t) for t in Theme.objects.order_by("code")]


@router.get(
    "/publics",
    response={200: list[PublicOut], **ERRORS_ANY},
    url_name="public_list",
    summary="Publics",
)
def public_list(request):
    """The target publics a project may name in ``publics``."""
    return [
        {"code": p.code, "label": public_label(p.code)}
        for p in TargetPublic.objects.order_by("code")
    ]
