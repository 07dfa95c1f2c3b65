"""No N+1: the number of queries of each endpoint does not grow with the rows it shows."""

from datetime import date

import pytest

from reciprocite.registry import services as registry
from reciprocite.territories.services import territory_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    """30 more published partnerships, each with two parties and two projects."""
    for i in range(30):
        french = territory_create(name=f"Commune {i}", kind="commune", country="FR")
        partner = territory_create(name=f"Municipality {i}", kind="municipality", country="MA")
        partnership = registry.partnership_create(
            title=f"Partnership {i:02d}",
            kind="twinning",
            start_date=date(2000 + i % 20, 1, 1),
            french_territories=[french],
            partner_territories=[partner],
        )
        for j in range(2):
            registry.project_create(
                partnership=partnership,
                title=f"Project {i:02d}-{j}",
                themes=["sante", "jeunesse"],
                publics=["jeunes"],
                budget_amount=1000 * (i + 1),
            )


# Lists read the registry's version stamp (one cheap query) for the cached count and again
# for the cached page ids: see registry.selectors._ListQuerySet.
@pytest.mark.parametrize(
    ("path", "params", "budget", "results"),
    [
        ("/partnerships", {}, 5, 31),
        ("/partnerships", {"facets": "1"}, 10, 31),
        ("/projects", {}, 5, 62),
        ("/projects", {"facets": "1"}, 9, 62),
        ("/territories", {}, 3, 64),
    ],
)
def test_lists_query_a_fixed_number_of_times(
    api, many, django_assert_max_num_queries, path, params, budget, results
):
    with django_assert_max_num_queries(budget):
        response = api.get(path, page_size=100, **params)
    assert response.status_code == 200
    assert len(response.json()["results"]) == results


def test_lists_with_a_token_add_only_the_token_look_up(
    api, many, tokens, django_assert_max_num_queries
):
    # authentication: the token (with its membership, organisation and user) and at most one
    # update of its last use, in a savepoint (savepoint and release count as queries)
    with django_assert_max_num_queries(5 + 4):
        response = api.get("/partnerships", page_size=100, token=tokens.analyst)
    assert len(response.json()["results"]) == 32


def test_details_query_a_fixed_number_of_times(api, world, many, django_assert_max_num_queries):
    ht = world.herouville_tikhvine
    for i in range(10):
        registry.project_create(partnership=ht, title=f"Extra {i}", themes=["sante"])
    with django_assert_max_num_queries(14):
        response = api.get(f"/partnerships/{ht.pk}")
    assert len(response.json()["projects"]) == 12
    with django_assert_max_num_queries(10):
        assert api.get(f"/projects/{world.employment_office.pk}").status_code == 200
