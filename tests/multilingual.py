"""Content written in French, Russian and Arabic, on top of `tests.factories.build_world`:
what the direction tests (pages, PDF, browser) read in each interface language.

The texts are our own short sentences, in the language each record says it is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reciprocite.knowledge import services as knowledge
from reciprocite.knowledge.taxonomy import Status
from reciprocite.registry import services as registry
from reciprocite.territories.services import territory_create

FRENCH_DESCRIPTION = "Une coopération née en 1991, portée par la Région Nord-Pas-de-Calais."
ARABIC_TITLE = "أكادير ↔ ليل: التعاون الاجتماعي"
ARABIC_DESCRIPTION = "شراكة بين جماعة أكادير ومدينة ليل في مجال العمل الاجتماعي منذ 2005."
ARABIC_SUMMARY = "مركز لاستقبال الأطفال في وضعية صعبة، على نموذج مكتب التشغيل."
RUSSIAN_SUMMARY = "Обмен опытом между социальными службами двух городов."


@dataclass
class Multilingual:
    french: object  # the French partnership Hérouville ↔ Tikhvine, with a description
    arabic: object  # an Arabic partnership Agadir ↔ Lille
    russian_project: object  # a project of Hérouville ↔ Tikhvine written in Russian
    arabic_project: object  # a project of Agadir ↔ Lille in Arabic, a replica of the office
    french_sheet: object
    arabic_sheet: object  # the Arabic translation of the French sheet


def build_multilingual(world) -> Multilingual:
    french = registry.partnership_update(
        partnership=world.herouville_tikhvine, description=FRENCH_DESCRIPTION
    )
    agadir = territory_create(name="أكادير", kind="municipality", country="MA", languages=["ar"])
    arabic = registry.partnership_create(
        title=ARABIC_TITLE,
        kind="cooperation",
        language="ar",
        description=ARABIC_DESCRIPTION,
        start_date=date(2005, 1, 1),
        french_territories=[world.lille],
        partner_territories=[agadir],
    )
    russian_project = registry.project_create(
        partnership=french,
        title="Обмен социальных работников",
        language="ru",
        summary=RUSSIAN_SUMMARY,
        description=RUSSIAN_SUMMARY,
        themes=["acces_droits"],
        start_date=date(2001, 1, 1),
    )
    arabic_project = registry.project_create(
        partnership=arabic,
        title="مركز استقبال الأطفال",
        language="ar",
        summary=ARABIC_SUMMARY,
        description=ARABIC_SUMMARY,
        themes=["jeunesse"],
        start_date=date(2008, 1, 1),
    )
    registry.replication_link(model=world.employment_office, replica=arabic_project)
    french_sheet = knowledge.sheet_create(
        ref="exp-direction",
        title="Le bureau de l'emploi de Tikhvine",
        language="fr",
        country="RU",
        summary="<p>Un bureau de l'emploi rénové, par la Région Nord-Pas-de-Calais.</p>",
        method="<p>Des échanges d'agents entre les deux villes.</p>",
        status=Status.PUBLISHED,
    )
    arabic_sheet = knowledge.sheet_create(
        ref="exp-direction-ar",
        title="مكتب التشغيل في تيخفين",
        language="ar",
        country="RU",
        translation_of=french_sheet,
        summary="<p>مكتب تشغيل مُجدَّد أصبح نموذجًا للمنطقة.</p>",
        method="<p>تبادل الموظفين بين المدينتين.</p>",
        status=Status.PUBLISHED,
    )
    return Multilingual(
        french=french,
        arabic=arabic,
        russian_project=russian_project,
        arabic_project=arabic_project,
        french_sheet=french_sheet,
        arabic_sheet=arabic_sheet,
    )
