"""Building import files in tests."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulkimport.kinds import KINDS

FIRM_HEADER = KINDS["firms"].column_names
REPORT_HEADER = KINDS["annual_reports"].column_names
EXPORT_HEADER = KINDS["export_records"].column_names


def csv_bytes(header: list[str], rows: list[list[object]], *, bom: bool = False, newline: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def firm_row(uscc: str, **changes) -> list[object]:
    values = {
        "uscc": uscc,
        "name_zh": "测试企业",
        "name_en": "Test Co.",
        "registration_type": "llc",
        "industry_group": "other",
        "founded": "2005-06-01",
        "province": "北京",
        "city": "北京",
    }
    values.update(changes)
    return [values[name] for name in FIRM_HEADER]


def report_row(uscc: str, year: int = 2014, **changes) -> list[object]:
    values = {
        "uscc": uscc,
        "year": year,
        "currency": "CNY",
        "revenue_total": "50000000.00",
        "revenue_foreign": "12000000.00",
        "assets_total": "80000000",
        "assets_foreign": "5000000",
        "employees_total": 200,
        "employees_foreign": 12,
        "imports_total": "3000000.50",
        "domestic_scope": "national",
    }
    values.update(changes)
    return [values[name] for name in REPORT_HEADER]


def export_row(uscc: str, year: int = 2014, destination: str = "US", channel: str = "direct", **changes) -> list:
    values = {
        "uscc": uscc,
        "year": year,
        "destination": destination,
        "channel": channel,
        "currency": "CNY",
        "value": "1000000.00",
    }
    values.update(changes)
    return [values[name] for name in EXPORT_HEADER]


def post_import(client, kind: str, data: bytes, *, name: str = "data.csv", dry_run: bool = False):
    payload = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("bulkimport:upload"), payload)
