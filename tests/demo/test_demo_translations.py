"""The demo's conference partnerships carry their partners' languages: Russian for Tikhvine,
Arabic for Agadir, Chtouka Aït Baha and Aït Amira; loading again writes nothing."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from reciprocite.demo.loader import load_demo
from reciprocite.registry.models import (
    Partnership,
    PartnershipTranslation,
    Project,
    ProjectTranslation,
)

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_partner_language_translations():
    load_demo()
    languages = {(t.partnership.title, t.language) for t in PartnershipTranslation.objects.all()}
    assert languages == {
        ("Hérouville-Saint-Clair ↔ Tikhvine", "ru"),
        ("Loire-Atlantique ↔ Agadir Ida-Outanane", "ar"),
        ("Loire-Atlantique ↔ Chtouka Aït Baha", "ar"),
    }
    amira = ProjectTranslation.objects.get(project__title__contains="douars d'Aït Amira")
    assert (amira.language, amira.is_checked) == ("ar", False)
    assert ProjectTranslation.objects.filter(language="ru").count() == 2
    # every text translated that the original has, none left empty
    for t in PartnershipTranslation.objects.all():
        assert t.title and t.description
    for t in ProjectTranslation.objects.all():
        assert t.title and t.summary

    # an Arabic reader reads the Agadir partnership in Arabic
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    agadir = Partnership.objects.get(title="Loire-Atlantique ↔ Agadir Ida-Outanane")
    html = client.get(f"/partnerships/{agadir.pk}/").content.decode()
    assert '<h1><span lang="ar" dir="auto">لوار أتلانتيك ↔ أكادير إدا أوتنان</span>' in html
    # search in Russian finds the Tikhvine employment office
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get("/projects/", {"q": "биржу труда"}).content.decode()
    office = Project.objects.get(title__startswith="Régénération du premier bureau")
    assert f"/projects/{office.pk}/" in html

    counts = load_demo()
    assert (counts["created"], counts["updated"]) == (0, 0)
