"""The social-action taxonomy of the study (QUESTIONNAIRES.md), mapped to DAC 5 sector codes.

The codes are a contract shared with the questionnaires: never rename one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# code → (label, DAC 5 purpose code from IATI's Sector codelist)
THEMES: dict[str, tuple[StrOrPromise, str]] = {
    "acces_droits": (_("Access to rights"), "16010"),
    "politique_familiale": (_("Family policy"), "16011"),
    "protection_enfance": (_("Child protection"), "16015"),
    "petite_enfance": (_("Early childhood"), "11240"),
    "handicap": (_("Disability"), "15160"),
    "personnes_agees": (_("Older people"), "16010"),
    "jeunesse": (_("Youth"), "11231"),
    "droits_femmes": (_("Women's rights"), "15170"),
    "insertion_emploi": (_("Employment and inclusion"), "16020"),
    "sante": (_("Health"), "12220"),
    "logement": (_("Housing"), "16030"),
    "renforcement_capacites": (_("Capacity building"), "15112"),
    "autre": (_("Other"), "16050"),
}

TARGET_PUBLICS: dict[str, StrOrPromise] = {
    "enfants": _("Children"),
    "jeunes": _("Young people"),
    "femmes": _("Women"),
    "familles": _("Families"),
    "personnes_agees": _("Older people"),
    "personnes_handicapees": _("People with disabilities"),
    "demandeurs_emploi": _("Jobseekers"),
    "migrants": _("Migrants and diasporas"),
    "professionnels": _("Social workers and professionals"),
    "associations": _("Associations and civil society"),
    "elus_agents": _("Elected officials and staff"),
    "population": _("General population"),
}


def theme_label(code: str) -> str:
    return str(THEMES[code][0]) if code in THEMES else code


def public_label(code: str) -> str:
    return str(TARGET_PUBLICS.get(code, code))


# Budget bands, in euros (the network's reporting currency): key → (label, min, max-exclusive)
BUDGET_BANDS: dict[str, tuple[StrOrPromise, int | None, int | None]] = {
    "lt10k": (_("Under €10,000"), None, 10_000),
    "10k-50k": (_("€10,000 – €50,000"), 10_000, 50_000),
    "50k-200k": (_("€50,000 – €200,000"), 50_000, 200_000),
    "200k-1m": (_("€200,000 – €1 million"), 200_000, 1_000_000),
    "gte1m": (_("€1 million and more"), 1_000_000, None),
}
