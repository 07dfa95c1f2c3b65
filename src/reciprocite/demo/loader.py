"""Write the demo content into the database, through the services, idempotently.

Each row is matched on a stable key before anything is written:

| row            | matched on                                                      |
|----------------|-----------------------------------------------------------------|
| territory      | country + official code when there is one, else country + name  |
| partnership    | title (soft-deleted ones included: they are restored)           |
| programme      | partnership + title                                             |
| budget line    | programme + year + funder + currency                            |
| project        | partnership + title (soft-deleted ones included: restored)      |
| funder         | name                                                            |
| actor          | name + territory                                                |
| actor's role   | project + actor + role                                          |
| replication    | model project + replica project                                 |
| document       | partnership + title                                             |
| organisation   | name; user: username; membership: user + organisation + role    |

A row that already holds the demo's values is not saved again, so a second load writes
nothing and adds no line to the history. A demo row someone edited is put back to the demo's
values (the change is recorded in its history, like any edit). Rows that are not part of the
demo are left alone, except the co-fundings, actors' roles and budget lines *of demo
projects and programmes*, which are set to exactly the demo's. Actors, funders, documents,
organisations and users are only created, never updated: the services offer no update for
them, and a user's password is never reset.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reciprocite.accounts import services as accounts
from reciprocite.accounts.models import Membership, Organisation, User
from reciprocite.registry import services as registry
from reciprocite.registry.models import (
    Actor,
    BudgetLine,
    Document,
    Funder,
    Partnership,
    Programme,
    Project,
    Replication,
    Side,
)
from reciprocite.territories import services as territories
from reciprocite.territories.models import Territory
from reciprocite.territories.resolve import territory_resolve

from .content import DEMO_PASSWORD, demo_content
from .coordination import load_coordination
from .knowledge import load_knowledge
from .matching import load_matching
from .specs import DemoContent, PartnershipSpec, ProgrammeSpec, ProjectSpec, TerritorySpec
from .study import load_study
from .translations import TRANSLATIONS

Progress = Callable[[str, int, int], None]

MICRODEGREE = Decimal("0.000001")


class DemoLoadError(Exception):
    """The demo could not be loaded; the message names the row and the reason."""


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(MICRODEGREE)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class _Loader:
    def __init__(self, content: DemoContent, progress: Progress | None) -> None:
        self.content = content
        self.progress = progress
        self.created = 0
        self.updated = 0
        self.territories: dict[str, Territory] = {}
        self.actors: dict[str, Actor] = {}
        self.funders: dict[str, Funder] = {}
        self.projects: dict[tuple[str, str], Project] = {}

    # --- the run ---

    def run(self) -> dict[str, int]:
        c = self.content
        steps: list[tuple[str, Callable[[], None]]] = [
            (_("Territories"), self.load_territories),
            (_("Funders and actors"), self.load_funders_and_actors),
        ]
        for spec in c.partnerships:
            steps.append(
                (
                    _("Partnership: %(title)s") % {"title": spec.title},
                    lambda spec=spec: self.load_partnership(spec),
                )
            )
        steps.append((_("Replications"), self.load_replications))
        steps.append((_("Demo accounts"), self.load_accounts))
        with transaction.atomic():
            for done, (description, step) in enumerate(steps, start=1):
                step()
                if self.progress is not None:
                    self.progress(description, done, len(steps))
            knowledge = (
                load_knowledge()
            )  # the knowledge base: sheets and toolbox (demo/knowledge.py)
            self.load_translations()  # the partners' languages, beside the originals
            self.created += knowledge.pop("created")
            self.updated += knowledge.pop("updated")
            coordination = (
                load_coordination()
            )  # frameworks, pairs, exchanges (demo/coordination.py)
            self.created += coordination.pop("created")
            study = load_study(self.content)  # the study's campaigns and answers (demo/study.py)
            self.created += study.pop("created")
            self.updated += study.pop("updated")
            matching = load_matching()  # needs, offers and the ledger (demo/matching.py)
            self.created += matching.pop("created")
            self.updated += matching.pop("updated")
        return {
            **knowledge,
            **coordination,
            **study,
            **matching,
            "territories": len(c.territories),
            "partnerships": len(c.partnerships),
            "programmes": sum(len(p.programmes) for p in c.partnerships),
            "projects": sum(len(p.projects) for p in c.partnerships),
            "actors": len(c.actors),
            "replications": len(c.replications),
            "documents": sum(len(p.documents) for p in c.partnerships),
            "funders": len(c.funders),
            "organisations": len(c.organisations),
            "users": len(c.users),
            "created": self.created,
            "updated": self.updated,
        }

    def _guard(self, what: str, write: Callable):
        try:
            return write()
        except (ValidationError, TypeError, ValueError) as exc:
            raise DemoLoadError(f"{what}: {_message(exc)}") from exc

    # --- territories ---

    def load_territories(self) -> None:
        for spec in self.content.territories:
            self.territories[spec.key] = self._guard(
                f"territory {spec.name!r}", lambda spec=spec: self.territory(spec)
            )

    def territory(self, spec: TerritorySpec) -> Territory:
        fields = {
            "name": spec.name,
            "kind": spec.kind,
            "country": spec.country,
            "subdivision": spec.subdivision,
            "official_code": spec.official_code,
            "latitude": _coordinate(spec.latitude),
            "longitude": _coordinate(spec.longitude),
            "population": spec.population,
            "languages": list(spec.languages),
            "is_fictitious": spec.fictitious,
        }
        alive = Territory.objects.filter(country=spec.country).order_by("pk")
        if spec.official_code:
            # the code together with the kind (région 44 is not département 44)
            existing = territory_resolve(
                country=spec.country, kind=spec.kind, code=spec.official_code
            ).match
        else:
            existing = alive.filter(name=spec.name).first()
        if existing is None:
            self.created += 1
            return territories.territory_create(**fields)
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        if changes:
            self.updated += 1
            territories.territory_update(territory=existing, **changes)
        return existing

    # --- funders and actors ---

    def load_funders_and_actors(self) -> None:
        for spec in self.content.funders:
            if not Funder.objects.filter(name=spec.name).exists():
                self.created += 1
            self.funders[spec.key] = self._guard(
                f"funder {spec.name!r}",
                lambda spec=spec: registry.funder_get_or_create(name=spec.name, kind=spec.kind),
            )
        for spec in self.content.actors:
            territory = self.territories[spec.territory] if spec.territory else None
            if not Actor.objects.filter(name=spec.name, territory=territory).exists():
                self.created += 1
            self.actors[spec.key] = self._guard(
                f"actor {spec.name!r}",
                lambda spec=spec, territory=territory: registry.actor_get_or_create(
                    name=spec.name,
                    kind=spec.kind,
                    territory=territory,
                    description=spec.description,
                    is_fictitious=spec.fictitious,
                ),
            )

    # --- partnerships and what hangs from them ---

    def load_partnership(self, spec: PartnershipSpec) -> None:
        partnership = self._guard(f"partnership {spec.title!r}", lambda: self.partnership(spec))
        programmes = {}
        for programme in spec.programmes:
            programmes[programme.title] = self._guard(
                f"programme {programme.title!r} of {spec.title!r}",
                lambda programme=programme: self.programme(partnership, programme),
            )
        for project in spec.projects:
            self.projects[(spec.title, project.title)] = self._guard(
                f"project {project.title!r} of {spec.title!r}",
                lambda project=project: self.project(partnership, project, programmes),
            )
        for document in spec.documents:
            if not Document.objects.filter(partnership=partnership, title=document.title).exists():
                self.created += 1
                self._guard(
                    f"document {document.title!r} of {spec.title!r}",
                    lambda document=document: registry.document_add(
                        partnership=partnership,
                        title=document.title,
                        kind=document.kind,
                        signed_on=document.signed_on,
                        language=document.language,
                    ),
                )

    def partnership(self, spec: PartnershipSpec) -> Partnership:
        french = [self.territories[key] for key in spec.french]
        partners = [self.territories[key] for key in spec.partners]
        fields = {
            "title": spec.title,
            "kind": spec.kind,
            "status": spec.status,
            "start_date": spec.start_date,
            "end_date": spec.end_date,
            "description": spec.description,
            "language": "fr",
            "is_published": spec.is_published,
            "is_fictitious": spec.fictitious,
        }
        existing = Partnership.all_objects.filter(title=spec.title).order_by("pk").first()
        if existing is None:
            self.created += 1
            return registry.partnership_create(
                french_territories=french, partner_territories=partners, **fields
            )
        if existing.is_deleted:
            self.updated += 1
            registry.partnership_restore(partnership=existing)
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        wanted = {(t.pk, Side.FRENCH) for t in french} | {(t.pk, Side.PARTNER) for t in partners}
        parties_differ = set(existing.parties.values_list("territory_id", "side")) != wanted
        if changes or parties_differ:
            self.updated += 1
            registry.partnership_update(
                partnership=existing,
                french_territories=french if parties_differ else None,
                partner_territories=partners if parties_differ else None,
                **changes,
            )
        return existing

    def programme(self, partnership: Partnership, spec: ProgrammeSpec) -> Programme:
        fields = {
            "title": spec.title,
            "start_year": spec.start_year,
            "end_year": spec.end_year,
            "description": spec.description,
        }
        programme = Programme.objects.filter(partnership=partnership, title=spec.title).first()
        if programme is None:
            self.created += 1
            programme = registry.programme_create(partnership=partnership, **fields)
        else:
            changes = {k: v for k, v in fields.items() if getattr(programme, k) != v}
            if changes:
                self.updated += 1
                registry.programme_update(programme=programme, **changes)
        wanted = {
            (line.year, self.funders[line.funder].pk, line.currency): (line, Decimal(line.amount))
            for line in spec.lines
        }
        current = {
            (line.year, line.funder_id, line.currency): line
            for line in BudgetLine.objects.filter(programme=programme)
        }
        for key, line in current.items():
            if key not in wanted:
                self.updated += 1
                registry.budget_line_delete(line=line)
        for key, (line, amount) in wanted.items():
            existing = current.get(key)
            if existing is not None and existing.amount == amount:
                continue
            self.created += existing is None
            self.updated += existing is not None
            registry.budget_line_set(
                programme=programme,
                year=line.year,
                funder=self.funders[line.funder],
                amount=amount,
                currency=line.currency,
            )
        return programme

    def project(self, partnership: Partnership, spec: ProjectSpec, programmes: dict) -> Project:
        programme = programmes[spec.programme] if spec.programme else None
        fields = {
            "title": spec.title,
            "summary": spec.summary,
            "description": spec.description,
            "results": spec.results,
            "status": spec.status,
            "start_date": spec.start_date,
            "end_date": spec.end_date,
            "budget_amount": spec.budget_amount,
            "budget_currency": spec.budget_currency,
            "language": "fr",
            "programme": programme,
            "is_fictitious": spec.fictitious,
        }
        fundings = [(self.funders[f.funder], Decimal(f.amount), f.currency) for f in spec.fundings]
        existing = (
            Project.all_objects.filter(partnership=partnership, title=spec.title)
            .order_by("pk")
            .first()
        )
        if existing is None:
            self.created += 1
            project = registry.project_create(
                partnership=partnership,
                themes=spec.themes,
                publics=spec.publics,
                fundings=fundings,
                **fields,
            )
        else:
            project = existing
            if project.is_deleted:
                self.updated += 1
                registry.project_restore(project=project)
            changes = {
                k: v
                for k, v in fields.items()
                if (
                    project.programme_id != (v.pk if v else None)
                    if k == "programme"
                    else getattr(project, k) != v
                )
            }
            themes_differ = set(project.themes.values_list("code", flat=True)) != set(spec.themes)
            publics_differ = set(project.publics.values_list("code", flat=True)) != set(
                spec.publics
            )
            current_fundings = {f.funder_id: (f.amount, f.currency) for f in project.fundings.all()}
            fundings_differ = current_fundings != {
                funder.pk: (amount, currency) for funder, amount, currency in fundings
            }
            if changes or themes_differ or publics_differ or fundings_differ:
                self.updated += 1
                registry.project_update(
                    project=project,
                    themes=spec.themes if themes_differ else None,
                    publics=spec.publics if publics_differ else None,
                    fundings=fundings if fundings_differ else None,
                    **changes,
                )
        self.roles(project, spec)
        return project

    def roles(self, project: Project, spec: ProjectSpec) -> None:
        wanted = {(self.actors[r.actor].pk, r.role): r for r in spec.roles}
        current = {(link.actor_id, link.role): link for link in project.roles.all()}
        for key, link in current.items():
            if key not in wanted:
                self.updated += 1
                registry.project_actor_remove(link=link)
        for key, role in wanted.items():
            link = current.get(key)
            if link is not None and link.note == role.note:
                continue
            self.created += link is None
            self.updated += link is not None
            registry.project_actor_add(
                project=project, member=self.actors[role.actor], role=role.role, note=role.note
            )

    # --- replications ---

    def load_replications(self) -> None:
        for spec in self.content.replications:
            model, replica = self.projects[spec.model], self.projects[spec.replica]
            link = Replication.objects.filter(model=model, replica=replica).first()
            if link is not None and link.note == spec.note:
                continue
            self.created += link is None
            self.updated += link is not None
            self._guard(
                f"replication of {spec.model[1]!r} by {spec.replica[1]!r}",
                lambda spec=spec, model=model, replica=replica: registry.replication_link(
                    model=model, replica=replica, note=spec.note
                ),
            )

    # --- translations in the partners' languages (demo/translations.py) ---

    def load_translations(self) -> None:
        for spec in TRANSLATIONS:
            if spec.project is not None:
                original = self.projects.get((spec.partnership, spec.project))
            else:
                original = Partnership.objects.filter(title=spec.partnership).first()
            if original is None:  # content without this record (a test's own)
                continue
            model = registry.translation_model(original)
            texts = {name: getattr(spec, name) for name in model.TEXT_FIELDS}
            existing = original.translations.filter(language=spec.language).first()
            if existing is not None and all(getattr(existing, k) == v for k, v in texts.items()):
                continue
            self.created += existing is None
            self.updated += existing is not None
            self._guard(
                f"{spec.language} translation of {spec.project or spec.partnership!r}",
                lambda original=original, spec=spec, texts=texts: registry.translation_save(
                    original=original, language=spec.language, **texts
                ),
            )

    # --- demo accounts ---

    def load_accounts(self) -> None:
        organisations: dict[str, Organisation] = {}
        for spec in self.content.organisations:
            organisation, created = self._guard(
                f"organisation {spec.name!r}",
                lambda spec=spec: accounts.organisation_get_or_create(
                    name=spec.name,
                    kind=spec.kind,
                    territory=self.territories[spec.territory] if spec.territory else None,
                    contact_email=spec.contact_email,
                    slug=spec.slug,
                ),
            )
            self.created += created
            organisations[spec.name] = organisation
        for spec in self.content.users:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                self.created += 1
                user = self._guard(
                    f"user {spec.username!r}",
                    lambda spec=spec: accounts.user_create(
                        username=spec.username,
                        password=DEMO_PASSWORD,
                        email=spec.email,
                        is_superuser=spec.is_superuser,
                        preferred_language=spec.preferred_language,
                    ),
                )
            if spec.organisation and spec.role:
                organisation = organisations[spec.organisation]
                if not Membership.objects.filter(
                    user=user, organisation=organisation, role=spec.role
                ).exists():
                    self.created += 1
                    accounts.membership_add(user=user, organisation=organisation, role=spec.role)


def load_demo(*, progress: Progress | None = None) -> dict[str, int]:
    """Load (or bring back) the demo content; safe to run again. See the module docstring.

    ``progress(step_description, done, total)`` is called after each step. Returns how many
    rows of each kind the demo holds, and how many rows this run ``created`` or ``updated``
    (both 0 when the demo was already loaded and untouched).
    """
    return _Loader(demo_content(), progress).run()
