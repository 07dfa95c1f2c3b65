"""Pages through the test client: who sees what, who may do what, and what they show."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reciprocite.knowledge import services
from reciprocite.knowledge.models import Sheet
from reciprocite.knowledge.taxonomy import Status

from .conftest import DOCX, PDF

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def detail(ref):
    return reverse("knowledge:sheet_detail", args=[ref])


# --- visibility ------------------------------------------------------------------------------


def test_anyone_reads_a_published_sheet_with_its_links_to_the_registry(client, sheets, world):
    response = client.get(detail("exp-emploi"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1><span lang="fr" dir="auto">Le bureau de l&#x27;emploi de Tikhvine' in html
    assert reverse("registry:partnership_detail", args=[world.herouville_tikhvine.pk]) in html
    assert reverse("registry:project_detail", args=[world.employment_office.pk]) in html
    assert "<p>Un bureau de l'emploi rénové devient le modèle de l'oblast.</p>" in html
    assert reverse("knowledge:sheet_edit", args=["exp-emploi"]) not in html


def test_the_sheet_page_links_to_the_territories_of_the_parties(client, sheets, world):
    services.sheet_update(
        actor=world.analyst,
        sheet=sheets["published"],
        french_territory=world.herouville,
        partner_territory=world.tikhvine,
    )
    html = client.get(detail("exp-emploi")).content.decode()
    assert reverse("territories:territory_detail", args=[world.herouville.pk]) in html
    assert reverse("territories:territory_detail", args=[world.tikhvine.pk]) in html


@pytest.mark.parametrize("ref", ["exp-brouillon", "exp-relecture", "nope"])
def test_drafts_and_sheets_in_review_are_hidden_from_visitors_and_others(
    client, sheets, world, ref
):
    assert client.get(detail(ref)).status_code == 404
    assert _as(client, world.herouville_editor).get(detail(ref)).status_code == 404


def test_the_author_and_analysts_see_a_draft(client, sheets, world):
    assert _as(client, world.outsider).get(detail("exp-brouillon")).status_code == 200
    assert _as(client, world.analyst).get(detail("exp-brouillon")).status_code == 200


# --- propose, edit, workflow -------------------------------------------------------------------


def test_proposing_needs_to_be_signed_in(client, world, media):
    response = client.get(reverse("knowledge:sheet_create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anyone_signed_in_proposes_a_draft_sanitised(client, world, media):
    _as(client, world.herouville_editor)
    response = client.post(
        reverse("knowledge:sheet_create"),
        {
            "title": "Aide à domicile à Tikhvine",
            "language": "fr",
            "country": "RU",
            "themes": ["personnes_agees"],
            "stage": "mettre_en_oeuvre",
            "summary": "Des aides à domicile formées.<script>alert(1)</script>",
            "year_start": "2001",
        },
    )
    sheet = Sheet.objects.get(title="Aide à domicile à Tikhvine")
    assert response.status_code == 302
    assert response["Location"] == detail(sheet.ref)
    assert sheet.status == Status.DRAFT
    assert sheet.proposed_by == world.herouville_editor
    assert sheet.summary == "<p>Des aides à domicile formées.</p>"
    assert sheet.year_start == 2001
    assert list(sheet.themes.values_list("code", flat=True)) == ["personnes_agees"]


def test_a_form_with_errors_says_so_and_writes_nothing(client, world, media):
    _as(client, world.outsider)
    response = client.post(
        reverse("knowledge:sheet_create"), {"title": "", "language": "xx", "summary": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"title", "language", "summary"}
    assert Sheet.objects.count() == 0


def test_the_author_edits_the_draft_then_submits_and_may_no_longer_edit(client, sheets, world):
    _as(client, world.outsider)
    edit = reverse("knowledge:sheet_edit", args=["exp-brouillon"])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "title": "Un centre social ouvert",
            "language": "fr",
            "summary": "Texte revu.",
            "note": "relu",
        },
    )
    assert response.status_code == 302
    sheet = Sheet.objects.get(ref="exp-brouillon")
    assert sheet.title == "Un centre social ouvert"
    assert sheet.versions.get(number=2).note == "relu"
    workflow = reverse("knowledge:sheet_workflow", args=["exp-brouillon"])
    assert client.post(workflow, {"action": "submit"}).status_code == 302
    assert Sheet.objects.get(ref="exp-brouillon").status == Status.REVIEW
    assert client.get(edit).status_code == 403
    assert client.post(workflow, {"action": "publish"}).status_code == 403
    assert Sheet.objects.get(ref="exp-brouillon").status == Status.REVIEW


def test_another_user_cannot_edit_or_submit_a_published_sheet(client, sheets, world):
    _as(client, world.herouville_editor)
    assert client.get(reverse("knowledge:sheet_edit", args=["exp-emploi"])).status_code == 403
    response = client.post(
        reverse("knowledge:sheet_workflow", args=["exp-emploi"]), {"action": "archive"}
    )
    assert response.status_code == 403
    assert Sheet.objects.get(ref="exp-emploi").status == Status.PUBLISHED


def test_analysts_review_publish_and_set_last_verified(client, sheets, world):
    _as(client, world.analyst)
    queue = client.get(reverse("knowledge:review_queue"))
    assert queue.status_code == 200
    assert [s.ref for s in queue.context["in_review"]] == ["exp-relecture"]
    response = client.post(
        reverse("knowledge:sheet_workflow", args=["exp-relecture"]),
        {"action": "publish", "last_verified": "2026-01-15", "note": "Vérifiée avec Lille"},
    )
    assert response.status_code == 302
    sheet = Sheet.objects.get(ref="exp-relecture")
    assert (sheet.status, sheet.last_verified) == (Status.PUBLISHED, datetime.date(2026, 1, 15))
    assert sheet.versions.order_by("-number").first().note == "Vérifiée avec Lille"
    assert client.get(detail("exp-relecture"), headers={}).status_code == 200
    client.logout()
    assert client.get(detail("exp-relecture")).status_code == 200


def test_an_impossible_move_is_a_message_not_an_error(client, sheets, world):
    _as(client, world.analyst)
    response = client.post(
        reverse("knowledge:sheet_workflow", args=["exp-brouillon"]),
        {"action": "archive"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0][0] == "error"
    assert Sheet.objects.get(ref="exp-brouillon").status == Status.DRAFT


def test_the_review_queue_is_for_analysts_only(client, sheets, world):
    assert client.get(reverse("knowledge:review_queue")).status_code == 302
    assert _as(client, world.outsider).get(reverse("knowledge:review_queue")).status_code == 403


# --- versions and diff --------------------------------------------------------------------------


def test_history_shows_the_diff_as_an_accessible_table(client, sheets, world):
    services.sheet_update(
        actor=world.analyst, sheet=sheets["published"], summary="Un bureau rénové, modèle régional."
    )
    _as(client, world.analyst)
    response = client.get(reverse("knowledge:sheet_history", args=["exp-emploi"]) + "?a=1&b=2")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<table class="diff">' in html
    assert "<caption>" in html
    assert "<del>" in html and "<ins>" in html
    assert [row["field"] for row in response.context["diff"]] == ["summary"]


def test_history_is_refused_to_visitors_and_other_users(client, sheets, world):
    url = reverse("knowledge:sheet_history", args=["exp-emploi"])
    assert client.get(url).status_code == 302
    assert _as(client, world.herouville_editor).get(url).status_code == 403


# --- attachments -------------------------------------------------------------------------------


def test_attachments_upload_check_and_download(client, sheets, world):
    _as(client, world.analyst)
    add = reverse("knowledge:attachment_add", args=["exp-emploi"])
    bad = SimpleUploadedFile("faux.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(add, {"title": "Faux", "file": bad}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith("faux.pdf: ")
    good = SimpleUploadedFile("convention.bin", DOCX, content_type="application/octet-stream")
    client.post(add, {"title": "Convention signée", "file": good})
    attachment = sheets["published"].attachments.get()
    assert attachment.file_type == "docx"
    client.logout()
    response = client.get(reverse("knowledge:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="convention-signee.docx"'
    assert b"".join(response.streaming_content) == DOCX


def test_attachments_of_a_draft_are_not_served_to_others(client, sheets, world):
    attachment = services.attachment_add(
        actor=world.outsider, sheet=sheets["draft"], title="Note", filename="n.pdf", data=PDF
    )
    url = reverse("knowledge:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 404
    assert _as(client, world.herouville_editor).get(url).status_code == 404
    assert _as(client, world.outsider).get(url).status_code == 200


def test_others_cannot_attach_or_remove(client, sheets, world):
    attachment = services.attachment_add(
        actor=world.analyst, sheet=sheets["published"], title="Bilan", filename="b.pdf", data=PDF
    )
    _as(client, world.herouville_editor)
    upload = SimpleUploadedFile("x.pdf", PDF)
    add = reverse("knowledge:attachment_add", args=["exp-emploi"])
    assert client.post(add, {"title": "x", "file": upload}).status_code == 403
    remove = reverse("knowledge:attachment_delete", args=[attachment.pk])
    assert client.post(remove).status_code == 403
    assert sheets["published"].attachments.count() == 1


# --- search page -------------------------------------------------------------------------------


def test_search_page_finds_published_sheets_with_highlighted_snippets(client, sheets):
    response = client.get(reverse("knowledge:search"), {"q": "emploi"})
    assert response.status_code == 200
    assert [hit.ref for hit in response.context["results"].hits] == ["exp-emploi"]
    assert "<mark>" in response.content.decode()
    partial = client.get(
        reverse("knowledge:search"), {"q": "emploi"}, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    assert partial.content.decode().startswith('<div id="listing"')
    assert "Vary" in partial and "HX-Request" in partial["Vary"]


def test_search_page_drafts_never_appear(client, sheets, world):
    _as(client, world.outsider)
    response = client.get(reverse("knowledge:search"), {"q": "brouillon fiche"})
    assert [hit.ref for hit in response.context["results"].hits] == []


def test_search_page_with_a_bad_filter_says_so(client, sheets):
    response = client.get(reverse("knowledge:search"), {"q": "emploi", "theme": "nope"})
    assert response.status_code == 200
    assert "theme" in response.context["filter_error"]
    assert [hit.ref for hit in response.context["results"].hits] == ["exp-emploi"]


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "col:val*", "'; DROP TABLE x; --", "é" * 5000])
def test_search_page_survives_odd_queries(client, sheets, query):
    assert client.get(reverse("knowledge:search"), {"q": query}).status_code == 200


def test_facet_filters_narrow_the_results(client, sheets):
    response = client.get(reverse("knowledge:search"), {"country": "RU"})
    assert [hit.ref for hit in response.context["results"].hits] == ["exp-emploi"]
    response = client.get(reverse("knowledge:search"), {"country": "SN"})
    assert response.context["results"].hits == []


def test_the_form_offers_as_originals_only_sheets_the_user_may_see(client, sheets, world):
    _as(client, world.herouville_editor)
    form = client.get(reverse("knowledge:sheet_create")).context["form"]
    assert [s.ref for s in form.fields["translation_of"].queryset] == ["exp-emploi"]
    _as(client, world.analyst)
    form = client.get(reverse("knowledge:sheet_create")).context["form"]
    assert sorted(s.ref for s in form.fields["translation_of"].queryset) == [
        "exp-brouillon",
        "exp-emploi",
        "exp-relecture",
    ]


def test_the_highlight_box_is_for_editors_only(client, sheets, world):
    _as(client, world.outsider)
    form = client.get(reverse("knowledge:sheet_edit", args=["exp-brouillon"])).context["form"]
    assert "is_highlight" not in form.fields
    client.post(
        reverse("knowledge:sheet_edit", args=["exp-brouillon"]),
        {"title": "Un centre", "language": "fr", "summary": "x", "is_highlight": "on"},
    )
    assert Sheet.objects.get(ref="exp-brouillon").is_highlight is False
    _as(client, world.analyst)
    client.post(
        reverse("knowledge:sheet_edit", args=["exp-brouillon"]),
        {"title": "Un centre", "language": "fr", "summary": "x", "is_highlight": "on"},
    )
    assert Sheet.objects.get(ref="exp-brouillon").is_highlight is True


def test_translations_are_listed_and_read_side_by_side(client, sheets, world):
    services.sheet_create(
        actor=world.analyst,
        ref="exp-emploi-ru",
        title="Биржа труда Тихвина",
        language="ru",
        translation_of=sheets["published"],
        summary="Обновлённая биржа труда стала образцом для области.",
        status=Status.PUBLISHED,
    )
    services.sheet_create(
        actor=world.analyst,
        ref="exp-emploi-en",
        title="The Tikhvin employment office",
        language="en",
        translation_of=sheets["published"],
        summary="Draft translation.",
    )
    page = client.get(detail("exp-emploi"))
    assert [s.ref for s in page.context["translations"]] == ["exp-emploi-ru"]
    compare = reverse("knowledge:sheet_compare", args=["exp-emploi"])
    assert compare + "?with=exp-emploi-ru" in page.content.decode()
    side = client.get(compare, {"with": "exp-emploi-ru"})
    assert side.status_code == 200
    html = side.content.decode()
    assert (
        '<td lang="ru" dir="ltr"><p>Обновлённая биржа труда стала образцом для области.</p></td>'
        in html
    )
    assert [right for _label, _left, right in side.context["rows"]] == [
        "<p>Обновлённая биржа труда стала образцом для области.</p>",
        "",  # the method, in the original only
    ]
    # a draft translation, or a sheet that is no translation, is not compared
    assert client.get(compare, {"with": "exp-emploi-en"}).status_code == 404
    assert client.get(compare, {"with": "exp-relecture"}).status_code == 404
    _as(client, world.analyst)
    assert client.get(compare, {"with": "exp-emploi-en"}).status_code == 200


def test_admin_lists_sheets_read_only_and_tools(client, sheets, world):
    _as(client, world.admin)
    assert client.get("/admin/knowledge/sheet/").status_code == 200
    sheet = sheets["published"]
    page = client.get(f"/admin/knowledge/sheet/{sheet.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/knowledge/sheet/add/").status_code == 403
    assert client.get("/admin/knowledge/tool/add/").status_code == 200
