"""The surveys administration: pages open for the administrator, versions are read only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciprocite.surveys.services.questionnaires import questionnaire_load
from reciprocite.surveys.xlsforms import build

pytestmark = pytest.mark.django_db


def test_admin_pages_open_and_versions_cannot_be_added(client, world):
    version = questionnaire_load(
        content=(build.HERE / "perception.xlsx").read_bytes(), filename="perception.xlsx"
    )
    client.force_login(world.admin)
    for name in (
        "questionnaire",
        "questionnaireversion",
        "campaign",
        "invitation",
        "submission",
        "cooperationreview",
    ):
        assert client.get(reverse(f"admin:surveys_{name}_changelist")).status_code == 200, name
    url = reverse("admin:surveys_questionnaire_change", args=[version.questionnaire.pk])
    assert client.get(url).status_code == 200
    url = reverse("admin:surveys_questionnaireversion_change", args=[version.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "perception" in response.content.decode()
    assert client.get(reverse("admin:surveys_questionnaireversion_add")).status_code == 403


def test_the_analyst_is_not_an_administrator(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("admin:surveys_questionnaire_changelist"))
    assert response.status_code == 302
