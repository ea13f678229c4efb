"""Over-size request bodies are refused before they are read (issue 12, point 2)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory, override_settings
from django.urls import reverse

from core.limits import BodyLimitUploadHandler, BodyTooLarge
from enterprises.models import EvidenceFile
from tests.conftest import client_for
from tests.factories import ExportRecordFactory

SMALL = {"REQUEST_BODY_MAX_BYTES": 1_000, "EVIDENCE_BODY_MAX_BYTES": 5_000, "IMPORT_BODY_MAX_BYTES": 5_000}


@pytest.fixture
def no_spooling(monkeypatch):
    """Fails the test when any upload handler starts storing a file (memory or temporary disk)."""
    started = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):

        def new_file(self, *args, original=handler.new_file, **kwargs):
            started.append(type(self).__name__)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(handler, "new_file", new_file)
    return started


@override_settings(**SMALL)
@pytest.mark.django_db
def test_anonymous_big_multipart_login_is_413_and_never_spooled(no_spooling):
    response = client_for(None).post(
        reverse("login"), {"username": "x", "password": "y", "file": SimpleUploadedFile("a.bin", b"\0" * 2_000)}
    )
    assert response.status_code == 413 and response["Connection"] == "close"
    assert "Request too large" in response.content.decode()
    assert no_spooling == []


@override_settings(**SMALL)
@pytest.mark.django_db
def test_big_urlencoded_body_is_413():
    response = client_for(None).post(reverse("login"), {"username": "x" * 2_000, "password": "y"})
    assert response.status_code == 413


@override_settings(**SMALL)
@pytest.mark.django_db
def test_evidence_url_allows_its_own_limit(client_a, firm_a, pdf_bytes, no_spooling):
    record = ExportRecordFactory(enterprise=firm_a)
    url = reverse("enterprises:evidence_upload", args=[firm_a.pk, "exports", record.pk])
    small = client_a.post(url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes + b"\0" * 2_000)})
    assert small.status_code != 413 and len(no_spooling) == 1  # over the general limit, under the evidence one
    big = client_a.post(url, {"file": SimpleUploadedFile("b.pdf", pdf_bytes + b"\0" * 6_000)})
    assert big.status_code == 413 and len(no_spooling) == 1
    assert not EvidenceFile.objects.filter(original_name="b.pdf").exists()


@override_settings(**SMALL)
@pytest.mark.django_db
def test_import_url_has_its_limit(officer, no_spooling):
    response = client_for(officer).post(
        reverse("bulkimport:upload"), {"kind": "firms", "file": SimpleUploadedFile("a.csv", b"x" * 6_000)}
    )
    assert response.status_code == 413 and no_spooling == []


def multipart_request(size: int):
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + b"\0" * size + b"\r\n--B--\r\n"
    )
    return body, {"CONTENT_TYPE": "multipart/form-data; boundary=B", "CONTENT_LENGTH": str(len(body))}


def test_upload_handler_refuses_a_declared_length_over_the_limit(no_spooling):
    body, meta = multipart_request(2_000)
    request = RequestFactory().post("/")
    request.body_limit = 1_000
    handlers = [BodyLimitUploadHandler(request), TemporaryFileUploadHandler(request)]
    with pytest.raises(BodyTooLarge):
        MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    assert no_spooling == []


def test_upload_handler_counts_bytes_when_the_length_is_not_known():
    """A body whose length the server did not declare (chunked): counted as it streams."""
    handler = BodyLimitUploadHandler(RequestFactory().post("/"))
    handler.request.body_limit = 1_000
    handler.handle_raw_input(io.BytesIO(), {}, 0, b"B")
    handler.receive_data_chunk(b"\0" * 900, 0)
    with pytest.raises(BodyTooLarge):
        handler.receive_data_chunk(b"\0" * 200, 900)
