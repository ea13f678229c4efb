"""XLSX zip bombs (issue 12, point 3): the zip directory is checked before parsing, blank rows count."""

import io
import zipfile

import openpyxl
import pytest

from bulkimport import parsing
from bulkimport.parsing import ParseError, read_table

SHEET = "xl/worksheets/sheet1.xml"


def workbook_with_sheet(sheet_xml: bytes, *, extra_members: int = 0) -> bytes:
    """A valid workbook from openpyxl whose first sheet is replaced by `sheet_xml` (deflated)."""
    source = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["uscc", "name_zh"])
    workbook.save(source)
    target = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in original.infolist():
            bomb.writestr(member.filename, sheet_xml if member.filename == SHEET else original.read(member))
        for i in range(extra_members):
            bomb.writestr(f"xl/media/padding{i}.bin", b"x")
    return target.getvalue()


def blank_rows_sheet(rows: int) -> bytes:
    """A header row, then `rows` empty rows: the bomb compresses about 1:1000."""
    body = b'<row r="1"><c r="A1" t="inlineStr"><is><t>uscc</t></is></c></row>' + b"<row/>" * rows
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + b"</sheetData></worksheet>"
    )


def test_a_real_bomb_is_refused_by_its_ratio():
    data = workbook_with_sheet(blank_rows_sheet(2_000_000))
    assert len(data) < 100_000
    with pytest.raises(ParseError, match="expands to too much data"):
        read_table(data)


def test_blank_rows_count_toward_the_row_limit(monkeypatch):
    """Should the zip check let a bomb through, the streamed rows stop it at the row limit."""
    monkeypatch.setattr(parsing, "MAX_DATA_ROWS", 1_000)
    monkeypatch.setattr(parsing, "MAX_XLSX_RATIO", 10**6)
    data = workbook_with_sheet(blank_rows_sheet(50_000))
    with pytest.raises(ParseError, match="blank rows included") as error:
        read_table(data)
    assert error.value.row == 1_002


def test_a_gap_in_row_numbers_counts_too(monkeypatch):
    """openpyxl fills missing rows with blanks: one cell in row 10 million must not be reached."""
    monkeypatch.setattr(parsing, "MAX_DATA_ROWS", 1_000)
    monkeypatch.setattr(parsing, "MAX_XLSX_RATIO", 10**6)
    sheet = blank_rows_sheet(0).replace(
        b"</sheetData>", b'<row r="10000000"><c r="A10000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )
    with pytest.raises(ParseError, match="blank rows included"):
        read_table(workbook_with_sheet(sheet))


def test_compression_ratio_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_XLSX_RATIO", 20)
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("the bomb reached openpyxl"))
    data = workbook_with_sheet(blank_rows_sheet(100_000))
    assert len(data) < 300_000
    with pytest.raises(ParseError, match="expands to too much data"):
        read_table(data)


def test_total_uncompressed_size_is_bounded(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_XLSX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(ParseError, match="expands to too much data"):
        read_table(workbook_with_sheet(blank_rows_sheet(2_000)))


def test_member_count_is_bounded(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_XLSX_MEMBERS", 50)
    with pytest.raises(ParseError, match="expands to too much data"):
        read_table(workbook_with_sheet(blank_rows_sheet(1), extra_members=60))


def test_an_ordinary_workbook_still_reads():
    table = read_table(workbook_with_sheet(blank_rows_sheet(5)))
    assert table.columns == ["uscc"] and table.rows == []


@pytest.mark.django_db
def test_import_benchmark_prints_peak_memory():
    from django.core.management import call_command

    out = io.StringIO()
    call_command("benchmark_import", rows=50, stdout=out)
    assert "peak memory (max RSS of the process):" in out.getvalue() and "peak Python memory" in out.getvalue()
