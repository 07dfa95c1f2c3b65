"""The chapter "Method and sources": the two stages of the study, the answers counted, zones,
registry, maps, campaign."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .formatting import long_date, number
from .parts import Section
from .surveys import SurveyPart

if TYPE_CHECKING:
    from reciprocite.surveys.models import Campaign

    from ..selectors import Panorama


def method_section(
    data: Panorama,
    perception: SurveyPart,
    cooperations: SurveyPart,
    campaign: Campaign | None,
    language: str,
    today: dt.date,
) -> Section:
    section = Section("method", _("Method and sources"))
    section.intro.append(
        _(
            "The study has two stages. A first, short questionnaire (“perception”) goes to all "
            "the members of the network: does the authority cooperate, is social action a "
            "relevant field for it, through which entry points, does it recognise itself in "
            "the term. A second questionnaire (“cooperations”) goes to the members that "
            "cooperate in the social field and describes each cooperation: partner country, "
            "start year, themes, budget, funding, services and partners mobilised, added "
            "value, difficulties."
        )
    )
    section.intro.append(
        _(
            "The questionnaires are collected on the platform (web forms sent by e-mail "
            "invitation) or imported from KoboToolbox exports; the figures count every answer "
            "stored, a cooperation being counted once per entry of the second questionnaire."
        )
    )
    responses = []
    for part, name in ((perception, "perception"), (cooperations, "cooperations")):
        if part.document is None:
            continue
        text = _("Questionnaire “%(form)s”: %(n)s answers") % {
            "form": name,
            "n": number(part.document["submissions"], language),
        }
        entries = part.document["repeats"].get("cooperation")
        if entries:
            text += _(", describing %(m)s cooperations") % {"m": number(entries, language)}
        if part.campaign is not None:
            text += _(" (campaign “%(title)s”)") % {"title": part.campaign.title}
        responses.append(text + ".")
    if responses:
        section.facts.append((_("Responses"), " ".join(responses)))
    section.facts.append(
        (
            _("Zones"),
            _(
                "Partner countries are grouped by the regions of the United Nations (M49 "
                "standard); Algeria, Libya, Morocco, Mauritania and Tunisia form the Maghreb. A "
                "cooperation naming two countries of one zone counts once for that zone."
            ),
        )
    )
    section.facts.append(
        (
            _("Registry"),
            _(
                "The partnerships, projects and replications published in the Réciprocité "
                "registry on %(date)s, entered by the member authorities and their partners; "
                "records marked “fictitious” are invented for illustration."
            )
            % {"date": long_date(today, language)},
        )
    )
    section.facts.append(
        (
            _("Maps"),
            _(
                "Country shapes from Natural Earth (public domain), drawn without any map "
                "server; borders do not imply any position on the status of a territory."
            ),
        )
    )
    if campaign is not None:
        section.facts.append(
            (
                _("Campaign"),
                _("%(title)s (id %(id)s)") % {"title": campaign.title, "id": campaign.pk},
            )
        )
    return section
