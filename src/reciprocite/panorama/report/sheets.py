"""The highlighted experience sheets, each in the report's language when a published
translation exists (``knowledge.selectors``), with its HTML cleaned for print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from reciprocite.knowledge.sanitize import print_html
from reciprocite.territories.geography import country_name

if TYPE_CHECKING:
    from reciprocite.knowledge.models import Sheet


def highlighted_sheets(language: str) -> list[dict[str, Any]]:
    """Published highlights, each in the report's language when a published translation
    exists, else in its own language (``knowledge.selectors``)."""
    from reciprocite.knowledge.selectors import highlighted_sheets_in

    return [
        _sheet_view(sheet, original, language)
        for sheet, original in highlighted_sheets_in(language)
    ]


def _sheet_view(sheet: Sheet, original: Sheet, language: str) -> dict[str, Any]:
    from reciprocite.knowledge.taxonomy import Stage

    themes = [t.label if hasattr(t, "label") else str(t) for t in sheet.themes.all()] or [
        t.label if hasattr(t, "label") else str(t) for t in original.themes.all()
    ]
    parties = " – ".join(p for p in (sheet.french_authority, sheet.partner_authority) if p)
    facts = []
    if parties:
        facts.append((_("Authorities"), parties))
    country = sheet.country or original.country
    if country:
        facts.append((_("Partner country"), country_name(country, language)))
    year = sheet.year_start or original.year_start
    if year:
        facts.append((_("Since"), str(year)))
    stage = sheet.stage or original.stage
    if stage:
        facts.append((_("Stage"), str(Stage(stage).label)))
    if themes:
        facts.append((_("Themes"), ", ".join(themes)))
    blocks = []
    for name, title in (
        ("summary", _("Summary")),
        ("results", _("Results")),
        ("reciprocity", _("Reciprocity: what the French side learned or changed at home")),
    ):
        text = print_html(getattr(sheet, name, ""))
        if text.strip():
            blocks.append((title, text))
    return {
        "id": f"sheet-{sheet.pk}",
        "title": sheet.title,
        "language": sheet.language,
        "facts": facts,
        "blocks": blocks,
        "fictitious": sheet.is_fictitious,
    }
