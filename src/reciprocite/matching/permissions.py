"""Who may do what in matching. Views, the API, the CLI and tests use only these.

| action                                         | admin | analyst | member editor of its authority | partner editor of its authority | visitor |
|------------------------------------------------|-------|---------|--------------------------------|---------------------------------|---------|
| view a published record and its matches        | yes   | yes     | yes                            | yes                             | yes     |
| view an unpublished record                     | yes   | yes     | its own                        | its own                         | no      |
| edit an offer (expertise) or learning interest | yes   | yes     | its own                        | no                              | no      |
| edit a need or an innovation                   | yes   | yes     | no                             | its own                         | no      |
| publish / withdraw (moderate)                  | yes   | yes     | no                             | no                              | no      |
| import records (CLI)                           | yes   | yes     | no                             | no                              | no      |

"Its own": the record's authority is the territory of an organisation the user edits for.
"""

from __future__ import annotations

from typing import Any

from reciprocite.accounts.permissions import principal_of

MEMBER_KINDS = frozenset({"expertise", "interest"})
PARTNER_KINDS = frozenset({"need", "innovation"})


def can_moderate(subject: Any) -> bool:
    p = principal_of(subject)
    return p.is_admin or p.is_analyst


def can_edit(subject: Any, record: Any) -> bool:
    p = principal_of(subject)
    if p.is_admin or p.is_analyst:
        return True
    kind = str(record.kind)
    if kind in MEMBER_KINDS:
        return record.authority_id in p.member_territory_ids
    if kind in PARTNER_KINDS:
        return record.authority_id in p.partner_territory_ids
    return False


def can_view(subject: Any, record: Any) -> bool:
    if record.published and record.deleted_at is None:
        return True
    return can_edit(subject, record)


def can_import(subject: Any) -> bool:
    return can_moderate(subject)
