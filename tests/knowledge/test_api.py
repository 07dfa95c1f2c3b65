"""API of the knowledge base: search, one sheet, the toolbox; errors as the registry's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reciprocite.accounts import services as accounts
from reciprocite.knowledge import services
from reciprocite.knowledge.models import Tool
from reciprocite.knowledge.taxonomy import Status

from .conftest import PDF, XLSX

pytestmark = pytest.mark.django_db

BASE = "/api/v1/knowledge"


@pytest.fixture
def tools(world, media):
    published = services.tool_create(
        actor=world.analyst,
        ref="outil-convention",
        title="Modèle de convention de coopération",
        kind="convention",
        stages=["s_engager", "concevoir"],
        difficulties=["changement_politique"],
        status=Status.PUBLISHED,
    )
    services.tool_file_add(tool=published, title="Modèle de convention", filename="m.pdf", data=PDF)
    services.tool_create(
        actor=world.analyst,
        ref="outil-brouillon",
        title="Grille en préparation",
        kind="needs_grid",
        stages=["concevoir"],
    )
    return published


def test_search_answers_results_with_snippets_and_facets(client, sheets):
    response = client.get(f"{BASE}/search", {"q": "emploi", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert [r["ref"] for r in body["results"]] == ["exp-emploi"]
    hit = body["results"][0]
    assert set(hit) == {"ref", "title", "language", "score", "snippet", "url"}
    assert hit["title"] == "Le bureau de l'emploi de Tikhvine"
    assert "<mark>" in hit["snippet"]
    assert hit["url"] == "http://testserver/knowledge/sheets/exp-emploi/"
    assert body["total"] == 1
    assert set(body["facets"]) == {"theme", "country", "zone", "stage", "language"}
    assert {"code": "RU", "count": 1} in [
        {"code": f["code"], "count": f["count"]} for f in body["facets"]["country"]
    ]


def test_search_never_returns_drafts(client, sheets):
    body = client.get(f"{BASE}/search", {"q": "brouillon"}).json()
    assert body["results"] == []


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"q": "x", "colour": "red"}, "colour"),
        ({"q": "x", "limit": "0"}, "limit"),
        ({"q": "x", "limit": "abc"}, "limit"),
        ({"q": "x", "theme": "nope"}, "theme"),
        ({"q": "x", "country": "ZZ"}, "country"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, sheets, params, param):
    response = client.get(f"{BASE}/search", params)
    assert response.status_code == 400
    assert response.json()["param"] == param


@pytest.mark.parametrize("query", ['"', "a*", "NEAR(x y)", "x:y", "1 OR 1=1; --", "é" * 5000, ""])
def test_odd_queries_get_an_answer(client, sheets, query):
    response = client.get(f"{BASE}/search", {"q": query})
    assert response.status_code == 200


def test_one_sheet_by_ref(client, sheets, world):
    response = client.get(f"{BASE}/sheets/exp-emploi")
    assert response.status_code == 200
    body = response.json()
    assert body["ref"] == "exp-emploi"
    assert body["themes"] == ["insertion_emploi"]
    assert body["partnership"] == world.herouville_tikhvine.pk
    assert body["projects"] == [world.employment_office.pk]
    assert (
        body["sections"]["method"] == "<p>Des échanges d'agents entre Hérouville et Tikhvine.</p>"
    )
    assert body["status"] == "published"


def test_drafts_are_404_except_to_an_analysts_token(client, sheets, world):
    assert client.get(f"{BASE}/sheets/exp-brouillon").status_code == 404
    membership = world.analyst.memberships.get()
    _token, secret = accounts.api_token_create(membership=membership, name="script")
    response = client.get(
        f"{BASE}/sheets/exp-brouillon", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    editor = world.herouville_editor.memberships.get()
    _token, secret = accounts.api_token_create(membership=editor, name="script")
    response = client.get(
        f"{BASE}/sheets/exp-brouillon", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 404


def test_tools_lists_published_tools_with_their_files(client, tools):
    body = client.get(f"{BASE}/tools").json()
    assert [t["ref"] for t in body] == ["outil-convention"]
    assert body[0]["stages"] == ["s_engager", "concevoir"]
    (file,) = body[0]["files"]
    assert file["file_type"] == "pdf"
    assert file["url"].startswith("http://testserver/knowledge/tool-files/")
    assert client.get(f"{BASE}/tools", {"stage": "evaluer"}).json() == []
    assert [t["ref"] for t in client.get(f"{BASE}/tools", {"stage": "concevoir"}).json()] == [
        "outil-convention"
    ]
    response = client.get(f"{BASE}/tools", {"stage": "later"})
    assert (response.status_code, response.json()["param"]) == (400, "stage")
    response = client.get(f"{BASE}/tools", {"sort": "title"})
    assert (response.status_code, response.json()["param"]) == (400, "sort")


def test_toolbox_pages_and_downloads(client, tools, world):
    response = client.get("/knowledge/tools/", {"kind": "convention"})
    assert [t.ref for t in response.context["tools"]] == ["outil-convention"]
    assert client.get("/knowledge/tools/outil-brouillon/").status_code == 404
    client.force_login(world.analyst)
    assert client.get("/knowledge/tools/outil-brouillon/").status_code == 200
    client.logout()
    page = client.get("/knowledge/tools/outil-convention/")
    assert page.status_code == 200
    file = tools.files.get()
    response = client.get(f"/knowledge/tool-files/{file.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="modele-de-convention.pdf"'
    assert b"".join(response.streaming_content) == PDF
    response = client.get("/knowledge/tools/", {"stage": "later"})
    assert response.status_code == 200
    assert "stage" in response.context["filter_error"]


def _published(world, n):
    for i in range(n):
        services.sheet_create(
            actor=world.analyst,
            ref=f"p-{i:02d}",
            title=f"Fiche {i:02d} sur la santé",
            summary="Une fiche sur la santé des enfants.",
            status=Status.PUBLISHED,
        )


def test_limit_and_offset_page_through_the_results(client, world, media):
    _published(world, 12)
    first = client.get(f"{BASE}/search", {"q": "santé", "limit": 5}).json()
    assert (first["total"], len(first["results"])) == (12, 5)
    rest = client.get(f"{BASE}/search", {"q": "santé", "limit": 5, "offset": 10}).json()
    assert len(rest["results"]) == 2
    seen = {r["ref"] for r in first["results"]} | {r["ref"] for r in rest["results"]}
    assert len(seen) == 7


def test_the_search_page_paginates(client, world, media):
    _published(world, 12)
    first = client.get("/knowledge/", {"q": "santé"})
    assert len(first.context["results"].hits) == 10
    assert first.context["page_obj"].paginator.num_pages == 2
    second = client.get("/knowledge/", {"q": "santé", "page": "2"})
    assert len(second.context["results"].hits) == 2
    assert second.context["page_obj"].number == 2
    assert 'aria-current="page"' in second.content.decode()
    # an empty query lists every published sheet by title
    everything = client.get("/knowledge/", {"page": "x"})
    assert [h.ref for h in everything.context["results"].hits] == [f"p-{i:02d}" for i in range(10)]


def test_analysts_manage_the_toolbox_on_the_site(client, tools, world):
    client.force_login(world.analyst)
    response = client.post(
        "/knowledge/tools/new/",
        {
            "ref": "outil-budget",
            "title": "Modèle de budget",
            "language": "fr",
            "kind": "budget",
            "stages": ["concevoir"],
            "difficulties": ["financement"],
            "themes": ["renforcement_capacites"],
            "status": "published",
            "description": "Un budget <script>x</script>triennal.",
        },
    )
    assert response.status_code == 302
    tool = Tool.objects.get(ref="outil-budget")
    assert (tool.stages, tool.difficulties, tool.description) == (
        ["concevoir"],
        ["financement"],
        "<p>Un budget triennal.</p>",
    )
    again = client.post(
        "/knowledge/tools/new/",
        {"ref": "outil-budget", "title": "x", "language": "fr", "kind": "guide", "status": "draft"},
    )
    assert list(again.context["form"].errors) == ["ref"]
    assert Tool.objects.filter(ref="outil-budget").count() == 1
    upload = SimpleUploadedFile("budget.pdf", XLSX)  # named .pdf, an XLSX inside
    client.post(
        "/knowledge/tools/outil-budget/files/",
        {"title": "Budget", "file": upload, "language": "fr"},
    )
    assert [(f.title, f.file_type) for f in tool.files.all()] == [("Budget", "xlsx")]
    response = client.post(
        "/knowledge/tools/outil-budget/edit/",
        {
            "title": "Modèle de budget triennal",
            "language": "fr",
            "kind": "budget",
            "status": "archived",
        },
    )
    assert response.status_code == 302
    tool.refresh_from_db()
    assert (tool.title, tool.status) == ("Modèle de budget triennal", "archived")
    client.logout()
    assert client.get("/knowledge/tools/outil-budget/").status_code == 404


def test_others_may_not_manage_the_toolbox(client, tools, world):
    assert client.get("/knowledge/tools/new/").status_code == 302
    client.force_login(world.herouville_editor)
    assert client.get("/knowledge/tools/new/").status_code == 403
    assert client.get("/knowledge/tools/outil-convention/edit/").status_code == 403
    assert client.get("/knowledge/tools/outil-brouillon/edit/").status_code == 404
    upload = SimpleUploadedFile("x.pdf", PDF)
    response = client.post(
        "/knowledge/tools/outil-convention/files/", {"title": "x", "file": upload, "language": "fr"}
    )
    assert response.status_code == 403
    file = tools.files.get()
    assert client.post(f"/knowledge/tool-files/{file.pk}/delete/").status_code == 403
    assert tools.files.count() == 1
