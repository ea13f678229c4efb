"""Import pages: every URL and role, the upload flow, the error report CSV, templates that import back."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from bulkimport.kinds import KINDS
from bulkimport.models import ImportBatch, ImportStatus
from bulkimport.parsing import read_table
from enterprises.models import AnnualReport, Enterprise, ExportRecord, IndustryGroup, RegistrationType
from tests.bulkimport.helpers import EXPORT_HEADER, csv_bytes, export_row, post_import
from tests.conftest import ROLE_NAMES, client_for
from tests.factories import make_uscc
from tests.matrix import LOGIN, check, expect

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(officer):
    return ImportBatch.objects.create(
        user=officer,
        kind="firms",
        file_name="f.csv",
        sha256="0" * 64,
        dry_run=False,
        status=ImportStatus.REJECTED,
        error_count=1,
        errors=[[2, "uscc", "=HYPERLINK(bad)"]],
    )


def urls(batch) -> list[str]:
    found = [
        reverse("bulkimport:upload"),
        reverse("bulkimport:batch", args=[batch.pk]),
        reverse("bulkimport:batch_status", args=[batch.pk]),
        reverse("bulkimport:batch_errors", args=[batch.pk]),
    ]
    found += [reverse("bulkimport:template", args=[kind, fmt]) for kind in KINDS for fmt in ("csv", "xlsx")]
    return found


EXPECTED = expect(LOGIN, 403, 403, 200, 200)


def matrix_urls(world):
    return urls(world)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_every_url_for_every_role(roles, batch, role):
    for url in urls(batch):
        check(roles[role].get(url), EXPECTED[role], role, url)


@pytest.mark.parametrize("role", ["anonymous", "member_a"])
def test_posting_an_import_needs_an_officer(roles, firm_a, role):
    response = post_import(roles[role], "export_records", csv_bytes(EXPORT_HEADER, [export_row(firm_a.uscc)]))
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert ExportRecord.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_unknown_template_is_404(officer):
    client = client_for(officer)
    assert client.get(reverse("bulkimport:template", args=["firms", "pdf"])).status_code == 404
    assert client.get(reverse("bulkimport:template", args=["patents", "csv"])).status_code == 404
    assert client.get(reverse("bulkimport:batch", args=[999999])).status_code == 404


def test_upload_page_documents_every_column(officer):
    content = client_for(officer).get(reverse("bulkimport:upload")).content.decode()
    for spec in KINDS.values():
        assert reverse("bulkimport:template", args=[spec.kind, "csv"]) in content
        for column in spec.columns:
            assert f"<code>{column.name}</code>" in content
    for code in RegistrationType.values + IndustryGroup.values + ["direct", "agent", "subsidiary", "local"]:
        assert f"<code>{code}</code>" in content
    assert "import firms first" in content


def test_dry_run_then_real_import_through_the_page(officer, firm_a):
    client = client_for(officer)
    data = csv_bytes(EXPORT_HEADER, [export_row(firm_a.uscc, 2014, "US"), export_row(firm_a.uscc, 2014, "DE")])
    response = post_import(client, "export_records", data, dry_run=True)
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and response.url == reverse("bulkimport:batch", args=[batch.pk])
    assert ExportRecord.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "Dry run" in page and "Would be created" in page and "1000000.00" in page
    response = post_import(client, "export_records", data)
    assert ExportRecord.objects.count() == 2
    assert "Imported." in client.get(response.url).content.decode()
    listing = client.get(reverse("bulkimport:upload")).content.decode()
    assert listing.count("data.csv") == 2 and "officer" in listing


def test_rejected_upload_shows_the_error_table_and_csv(officer, firm_a):
    client = client_for(officer)
    rows = [export_row(firm_a.uscc), export_row(firm_a.uscc, 2013, value="-3"), export_row("=cmd|x", 2012)]
    response = post_import(client, "export_records", csv_bytes(EXPORT_HEADER, rows))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED and ExportRecord.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "Nothing was written" in page and "The amount cannot be negative." in page
    report = client.get(reverse("bulkimport:batch_errors", args=[batch.pk]))
    assert report["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0] == ["row", "column", "reason"]
    assert lines[1] == ["3", "value", "The amount cannot be negative."]
    assert lines[2][:2] == ["4", "uscc"]


def test_error_csv_neutralises_formulas(officer, batch):
    report = client_for(officer).get(reverse("bulkimport:batch_errors", args=[batch.pk]))
    assert "'=HYPERLINK(bad)" in report.content.decode("utf-8-sig")


def test_form_errors(officer):
    client = client_for(officer)
    response = client.post(reverse("bulkimport:upload"), {"kind": "firms"})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = client.post(reverse("bulkimport:upload"), {"kind": "patents", "file": io.BytesIO(b"x")})
    assert "kind" in response.context["form"].errors
    assert ImportBatch.objects.count() == 0


def test_wrong_file_type_through_the_page(officer, png_bytes):
    response = post_import(client_for(officer), "firms", png_bytes, name="firms.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED and "PNG" in batch.errors[0][2]
    assert response.status_code == 302


def test_templates_parse_back_through_the_importer(officer):
    """Each template's example row imports: firms first, then the records of that firm (CSV and XLSX)."""
    client = client_for(officer)
    for fmt in ("csv", "xlsx"):
        for kind in ("firms", "annual_reports", "export_records"):
            response = client.get(reverse("bulkimport:template", args=[kind, fmt]))
            assert response.status_code == 200
            assert f'filename="import-{kind}.{fmt}"' in response["Content-Disposition"]
            table = read_table(response.content)
            assert table.columns == KINDS[kind].column_names and len(table.rows) == 1
            post_import(client, kind, response.content, name=f"template.{fmt}")
            batch = ImportBatch.objects.latest("pk")
            assert batch.status == ImportStatus.APPLIED, batch.errors
            assert (batch.created, batch.unchanged) == ((1, 0) if fmt == "csv" else (0, 1))
    assert Enterprise.objects.count() == AnnualReport.objects.count() == ExportRecord.objects.count() == 1


def test_xlsx_template_has_documentation_sheet(officer):
    response = client_for(officer).get(reverse("bulkimport:template", args=["export_records", "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    docs = workbook["documentation"]
    names = [row[0].value for row in docs.iter_rows(min_row=2, max_row=7)]
    assert names == EXPORT_HEADER


def test_five_megabyte_csv_imports(officer, django_capture_on_commit_callbacks):
    """A 5 MB file of export records (labels and country names, as a spreadsheet user writes them), imported by
    the task the upload queues (tests run tasks at once)."""
    firms = [
        Enterprise(
            uscc=make_uscc(30_000_000 + i), name_zh=f"大文件企业{i}", registration_type="llc", industry_group="other"
        )
        for i in range(120)
    ]
    Enterprise.objects.bulk_create(firms)
    names = [
        "United States of America",
        "Germany",
        "Japan",
        "United Kingdom",
        "France",
        "Mexico",
        "Singapore",
        "Australia",
        "Canada",
        "Italy",
        "Netherlands",
        "Brazil",
        "India",
        "Hong Kong",
        "Taiwan",
        "Macao",
        "Spain",
        "Sweden",
        "Switzerland",
        "Malaysia",
    ]
    channels = ["Direct export", "Through an independent agent or distributor", "Through an own foreign sales entity"]
    rows = []
    for firm in firms:
        for year in range(2005, 2015):
            for name in names:
                for channel in channels:
                    rows.append([firm.uscc, year, name, channel, "CNY", f"{len(rows) * 7 % 10**9}.25"])
    data = csv_bytes(EXPORT_HEADER, rows[:67_000])
    assert len(data) >= 5 * 1024 * 1024
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client_for(officer), "export_records", data, name="big.csv")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportStatus.APPLIED, batch.errors[:5]
    assert batch.started_at is not None and batch.processed == batch.total == 2 * 67_000
    assert batch.created == 67_000 == ExportRecord.objects.count() == ExportRecord.history.count()


def test_benchmark_command_rolls_back(db):
    out = io.StringIO()
    call_command("benchmark_import", rows=300, stdout=out)
    text = out.getvalue()
    assert "import (create)" in text and "created 300" in text and "unchanged 300" in text
    assert "reference loop" in text
    assert "updated 300" in text
    assert Enterprise.objects.count() == ExportRecord.objects.count() == ImportBatch.objects.count() == 0


def test_upload_larger_than_limit_is_a_form_error(officer, monkeypatch):
    from bulkimport import forms

    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 10)
    response = post_import(client_for(officer), "firms", b"uscc,name_zh\n" * 3)
    assert response.status_code == 200 and "larger than" in str(response.context["form"].errors["file"])
    assert ImportBatch.objects.count() == 0
