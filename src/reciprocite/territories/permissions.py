"""Who may do what with territories."""

from __future__ import annotations

from reciprocite.accounts.permissions import principal_of


def can_view_territory(subject, territory) -> bool:
    return True  # territories are public reference data


def can_create_territory(subject) -> bool:
    return principal_of(subject).can_edit_something


def can_edit_territory(subject, territory) -> bool:
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or territory.pk in p.editor_territory_ids


def can_delete_territory(subject, territory) -> bool:
    return principal_of(subject).is_admin
