"""Evidence file checks: size and type by content (magic bytes), never by the file's name."""

import hashlib
import os
import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSION_FOR_MIME = {mime: ext for ext, mime in ALLOWED_TYPES.items()}
UNSAFE_NAME_CHARACTERS = re.compile(r"[\x00-\x1f\\/:*?\"<>|]+")


def sniff_type(upload: UploadedFile) -> str | None:
    """The MIME type read from the file's first bytes, or None when it is not an allowed kind."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None and head.startswith(b"PK"):
        # OOXML files keep their part names further in; read the whole (≤ 10 MB) file for those.
        data = upload.read()
        upload.seek(0)
        kind = filetype.guess(data)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        return None
    return ALLOWED_TYPES[kind.extension]


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
