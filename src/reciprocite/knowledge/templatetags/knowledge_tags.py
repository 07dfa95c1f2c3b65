from collections.abc import Iterable
from typing import Any

from django import template

from reciprocite.knowledge.taxonomy import Difficulty, Stage

register = template.Library()


def _labels(codes: Iterable[str] | None, choices: Iterable[tuple[Any, Any]]) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


@register.filter
def stage_labels(codes: Iterable[str] | None) -> str:
    return _labels(codes, Stage.choices)


@register.filter
def difficulty_labels(codes: Iterable[str] | None) -> str:
    return _labels(codes, Difficulty.choices)
