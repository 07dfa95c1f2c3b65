"""The home page: the registry's key figures, its largest partnerships and the themes."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import permissions, selectors
from ..taxonomy import THEMES

HOME_HIGHLIGHTS = 6


def home(request: HttpRequest) -> HttpResponse:
    figures = selectors.registry_key_figures(viewer=request.user)
    highlights = list(
        selectors.partnership_list(viewer=request.user)
        .filter(is_fictitious=False)
        .order_by(
            F("project_count").desc(nulls_last=True),
            F("start_date").desc(nulls_last=True),
            "title",
        )[:HOME_HIGHLIGHTS]
    )
    themes = [(code, label) for code, (label, _dac) in THEMES.items()]
    return render(
        request,
        "registry/home.html",
        {
            "figures": figures,
            "highlights": highlights,
            "themes": themes,
            "can_create_partnership": permissions.can_create_partnership(request.user),
        },
    )
