"""Formula injection (issue 12, point 1): every generated CSV/XLSX neutralises text, numbers stay numbers."""

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from bulkimport.models import ImportBatch
from core.spreadsheets import Sheet, csv_text, neutralise, xlsx_bytes
from enterprises.models import Enterprise
from reference.models import RegionalStatistic
from tests.conftest import client_for
from tests.rewards.test_views import ranked_round

EVIL = '=HYPERLINK("http://x","y")'
DANGEROUS = [EVIL, "+1+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_quotes_formula_starts(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "12.50", "+4", "-100.0", "Beijing", "甲公司", "", "a=b"])
def test_neutralise_leaves_plain_text_and_numbers(text):
    assert neutralise(text) == text


def test_csv_writer_numbers_and_text():
    assert csv_text([["a", "b", "c", "d"], [EVIL, Decimal("1.50"), 3, None]]) == (
        'a,b,c,d\n"\'=HYPERLINK(""http://x"",""y"")",1.50,3,\n'
    )


def test_xlsx_writer_never_writes_a_formula():
    content = xlsx_bytes([Sheet("s", [["name", "amount", "n"], [EVIL, Decimal("2.50"), 7], ["=1+1", None, 1.5]])])
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows())
    assert rows[1][0].data_type == "s" and rows[1][0].value == "'" + EVIL
    assert rows[1][1].data_type == "n" and rows[1][1].value == 2.5 and rows[1][2].value == 7
    assert rows[2][0].value == "'=1+1" and rows[2][1].value is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", DANGEROUS)
def test_round_results_neutralise_firm_names(administrator, name):
    reward_round = ranked_round(administrator, totals=("70",))
    Enterprise.objects.update(name_zh=name)
    client = client_for(None)
    rows = list(csv.reader(io.StringIO(client.get(f"/rounds/{reward_round.pk}/results.csv").content.decode())))
    assert rows[1][1] == "'" + name.replace("\r", "\n") and rows[1][3] == "70.00"
    content = client.get(f"/rounds/{reward_round.pk}/results.xlsx").content
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    cells = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows())[1]
    assert cells[1].data_type == "s" and cells[1].value == "'" + name.replace("\r", "\n")  # XML line ends
    assert cells[3].data_type == "n" and cells[0].data_type == "n"


@pytest.mark.django_db
def test_statistics_downloads_neutralise_region_names(officer):
    RegionalStatistic.objects.all().delete()
    RegionalStatistic.objects.create(region=EVIL, year=2014, imports=Decimal("10"), exports=Decimal("5"))
    client = client_for(officer)
    trade = client.get(reverse("zone:trade_csv"), {"region": EVIL})
    assert trade.status_code == 200
    assert all(row[7] == "'" + EVIL for row in list(csv.reader(io.StringIO(trade.content.decode())))[1:])
    content = client.get(reverse("zone:workbook_xlsx"), {"region": EVIL}).content
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert all(b"<f>" not in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))


@pytest.mark.django_db
def test_import_error_report_and_templates_neutralise(officer):
    batch = ImportBatch.objects.create(
        kind="firms",
        file_name="x.csv",
        user=officer,
        dry_run=True,
        status="rejected",
        errors=[[2, "@col", EVIL], [None, "-x", "+y"]],
    )
    client = client_for(officer)
    report = client.get(reverse("bulkimport:batch_errors", args=[batch.pk])).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(report)))[1:] == [["2", "'@col", "'" + EVIL], ["", "'-x", "'+y"]]
    content = client.get(reverse("bulkimport:template", args=["firms", "xlsx"])).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert all(cell.data_type in ("s", "n") for row in workbook.active.iter_rows() for cell in row)
    assert workbook.active["A1"].number_format == "@" and workbook.active["A1"].font.b
