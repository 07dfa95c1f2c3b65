"""The demo's study: both questionnaires, a published campaign of each, invented answers.

The answers are those of the French authorities of the demo (the three real members and the
invented ones), plus a few invented members without any cooperation for the perception
survey. They are **invented**: the campaigns' titles say « réponses fictives », every
perception answer's comment says so too. What the registry records is kept: each French
authority's cooperations survey describes exactly its demo partnerships (partner country and
authority, start year, the projects' themes, co-funders' kinds, actors' kinds); opinions
(added values, difficulties, relevance…) come from a random generator seeded with the
authority's key, so every run on every machine gives the same answers.

The answers are written as KoboToolbox CSV exports (main table, one table for the
``cooperation`` repeat, BOM, 0/1 column per choice) and imported through the surveys' import
service, like an analyst's file. Their UUIDs are derived from the authority's key, so a second
load finds them all already there (``unchanged``) and writes nothing.
"""

from __future__ import annotations

import io
import random
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from reciprocite.accounts.models import User
from reciprocite.interop.tabular import write_csv
from reciprocite.surveys.models import Campaign, CampaignStatus, Questionnaire
from reciprocite.surveys.services import campaigns
from reciprocite.surveys.services.imports import submissions_import
from reciprocite.surveys.services.questionnaires import questionnaires_load_shipped
from reciprocite.surveys.structure import GROUP_TYPES, METADATA, Structure
from reciprocite.surveys.xlsforms.build import CHOICES

from .specs import DemoContent, PartnershipSpec, TerritorySpec

PERCEPTION = "perception"
COOPERATIONS = "cooperations"
REPEAT = "cooperation"
CAMPAIGN_TITLES = {
    PERCEPTION: "Étude de démonstration 2024 — perception (réponses fictives)",
    COOPERATIONS: "Étude de démonstration 2024 — coopérations (réponses fictives)",
}
# who runs the demo's campaigns: the network analyst of the demo accounts
ANALYST = "analyste"
COMMENT = "Réponse fictive (données de démonstration)."
# the UUIDs of the demo's answers: uuid5(DEMO_NAMESPACE, "<form>:<authority key>")
DEMO_NAMESPACE = uuid.UUID("6f1d3c2e-5b7a-4c1e-9d8f-0a2b4c6d8e10")
FRENCH_KINDS = ("commune", "intercommunalite", "departement", "region")
ACTOR_PARTNERS = {
    "association": "associations",
    "operator": "ong",
    "state_service": "services_etat",
}

# invented members that answered the perception survey without any cooperation
NON_COOPERATING = (
    ("valmont", "Valmont-sur-Aure (commune fictive)", "commune"),
    ("brenne", "Saint-Aignan-en-Brenne (commune fictive)", "commune"),
    ("orval", "Orval-les-Prés (commune fictive)", "commune"),
    ("vaux", "Communauté de communes des Vaux (fictive)", "intercommunalite"),
    ("hautes_landes", "Hautes-Landes (département fictif)", "departement"),
    ("marais", "Pays du Marais (commune fictive)", "autre"),
)


def _names(list_name: str, *, but: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The choice names of one of the study's lists (the contract, in xlsforms/build.py)."""
    return tuple(name for name, _label in CHOICES[list_name] if name not in but)


THEMES = _names("themes")
COFUNDING = _names("cofinancement")
# a cooperation mobilises the international relations service; maybe some of these too
SERVICES = _names("service_interne", but=("relations_internationales", "aucun"))
EXTERNAL_PARTNERS = _names("partenaire_externe", but=("aucun",))
PLUS_VALUES = _names("plus_value")
DIFFICULTIES = _names("difficulte", but=("autre",))
UTC_PLUS_ONE = timezone(timedelta(hours=1))
# the demo's "now" (nothing depends on today's date): answers of spring 2024
PERCEPTION_START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC_PLUS_ONE)
COOPERATIONS_START = datetime(2024, 5, 13, 9, 0, tzinfo=UTC_PLUS_ONE)


Answers = dict[str, Any]  # as a submission's ``data`` holds them
Answer = tuple[str, dict[str, str], Answers]  # (authority key, respondent block, answers)
Column = tuple[str, str, list[str]]  # (header, question name, choices of a select_multiple)
Row = dict[str, str]


@dataclass
class _Respondent:
    key: str
    name: str
    kind: str
    code: str
    partnerships: list[PartnershipSpec]


def _respondents(content: DemoContent) -> list[_Respondent]:
    """The French authorities of the demo's partnerships, in the order of the content."""
    by_key: dict[str, TerritorySpec] = {t.key: t for t in content.territories}
    found: dict[str, _Respondent] = {}
    for partnership in content.partnerships:
        for key in partnership.french:
            spec = by_key[key]
            if spec.kind not in FRENCH_KINDS:
                continue
            if key not in found:
                found[key] = _Respondent(key, spec.name, spec.kind, spec.official_code, [])
            found[key].partnerships.append(partnership)
    return list(found.values())


def _multiple(values: Iterable[str]) -> str:
    return " ".join(values)


def _rng(form_id: str, key: str) -> random.Random:
    return random.Random(f"reciprocite-demo-study:{form_id}:{key}")  # noqa: S311 - not a secret


def _ordered(codes: Iterable[str], order: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [code for code in order if code in wanted]


def _themes(partnership: PartnershipSpec) -> list[str]:
    return _ordered({t for p in partnership.projects for t in p.themes}, THEMES) or ["autre"]


# --- the answers, as Kobo's JSON would hold them ----------------------------------------------


def _perception(respondent: _Respondent, content: DemoContent) -> Answers:
    rng = _rng(PERCEPTION, respondent.key)
    by_key = {t.key: t for t in content.territories}
    countries = sorted(
        {by_key[k].country.lower() for p in respondent.partnerships for k in p.partners}
    )
    themes = Counter(t for p in respondent.partnerships for pr in p.projects for t in pr.themes)
    entry_points = _ordered([t for t, _n in themes.most_common(3)], THEMES)
    return {
        "a_cooperation": "oui",
        "pays_partenaires": _multiple(countries),
        "action_sociale_pertinente": rng.choices(["oui", "non", "nsp"], [8, 1, 1])[0],
        "portes_entree": _multiple(entry_points),
        "se_reconnait_terme": rng.choices(["oui", "en_partie", "non"], [5, 4, 1])[0],
        "services_sociaux_impliques": rng.choices(["oui", "non"], [3, 2])[0],
        "commentaire": COMMENT,
    }


def _not_cooperating(key: str) -> Answers:
    rng = _rng(PERCEPTION, key)
    relevant = rng.choice(["oui", "non", "nsp"])
    return {
        "a_cooperation": "non",
        "pays_partenaires": "",
        "action_sociale_pertinente": relevant,
        "portes_entree": _multiple(sorted(rng.sample(THEMES[:-1], 2), key=THEMES.index))
        if relevant == "oui"
        else "",
        "se_reconnait_terme": rng.choice(["oui", "en_partie", "non"]),
        "services_sociaux_impliques": "non",
        "commentaire": COMMENT,
    }


def _cooperation(partnership: PartnershipSpec, content: DemoContent, rng: random.Random) -> Answers:
    by_key = {t.key: t for t in content.territories}
    actor_kinds = {a.key: a.kind for a in content.actors}
    funder_kinds = {f.key: f.kind for f in content.funders}
    partner = by_key[partnership.partners[0]]
    funders = {f.funder for p in partnership.projects for f in p.fundings}
    funders |= {line.funder for g in partnership.programmes for line in g.lines}
    cofunding = _ordered({funder_kinds[f] for f in funders}, COFUNDING)
    roles = {actor_kinds[r.actor] for p in partnership.projects for r in p.roles}
    externals = _ordered(
        {ACTOR_PARTNERS[k] for k in roles if k in ACTOR_PARTNERS},
        EXTERNAL_PARTNERS,
    )
    services = ["relations_internationales"]
    if "municipal_service" in roles or rng.random() < 0.5:
        services += sorted(rng.sample(SERVICES, rng.randint(1, 2)), key=SERVICES.index)
    budgets = [
        p.budget_amount
        for p in partnership.projects
        if p.budget_amount is not None and p.budget_currency == "EUR"
    ]
    entry: Answers = {
        "pays_partenaire": partner.country.lower(),
        "autorite_partenaire": partner.name,
        "themes": _multiple(_themes(partnership)),
        "cofinancements": _multiple(cofunding or ["fonds_propres"]),
        "services_internes": _multiple(services),
        "partenaires_externes": _multiple(externals or ["aucun"]),
        "plus_values": _multiple(
            sorted(rng.sample(PLUS_VALUES, rng.randint(1, 3)), key=PLUS_VALUES.index)
        ),
        "difficultes": _multiple(
            sorted(rng.sample(DIFFICULTIES, rng.randint(0, 2)), key=DIFFICULTIES.index)
        ),
    }
    if partnership.start_date is not None:
        entry["annee_debut"] = partnership.start_date.year
    if budgets:
        # the projects' budgets spread over their years: an order of magnitude, in hundreds
        years = max(1, len({p.start_date.year for p in partnership.projects if p.start_date}))
        annual = sum(budgets, Decimal(0)) / years
        entry["budget_annuel_eur"] = int(annual.quantize(Decimal(100)) or 100)
    return entry


# --- Kobo's CSV export ------------------------------------------------------------------------

# not columns of the answers: groups, metadata (start and end are written apart), notes
SKIPPED = GROUP_TYPES | METADATA | {"note", "calculate"}


def _columns(structure: Structure, *, repeat: str) -> list[Column]:
    """(header, question name, choices of a select_multiple) of the questions of the main
    rows (``repeat=""``) or of a repeat, in the form's order."""
    out = []
    for question in structure.questions:
        if not question.name or question.repeat != repeat or question.type in SKIPPED:
            continue
        choices = (
            [str(c.get("name")) for c in structure.choices(question)]
            if question.kind == "select_multiple"
            else []
        )
        out.append((question.full_path, question.name, choices))
    return out


def _cells(columns: list[Column], answers: Answers) -> Row:
    row = {}
    for header, name, choices in columns:
        value = answers.get(name)
        text = "" if value is None else str(value)
        row[header] = text
        if choices and name in answers:
            picked = set(text.split())
            for choice in choices:
                row[f"{header}/{choice}"] = "1" if choice in picked else "0"
    return row


def _headers(columns: list[Column]) -> list[str]:
    out = []
    for header, _name, choices in columns:
        out.append(header)
        out += [f"{header}/{c}" for c in choices]
    return out


def _csv(columns: list[str], rows: list[Row]) -> bytes:
    stream = io.StringIO()
    write_csv(columns, rows, stream, bom=True)
    return stream.getvalue().encode("utf-8")


def _export(form_id: str, structure: Structure, answers: list[Answer]) -> list[tuple[str, bytes]]:
    """Kobo's export of ``answers`` ([(authority key, respondent block, answers)]): the main
    table and, for the cooperations form, the repeat's table."""
    main = _columns(structure, repeat="")
    start = PERCEPTION_START if form_id == PERCEPTION else COOPERATIONS_START
    meta = ["_id", "_uuid", "_submission_time", "_status", "_index"]
    rows: list[Row] = []
    repeat_rows: list[Row] = []
    inner = _columns(structure, repeat=REPEAT) if form_id == COOPERATIONS else []
    for index, (key, block, data) in enumerate(answers, start=1):
        began = start + timedelta(days=index // 3, hours=index % 3)
        row = {
            "start": began.isoformat(timespec="milliseconds"),
            "end": (began + timedelta(minutes=17)).isoformat(timespec="milliseconds"),
            **_cells(main, {**block, **data}),
            "_id": str(900000 + index),
            "_uuid": str(uuid.uuid5(DEMO_NAMESPACE, f"{form_id}:{key}")),
            # Kobo writes the time of reception in UTC, without the offset
            "_submission_time": (began + timedelta(minutes=20))
            .astimezone(UTC)
            .replace(tzinfo=None)
            .isoformat(),
            "_status": "submitted_via_web",
            "_index": str(index),
        }
        rows.append(row)
        for entry in data.get(REPEAT, []):
            repeat_rows.append(
                {
                    **_cells(inner, entry),
                    "_index": str(len(repeat_rows) + 1),
                    "_parent_table_name": form_id,
                    "_parent_index": str(index),
                    "_submission__uuid": row["_uuid"],
                }
            )
    files = [(f"{form_id}.csv", _csv(["start", "end", *_headers(main), *meta], rows))]
    if inner:
        header = [
            *_headers(inner),
            "_index",
            "_parent_table_name",
            "_parent_index",
            "_submission__uuid",
        ]
        files.append((f"{form_id}-{REPEAT}.csv", _csv(header, repeat_rows)))
    return files


def study_answers(content: DemoContent) -> dict[str, list[Answer]]:
    """The demo's answers of each form: [(authority key, respondent block, answers)]."""
    perception: list[Answer] = []
    cooperations: list[Answer] = []
    for respondent in _respondents(content):
        block = {
            "collectivite_nom": respondent.name,
            "collectivite_type": respondent.kind,
            "collectivite_code": respondent.code,
        }
        perception.append((respondent.key, block, _perception(respondent, content)))
        rng = _rng(COOPERATIONS, respondent.key)
        entries = [_cooperation(p, content, rng) for p in respondent.partnerships]
        cooperations.append((respondent.key, block, {REPEAT: entries}))
    for key, name, kind in NON_COOPERATING:
        block = {"collectivite_nom": name, "collectivite_type": kind, "collectivite_code": ""}
        perception.append((key, block, _not_cooperating(key)))
    return {PERCEPTION: perception, COOPERATIONS: cooperations}


# --- the load ---------------------------------------------------------------------------------


def _campaign(questionnaire: Questionnaire, analyst: User | None) -> tuple[Campaign, bool, bool]:
    """The demo's campaign of the questionnaire, open; and whether it was created or
    reopened."""
    title = CAMPAIGN_TITLES[questionnaire.form_id]
    campaign = (
        Campaign.objects.filter(questionnaire=questionnaire, title=title).order_by("pk").first()
    )
    created = campaign is None
    if campaign is None:
        campaign = campaigns.campaign_create(
            questionnaire=questionnaire, title=title, actor=analyst
        )
    reopened = campaign.status != CampaignStatus.OPEN and not created
    if campaign.status != CampaignStatus.OPEN or campaign.closes_at is not None:
        # left open without a closing date, so a visitor can try the web form and the API
        campaign.closes_at = None
        campaign.save(update_fields=["closes_at"])
        campaigns.campaign_open(campaign=campaign, actor=analyst)
    return campaign, created, reopened


def load_study(content: DemoContent, *, analyst: User | None = None) -> dict[str, int]:
    """Load the questionnaires, a campaign of each, the demo's answers, and publish them.

    Returns {"campaigns", "answers" (read from the export), "survey_forms", "created",
    "updated"} (short
    keys: ``reciprocite demo`` prints them aligned with the others); ``created`` counts
    new questionnaire versions, campaigns and answers (0 on a second run).
    """
    from .loader import DemoLoadError

    analyst = analyst or User.objects.filter(username=ANALYST).first()
    shipped = questionnaires_load_shipped()  # a second load is a no-op
    created = shipped["created"]
    updated = 0
    answers = study_answers(content)
    total = 0
    for form_id in (PERCEPTION, COOPERATIONS):
        questionnaire = Questionnaire.objects.get(form_id=form_id)
        version = questionnaire.current_version
        assert version is not None  # just loaded
        campaign, new, reopened = _campaign(questionnaire, analyst)
        created += new
        updated += reopened
        files = _export(form_id, Structure(version.structure, version.rows), answers[form_id])
        report = submissions_import(
            questionnaire=questionnaire, files=files, campaign=campaign, strict=True
        )
        if report.conflicts:
            raise DemoLoadError(
                f"survey {form_id}: {report.conflicts} demo answers were changed since they "
                "were loaded; delete them to load them again"
            )
        created += report.created
        total += report.read
        if not campaign.is_published:
            updated += not new
            campaigns.campaign_publish(campaign=campaign, actor=analyst)
    return {
        "campaigns": 2,
        "answers": total,
        "survey_forms": shipped["questionnaires"],
        "created": created,
        "updated": updated,
    }
