"""Rich text is sanitised with nh3; files are recognised by content and size-limited."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reciprocite.interop.files import check_file
from reciprocite.knowledge.sanitize import clean_html, html_to_text, text_to_html

from .conftest import DOCX, ODT, PDF, XLSX, make_zip


def test_clean_html_keeps_the_allowed_subset_and_removes_the_rest():
    dirty = (
        '<p onclick="x()">Un <strong>CCAS</strong> <em>enfin</em><script>alert(1)</script>'
        '<a href="javascript:alert(1)">piège</a> <a href="https://cites-unies.fr/x">lien</a></p>'
        '<ul><li>un</li></ul><img src="x" onerror="y()"><style>p{}</style>'
    )
    assert clean_html(dirty) == (
        "<p>Un <strong>CCAS</strong> <em>enfin</em>"
        '<a rel="noopener noreferrer nofollow">piège</a> '
        '<a href="https://cites-unies.fr/x" rel="noopener noreferrer nofollow">lien</a></p>'
        "<ul><li>un</li></ul>"
    )


def test_plain_text_is_escaped_and_split_into_paragraphs():
    assert text_to_html("a < b & c\nsuite\n\n  second  ") == (
        "<p>a &lt; b &amp; c<br>suite</p><p>second</p>"
    )
    assert html_to_text(text_to_html("x & y\n\nz")) == "x & y\n\nz"


def test_text_without_tags_typed_in_a_form_keeps_its_paragraphs():
    assert clean_html("Premier.\r\n\r\nSecond <3") == "<p>Premier.</p><p>Second &lt;3</p>"


@pytest.mark.parametrize(
    ("data", "kind"), [(PDF, "pdf"), (DOCX, "docx"), (XLSX, "xlsx"), (ODT, "odt")]
)
def test_types_are_recognised_from_the_content_whatever_the_name(data, kind):
    assert check_file("renamed.txt", data) == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"MZ\x90\x00 an executable",
            "not a PDF, DOCX, XLSX or ODT document (checked from its content)",
        ),
        (b"", "the file is empty"),
        (make_zip({"hello.txt": b"hi"}), "a zip archive, but not a DOCX, XLSX or ODT document"),
        (b"PK\x03\x04 broken", "a damaged zip archive"),
        (
            make_zip({"mimetype": b"application/zip", "x": b"y"}),
            "a zip archive, but not a DOCX, XLSX or ODT document",
        ),
    ],
)
def test_other_content_is_refused_naming_the_file(data, message):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        check_file("fiche.pdf", data)
    assert excinfo.value.messages == [f"fiche.pdf: {message}"]


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = make_zip({"[Content_Types].xml": b"<T/>", "word/document.xml": b"\0" * 5_000_000})
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        check_file("bombe.docx", bomb)
    assert excinfo.value.messages == ["bombe.docx: refused as a possible zip bomb"]


def test_files_over_the_size_limit_are_refused(settings):
    settings.RECIPROCITE_MAX_UPLOAD_BYTES = 100
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        check_file("gros.pdf", PDF + b" " * 200)
    assert excinfo.value.messages == [
        "gros.pdf: the file is 245\xa0bytes; the limit is 100\xa0bytes"
    ]
