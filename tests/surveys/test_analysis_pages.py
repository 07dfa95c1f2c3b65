"""The analysis page: who may see it, the tables and charts, zones in French, filters, cross-tab."""

import html
import re

import pytest

from reciprocite.surveys.structure import Structure, label
from tests.factories import World

from .analysis_support import import_study_answers, load_study_form

pytestmark = pytest.mark.django_db

URL = "/surveys/cooperations/analysis/"


@pytest.fixture
def cooperations(shared_dir):
    q = load_study_form("cooperations")
    import_study_answers(q, shared_dir / "data" / "study-dev")
    return q


def signed_in(client, user):
    assert client.login(username=user.username, password=World.PASSWORD)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_anonymous_visitors_are_sent_to_sign_in(client, cooperations):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize("who", ["herouville_editor", "tikhvine_editor", "outsider"])
def test_non_analysts_are_refused(client, world, cooperations, who):
    response = signed_in(client, getattr(world, who)).get(URL)
    assert response.status_code == 403


def test_unknown_form_is_404(client, world):
    assert signed_in(client, world.analyst).get("/surveys/nope/analysis/").status_code == 404


def labels(questionnaire, name: str, language: str = "en") -> tuple[str, dict[str, str]]:
    """The question's label and its choices' labels, as the loaded XLSForm has them."""
    version = questionnaire.current_version
    structure = Structure(version.structure, version.rows)
    q = structure.by_name[name]
    default = structure.default_language
    return label(q.node, language, default), {
        c["name"]: label(c, language, default) for c in structure.choices(q)
    }


def english(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def section(page: str, anchor: str) -> str:
    return re.search(rf'id="{anchor}".*?</table>', page).group(0)


def rows_of(fragment: str) -> list[tuple[str, ...]]:
    return re.findall(
        r'<th scope="row">([^<]+)</th>\s*((?:<td class="num">[^<]*</td>\s*)+)', fragment
    )


def cells(fragment: str) -> list[tuple[str, list[str]]]:
    return [
        (html.unescape(head.strip()), re.findall(r'<td class="num">([^<]*)</td>', tds))
        for head, tds in rows_of(fragment)
    ]


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_tables_and_charts(client, world, cooperations, who):
    response = english(signed_in(client, getattr(world, who))).get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "44 submissions · 61 entries in “cooperation”" in page
    # one chart per select question (8) and one for the zones; each labelled, each bar titled
    assert page.count('<svg role="img"') == 9
    title, kind = labels(cooperations, "collectivite_type")
    assert f'<title id="chart-collectivite_type-title">{title}</title>' in page
    assert f"<title>{kind['commune']}: 28</title>" in page
    kinds = section(page, "q-collectivite_type-title")
    # every choice of the list, chosen or not, with its share of the 44 answers
    assert cells(kinds) == [
        (kind["commune"], ["28", "63.6"]),
        (kind["region"], ["8", "18.2"]),
        (kind["departement"], ["5", "11.4"]),
        (kind["intercommunalite"], ["3", "6.8"]),
        (kind["autre"], ["0", "0.0"]),
    ]
    budget = section(page, "q-budget_annuel_eur-title")
    assert cells(budget) == [
        ("Answers", ["58"]),
        ("Minimum", ["800"]),
        ("Median", ["13150"]),
        ("Mean", ["19993.10"]),
        ("Maximum", ["128900"]),
        ("Sum", ["1159600"]),
    ]
    indicators = page[page.index('id="indicators-title"') :]
    assert "68.9 %" in indicators and "75.4 %" in indicators
    by_type = section(page, "indicators-title")
    assert cells(by_type) == [
        (kind["commune"], ["40"]),
        (kind["region"], ["11"]),
        (kind["departement"], ["5"]),
        (kind["intercommunalite"], ["5"]),
    ]


def test_zones_have_their_french_names(client, world, cooperations):
    page = text(signed_in(client, world.analyst).get(URL))
    assert cells(section(page, "zones-pays_partenaire-title")) == [
        ("Afrique de l'Ouest", ["30"]),
        ("Maghreb", ["19"]),
        ("Europe de l'Est", ["5"]),
        ("Asie du Sud-Est", ["3"]),
        ("Asie occidentale", ["3"]),
        ("Afrique centrale", ["1"]),
    ]


def test_filters_and_crosstab(client, world, cooperations):
    client = english(signed_in(client, world.analyst))
    response = client.get(
        URL,
        {
            "filter": ["collectivite_type:region", ""],
            "row": "collectivite_type",
            "column": "pays_partenaire",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "8 submissions · 11 entries in “cooperation” · filtered" in page
    _title, kind = labels(cooperations, "collectivite_type")
    _title, country = labels(cooperations, "pays_partenaire")
    assert f'<option value="collectivite_type:region" selected>{kind["region"]}</option>' in page
    table = section(page, "crosstab-title")
    assert "11 units counted (one per cooperation)" in table
    heads = [
        html.unescape(h) for h in re.findall(r'<th scope="col" class="num">([^<]+)</th>', table)
    ]
    # the countries in the form's order, then the total
    expected = {"bf": 2, "bj": 1, "ci": 1, "ma": 2, "ml": 1, "mr": 1, "pl": 1, "sn": 1, "tn": 1}
    order = [code for code in country if code in expected]
    assert heads == [country[code] for code in order] + ["Total"]
    assert cells(table) == [(kind["region"], [str(expected[c]) for c in order] + ["11"])]


def test_bad_filter_is_shown_not_crashed(client, world, cooperations):
    client = english(signed_in(client, world.analyst))
    response = client.get(URL, {"filter": "pays_partenaire:zz"})
    assert response.status_code == 400
    page = text(response)
    assert (
        '<div class="message error" role="alert"><p>zz is not a choice of pays_partenaire.</p></div>'
        in page
    )
    # the unfiltered figures are still shown
    assert "44 submissions" in page


def test_a_campaign_shows_the_figures_of_its_own_answers(client, world, cooperations):
    from reciprocite.accounts.services import organisation_create
    from reciprocite.surveys import analysis
    from reciprocite.surveys.models import Campaign, Submission
    from reciprocite.surveys.services.invitations import invitation_create

    campaign = Campaign.objects.create(questionnaire=cooperations, title="Relance 2026")
    member = organisation_create(name="Ville de Vire", kind="member", contact_email="v@vire.test")
    invitation, _secret = invitation_create(
        campaign=campaign, organisation=member, email="v@vire.test"
    )
    answer = Submission.objects.filter(questionnaire=cooperations).order_by("pk").first()
    # an answer given through an invitation belongs to its campaign (submission_store)
    Submission.objects.filter(pk=answer.pk).update(invitation=invitation, campaign=campaign)
    entries = len(answer.data.get("cooperation", []))

    document = analysis.analyse(cooperations, campaign=campaign)
    assert (document["submissions"], document["repeats"]["cooperation"]) == (1, entries)
    assert (
        analysis.analyse(cooperations)["submissions"] == 44
    )  # all answers, a separate cache entry

    client = english(signed_in(client, world.analyst))
    page = text(client.get(f"{URL}?campaign={campaign.pk}"))
    assert "1 submission ·" in page
    assert "Answers given through the campaign “Relance 2026” only." in page
    assert f'<input type="hidden" name="campaign" value="{campaign.pk}">' in page
    assert client.get(f"{URL}?campaign=999999").status_code == 404
    assert client.get(f"{URL}?campaign=x").status_code == 404
    detail = text(client.get(f"/surveys/campaigns/{campaign.pk}/"))
    assert f'href="/surveys/cooperations/analysis/?campaign={campaign.pk}"' in detail


def test_the_campaign_page_shows_its_own_figures(client, world, cooperations):
    from .analysis_support import campaign_with_answer

    campaign, answer = campaign_with_answer(cooperations, "Relance 2026")
    entries = len(answer.data.get("cooperation", []))
    url = f"/surveys/campaigns/{campaign.pk}/"
    page = text(english(signed_in(client, world.analyst)).get(url))
    answers = page[page.index('id="answers-title"') :]
    entry_word = "entry" if entries == 1 else "entries"
    assert f"1 submission · {entries} {entry_word} in “cooperation”" in answers
    # tables and their charts, the question titles one level below the section's
    title, kind = labels(cooperations, "collectivite_type")
    assert f'<h3 id="q-collectivite_type-title">{title}</h3>' in answers
    assert answers.count('<svg role="img"') >= 8
    chosen = answer.data["collectivite_type"]
    rows = dict(cells(section(answers, "q-collectivite_type-title")))
    assert rows[kind[chosen]] == ["1", "100.0"]
    assert all(v == ["0", "0.0"] for k, v in rows.items() if k != kind[chosen])
    assert f"<title>{kind[chosen]}: 1</title>" in answers
    # the link to the full page stays
    assert f'href="/surveys/cooperations/analysis/?campaign={campaign.pk}"' in page


def test_a_campaign_without_answers_says_so(client, world, cooperations):
    from reciprocite.surveys.models import Campaign

    campaign = Campaign.objects.create(questionnaire=cooperations, title="Vide")
    page = text(english(signed_in(client, world.analyst)).get(f"/surveys/campaigns/{campaign.pk}/"))
    assert "0 submissions" in page
    assert "No answer through this campaign yet" in page
    assert '<svg role="img"' not in page


@pytest.mark.parametrize("who", ["herouville_editor", "tikhvine_editor", "outsider"])
def test_the_campaign_figures_are_refused_to_non_analysts(client, world, cooperations, who):
    from .analysis_support import campaign_with_answer

    campaign, _answer = campaign_with_answer(cooperations)
    response = signed_in(client, getattr(world, who)).get(f"/surveys/campaigns/{campaign.pk}/")
    assert response.status_code == 403
    assert "q-collectivite_type-title" not in response.content.decode()
