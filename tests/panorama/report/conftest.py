from __future__ import annotations

import pytest

from reciprocite.knowledge.models import Sheet
from reciprocite.knowledge.taxonomy import Status


def make_sheet(ref: str, title: str, **fields) -> Sheet:
    values = {
        "language": "fr",
        "status": Status.PUBLISHED,
        "is_highlight": True,
        "summary": "<p>Un centre d’accueil ouvert avec la ville partenaire.</p>",
        "reciprocity": "<p>Le CCAS a repensé son propre accueil.</p>",
        "french_authority": "Ville de Lille",
        "partner_authority": "Ville de Saint-Louis",
        "country": "SN",
        "year_start": 2004,
    }
    values.update(fields)
    return Sheet.objects.create(ref=ref, title=title, **values)


@pytest.fixture
def study(db, shared_dir, django_capture_on_commit_callbacks):
    """The demo, the study's two questionnaires with the dev answers, and one highlighted
    experience sheet (with its English translation)."""
    from reciprocite.demo import load_demo
    from tests.surveys.analysis_support import import_study_answers, load_study_form

    with django_capture_on_commit_callbacks(execute=True):  # the figures follow at commit
        load_demo()
    # the figures are the dev data set's: without the demo's own (invented) study answers
    from reciprocite.demo.study import CAMPAIGN_TITLES
    from reciprocite.surveys.models import Campaign, Submission

    demo_campaigns = Campaign.objects.filter(title__in=CAMPAIGN_TITLES.values())
    Submission.objects.filter(campaign__in=demo_campaigns).delete()
    demo_campaigns.delete()
    forms = {}
    for form_id in ("perception", "cooperations"):
        forms[form_id] = load_study_form(form_id)
        import_study_answers(forms[form_id], shared_dir / "data" / "study-dev")
    original = make_sheet("report-test-1", "Un accueil de jour partagé entre Lille et Saint-Louis")
    make_sheet(
        "report-test-1-en",
        "A day centre shared by Lille and Saint-Louis",
        language="en",
        translation_of=original,
        summary="<p>A day centre opened with the partner city.</p>",
        reciprocity="<p>The social action centre rethought its own reception.</p>",
    )
    return forms
