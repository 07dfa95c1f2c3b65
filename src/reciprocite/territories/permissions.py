"""Who may do what with territories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reciprocite.accounts.permissions import Subject, principal_of

if TYPE_CHECKING:
    from .models import Territory


def can_view_territory(subject: Subject, territory: Territory) -> bool:
    return True  # territories are public reference data


def can_create_territory(subject: Subject) -> bool:
    return principal_of(subject).can_edit_something


def can_edit_territory(subject: Subject, territory: Territory) -> bool:
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or territory.pk in p.editor_territory_ids


def can_delete_territory(subject: Subject, territory: Territory) -> bool:
    return principal_of(subject).is_admin
