"""Shared fixtures: two firms with their owners, an officer, an administrator, role clients, sample files."""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.test import Client

from enterprises.models import MemberRole
from tests.factories import (
    PDF_BYTES,
    AdministratorFactory,
    EnterpriseFactory,
    MembershipFactory,
    OfficerFactory,
    UserFactory,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ROLE_NAMES = ("anonymous", "member_a", "member_b", "officer", "administrator")


@pytest.fixture(autouse=True)
def _second_factor_not_required(settings):
    """Two-factor authentication (on by default without DEBUG) is tested in tests/security/test_two_factor.py."""
    settings.REQUIRE_2FA = False


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def firm_a(db):
    return EnterpriseFactory(name_zh="甲科技有限公司", name_en="Alpha Technology")


@pytest.fixture
def firm_b(db):
    return EnterpriseFactory(name_zh="乙科技有限公司", name_en="Beta Technology")


@pytest.fixture
def member_a(firm_a):
    """The owner of firm A."""
    return MembershipFactory(enterprise=firm_a, user=UserFactory(username="member_a"), role=MemberRole.OWNER).user


@pytest.fixture
def member_b(firm_b):
    """The owner of firm B."""
    return MembershipFactory(enterprise=firm_b, user=UserFactory(username="member_b"), role=MemberRole.OWNER).user


@pytest.fixture
def officer(db):
    return OfficerFactory(username="officer")


@pytest.fixture
def administrator(db):
    return AdministratorFactory(username="administrator")


@pytest.fixture
def client_a(member_a):
    return client_for(member_a)


@pytest.fixture
def role_users(member_a, member_b, officer, administrator) -> dict:
    """Role → its user: anonymous (None), member of firm A, member of firm B, officer, administrator."""
    users = (None, member_a, member_b, officer, administrator)
    return dict(zip(ROLE_NAMES, users, strict=True))


@pytest.fixture
def roles(role_users):
    """The five role clients."""
    return {role: client_for(user) for role, user in role_users.items()}


@pytest.fixture
def pdf_bytes() -> bytes:
    return PDF_BYTES


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@pytest.fixture
def png_bytes() -> bytes:
    """A valid 1x1 grey PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + _png_chunk(b"IEND", b"")
    )


@pytest.fixture
def jpeg_bytes() -> bytes:
    """A JPEG/JFIF file start (SOI, APP0 JFIF segment) and end marker: what content sniffing reads."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


@pytest.fixture
def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["year", "destination", "value"])
    sheet.append([2014, "US", 1000000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Export contract</w:t></w:r></w:p></w:body></w:document>"
)


def build_docx(extra_parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal valid DOCX; `extra_parts` are written right after [Content_Types].xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        archive.writestr("_rels/.rels", RELS_XML)
        archive.writestr("word/document.xml", DOCUMENT_XML)
    return buffer.getvalue()


@pytest.fixture
def docx_bytes() -> bytes:
    return build_docx()


def pytest_configure(config):
    # WhiteNoise warns once per request that STATIC_ROOT was never collected; irrelevant in tests.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture
def database_queue(settings):
    """Tasks go to the django-tasks-db queue (as in production) instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _english_first():
    """Every test starts in English: a request with Accept-Language leaves its language active in the thread
    (LocaleMiddleware does not reset it), which leaked Chinese messages into the next test of the worker."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
