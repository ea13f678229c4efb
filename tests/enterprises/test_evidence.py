"""Evidence files (DESIGN §6): at most 10 MB; PDF, PNG, JPEG, XLSX, DOCX by content; stored privately under
random names; served only through the access-checked view."""

import hashlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises import services
from enterprises.evidence import safe_display_name
from enterprises.models import EvidenceFile
from tests.conftest import build_docx
from tests.factories import EvidenceFileFactory, ExportRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_a(firm_a):
    return ExportRecordFactory(enterprise=firm_a)


@pytest.fixture
def record_b(firm_b):
    return ExportRecordFactory(enterprise=firm_b)


def upload_url(record) -> str:
    return reverse("enterprises:evidence_upload", args=[record.enterprise_id, "exports", record.pk])


def upload(client, record, name: str, data: bytes, content_type: str = "application/octet-stream", **headers):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(upload_url(record), {"file": file}, **headers)


def stored_path(evidence: EvidenceFile) -> Path:
    return Path(evidence.file.path).resolve()


@pytest.mark.parametrize(
    ("fixture", "name", "mime"),
    [
        ("pdf_bytes", "invoice.pdf", "application/pdf"),
        ("png_bytes", "photo.png", "image/png"),
        ("jpeg_bytes", "scan.jpg", "image/jpeg"),
        ("xlsx_bytes", "customs.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("docx_bytes", "contract.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_allowed_types_are_accepted(client_a, member_a, record_a, request, fixture, name, mime):
    data = request.getfixturevalue(fixture)
    response = upload(client_a, record_a, name, data, content_type="text/plain")  # the declared type is ignored
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.original_name, evidence.mime_type, evidence.size) == (name, mime, len(data))
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.record == record_a
    assert evidence.enterprise_id == record_a.enterprise_id
    assert evidence.uploaded_by == member_a
    assert stored_path(evidence).read_bytes() == data


def test_type_is_read_from_content_not_name(client_a, record_a, png_bytes):
    """A PNG named .pdf is stored as what it is."""
    assert upload(client_a, record_a, "scan.pdf", png_bytes).status_code == 302
    assert EvidenceFile.objects.get().mime_type == "image/png"


def test_docx_with_large_leading_part_is_recognised(client_a, record_a):
    """Word files may start with a thumbnail or custom XML; the type check must still see a DOCX."""
    data = build_docx({"docProps/thumbnail.jpeg": os.urandom(12_000)})
    assert upload(client_a, record_a, "contract.docx", data).status_code == 302
    assert EvidenceFile.objects.get().mime_type.endswith("wordprocessingml.document")


def refused(response, message: str) -> None:
    assert response.status_code == 400
    errors = response.context["upload_form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert not EvidenceFile.objects.exists()


def test_oversize_refused(client_a, record_a, pdf_bytes):
    data = pdf_bytes + b"\0" * (settings.EVIDENCE_MAX_BYTES + 1 - len(pdf_bytes))
    refused(upload(client_a, record_a, "big.pdf", data), "larger than 10 MB")


def test_exactly_10_mb_is_accepted(client_a, record_a, pdf_bytes):
    data = pdf_bytes + b"\0" * (settings.EVIDENCE_MAX_BYTES - len(pdf_bytes))
    assert upload(client_a, record_a, "max.pdf", data).status_code == 302
    assert EvidenceFile.objects.get().size == settings.EVIDENCE_MAX_BYTES


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\0" * 200,  # a Linux executable
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 200,  # a Windows executable
        b"PK\x03\x04" + b"\0" * 200,  # a zip archive that is no office document
        b"<html><script>alert(1)</script></html>",
    ],
    ids=["elf", "mz", "zip", "html"],
)
def test_renamed_executable_refused(client_a, record_a, data):
    refused(upload(client_a, record_a, "report.pdf", data, content_type="application/pdf"), "checked by their content")


def test_plain_text_named_pdf_refused(client_a, record_a):
    refused(upload(client_a, record_a, "report.pdf", b"This is not a PDF at all.\n"), "checked by their content")


def test_zip_with_office_part_names_but_no_content_types_refused(client_a, record_a):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\0" * 100)
        archive.writestr("notes.txt", b"word/document.xml")
    refused(upload(client_a, record_a, "contract.docx", buffer.getvalue()), "checked by their content")


def test_empty_file_refused(client_a, record_a):
    response = upload(client_a, record_a, "empty.pdf", b"")
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert not EvidenceFile.objects.exists()


def test_missing_file_refused(client_a, record_a):
    response = client_a.post(upload_url(record_a), {})
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]


def test_path_in_name_is_stored_privately_under_a_random_name(client_a, record_a, pdf_bytes):
    response = upload(client_a, record_a, "../../etc/passwd.pdf", pdf_bytes)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == "passwd.pdf"
    path = stored_path(evidence)
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert path.is_relative_to(root)
    assert "passwd" not in evidence.file.name
    assert ".." not in evidence.file.name
    assert not Path("/etc/passwd.pdf").exists()
    # The detail page shows the clean name only.
    page = client_a.get(reverse("enterprises:record_detail", args=[record_a.enterprise_id, "exports", record_a.pk]))
    assert "passwd.pdf" in page.content.decode()
    assert "../" not in page.content.decode().split('id="evidence"')[1]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/absolute/path/report.pdf", "report.pdf"),
        ('bad"name<>.pdf', "bad_name_.pdf"),
        ("...", "evidence"),
        ("a" * 300 + ".pdf", "a" * 200),
    ],
)
def test_safe_display_name(name, shown):
    assert safe_display_name(name) == shown


def test_stored_name_is_random_and_not_derived_from_upload_name(client_a, record_a, pdf_bytes):
    for _ in range(2):
        assert upload(client_a, record_a, "Annual Report 2014.pdf", pdf_bytes).status_code == 302
    first, second = EvidenceFile.objects.order_by("pk")
    assert first.file.name != second.file.name
    for evidence in (first, second):
        base = Path(evidence.file.name).name
        assert "Annual" not in evidence.file.name and "Report" not in evidence.file.name
        assert not base.endswith(".pdf")
        assert len(base) == 32 and all(c in "0123456789abcdef" for c in base)


def test_stored_file_is_not_under_static_or_any_url(client_a, record_a, pdf_bytes):
    upload(client_a, record_a, "invoice.pdf", pdf_bytes)
    evidence = EvidenceFile.objects.get()
    path = stored_path(evidence)
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    for folder in settings.STATICFILES_DIRS:
        folder = folder[1] if isinstance(folder, tuple) else folder
        assert not path.is_relative_to(Path(folder).resolve())
    media_root = getattr(settings, "MEDIA_ROOT", "")
    if media_root:
        assert not path.is_relative_to(Path(media_root).resolve())
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 -- the private storage has no base URL
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_download_streams_bytes_as_attachment(client_a, record_a, pdf_bytes):
    evidence = EvidenceFileFactory(record=record_a, original_name="Zollerklärung 2014.pdf")
    response = client_a.get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == pdf_bytes
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Zollerkl%C3%A4rung%202014.pdf" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_other_firms_file_is_404_on_download_and_delete(client_a, record_b):
    evidence = EvidenceFileFactory(record=record_b)
    assert client_a.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404
    assert client_a.post(reverse("evidence:delete", args=[evidence.pk])).status_code == 404
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert evidence.file.storage.exists(evidence.file.name)


def test_upload_to_other_firms_record_through_own_firm_url_is_404(client_a, firm_a, record_b, pdf_bytes):
    url = reverse("enterprises:evidence_upload", args=[firm_a.pk, "exports", record_b.pk])
    response = client_a.post(url, {"file": SimpleUploadedFile("x.pdf", pdf_bytes)})
    assert response.status_code == 404
    assert not EvidenceFile.objects.exists()


def test_delete_removes_row_and_stored_file(client_a, record_a, django_capture_on_commit_callbacks):
    evidence = EvidenceFileFactory(record=record_a)
    name, storage = evidence.file.name, evidence.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("evidence:delete", args=[evidence.pk]))
    assert response.status_code == 302
    assert response.url == reverse("enterprises:record_detail", args=[record_a.enterprise_id, "exports", record_a.pk])
    assert not EvidenceFile.objects.exists()
    assert not storage.exists(name)


def test_htmx_upload_returns_the_partial(client_a, record_a, pdf_bytes):
    response = upload(client_a, record_a, "invoice.pdf", pdf_bytes, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="evidence"')
    assert "<html" not in html
    assert "invoice.pdf" in html
    assert response.templates[0].name == "enterprises/_evidence.html"
    assert EvidenceFile.objects.count() == 1


def test_htmx_upload_error_returns_the_partial_with_the_error(client_a, record_a):
    response = upload(client_a, record_a, "report.pdf", b"plain text", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="evidence"')
    assert "checked by their content" in html
    assert not EvidenceFile.objects.exists()


def test_record_list_counts_evidence(client_a, record_a):
    EvidenceFileFactory.create_batch(2, record=record_a)
    response = client_a.get(reverse("enterprises:record_list", args=[record_a.enterprise_id, "exports"]))
    [row] = list(response.context["page"])
    assert row.evidence_count == 2


def test_large_office_file_goes_through_a_temporary_file(client_a, record_a, settings):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE Django spools to disk; the type check must work on that file too."""
    data = build_docx({"word/media/image1.png": os.urandom(settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1024)})
    assert upload(client_a, record_a, "big.docx", data).status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.mime_type.endswith("wordprocessingml.document")
    assert stored_path(evidence).read_bytes() == data


def test_deleting_a_firm_removes_its_stored_files(firm_a, record_a, record_b, django_capture_on_commit_callbacks):
    mine = EvidenceFileFactory.create_batch(2, record=record_a)
    theirs = EvidenceFileFactory(record=record_b)
    storage = theirs.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_delete(enterprise=firm_a)
    assert not EvidenceFile.objects.filter(pk__in=[e.pk for e in mine]).exists()
    assert not any(storage.exists(e.file.name) for e in mine)
    assert storage.exists(theirs.file.name)


def test_files_stay_when_the_deletion_is_rolled_back(client_a, record_a, django_capture_on_commit_callbacks):
    evidence = EvidenceFileFactory(record=record_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_a.post(reverse("evidence:delete", args=[evidence.pk]))
    # removal waits for the commit (other callbacks, e.g. the anomalies' re-check, may wait too)
    assert [c for c in callbacks if c.__qualname__.startswith("_delete_evidence")]
    assert evidence.file.storage.exists(evidence.file.name)


def test_sample_files_are_what_they_claim(pdf_bytes, png_bytes, jpeg_bytes, xlsx_bytes, docx_bytes):
    import filetype

    assert [filetype.guess(data).extension for data in (pdf_bytes, png_bytes, jpeg_bytes, xlsx_bytes, docx_bytes)] == [
        "pdf",
        "png",
        "jpg",
        "xlsx",
        "docx",
    ]
