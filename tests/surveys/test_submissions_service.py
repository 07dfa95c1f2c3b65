"""submission_store: one answer per client UUID, validated, stamped with its version."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation

from reciprocite.surveys.digest import content_digest
from reciprocite.surveys.models import (
    Campaign,
    CampaignStatus,
    InvitationStatus,
    QuestionnaireVersion,
    Submission,
)
from reciprocite.surveys.services import submissions as service
from reciprocite.surveys.services.invitations import invitation_create
from reciprocite.surveys.services.submissions import (
    CampaignClosed,
    SubmissionConflict,
    SubmissionInvalid,
    submission_store,
)

from .submissions_support import SAMPLE_MD, questionnaire_from_md, survey_json, valid_answers

pytestmark = pytest.mark.django_db

UUID = "6f1c1f5e-2c4b-4d8e-9a57-1b2c3d4e5f60"
WHEN = datetime(2026, 3, 9, 14, 5, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def form():
    return questionnaire_from_md()


def store(form, data=None, **kw):
    kw.setdefault("uuid", UUID)
    kw.setdefault("source", "api")
    kw.setdefault("submitted_at", WHEN)
    return submission_store(
        questionnaire=form, data=valid_answers() if data is None else data, **kw
    )


def test_store_validates_fills_and_stamps_the_current_version(form, world):
    submission, created = store(form, actor=world.analyst)
    assert created is True
    submission.refresh_from_db()
    assert str(submission.uuid) == UUID
    assert submission.version == form.current_version
    assert submission.source == "api"
    assert submission.submitted_at == WHEN
    assert submission.submitted_by == world.analyst
    assert submission.content_digest == content_digest(valid_answers())
    data = submission.data
    assert data["double_age"] == 80
    assert data["nb_cooperations"] == 2
    assert data["start"] == data["end"] == "2026-03-09T14:05:07.000+00:00"
    assert data["today"] == "2026-03-09"
    assert data["username"] == "analyst"
    assert data["instanceID"] == f"uuid:{UUID}"
    assert [c["rang"] for c in data["cooperation"]] == [1, 2]


def test_same_uuid_same_content_returns_the_stored_one(form):
    first, created = store(form)
    again, created_again = store(form, submitted_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Submission.objects.count() == 1
    # a UUID spelled another way is the same UUID
    third, created_third = store(form, uuid=f"uuid:{UUID.upper()}")
    assert (third.pk, created_third) == (first.pk, False)


def test_same_uuid_other_content_is_a_conflict_and_nothing_is_overwritten(form):
    first, _created = store(form)
    changed = valid_answers()
    changed["age"] = 41
    with pytest.raises(SubmissionConflict) as excinfo:
        store(form, changed)
    assert excinfo.value.message == (
        f"An answer with the UUID {UUID} is already stored with another content; it was not "
        "overwritten. Send a new answer with a new UUID."
    )
    assert excinfo.value.existing.pk == first.pk
    first.refresh_from_db()
    assert first.data["age"] == 40
    assert Submission.objects.count() == 1


def test_same_uuid_in_another_questionnaire_is_a_conflict(form):
    store(form)
    other = questionnaire_from_md(form_id="other")
    with pytest.raises(
        SubmissionConflict, match="already used by an answer to another questionnaire"
    ):
        store(other)


def test_invalid_answers_store_nothing(form):
    bad = valid_answers()
    bad["age"] = 200
    del bad["collectivite_nom"]
    with pytest.raises(SubmissionInvalid) as excinfo:
        store(form, bad, language="en")
    assert excinfo.value.errors == [
        {
            "name": "collectivite_nom",
            "path": "collectivite_nom",
            "message": "This question is required.",
        },
        {"name": "age", "path": "age", "message": "Invalid age"},
    ]
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("bad_uuid", ["", "nope", None, 12, "6f1c1f5e-2c4b-4d8e-9a57"])
def test_a_valid_uuid_is_required(form, bad_uuid):
    with pytest.raises(SubmissionInvalid) as excinfo:
        store(form, uuid=bad_uuid)
    assert excinfo.value.errors == [
        {"name": "uuid", "path": "uuid", "message": "A valid UUID is required."}
    ]


def test_numbers_sent_as_text_are_stored_as_numbers_and_irrelevant_answers_dropped(form):
    data = valid_answers()
    data["age"] = "40"
    data["budget"] = "1500.5"
    data["themes"] = "sante"  # themes_other no longer relevant
    submission, _created = store(form, data)
    assert submission.data["age"] == 40
    assert submission.data["budget"] == 1500.5
    assert "themes_other" not in submission.data


def test_a_given_version_is_stamped(form):
    old = form.current_version
    QuestionnaireVersion.objects.create(
        questionnaire=form, version="2", structure=survey_json(SAMPLE_MD)
    )
    assert form.current_version.version == "2"
    submission, _created = store(form, version=old)
    assert submission.version == old
    other, _created = store(form, uuid=str(uuid.uuid4()))
    assert other.version.version == "2"


def test_without_validation_the_data_is_stored_as_sent(form):
    data = {"anything": "goes", "age": "x"}
    submission, created = store(form, data, validate=False, source="import")
    assert created and submission.data == data and submission.source == "import"


def test_a_race_on_the_same_uuid_stores_one_row(form, monkeypatch):
    """The other request inserted the row between our check and our insert."""
    winner, _created = store(form)
    monkeypatch.setattr(service, "_stored", lambda _uuid: None)
    again, created = store(form)
    assert (again.pk, created) == (winner.pk, False)
    changed = copy.deepcopy(valid_answers())
    changed["age"] = 50
    with pytest.raises(SubmissionConflict):
        store(form, changed)
    assert Submission.objects.count() == 1


def _invitation(form, members, **campaign_fields):
    campaign = Campaign.objects.create(
        questionnaire=form, title="Étude 2026", status=CampaignStatus.OPEN, **campaign_fields
    )
    return invitation_create(
        campaign=campaign, organisation=members["caen"], email="international@caen.test"
    )


def test_an_invitation_is_linked_and_marked_submitted(form, members):
    invitation, _secret = _invitation(form, members)
    submission, created = store(form, invitation=invitation, source="web")
    assert created and submission.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SUBMITTED
    assert invitation.submitted_at is not None
    # the same answer again is fine; another answer through the same invitation is not
    assert store(form, invitation=invitation, source="web")[1] is False
    with pytest.raises(SubmissionConflict, match="This invitation has already been answered"):
        store(form, uuid=str(uuid.uuid4()), invitation=invitation, source="web")
    assert Submission.objects.count() == 1


def test_an_invalid_answer_leaves_the_invitation_as_it_was(form, members):
    invitation, _secret = _invitation(form, members)
    with pytest.raises(SubmissionInvalid):
        store(form, {"age": -1}, invitation=invitation, source="web")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED
    assert Submission.objects.count() == 0


def test_a_race_on_the_same_invitation_stores_one_answer(form, members, monkeypatch):
    """Two answers (two UUIDs) through one invitation at once: the second insert hits the
    one-answer-per-invitation constraint and is a conflict, not a crash."""
    invitation, _secret = _invitation(form, members)
    first, _created = store(form, invitation=invitation, source="web")
    monkeypatch.setattr(service, "_answered", lambda _invitation, _uuid: None)
    with pytest.raises(SubmissionConflict) as excinfo:
        store(form, uuid=str(uuid.uuid4()), invitation=invitation, source="web")
    assert excinfo.value.message == (
        f"This invitation has already been answered (answer {first.uuid})."
    )
    assert Submission.objects.count() == 1


def test_a_campaign_that_is_not_open_takes_no_answer(form, members):
    """The campaign's rule is the service's: whoever calls it (the API, the web form), an
    answer to a closed campaign is refused before anything is checked or stored."""
    invitation, _secret = _invitation(form, members)
    Campaign.objects.filter(pk=invitation.campaign_id).update(status=CampaignStatus.CLOSED)
    invitation.refresh_from_db()
    closed = "The campaign “Étude 2026” is closed: answers are no longer accepted."
    with pytest.raises(CampaignClosed) as excinfo:
        store(form, invitation=invitation, source="web")
    assert excinfo.value.message == closed
    assert excinfo.value.campaign == invitation.campaign
    # refused even when the answers are broken: the campaign is told first
    with pytest.raises(CampaignClosed):
        store(form, {"age": -1}, invitation=invitation, source="web")
    # a campaign named for the answer, past its closing date
    past = Campaign.objects.create(
        questionnaire=form,
        title="Relance",
        status=CampaignStatus.OPEN,
        closes_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(CampaignClosed, match="The campaign “Relance” is closed"):
        store(form, campaign=past)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED
    assert Submission.objects.count() == 0


def test_a_stored_answer_sent_again_after_the_campaign_closed_is_refused(form, members):
    invitation, _secret = _invitation(form, members)
    store(form, invitation=invitation, source="web")
    Campaign.objects.filter(pk=invitation.campaign_id).update(status=CampaignStatus.CLOSED)
    invitation.refresh_from_db()
    with pytest.raises(CampaignClosed):
        store(form, invitation=invitation, source="web")
    assert Submission.objects.count() == 1
