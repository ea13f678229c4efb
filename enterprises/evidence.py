"""Evidence file checks: size and type by content (magic bytes), never by the file's name."""

import hashlib
import os
import re
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.downloads import XLSX

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": XLSX,
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSION_FOR_MIME = {mime: ext for ext, mime in ALLOWED_TYPES.items()}
#: the accepted types a browser may show inline (the review page's preview); the others are only downloaded
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
UNSAFE_NAME_CHARACTERS = re.compile(r"[\x00-\x1f\\/:*?\"<>|]+")


#: OOXML packages: the part that makes a zip a Word document or an Excel workbook.
OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


def _ooxml_type(upload: UploadedFile) -> str | None:
    """'docx' or 'xlsx' when the upload is a zip package with [Content_Types].xml and the main part of one of
    those (read from the zip's central directory: nothing is decompressed), else None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    found = [extension for part, extension in OOXML_MAIN_PARTS.items() if part in names]
    return found[0] if len(found) == 1 else None


def sniff_type(upload: UploadedFile) -> str | None:
    """The MIME type read from the file's content, or None when it is not an allowed kind."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        # A zip: an allowed office document only if the package says so. (Magic-byte guessing only looks at
        # the first few entries, so a Word file that starts with a thumbnail would pass for a plain zip.)
        extension = _ooxml_type(upload)
    else:
        kind = filetype.guess(head)
        extension = kind.extension if kind is not None else None
    if extension not in ALLOWED_TYPES:
        return None
    return ALLOWED_TYPES[extension]


def safe_display_name(name: str) -> str:
    """The uploaded name without any folder part, for display only (storage uses a random name)."""
    base = os.path.basename(name.replace("\\", "/"))
    base = UNSAFE_NAME_CHARACTERS.sub("_", base).strip(" .")
    return (base or "evidence")[:200]


def validate_evidence(upload: UploadedFile) -> str:
    """Returns the sniffed MIME type or raises ValidationError."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    mime = sniff_type(upload)
    if mime is None:
        raise ValidationError(
            _("Only PDF, PNG, JPEG, XLSX and DOCX files are accepted (checked by their content)."), code="file_type"
        )
    return mime


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
