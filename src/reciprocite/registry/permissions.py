"""Who may do what in the registry. Views, the API and tests use only these predicates.

| action                                   | admin | analyst | member editor of a party | partner editor of a party | others |
|------------------------------------------|-------|---------|--------------------------|---------------------------|--------|
| view a published partnership/project     | yes   | yes     | yes                      | yes                       | yes    |
| view an unpublished one                  | yes   | yes     | yes                      | yes                       | no     |
| create a partnership                     | yes   | yes     | yes (its own territory)  | no                        | no     |
| edit a partnership, its programmes       | yes   | yes     | yes                      | no                        | no     |
| delete / restore a partnership           | yes   | no      | yes                      | no                        | no     |
| create / edit projects, actors' roles    | yes   | yes     | yes                      | yes                       | no     |
| delete a project                         | yes   | no      | yes                      | no                        | no     |
| see the history of changes               | yes   | yes     | yes                      | yes                       | no     |

"A party" is a territory of the partnership (either side) that the editor's organisation is
the authority of.
"""

from __future__ import annotations

from reciprocite.accounts.permissions import principal_of


def _party_ids(partnership) -> set[int]:
    cached = getattr(partnership, "_party_territory_ids", None)
    if cached is None:
        cached = {party.territory_id for party in partnership.parties.all()}
        partnership._party_territory_ids = cached
    return cached


def _is_member_editor_of(p, partnership) -> bool:
    return bool(p.member_territory_ids & _party_ids(partnership))


def _is_editor_of(p, partnership) -> bool:
    return bool(p.editor_territory_ids & _party_ids(partnership))


def can_view_partnership(subject, partnership) -> bool:
    if partnership.is_published and not partnership.is_deleted:
        return True
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or _is_editor_of(p, partnership)


def can_create_partnership(subject) -> bool:
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or bool(p.member_territory_ids)


def can_edit_partnership(subject, partnership) -> bool:
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or _is_member_editor_of(p, partnership)


def can_delete_partnership(subject, partnership) -> bool:
    p = principal_of(subject)
    return p.is_admin or _is_member_editor_of(p, partnership)


def can_edit_programme(subject, programme) -> bool:
    return can_edit_partnership(subject, programme.partnership)


def can_view_project(subject, project) -> bool:
    return not project.is_deleted and can_view_partnership(subject, project.partnership)


def can_create_project(subject, partnership) -> bool:
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or _is_editor_of(p, partnership)


def can_edit_project(subject, project) -> bool:
    return can_create_project(subject, project.partnership)


def can_delete_project(subject, project) -> bool:
    return can_delete_partnership(subject, project.partnership)


def can_view_history(subject, partnership) -> bool:
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or _is_editor_of(p, partnership)


def can_see_unpublished(subject) -> bool:
    """Whether lists may include unpublished records (only the viewer's own, for editors)."""
    return principal_of(subject).is_authenticated
