"""/token: a script checks which membership its token acts for."""

import pytest

pytestmark = pytest.mark.django_db


def test_token_tells_who_it_acts_for(api, world, tokens):
    response = api.get("/token", token=tokens.tikhvine_editor)
    assert response.status_code == 200
    organisation = world.tikhvine_editor.memberships.get().organisation
    assert response.json() == {
        "user": "tikhvine_editor",
        "organisation": {
            "id": organisation.pk,
            "name": "Ville de Tikhvine",
            "kind": "partner",
            "territory_id": world.tikhvine.pk,
        },
        "role": "partner_editor",
        "is_admin": False,
    }
    assert api.get("/token", token=tokens.admin).json()["is_admin"] is True


def test_token_records_its_last_use(api, world, tokens):
    membership = world.analyst.memberships.get()
    token = membership.tokens.get()
    assert token.last_used_at is None
    assert api.get("/token", token=tokens.analyst).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("secret", [None, "revoked", "rcp_unknown"])
def test_token_without_a_valid_token_is_401(api, world, tokens, secret):
    value = getattr(tokens, secret) if secret == "revoked" else secret
    response = api.get("/token", token=value)
    assert response.status_code == 401
    assert response.json()["detail"] in {
        "Authentication required: send the header 'Authorization: Bearer <token>'.",
        "This token is unknown or has been revoked.",
    }


def test_a_token_of_a_deactivated_user_is_401(api, world, tokens):
    world.herouville_editor.is_active = False
    world.herouville_editor.save()
    ht = world.herouville_tikhvine
    response = api.patch(f"/partnerships/{ht.pk}", {"title": "X"}, token=tokens.herouville_editor)
    assert response.status_code == 401
