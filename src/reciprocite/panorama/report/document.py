"""The whole document: the steps of the work (for the progress bar), and everything the
template shows (``report_context``), chapter after chapter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .dashboard import charts_section, key_figure_labels, maps_section, survey_key_figures
from .formatting import css_string, long_date, number, page_of_pages_css
from .method import method_section
from .parts import Section
from .sheets import highlighted_sheets
from .surveys import COOPERATIONS, PERCEPTION, survey_section

if TYPE_CHECKING:
    from reciprocite.surveys.models import Campaign

# Steps of the work, in order: what the progress bar and the job page show.
STEPS = ("figures", "maps", "charts", "surveys", "sheets", "pdf")

NETWORK = "Réciprocité"
TEMPLATE = "panorama/report/report.html"
CSS_FILE = Path(__file__).resolve().parents[2] / "templates" / "panorama" / "report" / "report.css"


Progress = Callable[[int, int, str], None]


def step_labels() -> dict[str, str]:
    return {
        "figures": _("Key figures"),
        "maps": _("Maps"),
        "charts": _("Charts"),
        "surveys": _("Surveys"),
        "sheets": _("Experience sheets"),
        "pdf": _("Laying out the PDF"),
    }


def report_context(
    *,
    language: str = "fr",
    campaign: Campaign | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the template shows, in the active language (call inside override)."""
    from ..selectors import PanoramaFilters, panorama

    total = len(STEPS)
    labels = step_labels()

    def step(i: int) -> None:
        if progress is not None:
            progress(i, total, labels[STEPS[i]] if i < total else _("Done"))

    today = today or timezone.localdate()
    step(0)
    # The dashboard's survey is the cooperations questionnaire: a campaign of the other
    # questionnaire only narrows that questionnaire's chapter.
    survey_campaign = campaign
    if campaign is not None and campaign.questionnaire.form_id != COOPERATIONS:
        survey_campaign = None
    data = panorama(PanoramaFilters(), campaign=survey_campaign)
    sections: list[Section] = []
    key = Section("key-figures", _("Key figures"))
    key.intro = list(data.sentences)
    key.facts = [
        (label_text, number(data.key_figures[name], language))
        for name, label_text in key_figure_labels().items()
        if name in data.key_figures
    ]
    key.survey_facts = survey_key_figures(data.survey, language)
    sections.append(key)
    step(1)
    maps = maps_section(data, language)
    if maps.figures:
        sections.append(maps)
    step(2)
    charts = charts_section(data, language)
    if charts.figures:
        sections.append(charts)
    step(3)
    perception = survey_section(PERCEPTION, language, campaign)
    cooperations = survey_section(COOPERATIONS, language, campaign)
    sections += [perception.section, cooperations.section]
    step(4)
    sheets = highlighted_sheets(language)
    method = method_section(data, perception, cooperations, campaign, language, today)
    step(5)
    title = _("Panorama of decentralised cooperation in the social field")
    toc = [(s.id, s.title) for s in sections]
    if sheets:
        toc.append(("sheets", _("Highlighted experiences")))
    toc.append((method.id, method.title))
    return {
        "language": language,
        "title": title,
        "network": NETWORK,
        "subtitle": _(
            "Local governments cooperating across borders on social action: where, who, how, "
            "and what they learn from each other"
        ),
        "date_text": long_date(today, language),
        "created_iso": today.isoformat(),
        "date_css": css_string(long_date(today, language)),
        "keywords": ", ".join(
            (_("decentralised cooperation"), _("social action"), _("local governments"))
        ),
        "year": today.year,
        "campaign": campaign,
        "sections": sections,
        "sheets": sheets,
        "method": method,
        "toc": toc,
        "css": CSS_FILE.read_text(encoding="utf-8"),
        "page_of_pages": page_of_pages_css(),
        "running_title": css_string(f"{NETWORK} — {_('Panorama')}"),
    }
