"""Who may do what in the knowledge base. Views, the API, the CLI and tests use only these.

| action                                              | admin / staff | analyst | author | signed in | visitor |
|-----------------------------------------------------|---------------|---------|--------|-----------|---------|
| view a published sheet or tool, download its files  | yes           | yes     | yes    | yes       | yes     |
| view a draft / in-review / archived sheet           | yes           | yes     | yes    | no        | no      |
| propose a sheet (draft)                             | yes           | yes     | yes    | yes       | no      |
| edit a draft, submit it for review                  | yes           | yes     | yes    | no        | no      |
| edit a sheet in review, published or archived       | yes           | yes     | no     | no        | no      |
| publish, archive, send back to draft, last verified | yes           | yes     | no     | no        | no      |
| see the review queue                                | yes           | yes     | no     | no        | no      |
| see the versions and their diff                     | yes           | yes     | yes    | no        | no      |
| add / remove attachments                            | as editing the sheet                                          |
| manage the toolbox, import sheets                   | yes           | yes     | no     | no        | no      |

"Author" is the user who proposed the sheet. Staff means ``is_staff`` on a user account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reciprocite.accounts.permissions import Subject, principal_of

from .taxonomy import Status

if TYPE_CHECKING:
    from .models import Sheet, Tool


def _is_staff(subject: Subject) -> bool:
    return bool(
        getattr(subject, "is_staff", False)
        and getattr(subject, "is_active", False)
        and getattr(subject, "is_authenticated", False)
    )


def is_editor(subject: Subject) -> bool:
    """An analyst, an administrator or a staff member: the editorial team."""
    p = principal_of(subject)
    return p.is_admin or p.is_analyst or _is_staff(subject)


def _is_author(subject: Subject, sheet: Sheet) -> bool:
    p = principal_of(subject)
    return p.user_id is not None and sheet.proposed_by_id == p.user_id


def can_view_sheet(subject: Subject, sheet: Sheet) -> bool:
    if sheet.status == Status.PUBLISHED:
        return True
    return is_editor(subject) or _is_author(subject, sheet)


def can_propose_sheet(subject: Subject) -> bool:
    return principal_of(subject).is_authenticated


def can_edit_sheet(subject: Subject, sheet: Sheet) -> bool:
    if is_editor(subject):
        return True
    return sheet.status == Status.DRAFT and _is_author(subject, sheet)


def can_submit_sheet(subject: Subject, sheet: Sheet) -> bool:
    return sheet.status == Status.DRAFT and can_edit_sheet(subject, sheet)


def can_review(subject: Subject) -> bool:
    """Publish, archive, send back to draft, set the last-verified date; see the queue."""
    return is_editor(subject)


def can_view_history(subject: Subject, sheet: Sheet) -> bool:
    return is_editor(subject) or _is_author(subject, sheet)


def can_view_tool(subject: Subject, tool: Tool) -> bool:
    return tool.status == Status.PUBLISHED or is_editor(subject)


def can_manage_tools(subject: Subject) -> bool:
    return is_editor(subject)


def can_import(subject: Subject) -> bool:
    return is_editor(subject)
