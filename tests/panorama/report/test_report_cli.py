"""``reciprocite report panorama``: the PDF read back as a person would (its text, its pages,
its table of contents), in French and in English; refusals in one line with exit code 1."""

from __future__ import annotations

import json
import re

import pytest
from babel.dates import format_date
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.panorama.selectors import panorama

from .support import fold, page_count, pdf_lines, pdf_text, require_poppler

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def headings() -> list[str]:
    return [
        _("Key figures"),
        _("Where the cooperations are"),
        _("The partnerships in figures"),
        _("Survey of all members: how social action is seen"),
        _("Survey of cooperating members: the cooperations described"),
        _("Highlighted experiences"),
        _("Method and sources"),
    ]


def toc_entries(path) -> dict[str, int]:
    """Heading → page number, read from the contents page (page 2, lines after the running
    header and the "Contents" heading, before the footer)."""
    entries = {}
    for line in pdf_lines(path, 2)[2:-1]:  # between the heading and the footer
        found = re.match(r"^(.*?)[\s.]*?(\d+)$", line)
        if found:
            entries[found.group(1).rstrip(" .")] = int(found.group(2))
    return entries


def test_the_report_in_french_and_in_english(study, tmp_path, shared_dir):
    require_poppler()
    expected = json.loads((shared_dir / "data/study-dev/expected.json").read_text("utf-8"))
    today = timezone.localdate()
    for language in ("fr", "en"):
        output = tmp_path / f"panorama-{language}.pdf"
        result = run("report", "panorama", "--lang", language, "--output", str(output))
        assert result.exit_code == 0, result.output
        assert output.read_bytes().startswith(b"%PDF-")
        text = pdf_text(output)
        pages = page_count(output)
        assert pages >= 12, pages

        with translation.override(language):
            title = _("Panorama of decentralised cooperation in the social field")
            sentences = panorama().sentences
            wanted = [title, _("Contents"), *headings()]
            answered = _("%(n)s authorities answered the questionnaire.") % {
                "n": expected["perception"]["submissions"]
            }
            described = _("%(n)s authorities answered and described %(m)s cooperations.") % {
                "n": expected["cooperations"]["submissions"],
                "m": expected["cooperations"]["repeats"]["cooperation"],
            }
        # the cover: title, network, date in the report's language
        cover = pdf_text(output, 1)
        assert title in cover and "Réciprocité" in cover.upper() or "RÉCIPROCITÉ" in cover
        assert fold(format_date(today, format="long", locale=language)) in cover
        for heading in wanted:
            assert fold(heading) in text, (language, heading)
        # the key figures, as the dashboard says them
        assert sentences and all(fold(s) in text for s in sentences)
        assert answered in text and described in text
        # counts and percentages of the surveys, numbers in the language's format:
        # 94 of the 120 perception respondents run a cooperation
        assert expected["perception"]["questions"]["a_cooperation"]["oui"] == 94
        share = "78,3 %" if language == "fr" else "78.3%"
        assert f"94 {share}" in text
        # French and English names of the same country
        assert ("Sénégal" if language == "fr" else "Senegal") in text
        if language == "fr":
            assert "Un accueil de jour partagé entre Lille et Saint-Louis" in text
            assert "Le CCAS a repensé son propre accueil." in text
        else:
            assert "A day centre shared by Lille and Saint-Louis" in text
            assert "Un accueil de jour partagé" not in text

        # the contents page: every chapter with the page it starts on
        toc = toc_entries(output)
        with translation.override(language):
            chapters = [fold(heading) for heading in headings()]
        assert list(toc) == chapters, toc
        numbers = list(toc.values())
        assert numbers == sorted(numbers) and numbers[0] == 3 and numbers[-1] <= pages
        for heading, page in toc.items():
            assert heading in pdf_text(output, page), (heading, page)
        # running footer: page X of Y
        with translation.override(language):
            footer = _("Page %(page)s of %(pages)s") % {"page": 3, "pages": pages}
        assert footer in pdf_text(output, 3)


def test_english_headings_are_english(study, tmp_path):
    """Whatever the French catalogue holds, --lang en gives the English text."""
    output = tmp_path / "en.pdf"
    assert run("report", "panorama", "--lang", "en", "-o", str(output)).exit_code == 0
    text = pdf_text(output)
    for heading in (
        "Panorama of decentralised cooperation in the social field",
        "Contents",
        "Key figures",
        "Survey of all members: how social action is seen",
        "Method and sources",
        "Natural Earth",
    ):
        assert heading in text


def test_an_unknown_campaign_is_refused_in_one_line(db, tmp_path):
    output = tmp_path / "report.pdf"
    result = run("report", "panorama", "--campaign", "999", "--output", str(output))
    assert result.exit_code == 1
    assert (
        result.output.strip() == "Error: --campaign: There is no survey campaign with the id 999."
    )
    assert not output.exists()


def test_an_unwritable_output_is_refused_before_any_work(db, tmp_path):
    output = tmp_path / "missing" / "report.pdf"
    result = run("report", "panorama", "--output", str(output))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {output}: no such directory {output.parent}"
    result = run("report", "panorama", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path}: is a directory"
    assert list(tmp_path.iterdir()) == []


def test_a_language_other_than_french_or_english_is_refused(db, tmp_path):
    result = run("report", "panorama", "--lang", "ar", "--output", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2
    assert "'ar' is not one of 'fr', 'en'" in fold(result.output)
