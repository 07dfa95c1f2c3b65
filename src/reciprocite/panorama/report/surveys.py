"""The chapters of the study's two questionnaires (perception, cooperations): the analysis of
the published answers (``surveys.analysis``) as figures and facts, withheld under the
panorama's minimum of respondents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from reciprocite.territories.geography import country_name

from .formatting import number, share, zone_label
from .parts import SIDE_ROWS, Figure, Section, bar_chart, chart_series, count_table

if TYPE_CHECKING:
    from reciprocite.surveys.models import Campaign, Questionnaire
    from reciprocite.surveys.structure import Structure

ChoiceLabels = Callable[[str], dict[str, str]]  # a question's name → its choices' labels

PERCEPTION = "perception"
COOPERATIONS = "cooperations"


def _perception_questions() -> list[tuple[str, str]]:
    return [
        ("a_cooperation", _("Does the authority run a decentralised cooperation?")),
        ("action_sociale_pertinente", _("Is social action a relevant field for cooperation?")),
        ("portes_entree", _("Through which entry points is it approached?")),
        (
            "se_reconnait_terme",
            _("Does the authority recognise itself in the term “social action”?"),
        ),
        (
            "services_sociaux_impliques",
            _("Are its own social services involved in its cooperation?"),
        ),
    ]


def _cooperation_questions() -> list[tuple[str, str]]:
    return [
        ("collectivite_type", _("Respondents by kind of authority")),
        ("pays_partenaire", _("Partner countries")),
        ("themes", _("Themes of the cooperations")),
        ("cofinancements", _("Co-funding")),
        ("services_internes", _("The authority's own services mobilised")),
        ("partenaires_externes", _("External partners mobilised")),
        ("plus_values", _("Added value seen by the members")),
        ("difficultes", _("Difficulties met")),
    ]


def _numeric_questions() -> list[tuple[str, str, int]]:
    return [
        ("annee_debut", _("Start year of the cooperations"), 0),
        ("budget_annuel_eur", _("Annual budget of the cooperations (euros)"), 0),
    ]


@dataclass
class SurveyPart:
    section: Section
    questionnaire: Questionnaire | None = None
    document: dict[str, Any] | None = None
    campaign: Campaign | None = None


def _structure_and_labels(
    questionnaire: Questionnaire, language: str
) -> tuple[Structure, ChoiceLabels]:
    from reciprocite.surveys.analysis import is_country_list
    from reciprocite.surveys.structure import Structure, label

    version = questionnaire.current_version
    assert version is not None  # survey_section has checked
    structure = Structure(version.structure, version.rows or {})

    def choice_labels(name: str) -> dict[str, str]:
        q = structure.by_name.get(name)
        if q is None:
            return {}
        choices = structure.choices(q)
        countries = is_country_list(choices)
        out: dict[str, str] = {}
        for choice in choices:
            code = str(choice.get("name", ""))
            text = label(choice, language, structure.default_language)
            if countries:
                text = country_name(code, language)
            out[code] = text
        return out

    return structure, choice_labels


def _select_figure(
    key: str,
    title: str,
    figures: dict[str, Any],
    labels: dict[str, str],
    language: str,
    *,
    unit_word: str,
    multiple: bool,
    limit: int = 15,
) -> Figure:
    counts = figures.get("counts", {})
    answered = figures.get("answered", 0)
    items = [(code, labels.get(code, code), n) for code, n in counts.items()]
    note = ""
    if multiple:
        note = _(
            "Several answers possible: shares of the %(n)s %(units)s that answered, "
            "so they add up to more than 100%%."
        ) % {"n": number(answered, language), "units": unit_word}
    else:
        note = _("Shares of the %(n)s %(units)s that answered.") % {
            "n": number(answered, language),
            "units": unit_word,
        }
    series = chart_series(key, title, items)
    return Figure(
        title=title,
        svg=bar_chart(series, max_items=limit, side=len(items) <= SIDE_ROWS),
        table=count_table(
            title,
            [(label_text, n) for _c, label_text, n in items],
            whole=answered,
            language=language,
            first_column=_("Answer"),
        ),
        note=note,
    )


def survey_section(form_id: str, language: str, campaign: Campaign | None) -> SurveyPart:
    from reciprocite.surveys.analysis import analyse
    from reciprocite.surveys.models import Questionnaire

    if form_id == PERCEPTION:
        section = Section("perception", _("Survey of all members: how social action is seen"))
    else:
        section = Section(
            "cooperations", _("Survey of cooperating members: the cooperations described")
        )
    questionnaire = Questionnaire.objects.filter(form_id=form_id).first()
    if questionnaire is None or questionnaire.current_version is None:
        section.intro.append(_("This questionnaire is not loaded on the platform: no figures yet."))
        return SurveyPart(section)
    own_campaign = (
        campaign if campaign is not None and campaign.questionnaire_id == questionnaire.pk else None
    )
    document = analyse(questionnaire, campaign=own_campaign, published_only=True)
    part = SurveyPart(section, questionnaire, document, own_campaign)
    submissions = document["submissions"]
    if not submissions:
        section.intro.append(_("No answers have been recorded yet."))
        return part
    from ..selectors import SURVEY_MIN_RESPONDENTS

    if submissions < SURVEY_MIN_RESPONDENTS:
        # as on the panorama page: so few answers would tell one authority's answers
        section.intro.append(
            _("The figures are withheld: fewer than %(n)s authorities answered.")
            % {"n": SURVEY_MIN_RESPONDENTS}
        )
        return part
    structure, choice_labels = _structure_and_labels(questionnaire, language)
    questions = document["questions"]
    if form_id == PERCEPTION:
        section.intro.append(
            _("%(n)s authorities answered the questionnaire.")
            % {"n": number(submissions, language)}
        )
        unit_word = _("authorities")
        specs = _perception_questions()
    else:
        entries = document["repeats"].get("cooperation", 0)
        section.intro.append(
            _("%(n)s authorities answered and described %(m)s cooperations.")
            % {"n": number(submissions, language), "m": number(entries, language)}
        )
        unit_word = _("cooperations")
        specs = _cooperation_questions()
    if own_campaign is not None:
        section.intro.append(
            _("Answers given through the campaign “%(title)s” only.")
            % {"title": own_campaign.title}
        )
    for name, title in specs:
        figures = questions.get(name)
        if not figures or "counts" not in figures or not figures["counts"]:
            continue
        q = structure.by_name.get(name)
        units = _("authorities") if (q is None or not q.repeat) else unit_word
        section.figures.append(
            _select_figure(
                f"{form_id}-{name}",
                title,
                figures,
                choice_labels(name),
                language,
                unit_word=units,
                multiple=figures["type"] == "select_multiple",
            )
        )
        if name == "pays_partenaire" or (form_id == PERCEPTION and name == "a_cooperation"):
            section.figures.extend(_zone_figures(document, form_id, language, structure))
    if form_id == COOPERATIONS:
        section.facts.extend(_number_facts(questions, language))
        section.facts.extend(_indicator_facts(document, language, choice_labels))
    return part


def _zone_figures(
    document: dict[str, Any], form_id: str, language: str, structure: Structure
) -> list[Figure]:
    figures = []
    for name, counts in document.get("zones", {}).items():
        if not counts:
            continue
        title = _("Partner countries by zone")
        items = [(key, zone_label(key, language), n) for key, n in counts.items()]
        q = structure.by_name.get(name)
        whole = None
        if q is not None:
            whole = document["questions"].get(name, {}).get("answered")
        note = _(
            "Each answer is counted once per zone, even when it names two countries of one zone."
        )
        figures.append(
            Figure(
                title=title,
                svg=bar_chart(
                    chart_series(f"{form_id}-{name}-zones", title, items),
                    side=len(items) <= SIDE_ROWS,
                ),
                table=count_table(
                    title,
                    [(label_text, n) for _k, label_text, n in items],
                    whole=whole,
                    language=language,
                    first_column=_("Zone"),
                ),
                note=note,
            )
        )
    return figures


def _number_facts(questions: dict[str, Any], language: str) -> list[tuple[str, str]]:
    facts = []
    for name, title, decimals in _numeric_questions():
        figures = questions.get(name)
        if not figures or not figures.get("n"):
            continue
        is_year = name == "annee_debut"

        def show(value: Any, is_year: bool = is_year, decimals: int = decimals) -> str:
            if value is None:
                return "–"
            return str(int(value)) if is_year else number(value, language, decimals)

        facts.append(
            (
                title,
                _("%(n)s answers; from %(min)s to %(max)s, median %(median)s, mean %(mean)s")
                % {
                    "n": number(figures["n"], language),
                    "min": show(figures["min"]),
                    "max": show(figures["max"]),
                    "median": show(figures["median"]),
                    "mean": show(figures["mean"]) if is_year else number(figures["mean"], language),
                },
            )
        )
    return facts


def _indicator_facts(
    document: dict[str, Any], language: str, choice_labels: ChoiceLabels
) -> list[tuple[str, str]]:
    facts = []
    only = document.get("share_only_international_relations_service")
    if only is not None:
        facts.append(
            (
                _("Cooperations run by the international relations service alone"),
                share(only, language),
            )
        )
    assoc = document.get("share_with_associations")
    if assoc is not None:
        facts.append(
            (
                _("Cooperations that mobilise associations"),
                share(assoc, language),
            )
        )
    by_type = document.get("cooperations_by_respondent_type") or {}
    if by_type:
        labels = choice_labels("collectivite_type")
        facts.append(
            (
                _("Cooperations by kind of authority"),
                ", ".join(f"{labels.get(k, k)} {number(n, language)}" for k, n in by_type.items()),
            )
        )
    return facts
