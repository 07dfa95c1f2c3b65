"""Shape checks for the official codes of French local authorities."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INSEE_COMMUNE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
INSEE_DEPARTEMENT = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8])$")
REGION = re.compile(r"^\d{2}$")
SIREN = re.compile(r"^\d{9}$")


def siren_is_valid(code: str) -> bool:
    """SIREN numbers carry a Luhn check digit (La Poste's 356000000 is the known exception)."""
    if not SIREN.match(code):
        return False
    if code == "356000000":
        return True
    total = 0
    for i, ch in enumerate(reversed(code)):
        digit = int(ch)
        if i % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_french_official_code(code: str, kind: str) -> None:
    """Raise ValidationError unless ``code`` has the shape of a code for that kind.

    A SIREN is accepted for any kind; an INSEE code for communes and départements; a
    two-digit code for régions.
    """
    if SIREN.match(code):
        if not siren_is_valid(code):
            raise ValidationError(
                _("%(code)s is not a valid SIREN number (check digit)."),
                code="siren",
                params={"code": code},
            )
        return
    patterns = {
        "commune": (INSEE_COMMUNE, _("an INSEE commune code of 5 characters (e.g. 14327, 2A004)")),
        "departement": (INSEE_DEPARTEMENT, _("an INSEE département code (e.g. 44, 2A, 974)")),
        "region": (REGION, _("a two-digit région code (e.g. 52)")),
    }
    if kind in patterns:
        pattern, expected = patterns[kind]
        if pattern.match(code):
            return
        raise ValidationError(
            _("%(code)s is not %(expected)s nor a SIREN number (9 digits)."),
            code="official_code",
            params={"code": code, "expected": expected},
        )
    raise ValidationError(
        _("%(code)s is not a SIREN number (9 digits)."),
        code="official_code",
        params={"code": code},
    )
