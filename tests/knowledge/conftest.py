import io
import zipfile

import pytest

from reciprocite.knowledge import services
from reciprocite.knowledge.taxonomy import Status


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = make_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<c/>"})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sheets(world, media):
    """A published sheet, a draft by the outsider, one in review by the outsider."""
    published = services.sheet_create(
        actor=world.analyst,
        ref="exp-emploi",
        title="Le bureau de l'emploi de Tikhvine",
        language="fr",
        country="RU",
        themes=["insertion_emploi"],
        stage="essaimer",
        summary="Un bureau de l'emploi rénové devient le modèle de l'oblast.",
        method="Des échanges d'agents entre Hérouville et Tikhvine.",
        partnership=world.herouville_tikhvine,
        projects=[world.employment_office],
        status=Status.PUBLISHED,
    )
    draft = services.sheet_create(
        actor=world.outsider,
        ref="exp-brouillon",
        title="Un centre social en projet",
        summary="Brouillon de fiche.",
    )
    review = services.sheet_create(
        actor=world.outsider,
        ref="exp-relecture",
        title="Une fiche en relecture",
        summary="Fiche soumise.",
    )
    services.sheet_transition(actor=world.outsider, sheet=review, to=Status.REVIEW)
    return {"published": published, "draft": draft, "review": review}
