"""Checks of uploaded files — the knowledge base's attachments and tool files, the registry's
documents: the type from the content, never the name.

| type | recognised by                                                                  |
|------|---------------------------------------------------------------------------------|
| pdf  | starts with ``%PDF-``                                                            |
| docx | a zip with ``[Content_Types].xml`` and ``word/…`` members                       |
| xlsx | a zip with ``[Content_Types].xml`` and ``xl/…`` members                         |
| odt  | a zip whose ``mimetype`` member is ``application/vnd.oasis.opendocument.text``  |

Zip archives are refused from their directory alone when they announce too many members,
too much data once expanded, an encrypted member or a suspicious compression ratio (the
limits of ``interop.tabular``). Files over ``settings.RECIPROCITE_MAX_UPLOAD_BYTES`` are
refused before anything is read.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import tabular

FILE_TYPES = ("pdf", "docx", "xlsx", "odt")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "odt": ".odt"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": ODT_MIMETYPE.decode(),
}
ACCEPT = (
    ".pdf,.docx,.xlsx,.odt,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.oasis.opendocument.text"
)


def max_bytes() -> int:
    return settings.RECIPROCITE_MAX_UPLOAD_BYTES


def _refuse(name: str, message: str) -> ValidationError:
    return ValidationError(f"{name}: {message}", code="file")


def _zip_type(data: bytes, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(name, _("a damaged zip archive")) from None
    with archive:
        members = archive.infolist()
        if len(members) > tabular.XLSX_MAX_MEMBERS:
            raise _refuse(name, _("the archive holds too many files"))
        if sum(m.file_size for m in members) > tabular.XLSX_MAX_UNCOMPRESSED_BYTES:
            raise _refuse(name, _("the archive would expand to too much data"))
        for member in members:
            if member.flag_bits & 0x1:
                raise _refuse(name, _("the archive is encrypted"))
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > tabular.XLSX_RATIO_FLOOR_BYTES and ratio > tabular.XLSX_MAX_RATIO:
                raise _refuse(name, _("refused as a possible zip bomb"))
        names = {m.filename for m in members}
        if "mimetype" in names:
            try:
                if archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
                raise _refuse(name, _("a damaged zip archive")) from None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    raise _refuse(name, _("a zip archive, but not a DOCX, XLSX or ODT document"))


def check_file(name: str, data: bytes) -> str:
    """The type of ``data`` ('pdf', 'docx', 'xlsx' or 'odt'), or a ValidationError naming the
    file and the reason."""
    limit = max_bytes()
    if len(data) > limit:
        raise _refuse(
            name,
            _("the file is %(size)s; the limit is %(limit)s")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)},
        )
    if not data:
        raise _refuse(name, _("the file is empty"))
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data, name)
    raise _refuse(name, _("not a PDF, DOCX, XLSX or ODT document (checked from its content)"))


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refused from its size before it is read."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise _refuse(
            upload.name,
            _("the file is %(size)s; the limit is %(limit)s")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    return upload.read(limit + 1)


def safe_filename(title: str, file_type: str) -> str:
    """A file name from a title: letters, digits and dashes, with the type's extension."""
    from django.utils.text import slugify

    stem = slugify(title)[:60] or "document"
    return stem + EXTENSIONS[file_type]


def stored_name(filename: str, file_type: str) -> str:
    """The name to store an upload under: the stem of its name, slugified, with the extension
    of the type found in its content (``polyglot.html`` holding a PDF becomes
    ``polyglot.pdf``): the name never decides how the file is served."""
    from django.utils.text import slugify

    stem = str(filename).replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return (slugify(stem)[:60] or "document") + EXTENSIONS[file_type]


def type_of_name(filename: str) -> str | None:
    """The type a stored name's extension says (names made by ``stored_name``), or None."""
    lowered = str(filename).lower()
    for file_type, extension in EXTENSIONS.items():
        if lowered.endswith(extension):
            return file_type
    return None
