"""Pages: analysis of a questionnaire's answers (analysts and admins only).

/surveys/<form_id>/analysis/ shows the document of ``surveys.analysis`` as tables with a bar
chart beside each (inline SVG drawn on the server, the table being its text alternative),
partner countries by zone with the zones' French names, the study's indicators, a cross-tab
of two select questions and filters (``filter=question:choice``, as in the API).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reciprocite.core.filters import id_value
from reciprocite.core.http import deny_unless
from reciprocite.territories.geography import country_name, zone_by_key

from .. import analysis, permissions
from ..models import Questionnaire
from ..structure import NUMERIC, Structure, label

BAR_HEIGHT = 22
BAR_WIDTH = 300  # the longest bar
LABEL_WIDTH = 190  # labels on the left of the bars
CHART_WIDTH = LABEL_WIDTH + BAR_WIDTH + 60


def _choice_labels(structure: Structure, question, language: str) -> dict[str, str]:
    """Choice name → label in the language; bare country codes get the country's name."""
    choices = structure.choices(question)
    countries = analysis.is_country_list(choices)
    labels = {}
    for choice in choices:
        name = str(choice.get("name", ""))
        text = label(choice, language, structure.default_language)
        if countries and text == name:
            text = country_name(name, language)
        labels[name] = text
    return labels


def _bars(rows: list[dict], title: str) -> dict:
    """Geometry of a horizontal bar chart: one bar per row with a count."""
    top = max((r["count"] for r in rows), default=0) or 1
    bars = []
    for i, row in enumerate(r for r in rows if r["count"]):
        width = round(row["count"] / top * BAR_WIDTH, 1)
        bars.append(
            {
                "y": i * BAR_HEIGHT + 3,
                "x": LABEL_WIDTH,
                "width": width,
                "label": row["label"],
                "short": row["label"] if len(row["label"]) <= 28 else row["label"][:27] + "…",
                "count": row["count"],
                "label_x": LABEL_WIDTH - 6,
                "count_x": LABEL_WIDTH + width + 5,
                "text_y": i * BAR_HEIGHT + 16,
            }
        )
    return {"title": title, "bars": bars, "height": max(len(bars), 1) * BAR_HEIGHT}


def _select_table(structure, q, figures, language, title) -> dict:
    labels = _choice_labels(structure, q, language)
    counts = figures["counts"]
    answered = figures["answered"]
    names = list(labels) + [name for name in counts if name not in labels]
    rows = [
        {
            "name": name,
            "label": labels.get(name, name),
            "count": counts.get(name, 0),
            "percent": round(100 * counts.get(name, 0) / answered, 1) if answered else None,
        }
        for name in names
    ]
    # the choices chosen first, most chosen first; then the others in the form's order
    rows.sort(key=lambda r: -r["count"])
    return {"rows": rows, "chart": _bars(rows, title)}


def _percent(share: float | None) -> Decimal | None:
    """A share (4 decimals) as a percentage with 1 decimal, halves rounded up (0.6885 → 68.9)."""
    if share is None:
        return None
    return (Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures_context(questionnaire, document: dict, language: str, selected_filters=()) -> dict:
    """What the figures partial (surveys/analysis/_figures.html) shows of an analysis
    document: one section per question (table + chart), partner countries by zone, the
    study's indicators; and the select questions offered as filters and cross-tab axes."""
    version = questionnaire.current_version
    structure = Structure(version.structure, version.rows or {})

    def title_of(name: str) -> str:
        q = structure.by_name.get(name)
        return label(q.node, language, structure.default_language) if q else name

    sections = []
    select_questions = []
    for q in structure.questions:
        figures = document["questions"].get(q.name)
        if figures is None:
            continue
        title = title_of(q.name)
        section = {
            "name": q.name,
            "title": title,
            "type": figures["type"],
            "repeat": q.repeat,
            "figures": figures,
        }
        if q.type in NUMERIC:
            section["numbers"] = [
                (_("Answers"), figures["n"]),
                (_("Minimum"), figures["min"]),
                (_("Median"), figures["median"]),
                (_("Mean"), figures["mean"]),
                (_("Maximum"), figures["max"]),
                (_("Sum"), figures["sum"]),
            ]
        else:
            section.update(_select_table(structure, q, figures, language, title))
            options = [
                (
                    f"{q.name}:{row['name']}",
                    row["label"],
                    f"{q.name}:{row['name']}" in selected_filters,
                )
                for row in sorted(section["rows"], key=lambda r: r["label"].casefold())
            ]
            select_questions.append({"name": q.name, "title": title, "options": options})
        sections.append(section)

    zones = []
    for name, counts in document["zones"].items():
        rows = []
        for key, count in counts.items():
            zone = zone_by_key(key)
            rows.append(
                {"key": key, "label": zone.label(language) if zone else key, "count": count}
            )
        zones.append(
            {
                "name": name,
                "title": title_of(name),
                "rows": rows,
                "chart": _bars(rows, _("%(question)s by zone") % {"question": title_of(name)}),
            }
        )

    indicators = None
    if "share_with_associations" in document:
        type_q = structure.by_name.get(analysis.RESPONDENT_TYPE)
        type_labels = _choice_labels(structure, type_q, language) if type_q else {}
        indicators = {
            "by_type": [
                (type_labels.get(k, k), n)
                for k, n in document["cooperations_by_respondent_type"].items()
            ],
            "only_international": _percent(document["share_only_international_relations_service"]),
            "with_associations": _percent(document["share_with_associations"]),
        }

    return {
        "structure": structure,
        "title_of": title_of,
        "sections": sections,
        "zones": zones,
        "select_questions": select_questions,
        "indicators": indicators,
        "chart_width": CHART_WIDTH,
    }


@login_required
def analysis_view(request, form_id: str):
    deny_unless(permissions.can_run_surveys(request.user))
    questionnaire = Questionnaire.objects.filter(form_id=form_id).first()
    if questionnaire is None or questionnaire.current_version is None:
        raise Http404(_("No questionnaire with this form id."))
    language = (get_language() or "fr")[:2]

    campaign = None
    if raw_campaign := request.GET.get("campaign", "").strip():
        pk = id_value(raw_campaign)
        campaign = None if pk is None else questionnaire.campaigns.filter(pk=pk).first()
        if campaign is None:
            raise Http404(_("No campaign of this questionnaire with this number."))
    selected_filters = [v for v in request.GET.getlist("filter") if v.strip()]
    row_question = request.GET.get("row", "").strip()
    column_question = request.GET.get("column", "").strip()
    error = None
    document = None
    table = None
    try:
        filters = analysis.filters_from_params(selected_filters)
        document = analysis.analyse(questionnaire, filters=filters, campaign=campaign)
        if row_question and column_question:
            table = analysis.crosstab(
                questionnaire, row_question, column_question, filters=filters, campaign=campaign
            )
    except analysis.AnalysisError as exc:
        error = exc.message
        if document is None:
            document = analysis.analyse(questionnaire, campaign=campaign)

    figures = figures_context(questionnaire, document, language, selected_filters)
    structure, title_of = figures.pop("structure"), figures.pop("title_of")
    crosstab_view = None
    if table is not None:
        row_q = structure.by_name[table["row"]]
        column_q = structure.by_name[table["column"]]
        row_labels = _choice_labels(structure, row_q, language)
        column_labels = _choice_labels(structure, column_q, language)
        columns = sorted(
            {c for counts in table["counts"].values() for c in counts},
            key=lambda c: (
                list(column_labels).index(c) if c in column_labels else len(column_labels)
            ),
        )
        crosstab_view = {
            "row_title": title_of(table["row"]),
            "column_title": title_of(table["column"]),
            "unit": table["unit"],
            "units": table["units"],
            "columns": [(c, column_labels.get(c, c)) for c in columns],
            "rows": [
                {
                    "label": row_labels.get(r, r),
                    "cells": [counts.get(c, 0) for c in columns],
                    "total": sum(counts.values()),
                }
                for r, counts in table["counts"].items()
            ],
        }

    context = {
        "questionnaire": questionnaire,
        "campaign": campaign,
        "document": document,
        "selected_filters": selected_filters,
        "row_question": row_question,
        "column_question": column_question,
        "crosstab": crosstab_view,
        "error": error,
        "heading": 2,
        **figures,
    }
    return render(request, "surveys/analysis/analysis.html", context, status=400 if error else 200)


urlpatterns = [
    path("<slug:form_id>/analysis/", analysis_view, name="analysis"),
]
