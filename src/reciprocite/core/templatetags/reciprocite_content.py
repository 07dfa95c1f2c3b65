"""``{% load reciprocite_content %}``: user content in its own language and direction.

The interface is in the reader's language; a text someone wrote keeps its own. Every element
that holds user content takes its ``lang`` and ``dir`` from the language the record carries
(``language`` of a partnership, a project, a sheet, a tool…), so a French description on an
Arabic page runs left to right and an Arabic minute on a French page right to left::

    <div {{ partnership.language|content_lang }}>{{ partnership.description|linebreaks }}</div>
    <h1 {{ partnership.language|short_lang }}>{{ partnership.title }}</h1>
    <span {{ ""|short_lang }}>{{ territory.name }}</span>

``content_lang`` (paragraphs, blocks) writes ``lang="ar" dir="rtl"``; ``short_lang`` (titles,
names: a few words, often a proper noun in another script) writes ``dir="auto"``, the browser
taking the direction from the first strong letter. A content without a recorded language
gets ``dir="auto"`` only; a name without one inside a sentence of the interface (a
territory in "Hérouville – Tikhvine (Russie)", an organisation in an e-mail) goes in
``<bdi>``, which isolates it the same way. The one list of right-to-left languages is
``RTL_LANGUAGES``.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# ISO 639-1 codes of the languages written right to left (Arabic, Hebrew, Persian, Urdu,
# Pashto, Sindhi, Uyghur, Yiddish, Divehi, Kurdish written in Arabic script).
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


def _code(language: object) -> str:
    """The language's code as HTML wants it ("ar", "pt-BR"), or "" when none is known."""
    code = str(language or "").strip().replace("_", "-")
    return code if code and all(ch.isalnum() or ch == "-" for ch in code) else ""


def direction(language: object) -> str:
    """ "rtl" for a right-to-left language, "ltr" for any other, "auto" when none is known."""
    code = _code(language)
    if not code:
        return "auto"
    return "rtl" if code.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def _attrs(language: object, dir_: str) -> SafeString:
    code = _code(language)
    if not code:
        return mark_safe('dir="auto"')  # noqa: S308 - a constant
    return format_html('lang="{}" dir="{}"', code, dir_)


@register.filter(is_safe=True)
def content_lang(language: object) -> SafeString:
    """``lang`` and ``dir`` of a block of content written in ``language``."""
    return _attrs(language, direction(language))


@register.filter(is_safe=True)
def short_lang(language: object) -> SafeString:
    """``lang`` and ``dir="auto"`` of a short field (a title, a name) in ``language``."""
    return _attrs(language, "auto")


@register.filter
def text_direction(language: object) -> str:
    """The direction alone, for a context that is not an HTML attribute (CSS, a PDF)."""
    return direction(language)
