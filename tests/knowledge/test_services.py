"""Services: sanitising, versions, the workflow, translations, the diff, attachments."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reciprocite.knowledge import selectors, services
from reciprocite.knowledge.models import Sheet, SheetVersion
from reciprocite.knowledge.search import search
from reciprocite.knowledge.taxonomy import Status

from .conftest import PDF


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_create_sanitises_every_rich_field_and_records_version_one(world, media):
    sheet = services.sheet_create(
        actor=world.outsider,
        title="  Fiche   test ",
        summary='<p>Bien<script>alert("x")</script></p>',
        contacts='<a href="javascript:x">mail</a>',
        difficulties="Ligne 1\n\nLigne <2>",
        themes=["sante"],
    )
    sheet.refresh_from_db()
    assert sheet.title == "Fiche test"
    assert sheet.summary == "<p>Bien</p>"
    assert sheet.contacts == '<p><a rel="noopener noreferrer nofollow">mail</a></p>'
    assert sheet.difficulties == "<p>Ligne 1</p><p>Ligne &lt;2&gt;</p>"
    assert sheet.status == Status.DRAFT
    assert sheet.proposed_by == world.outsider
    assert sheet.ref.startswith("sheet-")
    versions = list(sheet.versions.all())
    assert [(v.number, v.status, v.author, v.note) for v in versions] == [
        (1, "draft", world.outsider, "Created")
    ]
    assert versions[0].data["themes"] == ["sante"]


def test_an_update_that_changes_nothing_records_no_version(sheets, world):
    sheet = sheets["published"]
    services.sheet_update(actor=world.analyst, sheet=sheet, title=sheet.title)
    assert sheet.versions.count() == 1
    services.sheet_update(
        actor=world.analyst, sheet=sheet, title="Nouveau titre", note="Titre plus clair"
    )
    assert [(v.number, v.note) for v in sheet.versions.order_by("number")] == [
        (1, "Created"),
        (2, "Titre plus clair"),
    ]


def test_workflow_moves_and_refuses_impossible_ones(sheets, world):
    draft = sheets["draft"]
    with pytest.raises(ValidationError) as excinfo:
        services.sheet_transition(actor=world.analyst, sheet=draft, to=Status.ARCHIVED)
    assert excinfo.value.messages == ["A sheet that is draft cannot become archived."]
    services.sheet_transition(actor=world.outsider, sheet=draft, to=Status.REVIEW)
    services.sheet_transition(
        actor=world.analyst,
        sheet=draft,
        to=Status.PUBLISHED,
        last_verified=datetime.date(2026, 1, 5),
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at is not None
    assert draft.last_verified == datetime.date(2026, 1, 5)
    assert [(v.number, v.status, v.note) for v in draft.versions.order_by("number")] == [
        (1, "draft", "Created"),
        (2, "review", "Submitted for review"),
        (3, "published", "Published"),
    ]
    services.sheet_transition(actor=world.analyst, sheet=draft, to=Status.ARCHIVED)
    assert draft.status == Status.ARCHIVED


def test_published_sheets_are_indexed_and_archiving_takes_them_out(sheets, world):
    assert [h.ref for h in search("bureau de l'emploi", filters=None).hits] == ["exp-emploi"]
    services.sheet_transition(actor=world.analyst, sheet=sheets["published"], to=Status.ARCHIVED)
    assert search("bureau de l'emploi", filters=None).hits == []


def test_last_verified_cannot_be_in_the_future(sheets, world):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        services.sheet_set_verified(actor=world.analyst, sheet=sheets["published"], on=tomorrow)
    services.sheet_set_verified(
        actor=world.analyst, sheet=sheets["published"], on=datetime.date(2025, 3, 1)
    )
    assert Sheet.objects.get(ref="exp-emploi").last_verified == datetime.date(2025, 3, 1)


def test_translations_are_in_another_language_and_point_to_the_original(sheets, world):
    original = sheets["published"]
    english = services.sheet_create(
        actor=world.analyst,
        ref="exp-emploi-en",
        title="The Tikhvin employment office",
        language="en",
        translation_of=original,
        summary="A renovated employment office.",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.sheet_create(
            actor=world.analyst, title="Doublon", language="fr", translation_of=original
        )
    assert excinfo.value.message_dict == {
        "translation_of": ["A translation is in another language than its original."]
    }
    with pytest.raises(ValidationError) as excinfo:
        services.sheet_create(
            actor=world.analyst, title="Перевод", language="ru", translation_of=english
        )
    assert excinfo.value.message_dict == {
        "translation_of": ["Choose the original sheet, not another translation."]
    }
    assert [s.ref for s in selectors.translations_of(world.analyst, english)] == ["exp-emploi"]
    assert [s.ref for s in selectors.translations_of(None, original)] == []  # a draft
    assert Sheet.objects.filter(language="ru").count() == 0


def test_bad_values_are_refused_field_by_field(world, media):
    for fields, expected in (
        ({"country": "XX"}, {"country": ["XX is not an ISO 3166-1 alpha-2 country code."]}),
        ({"year_start": 1500}, {"year_start": ["The year must be between 1900 and 2100."]}),
        ({"themes": ["nope"]}, "themes"),
        ({"stage": "dormir"}, "stage"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.sheet_create(actor=world.analyst, title="x", summary="y", **fields)
        if isinstance(expected, dict):
            assert excinfo.value.message_dict == expected
        else:
            assert list(excinfo.value.message_dict) == [expected]
    assert Sheet.objects.count() == 0
    assert SheetVersion.objects.count() == 0


def test_diff_marks_deleted_words():
    old = SheetVersion(number=1, status="draft", data={"title": "Un CCAS à Saint-Louis"})
    new = SheetVersion(number=2, status="review", data={"title": "Un centre à Saint-Louis"})
    rows = selectors.version_diff(old, new)
    assert [(r["field"], str(r["diff"])) for r in rows] == [
        (
            "title",
            'Un <del><span class="visually-hidden">[deleted:] </span>CCAS</del>'
            '<ins><span class="visually-hidden">[inserted:] </span>centre</ins> à Saint-Louis',
        ),
        (
            "status",
            '<del><span class="visually-hidden">[deleted:] </span>draft</del>'
            '<ins><span class="visually-hidden">[inserted:] </span>in review</ins>',
        ),
    ]


def test_diff_compares_two_versions_field_by_field(sheets, world):
    sheet = sheets["published"]
    services.sheet_update(
        actor=world.analyst,
        sheet=sheet,
        method="Des échanges réguliers d'agents entre Hérouville et Tikhvine.",
        themes=["insertion_emploi", "renforcement_capacites"],
    )
    old, new = sheet.versions.get(number=1), sheet.versions.get(number=2)
    rows = selectors.version_diff(old, new)
    assert [row["field"] for row in rows] == ["themes", "method"]
    method = rows[1]
    assert method["old"] == "Des échanges d'agents entre Hérouville et Tikhvine."
    assert str(method["diff"]) == (
        'Des échanges<ins><span class="visually-hidden">[inserted:] </span> réguliers</ins>'
        " d&#x27;agents entre Hérouville et Tikhvine."
    )


def test_attachments_are_checked_and_stored(sheets, world):
    attachment = services.attachment_add(
        actor=world.analyst,
        sheet=sheets["published"],
        title="Bilan 2010",
        filename="x.exe",
        data=PDF,
    )
    assert (attachment.file_type, attachment.size) == ("pdf", len(PDF))
    assert attachment.file.name.endswith("/bilan-2010.pdf")
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.analyst,
            sheet=sheets["published"],
            title="x",
            filename="x.pdf",
            data=b"<html>",
        )
    assert sheets["published"].attachments.count() == 1
