import pytest

from reciprocite.core.filters import FilterError
from reciprocite.knowledge import search
from reciprocite.knowledge.models import Sheet

pytestmark = pytest.mark.django_db


def make(ref, title, status="published", **kw):
    sheet = Sheet.objects.create(ref=ref, title=title, status=status, **kw)
    search.index_sheet(sheet)
    return sheet


def test_smoke():
    a = make(
        "a",
        "Personnes âgées à Dakar",
        summary="Les personnes âgées, les aînés et les <b>seniors</b>",
        country="SN",
    )
    make("b", "Handicap au Maroc", summary="Enfants handicapés", country="MA")
    make("c", "Brouillon âgées", status="draft")
    res = search.search("personne agee")
    assert [h.ref for h in res.hits] == ["a"]
    assert "<mark>" in res.hits[0].snippet
    res = search.search("elderly")
    assert [h.ref for h in res.hits] == ["a"]
    res = search.search("")
    assert res.total == 2
    assert search.search("enfance handicapee").hits[0].ref == "b"
    with pytest.raises(FilterError):
        search.search("x", filters={"nope": ["1"]})
    for q in ['"', "*", "NEAR", ":", "(", "-", "^", "a' OR 1=1 --", "x" * 5000]:
        search.search(q)
    assert [h.ref for h in search.similar(a)] == ["b"] or search.similar(a) == []
    assert search.rebuild() == 3
