"""Demo data of Réciprocité: four real cooperations and invented ones, with demo accounts.

``load_demo(progress=None)`` writes it (idempotently) and returns counts; ``demo_accounts()``
lists the accounts a visitor can sign in with, all with the password ``DEMO_PASSWORD``.
See README.md in this folder. Not for a production database.
"""

from __future__ import annotations

from collections.abc import Callable

from .content import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "demo_accounts", "load_demo"]


def load_demo(*, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Load the demo (see loader.load_demo); imported lazily so this package imports early."""
    from .loader import load_demo as _load_demo

    counts = _load_demo(progress=progress)
    # the study's two questionnaires (perception, cooperations) are loaded with the study's
    # campaigns (study.py); their count comes last, where `reciprocite demo` always printed it
    counts["survey_forms"] = counts.pop("survey_forms")
    return counts


def demo_accounts() -> list[dict[str, str]]:
    """The demo accounts: username, role (admin, analyst, member_editor, partner_editor) and
    organisation name, in the order to print them."""
    from .content import USERS

    return [
        {
            "username": user.username,
            "role": "admin" if user.is_superuser else (user.role or ""),
            "organisation": user.organisation or "",
        }
        for user in USERS
    ]
