"""API: analysis of a questionnaire's answers.

``GET /api/v1/surveys/{form_id}/analysis`` answers the document of ``surveys.analysis``
(the same that ``reciprocite survey analysis FORM_ID --json`` prints). Analyses are not
public yet: the token must act for an analyst or an administrator (``can_run_surveys``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query

from reciprocite.accounts.authentication import bearer
from reciprocite.core.api import ERRORS_READ, ApiError, ErrorOut, check_query_params, forbidden

from . import analysis, permissions
from .analysis import AnalysisError
from .api import router
from .models import Questionnaire
from .selectors.campaigns import CampaignNotFound, campaign_of_questionnaire


@router.get(
    "/{form_id}/analysis",
    response={200: dict, 403: ErrorOut, **ERRORS_READ},
    auth=bearer,
    url_name="survey_analysis",
    summary="Analysis of a questionnaire's answers",
)
def survey_analysis(
    request,
    form_id: str,
    filter: Query[list[str] | None] = None,  # noqa: A002 - the documented parameter name
    crosstab: Query[str | None] = None,
    campaign: Query[str | None] = None,
):
    """Counts per choice, number summaries, repeats counted, partner countries by zone.

    `filter=question:value` (repeatable) restricts the submissions (a top-level question) or
    the repeat entries (a question inside a repeat); `crosstab=row,column` adds a
    `crosstab` key counting units by the answers of two select questions; `campaign=<id>`
    keeps only the answers given through that campaign of the questionnaire (400 if not a
    number, 404 if the questionnaire has no such campaign). Analysts and administrators
    only.
    """
    check_query_params(request)
    if not permissions.can_run_surveys(request.auth):
        raise forbidden(
            _(
                "This token may not read the analysis of a questionnaire "
                "(it acts with the role of its membership only)."
            )
        )
    questionnaire = Questionnaire.objects.filter(form_id=form_id).first()
    if questionnaire is None:
        raise ApiError(
            404, _("No questionnaire with the form id %(form_id)s.") % {"form_id": form_id[:100]}
        )
    chosen = None
    if campaign is not None:
        try:
            chosen = campaign_of_questionnaire(questionnaire, campaign)
        except CampaignNotFound as exc:
            raise ApiError(exc.status, exc.message, param="campaign") from exc
    try:
        filters = analysis.filters_from_params(filter or [])
        document = analysis.analyse(questionnaire, filters=filters, campaign=chosen)
        if crosstab is not None:
            row, sep, column = crosstab.partition(",")
            if not sep or not row.strip() or not column.strip():
                raise AnalysisError("crosstab", _("expected two question names: row,column."))
            document["crosstab"] = analysis.crosstab(
                questionnaire, row.strip(), column.strip(), filters=filters, campaign=chosen
            )
    except AnalysisError as exc:
        raise ApiError(400, str(exc), param=exc.param) from exc
    return document
