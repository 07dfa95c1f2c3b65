"""Rich text of the knowledge base: the shared sanitiser of ``core.sanitize`` (nh3), under the
names the knowledge base has always used."""

from __future__ import annotations

from reciprocite.core.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    PRINT_TAGS,
    URL_SCHEMES,
    clean_html,
    html_to_text,
    print_html,
    text_to_html,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "PRINT_TAGS",
    "URL_SCHEMES",
    "clean_html",
    "html_to_text",
    "print_html",
    "text_to_html",
]
