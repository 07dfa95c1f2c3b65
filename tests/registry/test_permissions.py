"""The role × object × action matrix of registry permissions, denials included."""

import pytest

from reciprocite.accounts import services as accounts
from reciprocite.accounts.permissions import ANONYMOUS, principal_of
from reciprocite.registry import permissions as perms
from reciprocite.registry import services
from reciprocite.territories import permissions as territory_perms

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "admin",
    "analyst",
    "herouville_editor",
    "tikhvine_editor",
    "lille_editor",
]

# Expected answers for the published Hérouville ↔ Tikhvine partnership ("ht") and the
# unpublished Lille ↔ Saint-Louis one ("lsl"). Herouville's editor is a member editor of a
# party of ht; Tikhvine's is a partner editor of a party of ht; Lille's is a member editor of
# a party of lsl.
EXPECTED = {
    ("view", "ht"): {
        "anonymous",
        "outsider",
        "admin",
        "analyst",
        "herouville_editor",
        "tikhvine_editor",
        "lille_editor",
    },
    ("view", "lsl"): {"admin", "analyst", "lille_editor"},
    ("edit", "ht"): {"admin", "analyst", "herouville_editor"},
    ("edit", "lsl"): {"admin", "analyst", "lille_editor"},
    ("delete", "ht"): {"admin", "herouville_editor"},
    ("delete", "lsl"): {"admin", "lille_editor"},
    ("create_project", "ht"): {"admin", "analyst", "herouville_editor", "tikhvine_editor"},
    ("create_project", "lsl"): {"admin", "analyst", "lille_editor"},
    ("edit_project", "ht"): {"admin", "analyst", "herouville_editor", "tikhvine_editor"},
    ("edit_project", "lsl"): {"admin", "analyst", "lille_editor"},
    ("delete_project", "ht"): {"admin", "herouville_editor"},
    ("delete_project", "lsl"): {"admin", "lille_editor"},
    ("history", "ht"): {"admin", "analyst", "herouville_editor", "tikhvine_editor"},
    ("history", "lsl"): {"admin", "analyst", "lille_editor"},
    ("edit_territory", "ht"): {"admin", "analyst", "herouville_editor"},  # Hérouville
    ("edit_territory", "lsl"): {"admin", "analyst", "lille_editor"},  # Lille
}


def _subject(world, role):
    return None if role == "anonymous" else getattr(world, role)


def _answer(world, action, which, subject):
    partnership = world.herouville_tikhvine if which == "ht" else world.lille_saint_louis
    project = world.employment_office if which == "ht" else world.ccas
    territory = world.herouville if which == "ht" else world.lille
    return {
        "view": lambda: perms.can_view_partnership(subject, partnership),
        "edit": lambda: perms.can_edit_partnership(subject, partnership),
        "delete": lambda: perms.can_delete_partnership(subject, partnership),
        "create_project": lambda: perms.can_create_project(subject, partnership),
        "edit_project": lambda: perms.can_edit_project(subject, project),
        "delete_project": lambda: perms.can_delete_project(subject, project),
        "history": lambda: perms.can_view_history(subject, partnership),
        "edit_territory": lambda: territory_perms.can_edit_territory(subject, territory),
    }[action]()


@pytest.mark.parametrize(("action", "which"), sorted(EXPECTED))
def test_matrix(world, action, which):
    allowed = {role for role in ROLES if _answer(world, action, which, _subject(world, role))}
    assert allowed == EXPECTED[(action, which)]


def test_programme_edit_follows_partnership(world):
    programme = services.programme_create(
        partnership=world.lille_saint_louis,
        title="Programme 2010-2012",
        start_year=2010,
        end_year=2012,
    )
    allowed = {r for r in ROLES if perms.can_edit_programme(_subject(world, r), programme)}
    assert allowed == {"admin", "analyst", "lille_editor"}


def test_create_partnership(world):
    allowed = {r for r in ROLES if perms.can_create_partnership(_subject(world, r))}
    assert allowed == {"admin", "analyst", "herouville_editor", "lille_editor"}


def test_creating_territories_needs_a_role(world):
    allowed = {r for r in ROLES if territory_perms.can_create_territory(_subject(world, r))}
    assert allowed == {"admin", "analyst", "herouville_editor", "tikhvine_editor", "lille_editor"}


def test_deleted_partnership_is_invisible_to_the_public(world):
    services.partnership_delete(
        actor=world.herouville_editor, partnership=world.herouville_tikhvine
    )
    assert not perms.can_view_partnership(None, world.herouville_tikhvine)
    assert perms.can_view_partnership(world.herouville_editor, world.herouville_tikhvine)


def test_inactive_user_has_no_rights(world):
    world.herouville_editor.is_active = False
    world.herouville_editor.save()
    assert principal_of(world.herouville_editor) == ANONYMOUS
    assert not perms.can_edit_partnership(world.herouville_editor, world.herouville_tikhvine)


def test_a_token_acts_with_its_own_membership_only(world):
    """A user editing for two organisations gets, through a token, the rights of one."""
    from reciprocite.accounts.models import Membership, Role

    user = world.herouville_editor
    lille_org = Membership.objects.get(user=world.lille_editor).organisation
    accounts.membership_add(user=user, organisation=lille_org, role=Role.MEMBER_EDITOR)
    user._reciprocite_principal = None  # drop the cached principal
    assert perms.can_edit_partnership(user, world.lille_saint_louis)

    herouville_membership = Membership.objects.get(
        user=user, organisation__territory=world.herouville
    )
    _token, secret = accounts.api_token_create(membership=herouville_membership, name="script")
    membership = accounts.api_token_authenticate(secret)
    assert membership == herouville_membership
    assert perms.can_edit_partnership(membership, world.herouville_tikhvine)
    assert not perms.can_edit_partnership(membership, world.lille_saint_louis)


def test_tokens_revoked_or_forged_authenticate_nobody(world):
    from reciprocite.accounts.models import Membership

    membership = Membership.objects.get(user=world.analyst)
    token, secret = accounts.api_token_create(membership=membership, name="ci")
    assert accounts.api_token_authenticate(secret) == membership
    assert accounts.api_token_authenticate(secret + "x") is None
    assert accounts.api_token_authenticate("rcp_" + "A" * 43) is None
    assert accounts.api_token_authenticate("") is None
    assert accounts.api_token_authenticate("x" * 10_000) is None
    accounts.api_token_revoke(token=token)
    assert accounts.api_token_authenticate(secret) is None
    token.refresh_from_db()
    assert token.digest != secret and secret not in token.digest  # only a digest is stored
