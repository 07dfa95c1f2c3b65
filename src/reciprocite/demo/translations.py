"""The conference partnerships in their partners' languages, beside the French originals:
Russian for Tikhvine, Arabic for Agadir Ida-Outanane, Chtouka Aït Baha and Aït Amira.

Written in our own words from the French texts of ``content.py`` (not copied from any
source); loaded as unchecked translations, as a partner would find them before checking.
Lille ↔ Saint-Louis has none: French is Saint-Louis's official language.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import (
    AIT_AMIRA_CENTRES,
    EMPLOYMENT_OFFICE,
    HEROUVILLE_TIKHVINE,
    LOIRE_ATLANTIQUE_AGADIR,
    LOIRE_ATLANTIQUE_CHTOUKA,
    YOUTH_CENTRE,
)


@dataclass(frozen=True)
class TranslationSpec:
    partnership: str  # the partnership's French title
    project: str | None  # a project's French title, or None for the partnership itself
    language: str
    title: str
    description: str = ""
    summary: str = ""
    results: str = ""


_SOURCE_RU = (
    "Источник: тематическая конференция «Социальная работа и децентрализованное "
    "сотрудничество» (Cités Unies France совместно с Ассамблеей департаментов Франции)."
)
_SOURCE_AR = (
    "المصدر: الندوة الموضوعية «العمل الاجتماعي والتعاون اللامركزي» (منظمة المدن المتحدة "
    "بفرنسا بالاشتراك مع جمعية المقاطعات الفرنسية)."
)
_MOROCCO_AR = (
    "يعمل المغرب على تحديث اقتصاده ومؤسساته وسياسته الاجتماعية (إصلاح مدونة الأسرة، "
    "والحماية الاجتماعية) من أجل تقليص الفوارق. وبعد الماء والكهرباء وغيرهما من البنى "
    "التحتية الأساسية، تتجه الجماعات الشريكة إلى الخدمات الاجتماعية الأساسية. ويعمل "
    "معها الإقليم الفرنسي في مجالات الطفولة المبكرة والإعاقة والشباب والنساء في وضعية "
    "هشة، مع محور مشترك هو تقوية القدرات. والمعاملة بالمثل مقصودة: ينبغي أن تعود "
    "المبادلات بالنفع على منطقة لوار أتلانتيك أيضًا."
)

TRANSLATIONS: tuple[TranslationSpec, ...] = (
    TranslationSpec(
        partnership=HEROUVILLE_TIKHVINE,
        project=None,
        language="ru",
        title="Эрувиль-Сен-Клер ↔ Тихвин",
        description=(
            "Партнёрство возникло осенью 1991 года, за два месяца до распада Советского "
            "Союза (1 октября — условная дата). Когда не стало централизованного "
            "планирования, крупный завод, на котором держались Тихвин и его социальные "
            "службы, к середине 1990-х годов потерял почти все рабочие места. С 1996 года "
            "Эрувиль-Сен-Клер вместе с городом занялся социальной сферой: занятость, "
            "молодёжь в трудной ситуации, обучение детей с инвалидностью, помощь на дому. "
            "Несколько проектов стали образцом для других городов Ленинградской области, "
            "которая участвует в партнёрстве, распространяя эти модели.\n\n" + _SOURCE_RU
        ),
    ),
    TranslationSpec(
        partnership=HEROUVILLE_TIKHVINE,
        project=EMPLOYMENT_OFFICE,
        language="ru",
        title="Обновление первой биржи труда Ленинградской области в Тихвине",
        summary=(
            "Первый социальный проект партнёрства: вернуть к работе первую биржу труда "
            "области, в Тихвине, в то время, когда город терял своего главного работодателя."
        ),
        results=(
            "Обновлённая биржа труда стала образцом для всех других бирж труда "
            "Ленинградской области."
        ),
    ),
    TranslationSpec(
        partnership=HEROUVILLE_TIKHVINE,
        project=YOUTH_CENTRE,
        language="ru",
        title="Центр медико-психологической помощи молодёжи в трудной ситуации в Тихвине",
        summary=(
            "Центр медицинской и психологической помощи молодым людям в трудной ситуации, "
            "открытый в Тихвине в рамках партнёрства; он работает до сих пор."
        ),
        results="По образцу центра такие же открылись в других городах области.",
    ),
    TranslationSpec(
        partnership=LOIRE_ATLANTIQUE_AGADIR,
        project=None,
        language="ar",
        title="لوار أتلانتيك ↔ أكادير إدا أوتنان",
        description=(
            "تعاون لامركزي بين الإقليم الفرنسي (المجلس العام آنذاك) ومجلس عمالة أكادير إدا "
            "أوتنان منذ سنة 1992 (فاتح يناير تاريخ تقريبي). " + _MOROCCO_AR + "\n\n" + _SOURCE_AR
        ),
    ),
    TranslationSpec(
        partnership=LOIRE_ATLANTIQUE_CHTOUKA,
        project=None,
        language="ar",
        title="لوار أتلانتيك ↔ اشتوكة آيت باها",
        description=(
            "تعاون لامركزي بين الإقليم الفرنسي والمجلس الإقليمي لاشتوكة آيت باها منذ سنة "
            "2009 (فاتح يناير تاريخ تقريبي). " + _MOROCCO_AR + "\n\n"
            "والجماعة القروية آيت عميرة، الواقعة في الإقليم على بعد نحو 25 كلم من أكادير، "
            "طرف في الشراكة: تعمل أولًا من أجل حقوق النساء، اللواتي جئن في الغالب من مناطق "
            "بعيدة ويشكّلن أكثر من 65 في المائة من اليد العاملة الفلاحية في المنطقة، ومن "
            "أجل أطفالهن.\n\n" + _SOURCE_AR
        ),
    ),
    TranslationSpec(
        partnership=LOIRE_ATLANTIQUE_CHTOUKA,
        project=AIT_AMIRA_CENTRES,
        language="ar",
        title="مراكز للنساء والأطفال في دواوير آيت عميرة",
        summary=(
            "أكثر من خمسة مراكز بُنيت بدعم من إقليم لوار أتلانتيك في دواوير مختلفة من "
            "الجماعة، حتى لا يغادر أطفال العاملات الفلاحيات المدرسة."
        ),
    ),
)
