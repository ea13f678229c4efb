"""The import service: per-row validation with row/column/reason, all-or-nothing, idempotence, dry runs, audit."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from bulkimport import services
from bulkimport.kinds import KINDS
from bulkimport.models import ImportBatch, ImportStatus
from enterprises.models import AnnualReport, DomesticScope, Enterprise, ExportRecord
from tests.bulkimport.helpers import (
    EXPORT_HEADER,
    FIRM_HEADER,
    REPORT_HEADER,
    csv_bytes,
    export_row,
    firm_row,
    report_row,
    xlsx_bytes,
)
from tests.factories import AnnualReportFactory, EnterpriseFactory, ExportRecordFactory, make_uscc

pytestmark = pytest.mark.django_db

USCC_1 = make_uscc(20_000_001)
USCC_2 = make_uscc(20_000_002)
USCC_3 = make_uscc(20_000_003)
BAD_CHECK = USCC_1[:-1] + ("0" if USCC_1[-1] != "0" else "1")


def run(kind: str, data: bytes, *, dry_run: bool = False, actor=None, name: str = "data.csv"):
    return services.import_file(kind=kind, data=data, file_name=name, actor=actor, dry_run=dry_run)


def triples(result) -> list[tuple]:
    return [(e.row, e.column, e.reason) for e in result.errors]


def assert_error(result, row, column, fragment) -> None:
    matches = [e for e in result.errors if e.row == row and e.column == column and fragment in e.reason]
    assert matches, f"no error ({row}, {column}, …{fragment}…) in {triples(result)}"


@pytest.fixture
def firm(db):
    return EnterpriseFactory(uscc=USCC_1, name_zh="甲公司")


@pytest.fixture
def firm2(db):
    return EnterpriseFactory(uscc=USCC_2, name_zh="乙公司")


def counts() -> tuple[int, ...]:
    return (
        Enterprise.objects.count(),
        AnnualReport.objects.count(),
        ExportRecord.objects.count(),
        Enterprise.history.count(),
        AnnualReport.history.count(),
        ExportRecord.history.count(),
    )


# --- every kind of bad row ------------------------------------------------------------------------------


BAD_ROWS = [
    # kind, header, row builder, column, reason fragment
    ("bad USCC check character", "firms", FIRM_HEADER, lambda: firm_row(BAD_CHECK), "uscc", "check character"),
    ("bad USCC format", "firms", FIRM_HEADER, lambda: firm_row("12345"), "uscc", "18 characters"),
    (
        "USCC organization code",
        "firms",
        FIRM_HEADER,
        lambda: firm_row(USCC_1[:16] + ("0" if USCC_1[16] != "0" else "1") + USCC_1[17]),
        "uscc",
        "",
    ),
    ("unknown firm", "export_records", EXPORT_HEADER, lambda: export_row(USCC_3), "uscc", "No firm has this USCC"),
    (
        "year not a number",
        "export_records",
        EXPORT_HEADER,
        lambda: export_row(USCC_1, year="20x4"),
        "year",
        "not a year",
    ),
    (
        "year out of range",
        "annual_reports",
        REPORT_HEADER,
        lambda: report_row(USCC_1, year=1970),
        "year",
        "Enter a year from 1980 to",
    ),
    (
        "bad number",
        "annual_reports",
        REPORT_HEADER,
        lambda: report_row(USCC_1, revenue_total="12,000"),
        "revenue_total",
        "not a number",
    ),
    (
        "bad number text",
        "export_records",
        EXPORT_HEADER,
        lambda: export_row(USCC_1, value="lots"),
        "value",
        "not a number",
    ),
    (
        "too many decimals",
        "export_records",
        EXPORT_HEADER,
        lambda: export_row(USCC_1, value="1.234"),
        "value",
        "2 decimal places",
    ),
    ("negative amount", "export_records", EXPORT_HEADER, lambda: export_row(USCC_1, value="-5"), "value", "negative"),
    (
        "negative employees",
        "annual_reports",
        REPORT_HEADER,
        lambda: report_row(USCC_1, employees_foreign=-1),
        "employees_foreign",
        "negative",
    ),
    (
        "fractional employees",
        "annual_reports",
        REPORT_HEADER,
        lambda: report_row(USCC_1, employees_total="2.5"),
        "employees_total",
        "whole number",
    ),
    (
        "foreign revenue above total",
        "annual_reports",
        REPORT_HEADER,
        lambda: report_row(USCC_1, revenue_total="100", revenue_foreign="101"),
        "revenue_foreign",
        "cannot exceed",
    ),
    (
        "foreign employees above total",
        "annual_reports",
        REPORT_HEADER,
        lambda: report_row(USCC_1, employees_total=10, employees_foreign=11),
        "employees_foreign",
        "cannot exceed",
    ),
    (
        "bad country code",
        "export_records",
        EXPORT_HEADER,
        lambda: export_row(USCC_1, destination="XX"),
        "destination",
        "ISO 3166-1",
    ),
    (
        "bad country name",
        "export_records",
        EXPORT_HEADER,
        lambda: export_row(USCC_1, destination="Atlantis"),
        "destination",
        "ISO 3166-1",
    ),
    (
        "bad currency",
        "export_records",
        EXPORT_HEADER,
        lambda: export_row(USCC_1, currency="ZZZ"),
        "currency",
        "ISO 4217",
    ),
    (
        "bad registration type",
        "firms",
        FIRM_HEADER,
        lambda: firm_row(USCC_1, registration_type="gmbh"),
        "registration_type",
        "not one of",
    ),
    (
        "bad industry",
        "firms",
        FIRM_HEADER,
        lambda: firm_row(USCC_1, industry_group="mining"),
        "industry_group",
        "not one of",
    ),
    (
        "bad channel",
        "export_records",
        EXPORT_HEADER,
        lambda: export_row(USCC_1, channel="pigeon"),
        "channel",
        "not one of",
    ),
    (
        "bad scope",
        "annual_reports",
        REPORT_HEADER,
        lambda: report_row(USCC_1, domestic_scope="galactic"),
        "domestic_scope",
        "not one of",
    ),
    ("bad date", "firms", FIRM_HEADER, lambda: firm_row(USCC_1, founded="01/06/2005"), "founded", "not a date"),
    ("impossible date", "firms", FIRM_HEADER, lambda: firm_row(USCC_1, founded="2005-02-30"), "founded", "not a date"),
    ("required value blank", "firms", FIRM_HEADER, lambda: firm_row(USCC_1, name_zh=""), "name_zh", "required"),
    ("too long", "firms", FIRM_HEADER, lambda: firm_row(USCC_1, name_zh="长" * 201), "name_zh", "At most 200"),
]


@pytest.mark.parametrize(
    ("kind", "header", "build", "column", "fragment"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_row_is_reported_with_row_column_reason_and_nothing_is_written(
    firm, officer, kind, header, build, column, fragment
):
    good = {
        "firms": firm_row(USCC_2),
        "annual_reports": report_row(USCC_1, 2013),
        "export_records": export_row(USCC_1, 2013),
    }[kind]
    before = counts()
    result = run(kind, csv_bytes(header, [good, build()]), actor=officer)
    assert not result.ok
    assert_error(result, 3, column, fragment)
    assert {e.row for e in result.errors} == {3}
    assert counts() == before
    batch = result.batch
    assert batch.status == ImportStatus.REJECTED and batch.error_count == len(result.errors)
    assert batch.user == officer and batch.errors[0][:2] == [3, column]


def test_missing_required_column(firm):
    header = [c for c in EXPORT_HEADER if c != "value"]
    result = run("export_records", csv_bytes(header, [export_row(USCC_1)[:-1]]))
    assert triples(result) == [(1, "value", "Required column missing.")]


def test_optional_column_may_be_left_out(firm):
    header = [c for c in EXPORT_HEADER if c != "currency"]
    row = [v for c, v in zip(EXPORT_HEADER, export_row(USCC_1), strict=True) if c != "currency"]
    result = run("export_records", csv_bytes(header, [row]))
    assert result.ok and result.created == 1
    assert ExportRecord.objects.get().currency == "CNY"


def test_unknown_column(firm):
    result = run("export_records", csv_bytes([*EXPORT_HEADER, "colour"], [[*export_row(USCC_1), "red"]]))
    assert_error(result, 1, "colour", "Unknown column")
    assert ExportRecord.objects.count() == 0


def test_duplicate_column_and_unnamed_column(firm):
    result = run("export_records", csv_bytes([*EXPORT_HEADER, "value"], [[*export_row(USCC_1), "5"]]))
    assert_error(result, 1, "value", "twice")
    header = ["uscc", "", *EXPORT_HEADER[1:]]
    result = run("export_records", csv_bytes(header, [[USCC_1, "x", *export_row(USCC_1)[1:]]]))
    assert_error(result, 1, "column 2", "no name")


def test_header_is_case_and_space_insensitive(firm):
    header = [c.upper() + " " for c in EXPORT_HEADER]
    assert run("export_records", csv_bytes(header, [export_row(USCC_1)])).created == 1


def test_value_right_of_last_column(firm):
    result = run("export_records", csv_bytes(EXPORT_HEADER, [[*export_row(USCC_1), "stray"]]))
    assert_error(result, 2, "column 7", "right of the last named column")


def test_duplicate_key_in_file_names_both_rows(firm):
    rows = [
        export_row(USCC_1, 2014, "US", "direct"),
        export_row(USCC_1, 2014, "DE", "direct"),
        export_row(USCC_1.lower(), 2014, "us", "Direct export", value="5"),
    ]
    result = run("export_records", csv_bytes(EXPORT_HEADER, rows))
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.row == 4 and error.column == "uscc, year, destination, channel"
    assert "row 2" in error.reason and USCC_1 in error.reason
    assert ExportRecord.objects.count() == 0


def test_duplicate_firm_in_file(db):
    result = run("firms", csv_bytes(FIRM_HEADER, [firm_row(USCC_1), firm_row(USCC_2), firm_row(USCC_1)]))
    assert [(e.row, e.column) for e in result.errors] == [(4, "uscc")]
    assert "row 2" in result.errors[0].reason
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n"], ids=["zero bytes", "blank lines"])
def test_empty_file(db, data):
    result = run("firms", data)
    assert [e.reason for e in result.errors] == ["The file is empty."]
    assert result.batch.status == ImportStatus.REJECTED


def test_header_only_file(db):
    result = run("firms", csv_bytes(FIRM_HEADER, []))
    assert "no data rows" in result.errors[0].reason


def test_non_utf8_file(db):
    data = csv_bytes(FIRM_HEADER, [firm_row(USCC_1)]).decode("utf-8").encode("gbk")
    result = run("firms", data)
    assert len(result.errors) == 1 and "not UTF-8" in result.errors[0].reason
    assert "line 2" in result.errors[0].reason
    assert Enterprise.objects.count() == 0


def test_png_file_is_refused(db, png_bytes):
    result = run("firms", png_bytes, name="firms.csv")
    assert len(result.errors) == 1 and "PNG" in result.errors[0].reason


def test_pdf_and_docx_are_refused(db, pdf_bytes, docx_bytes):
    assert "PDF" in run("firms", pdf_bytes).errors[0].reason
    assert "DOCX" in run("firms", docx_bytes, name="firms.xlsx").errors[0].reason


def test_mix_of_good_and_bad_rows_writes_nothing_and_reports_every_bad_row(firm, firm2, officer):
    AnnualReportFactory(enterprise=firm, year=2010)
    rows = [
        report_row(USCC_1, 2014),  # 2 good
        report_row(USCC_1, 2013, revenue_total="abc"),  # 3 bad number
        report_row(USCC_2, 2014),  # 4 good
        report_row(USCC_3, 2014),  # 5 unknown firm
        report_row(USCC_2, 2013, assets_total="1", assets_foreign="2"),  # 6 foreign > total
        report_row(USCC_1, 2010, revenue_total="1"),  # 7 update, but total < foreign
        report_row(USCC_1, "x", currency="EURO"),  # 8 two bad cells
        report_row(USCC_1, 2014),  # 9 duplicate of row 2
    ]
    before = counts()
    result = run("annual_reports", csv_bytes(REPORT_HEADER, rows), actor=officer)
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "revenue_total"),
        (5, "uscc"),
        (6, "assets_foreign"),
        (7, "revenue_foreign"),
        (8, "year"),
        (8, "currency"),
        (9, "uscc, year"),
    ]
    reasons = [e.reason for e in result.errors]
    assert "not a number" in reasons[0] and "No firm" in reasons[1]
    assert reasons[2] == "Foreign assets cannot exceed total assets."
    assert reasons[3] == "Foreign revenue cannot exceed total revenue."
    assert "not a year" in reasons[4] and "ISO 4217" in reasons[5] and "row 2" in reasons[6]
    assert counts() == before
    assert result.created == result.updated == result.unchanged == 0


def test_blank_rows_are_skipped_and_keep_the_file_numbering(firm):
    data = csv_bytes(
        EXPORT_HEADER, [export_row(USCC_1, 2014), ["", "", "", "", "", ""], [], export_row(USCC_1, 2013, value="x")]
    )
    result = run("export_records", data)
    assert [(e.row, e.column) for e in result.errors] == [(5, "value")]


def test_quoted_newline_counts_as_one_row(firm):
    data = csv_bytes(FIRM_HEADER, [firm_row(USCC_2, name_en="Line one\nline two"), firm_row("bad")])
    result = run("firms", data)
    assert [(e.row, e.column) for e in result.errors] == [(3, "uscc")]


def test_semicolon_separated_csv(firm):
    data = csv_bytes(EXPORT_HEADER, [export_row(USCC_1)]).replace(b",", b";")
    assert run("export_records", data).created == 1


# --- writing: create, update, unchanged; idempotence; history -------------------------------------------


def test_firms_create_then_reimport_changes_nothing(officer):
    data = csv_bytes(FIRM_HEADER, [firm_row(USCC_1), firm_row(USCC_2, name_en="", founded="")])
    first = run("firms", data, actor=officer)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert first.batch.status == ImportStatus.APPLIED
    firm = Enterprise.objects.get(uscc=USCC_2)
    assert firm.name_en == "" and firm.founded is None and firm.province == "北京"
    history = Enterprise.history.filter(uscc=USCC_1).get()
    assert history.history_type == "+" and history.history_user == officer
    assert history.history_change_reason == f"Import #{first.batch.pk}"
    before = counts()
    second = run("firms", data, actor=officer)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert counts() == before
    assert ImportBatch.objects.count() == 2


def test_annual_reports_reimport_is_idempotent_and_adds_no_history(firm, firm2, administrator):
    rows = [report_row(USCC_1, 2013), report_row(USCC_1, 2014), report_row(USCC_2, 2014, domestic_scope="")]
    data = csv_bytes(REPORT_HEADER, rows)
    first = run("annual_reports", data, actor=administrator)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert AnnualReport.objects.get(enterprise=firm2).domestic_scope == DomesticScope.NATIONAL
    assert AnnualReport.objects.get(enterprise=firm, year=2014).revenue_total == Decimal("50000000.00")
    history_before = AnnualReport.history.count()
    assert history_before == 3
    second = run("annual_reports", data, actor=administrator)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert AnnualReport.history.count() == history_before


def test_export_records_reimport_is_idempotent(firm):
    rows = [export_row(USCC_1, 2014, d, c) for d in ("US", "DE", "HK") for c in ("direct", "agent")]
    data = csv_bytes(EXPORT_HEADER, rows)
    assert run("export_records", data).created == 6
    before = counts()
    stamps = list(ExportRecord.objects.order_by("pk").values_list("updated_at", flat=True))
    again = run("export_records", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert counts() == before
    assert list(ExportRecord.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_update_changes_only_the_changed_fields_with_history(firm, officer):
    record = ExportRecordFactory(
        enterprise=firm, year=2014, destination="US", channel="direct", value=Decimal("10.00"), currency="USD"
    )
    other = ExportRecordFactory(enterprise=firm, year=2014, destination="DE", channel="agent", value=Decimal("7"))
    rows = [
        export_row(USCC_1, 2014, "US", "direct", value="20.5", currency="USD"),
        export_row(USCC_1, 2014, "DE", "agent", value="7.00"),
        export_row(USCC_1, 2014, "JP", "subsidiary", value="3"),
    ]
    result = run("export_records", csv_bytes(EXPORT_HEADER, rows), actor=officer)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    record.refresh_from_db()
    assert record.value == Decimal("20.50") and record.currency == "USD"
    latest = record.history.latest()
    assert latest.history_type == "~" and latest.history_user == officer and latest.value == Decimal("20.50")
    assert other.history.count() == 1  # created by the factory; untouched by the import
    update = next(c for c in result.changes if c["action"] == "update")
    assert update["row"] == 2 and update["fields"] == [["value", "10.00", "20.50"]]
    assert ExportRecord.history.filter(destination="JP", history_type="+").get().history_user == officer


def test_omitted_optional_column_keeps_the_stored_value(firm):
    ExportRecordFactory(
        enterprise=firm, year=2014, destination="US", channel="direct", currency="USD", value=Decimal("1")
    )
    header = [c for c in EXPORT_HEADER if c != "currency"]
    row = [v for c, v in zip(EXPORT_HEADER, export_row(USCC_1, value="2"), strict=True) if c != "currency"]
    assert run("export_records", csv_bytes(header, [row])).updated == 1
    assert ExportRecord.objects.get().currency == "USD"


def test_firm_update(firm, officer):
    result = run(
        "firms",
        csv_bytes(
            FIRM_HEADER,
            [firm_row(USCC_1, name_zh="甲公司", name_en="Alpha new", registration_type="Private", founded="2001/2/3")],
        ),
    )
    assert result.updated == 1
    firm.refresh_from_db()
    assert firm.name_en == "Alpha new" and firm.registration_type == "private"
    assert firm.founded == datetime.date(2001, 2, 3)
    changed = {name for name, _old, _new in result.changes[0]["fields"]}
    assert changed == {"name_en", "registration_type", "founded", "industry_group"}


def test_labels_and_names_are_accepted(firm):
    rows = [export_row(USCC_1.lower(), 2014, "germany", "THROUGH AN INDEPENDENT AGENT OR DISTRIBUTOR", currency="eur")]
    result = run("export_records", csv_bytes(EXPORT_HEADER, rows))
    assert result.ok, triples(result)
    record = ExportRecord.objects.get()
    assert (record.destination.code, record.channel, record.currency) == ("DE", "agent", "EUR")


def test_hong_kong_macau_taiwan_are_markets(firm):
    rows = [export_row(USCC_1, 2014, code) for code in ("HK", "MO", "TW")]
    assert run("export_records", csv_bytes(EXPORT_HEADER, rows)).created == 3


# --- dry run, formats, audit ----------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_reports_counts_and_changes(firm, officer):
    ExportRecordFactory(enterprise=firm, year=2014, destination="US", channel="direct", value=Decimal("1"))
    ExportRecordFactory(enterprise=firm, year=2014, destination="DE", channel="direct", value=Decimal("2"))
    rows = [
        export_row(USCC_1, 2014, "US", value="1"),
        export_row(USCC_1, 2014, "DE", value="3"),
        *[export_row(USCC_1, 1980 + i // 2, ("FR", "GB")[i % 2]) for i in range(60)],
    ]
    before = counts()
    values = list(ExportRecord.objects.values_list("value", flat=True))
    result = run("export_records", csv_bytes(EXPORT_HEADER, rows), dry_run=True, actor=officer)
    assert result.ok and (result.created, result.updated, result.unchanged) == (60, 1, 1)
    assert counts() == before and list(ExportRecord.objects.values_list("value", flat=True)) == values
    assert len(result.changes) == 50
    assert result.changes[0] == {
        "row": 3,
        "action": "update",
        "key": f"{USCC_1} / 2014 / DE / direct",
        "fields": [["value", "2.00", "3.00"]],
    }
    assert result.changes[1]["action"] == "create" and result.changes[1]["row"] == 4
    batch = result.batch
    assert batch.dry_run and batch.status == ImportStatus.CHECKED and batch.created == 60 and batch.updated == 1
    assert len(batch.changes) == 50


def test_dry_run_with_errors(firm):
    result = run("export_records", csv_bytes(EXPORT_HEADER, [export_row(USCC_1, value="x")]), dry_run=True)
    assert result.batch.status == ImportStatus.REJECTED and result.batch.dry_run


def test_xlsx_input_with_numbers_and_dates(firm):
    rows = [[USCC_1, 2014, "CNY", 50000000, 12000000.5, 80000000, 0, 200, 12, 3000000.25, "local"]]
    result = run("annual_reports", xlsx_bytes(REPORT_HEADER, rows), name="reports.xlsx")
    assert result.ok, triples(result)
    report = AnnualReport.objects.get()
    assert report.revenue_foreign == Decimal("12000000.50") and report.imports_total == Decimal("3000000.25")
    assert report.domestic_scope == "local"
    firms = xlsx_bytes(FIRM_HEADER, [[USCC_2, "乙", None, "llc", "other", datetime.datetime(2003, 4, 5), None, None]])
    result = run("firms", firms, name="firms.xlsx")
    assert result.ok, triples(result)
    assert Enterprise.objects.get(uscc=USCC_2).founded == datetime.date(2003, 4, 5)


def test_xlsx_errors_name_the_sheet_row(firm):
    rows = [export_row(USCC_1, 2014), [None] * 6, export_row(USCC_1, 2013, value=-1)]
    result = run("export_records", xlsx_bytes(EXPORT_HEADER, rows), name="x.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(4, "value")]


def test_csv_with_bom(firm):
    result = run("export_records", csv_bytes(EXPORT_HEADER, [export_row(USCC_1)], bom=True))
    assert result.ok and result.created == 1


def test_batch_records_who_what_and_hash(firm, officer):
    data = csv_bytes(EXPORT_HEADER, [export_row(USCC_1)])
    result = run("export_records", data, actor=officer, name="exports-2014.csv")
    batch = ImportBatch.objects.get()
    assert batch == result.batch
    assert (batch.user, batch.kind, batch.file_name, batch.rows, batch.created) == (
        officer,
        "export_records",
        "exports-2014.csv",
        1,
        1,
    )
    assert batch.sha256 == services.sha256_hex(data) and not batch.dry_run


def test_import_run_accepts_rows_built_in_memory(firm):
    rows = [dict(zip(EXPORT_HEADER, export_row(USCC_1, 2014, d), strict=True)) for d in ("US", "DE")]
    result = services.import_run(
        kind="export_records", rows=rows, actor=None, dry_run=False, file_name="memory", sha256="0" * 64
    )
    assert result.created == 2


def test_query_count_does_not_grow_with_rows(firm, django_assert_max_num_queries):
    firms = [EnterpriseFactory() for _ in range(30)]

    def data(n: int) -> bytes:
        return csv_bytes(
            EXPORT_HEADER,
            [export_row(f.uscc, 2000 + i % 15, "US") for i, f in enumerate(firms[:n])]
            + [export_row(USCC_1, 2014, "DE")],
        )

    run("export_records", data(3))  # warm-up
    with django_assert_max_num_queries(16):
        run("export_records", data(30))


def test_concurrent_write_conflict_rolls_back_everything(firm, officer, monkeypatch):
    from django.db import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_history_rows", clash)
    ExportRecordFactory(enterprise=firm, year=2014, destination="US", channel="direct", value=Decimal("1"))
    rows = [export_row(USCC_1, 2014, "US", value="2"), export_row(USCC_1, 2014, "DE")]
    before = counts()
    result = run("export_records", csv_bytes(EXPORT_HEADER, rows), actor=officer)
    assert not result.ok and "nothing was written" in result.errors[0].reason
    assert counts() == before
    assert ExportRecord.objects.get().value == Decimal("1.00")
    assert ImportBatch.objects.get().status == ImportStatus.REJECTED


def test_file_too_large_is_refused(db):
    from bulkimport import parsing

    data = csv_bytes(FIRM_HEADER, [firm_row(USCC_1)])
    original = parsing.MAX_UPLOAD_BYTES
    try:
        parsing.MAX_UPLOAD_BYTES = 20
        assert "larger than" in run("firms", data).errors[0].reason
    finally:
        parsing.MAX_UPLOAD_BYTES = original


# --- plausible years and dates (DESIGN section 8), whatever today is --------------------------------------------


def _last_year() -> int:
    return timezone.localdate().year - 1


@pytest.mark.parametrize(
    ("kind", "header", "build"),
    [
        ("annual_reports", REPORT_HEADER, lambda year: report_row(USCC_1, year)),
        ("export_records", EXPORT_HEADER, lambda year: export_row(USCC_1, year)),
    ],
)
@pytest.mark.parametrize("year", ["2100", "next year", "this year", "1979"])
def test_implausible_years_are_refused(firm, officer, kind, header, build, year):
    """Seen: years up to 2100 were imported. A year not yet over has no annual figures."""
    current = timezone.localdate().year
    year = {"next year": current + 1, "this year": current}.get(year, year)
    before = counts()
    result = run(kind, csv_bytes(header, [build(_last_year()), build(year)]), actor=officer)
    assert triples(result) == [(3, "year", f"Enter a year from 1980 to {_last_year()}.")]
    assert counts() == before


def test_the_last_completed_year_is_imported(firm, officer):
    result = run("export_records", csv_bytes(EXPORT_HEADER, [export_row(USCC_1, _last_year())]), actor=officer)
    assert result.ok and ExportRecord.objects.get().year == _last_year()


@pytest.mark.parametrize("founded", ["0001-01-01", "1899-12-31", "9999-12-31", "tomorrow"])
def test_implausible_founding_dates_are_refused(officer, founded):
    today = timezone.localdate()
    founded = (today + datetime.timedelta(days=1)).isoformat() if founded == "tomorrow" else founded
    before = counts()
    result = run("firms", csv_bytes(FIRM_HEADER, [firm_row(USCC_1), firm_row(USCC_2, founded=founded)]), actor=officer)
    assert triples(result) == [(3, "founded", f"Enter a date from 1900-01-01 to {today.isoformat()}.")]
    assert counts() == before


def test_the_year_format_says_the_range_of_today():
    year = next(column for column in KINDS["annual_reports"].columns if column.name == "year")
    assert f"from 1980 to {_last_year()}" in str(year.format)
    assert "2100" not in str(year.format)


@pytest.mark.parametrize("actor_name", ["officer", None])
def test_history_rows_are_those_simple_history_writes(request, firm, firm2, actor_name):
    """The import copies its history rows from the table: the rows simple_history's bulk_history_create writes
    from the instances (every tracked field, date, user, reason, type), in the same order."""
    actor = request.getfixturevalue(actor_name) if actor_name else None
    stored = {
        d: ExportRecordFactory(enterprise=firm2, year=2013, destination=d, channel="agent", value=Decimal(1))
        for d in ("US", "DE", "JP")
    }
    rows = [export_row(USCC_1, 2014, "US", "direct", value="1"), export_row(USCC_1, 2014, "DE", "agent", value="2")]
    rows += [export_row(USCC_2, 2013, d, "agent", value="9.5") for d in ("JP", "US")]
    last = ExportRecord.history.order_by("history_id").last().history_id
    result = run("export_records", csv_bytes(EXPORT_HEADER, rows), actor=actor)
    assert (result.created, result.updated, result.unchanged) == (2, 2, 0)
    written = list(ExportRecord.history.filter(history_id__gt=last).order_by("history_id").values())
    date = written[0]["history_date"]

    created = list(ExportRecord.objects.filter(enterprise=firm).order_by("pk"))
    updated = [ExportRecord.objects.get(pk=stored[d].pk) for d in ("JP", "US")]
    last = written[-1]["history_id"]
    options = {"default_user": actor, "default_change_reason": f"Import #{result.batch.pk}", "default_date": date}
    ExportRecord.history.bulk_history_create(created, **options)
    ExportRecord.history.bulk_history_create(updated, update=True, **options)
    expected = list(ExportRecord.history.filter(history_id__gt=last).order_by("history_id").values())

    def without_ids(rows):
        return [{k: v for k, v in row.items() if k != "history_id"} for row in rows]

    assert without_ids(written) == without_ids(expected)
    assert [row["history_type"] for row in written] == ["+", "+", "~", "~"]


@pytest.mark.parametrize("kind", ["firms", "annual_reports", "export_records"])
def test_check_under_lock_finds_the_stored_rows_unchanged_then_a_change(firm, kind):
    """The write's check under lock reads the rows as values: what the check read matches it, a change does not."""
    from bulkimport.parsing import read_table

    ExportRecordFactory(enterprise=firm, year=2014, destination="US", channel="direct", value=Decimal("1"))
    AnnualReportFactory(enterprise=firm, year=2013)
    header, rows = {
        "firms": (FIRM_HEADER, [firm_row(USCC_1, name_en="Changed"), firm_row(USCC_2)]),
        "annual_reports": (REPORT_HEADER, [report_row(USCC_1, 2013), report_row(USCC_1, 2014)]),
        "export_records": (EXPORT_HEADER, [export_row(USCC_1, 2014, "US", value="2"), export_row(USCC_1, 2014, "DE")]),
    }[kind]
    spec = KINDS[kind]
    plan = services._plan(spec, read_table(csv_bytes(header, rows)), lock=False)
    assert not plan.errors and plan.stored
    assert not services._changed_since_check(spec, plan)
    model = spec.model
    model.objects.filter(pk=next(iter(plan.stored.values()))[0]).update(
        **({"name_zh": "变了"} if kind == "firms" else {"currency": "USD"})
    )
    assert services._changed_since_check(spec, plan)
