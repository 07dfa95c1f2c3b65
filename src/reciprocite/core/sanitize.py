"""Rich text shared by the apps (knowledge sheets, coordination minutes): every narrative
value goes through ``clean_html``.

Rich text holds a small, safe subset of HTML: paragraphs, line breaks, lists, strong, em and
links (http, https, mailto only; they open with ``rel="noopener noreferrer nofollow"``).
Plain text from imports is escaped and split into paragraphs by ``text_to_html``.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# On paper (the panorama's PDF report) a link is only its text.
PRINT_TAGS = ALLOWED_TAGS - {"a"}
URL_SCHEMES = {"http", "https", "mailto"}

_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n")
_BLOCK = re.compile(r"<(p|ul|ol)[\s>]")


def clean_html(value: str | None) -> str:
    """``value`` with only the allowed tags, attributes and URL schemes left (nh3)."""
    if not value:
        return ""
    value = value.replace("\x00", "").replace("\r\n", "\n").strip()
    if not value:
        return ""
    if not _HTML_TAG.search(value):
        # Text typed in a plain textarea: keep its paragraphs.
        return text_to_html(value)
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
    if cleaned and not _BLOCK.search(cleaned):
        # Inline markup only: paragraphs from the blank lines, as for plain text.
        paragraphs = [p.strip() for p in _BLANK_LINES.split(cleaned) if p.strip()]
        cleaned = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
    return cleaned


def print_html(value: str | None) -> str:
    """Sanitised sheet HTML for print: the same tags without links (their text stays)."""
    return nh3.clean(value or "", tags=PRINT_TAGS, attributes={}, link_rel=None)


def text_to_html(value: str | None) -> str:
    """Plain text as escaped paragraphs: a blank line separates paragraphs, a newline is <br>."""
    if not value:
        return ""
    value = value.replace("\x00", "").replace("\r\n", "\n").strip()
    paragraphs = [p.strip() for p in _BLANK_LINES.split(value) if p.strip()]
    return "".join(
        "<p>"
        + "<br>".join(html.escape(line.strip(), quote=False) for line in p.split("\n"))
        + "</p>"
        for p in paragraphs
    )


def html_to_text(value: str | None) -> str:
    """The text of sanitised HTML: paragraphs separated by a blank line (exports, diffs)."""
    if not value:
        return ""
    text = re.sub(r"</p>\s*<p>", "\n\n", value)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</li>\s*<li>", "\n", text)
    text = _HTML_TAG.sub("", text)
    return html.unescape(text).strip()
