"""Demo content of coordination, in our own words, on the demo's partnerships and actors.

- Lille ↔ Saint-Louis: the two thematic consultation frameworks the conference described
  (social action, health), chaired on the Saint-Louis side; three years of quarterly
  meetings (2024–2027), their minutes, numbered decisions and follow-up actions, some late.
- Loire-Atlantique ↔ Agadir: the 2010 delegation of associations, the Franco-Moroccan social
  platform it gave birth to (a framework with members on both sides), three pairs of
  associations.
- Hérouville-Saint-Clair ↔ Tikhvine: exchanges of social workers.

The frameworks, the platform, the delegation and the pairs' existence come from the
conference; every meeting, minute, decision, action, person and the details of the pairs and
exchanges are invented for the demo and marked so (``is_fictitious``, "(fictif)" after each
person's name).

Idempotent: frameworks are matched on partnership + title, members on framework + name or
actor, meetings on framework + title, decisions and actions on framework + title, pairs on
partnership + the two associations, exchanges on partnership + title; rows are only
created, never updated (a second load writes nothing).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from reciprocite.accounts.models import User
from reciprocite.coordination import services
from reciprocite.coordination.models import (
    Action,
    AssociationPair,
    Decision,
    Exchange,
    Framework,
    FrameworkMember,
    Meeting,
    Minutes,
)
from reciprocite.registry.models import Actor, Partnership

from .content import HEROUVILLE_TIKHVINE, LILLE_SAINT_LOUIS, LOIRE_ATLANTIQUE_AGADIR

INVENTED = (
    "Le cadre existe ; ses réunions, comptes rendus, décisions et actions sont inventés pour la "
    "démonstration, comme les personnes nommées « (fictif) »."
)


class _Counter:
    def __init__(self) -> None:
        self.created = 0

    def get_or_create(self, model: Any, lookup: dict[str, Any], create: Any) -> Any:
        row = model.objects.filter(**lookup).first()
        if row is None:
            row = create()
            self.created += 1
        return row


def _actor(name: str) -> Actor:
    actor = Actor.objects.filter(name=name).first()
    if actor is None:
        raise LookupError(f"demo actor {name!r} is missing")
    return cast(Actor, actor)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _member(c: _Counter, framework: Framework, **fields: Any) -> FrameworkMember:
    lookup: dict[str, Any] = {"framework": framework}
    if fields.get("person_name"):
        lookup["person_name"] = fields["person_name"]
    elif fields.get("user"):
        lookup["user"] = fields["user"]
    else:
        lookup["actor"] = fields["registry_actor"]
    member = c.get_or_create(
        FrameworkMember, lookup, lambda: services.member_add(framework=framework, **fields)
    )
    return cast(FrameworkMember, member)


# --- Lille ↔ Saint-Louis ---------------------------------------------------------------------

LILLE_FRAMEWORKS = (
    (
        "acces_droits",
        "Cadre de concertation sur l'action sociale",
        "Élue chargée de l'action sociale à Saint-Louis (fictif)",
        "Élu·e de Saint-Louis en charge de l'action sociale",
        (
            (
                "Recenser les enfants sans acte de naissance dans deux quartiers",
                "Agence de développement communal de Saint-Louis",
            ),
            (
                "Ouvrir une permanence d'accès aux droits au centre social",
                "Direction des relations internationales de la Ville de Lille",
            ),
            (
                "Former les agents d'accueil du CCAS à l'orientation des familles",
                "Associations et société civile de Saint-Louis",
            ),
        ),
    ),
    (
        "sante",
        "Cadre de concertation sur la santé",
        "Élu chargé de la santé à Saint-Louis (fictif)",
        "Élu·e de Saint-Louis en charge de la santé",
        (
            (
                "Cartographier les postes de santé et leurs horaires",
                "Agence de développement communal de Saint-Louis",
            ),
            (
                "Organiser une campagne de prévention avec les associations de quartier",
                "Associations et société civile de Saint-Louis",
            ),
            (
                "Préparer la mission d'échange entre infirmiers scolaires",
                "Direction des relations internationales de la Ville de Lille",
            ),
        ),
    ),
)

# quarterly, from March 2024 to March 2027: with the demo's clock the last ones are to come
MEETING_DAYS = [date(2024 + (3 * i + 2) // 12, (3 * i + 2) % 12 + 1, 12) for i in range(13)]


def _lille(c: _Counter) -> None:
    partnership = Partnership.objects.get(title=LILLE_SAINT_LOUIS)
    lille, saint_louis = _user("lille"), _user("saint-louis")
    for theme, title, chair_name, chair_actor, themes_actions in LILLE_FRAMEWORKS:
        framework = c.get_or_create(
            Framework,
            {"partnership": partnership, "title": title},
            lambda theme=theme, title=title: services.framework_create(
                partnership=partnership,
                theme=theme,
                title=title,
                time_zone="Africa/Dakar",
                minutes_visibility="public",
                description="Réunit la commune, ses services, les associations et la société "
                "civile de Saint-Louis, et la Ville de Lille. " + INVENTED,
                is_fictitious=True,
            ),
        )
        chair = _member(
            c, framework, person_name=chair_name, registry_actor=_actor(chair_actor),
            side="partner", position="chair", joined_on=date(2024, 1, 15),
        )  # fmt: skip
        secretary = _member(
            c, framework, user=saint_louis, registry_actor=_actor("Agence de développement communal de Saint-Louis"),
            side="partner", position="secretary", joined_on=date(2024, 1, 15),
        )  # fmt: skip
        _member(
            c, framework, user=lille, registry_actor=_actor("Direction des relations internationales de la Ville de Lille"),
            side="french", position="member", joined_on=date(2024, 1, 15),
        )  # fmt: skip
        _member(
            c, framework, person_name="Correspondante de Lille à Saint-Louis (fictif)",
            registry_actor=_actor("Correspondant de la Ville de Lille à Saint-Louis"),
            side="partner", position="vice_chair", joined_on=date(2024, 1, 15),
        )  # fmt: skip
        _member(
            c, framework, registry_actor=_actor("Associations et société civile de Saint-Louis"),
            side="partner", position="member", joined_on=date(2024, 3, 1),
        )  # fmt: skip
        _member(
            c, framework, registry_actor=_actor("Opérateur associatif du programme Lille – Saint-Louis"),
            side="french", position="observer", joined_on=date(2024, 1, 15), left_on=date(2025, 6, 30),
        )  # fmt: skip
        _lille_meetings(c, framework, chair, secretary, themes_actions)


def _lille_meetings(
    c: _Counter, framework: Framework, chair: FrameworkMember, secretary: FrameworkMember,
    themes_actions: tuple[tuple[str, str], ...],
) -> None:  # fmt: skip
    today = date(2026, 12, 8)
    for number, day in enumerate(MEETING_DAYS, start=1):
        title = f"Réunion n° {number} ({day:%m/%Y})"
        start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
        meeting = c.get_or_create(
            Meeting,
            {"framework": framework, "title": title},
            lambda title=title, start=start: services.meeting_schedule(
                framework=framework,
                title=title,
                starts_at=start,
                ends_at=start + timedelta(hours=2, minutes=30),
                place="Hôtel de ville de Saint-Louis, salle des délibérations",
                capacity=30,
                agenda=[
                    {"title": "Suivi des actions en cours", "presenter": "Secrétariat", "duration_minutes": 45},
                    {"title": "Point des associations", "presenter": "Associations", "duration_minutes": 45},
                    {"title": "Questions diverses", "duration_minutes": 20},
                ],
            ),
        )  # fmt: skip
        if day >= today or Minutes.objects.filter(meeting=meeting).exists():
            continue
        # the last meeting held has no minutes yet: the secretary gets the reminders
        if day == max(d for d in MEETING_DAYS if d < today):
            continue
        if meeting.status == "scheduled":
            services.meeting_hold(meeting=meeting, present=[chair, secretary])
        minutes = services.minutes_write(
            meeting=meeting,
            body=f"<p>Les membres ont fait le point sur les actions en cours du cadre « {framework.title} ». "
            "Les associations ont présenté leurs activités du trimestre.</p>"
            "<ul><li>Actions terminées saluées.</li><li>Retards discutés et échéances revues.</li></ul>",
        )  # fmt: skip
        services.minutes_translate(
            minutes=minutes,
            language="en",
            body="<p>The members reviewed the actions in progress; the associations presented "
            "their activities of the quarter.</p>",
        )
        services.minutes_approve(actor=None, minutes=minutes)
        services.minutes_publish(minutes=minutes)
        services.meeting_close(meeting=meeting)
        c.created += 1
        if number <= len(themes_actions):
            action_title, owner = themes_actions[number - 1]
            decision = c.get_or_create(
                Decision,
                {"framework": framework, "title": action_title},
                lambda action_title=action_title, meeting=meeting: services.decision_record(
                    framework=framework, meeting=meeting, title=action_title,
                    text="Décision prise à l'unanimité des membres présents.",
                ),
            )  # fmt: skip
            status = ("done", "in_progress", "planned")[number - 1]
            owner_member = FrameworkMember.objects.filter(
                framework=framework, actor__name=owner
            ).first()
            c.get_or_create(
                Action,
                {"framework": framework, "title": action_title},
                lambda action_title=action_title, decision=decision, status=status, owner_member=owner_member, day=day: services.action_create(
                    framework=framework, decision=decision, title=action_title, owner_member=owner_member,
                    due_on=day + timedelta(days=180), status=status,
                    progress={"done": 100, "in_progress": 40, "planned": 0}[status],
                    blocked=status == "planned",
                    milestones=[{"title": "Premier point d'étape", "due_on": day + timedelta(days=90)}],
                ),
            )  # fmt: skip


# --- Loire-Atlantique ↔ Agadir ---------------------------------------------------------------

PAIRS = (
    (
        "Association Premiers Pas Estuaire (exemple fictif)",
        "Association Tifawin Petite Enfance (exemple fictif)",
        "petite_enfance",
        date(2011, 9, 1),
    ),
    (
        "Association Liens Solidaires Nantes (exemple fictif)",
        "Association Amal pour les femmes d'Agadir (exemple fictif)",
        "droits_femmes",
        date(2012, 3, 1),
    ),
    (
        "Association Parents Ensemble Saint-Nazaire (exemple fictif)",
        "Association Atfal Souss (exemple fictif)",
        "protection_enfance",
        date(2013, 1, 15),
    ),
)


def _loire_atlantique(c: _Counter) -> None:
    partnership = Partnership.objects.get(title=LOIRE_ATLANTIQUE_AGADIR)
    c.get_or_create(
        Exchange,
        {"partnership": partnership, "title": "Délégation d'associations de Loire-Atlantique à Agadir"},
        lambda: services.exchange_create(
            partnership=partnership,
            title="Délégation d'associations de Loire-Atlantique à Agadir",
            kind="delegation", direction="to_partner", theme="acces_droits",
            start_date=date(2010, 4, 12), end_date=date(2010, 4, 17), places="Agadir",
            purpose="Faire se rencontrer les associations des deux territoires qui travaillent "
            "pour la mère et l'enfant.",
            programme="Visites d'associations et de services sociaux, ateliers communs.",
            outcome="La plateforme sociale franco-marocaine est née de cette délégation, des "
            "deux côtés, et des binômes d'associations se sont formés.",
            is_fictitious=True,
            participants=[
                {"actor": _actor("Associations de Loire-Atlantique engagées au Maroc"), "side": "french", "role": "délégation"},
                {"actor": _actor("Département de Loire-Atlantique — solidarité internationale"), "side": "french", "role": "organisation"},
                {"actor": _actor("Associations d'Agadir œuvrant pour la mère et l'enfant"), "side": "partner", "role": "accueil"},
            ],
            lessons={
                "french": {
                    "learned": "Les codes culturels de l'accompagnement des familles à Agadir.",
                    "changed_at_home": "Les associations accueillent autrement les familles "
                    "d'origine marocaine (exemple inventé pour la démonstration).",
                },
                "partner": {"learned": "Le travail en réseau des associations et du Département."},
            },
        ),
    )  # fmt: skip
    platform = c.get_or_create(
        Framework,
        {"partnership": partnership, "title": "Plateforme sociale franco-marocaine"},
        lambda: services.framework_create(
            partnership=partnership, theme="acces_droits", title="Plateforme sociale franco-marocaine",
            time_zone="Africa/Casablanca", minutes_visibility="members", is_fictitious=True,
            description="Née en 2010 de la délégation d'associations, elle existe à Agadir et en "
            "Loire-Atlantique. " + INVENTED,
        ),
    )  # fmt: skip
    for name, side, position in (
        ("Plateforme sociale franco-marocaine", "partner", "chair"),
        ("Associations de Loire-Atlantique engagées au Maroc", "french", "member"),
        ("Associations d'Agadir œuvrant pour la mère et l'enfant", "partner", "member"),
        ("Département de Loire-Atlantique — solidarité internationale", "french", "secretary"),
        ("Conseil préfectoral d'Agadir Ida-Outanane", "partner", "observer"),
    ):
        _member(
            c,
            platform,
            registry_actor=_actor(name),
            side=side,
            position=position,
            joined_on=date(2010, 6, 1),
        )
    _member(
        c,
        platform,
        user=_user("loire-atlantique"),
        side="french",
        position="secretary",
        joined_on=date(2010, 6, 1),
    )
    for french, partner, theme, start in PAIRS:
        fr_actor, ma_actor = _actor(french), _actor(partner)
        pair = c.get_or_create(
            AssociationPair,
            {"partnership": partnership, "french_association": fr_actor, "partner_association": ma_actor},
            lambda fr_actor=fr_actor, ma_actor=ma_actor, theme=theme, start=start: services.pair_create(
                partnership=partnership, french_association=fr_actor, partner_association=ma_actor,
                theme=theme, start_date=start, is_fictitious=True,
                description="Binôme inventé pour la démonstration.",
            ),
        )  # fmt: skip
        if not pair.activities.exists():
            services.joint_activity_add(
                pair=pair, date=start + timedelta(days=200), title="Rencontre des équipes bénévoles"
            )
            services.joint_activity_add(
                pair=pair,
                date=start + timedelta(days=400),
                title="Atelier commun avec les familles",
            )
            c.created += 2


# --- Hérouville-Saint-Clair ↔ Tikhvine -------------------------------------------------------


def _herouville(c: _Counter) -> None:
    partnership = Partnership.objects.get(title=HEROUVILLE_TIKHVINE)
    city = _actor("Ville d'Hérouville-Saint-Clair")
    tikhvine = _actor("Administration municipale de Tikhvine")
    for title, kind, direction, start, learned_fr, changed_fr, learned_ru in (
        (
            "Échange de travailleurs sociaux à Tikhvine", "exchange", "to_partner", date(1998, 5, 11),
            "Le travail des équipes de Tikhvine avec les familles de l'usine fermée.",
            "Une permanence commune emploi et action sociale (exemple inventé).",
            "L'accueil individualisé des demandeurs d'emploi.",
        ),
        (
            "Accueil de travailleurs sociaux de Tikhvine à Hérouville", "study_visit", "from_partner", date(2000, 10, 2),
            "La place des bénévoles dans l'accompagnement des jeunes à Tikhvine.",
            "Un groupe de parole de parents au centre social (exemple inventé).",
            "Le fonctionnement d'un centre médico-psychologique pour les jeunes.",
        ),
    ):  # fmt: skip
        c.get_or_create(
            Exchange,
            {"partnership": partnership, "title": title},
            lambda title=title, kind=kind, direction=direction, start=start, learned_fr=learned_fr, changed_fr=changed_fr, learned_ru=learned_ru: services.exchange_create(
                partnership=partnership, title=title, kind=kind, direction=direction, theme="jeunesse",
                start_date=start, end_date=start + timedelta(days=6),
                places="Tikhvine" if direction == "to_partner" else "Hérouville-Saint-Clair",
                purpose="Faire travailler côte à côte des travailleurs sociaux des deux villes.",
                programme="Visites de services, accompagnement en binôme, bilan commun.",
                outcome="Des pratiques échangées dans les deux sens (récit inventé pour la démonstration).",
                is_fictitious=True,
                participants=[
                    {"name": "Éducatrice spécialisée (fictif)", "actor": city, "side": "french", "role": "travailleuse sociale"},
                    {"name": "Assistant social (fictif)", "actor": tikhvine, "side": "partner", "role": "travailleur social"},
                ],
                lessons={
                    "french": {"learned": learned_fr, "changed_at_home": changed_fr},
                    "partner": {"learned": learned_ru},
                },
            ),
        )  # fmt: skip


def load_coordination() -> dict[str, int]:
    """Load the demo's frameworks, meetings, actions, pairs and exchanges (idempotent)."""
    c = _Counter()
    _lille(c)
    _loire_atlantique(c)
    _herouville(c)
    return {
        "frameworks": Framework.objects.filter(is_fictitious=True).count(),
        "exchanges": Exchange.objects.filter(is_fictitious=True).count(),
        "pairs": AssociationPair.objects.filter(is_fictitious=True).count(),
        "created": c.created,
    }
