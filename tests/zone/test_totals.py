"""The zone totals follow every way of writing records, firms and exchange rates (database triggers, so also
writes that bypass the ORM), and the statistics change with them at once."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Case, F, Value, When
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus
from bulkimport import services as imports
from bulkimport.services import _bulk_update
from enterprises.models import AnnualReport, Enterprise, ExportChannel, ExportRecord, IndustryGroup, RegistrationType
from reference.models import ExchangeRate
from tests.api.conftest import ApiClient, make_token
from tests.bulkimport.helpers import EXPORT_HEADER, REPORT_HEADER, csv_bytes, export_row, report_row
from tests.factories import EnterpriseFactory
from tests.zone.conftest import M, add_rates, assessment, export, report
from zone import totals
from zone.models import DestinationTotal, ExportTotal, FirmTotal, ReportTotal, VerifiedTotal

pytestmark = pytest.mark.django_db
D = Decimal


def agree() -> None:
    assert totals.differences(connection) == []


def stored() -> dict:
    """Every total with records: model name, key → (count, amount)."""
    found = {}
    for model, key, count, amount in (
        (ReportTotal, "band", "reports", "imports_total"),
        (ExportTotal, "band", "records", "exports_total"),
        (DestinationTotal, "destination", "records", "exports_total"),
    ):
        for row in model.objects.exclude(**{count: 0}).values_list(
            "year", "registration_type", "industry_group", key, "currency", count, amount
        ):
            found[(model.__name__, *row[:5])] = row[5:]
    for row in FirmTotal.objects.exclude(firms=0).values_list("registration_type", "industry_group", "firms"):
        found[("FirmTotal", *row[:2])] = row[2:]
    for row in VerifiedTotal.objects.exclude(assessments=0).values_list(
        "year", "registration_type", "industry_group", "assessments"
    ):
        found[("VerifiedTotal", *row[:3])] = row[3:]
    return found


def bands(firm: Enterprise, year: int) -> set[str]:
    """The size bands under which the firm's registration type and industry group have exports in `year`."""
    return set(
        ExportTotal.objects.filter(
            year=year,
            registration_type=firm.registration_type,
            industry_group=firm.industry_group,
            records__gt=0,
        ).values_list("band", flat=True)
    )


def test_installed_triggers_are_the_code(db):
    """A change of the band rule or of the trigger code needs a migration that installs them again."""
    assert totals.installed_sql(connection) == totals.expected_sql(connection.vendor)


def test_every_way_of_writing_keeps_the_totals_equal_to_the_records(db):
    add_rates()  # USD 2014: 6.0
    a = EnterpriseFactory(
        registration_type=RegistrationType.LIMITED_LIABILITY, industry_group=IndustryGroup.ELECTRONIC_INFORMATION
    )
    b = EnterpriseFactory(
        registration_type=RegistrationType.WHOLLY_FOREIGN, industry_group=IndustryGroup.BIOPHARMACEUTICAL
    )
    # Model saves: an export before its firm's annual report has the unknown band; the report moves it.
    report_a = report(a, 2014, imports=120 * M, revenue=1500 * M)
    first = export(a, 2014, "US", 5 * M, "USD")
    second = export(b, 2014, "HK", 4 * M, "USD")
    agree()
    assert bands(a, 2014) == {"ge1b"} and bands(b, 2014) == {"unknown"}
    report_b = report(b, 2014, imports=10 * M, currency="USD", revenue=30 * M)  # 180 M CNY
    agree()
    assert bands(b, 2014) == {"20m-200m"}
    first.value, first.destination = 6 * M, "DE"
    first.save()
    report_a.revenue_total = 10 * M
    report_a.save()
    agree()
    assert bands(a, 2014) == {"lt20m"}

    # QuerySet updates, a year moved.
    ExportRecord.objects.filter(pk=second.pk).update(year=2013)
    agree()
    AnnualReport.objects.filter(pk=report_b.pk).update(year=2013)
    agree()

    # Bulk inserts, an upsert (INSERT ... ON CONFLICT DO UPDATE) and the bulk import's UPDATE ... FROM (VALUES).
    ExportRecord.objects.bulk_create(
        ExportRecord(
            enterprise=a, year=2012, destination=c, channel=ExportChannel.DIRECT, currency="EUR", value=D("1.25")
        )
        for c in ("FR", "IT", "ES")
    )
    agree()
    ExportRecord.objects.bulk_create(
        [
            ExportRecord(
                enterprise=a, year=2012, destination=c, channel=ExportChannel.DIRECT, currency="CNY", value=D("9.99")
            )
            for c in ("FR", "JP")
        ],
        update_conflicts=True,
        unique_fields=["enterprise", "year", "destination", "channel"],
        update_fields=["value", "currency"],
    )
    agree()
    rows = list(ExportRecord.objects.filter(enterprise=a, year=2012))
    for row in rows:
        row.value += 1
    _bulk_update(ExportRecord, rows, ["value"])
    agree()

    # Raw SQL.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ExportRecord._meta.db_table} SET currency = 'USD' WHERE destination = 'IT'")
        agree()
        cursor.execute(f"DELETE FROM {ExportRecord._meta.db_table} WHERE destination = 'ES'")
        agree()

    # Firms: a new industry group or registration type moves every total; other fields change nothing.
    a.industry_group = IndustryGroup.AEROSPACE
    a.save()
    agree()
    Enterprise.objects.filter(pk=b.pk).update(registration_type=RegistrationType.JOINT_STOCK)
    agree()
    assert FirmTotal.objects.get(registration_type=RegistrationType.JOINT_STOCK).firms == 1
    assert FirmTotal.objects.get(registration_type=RegistrationType.WHOLLY_FOREIGN).firms == 0
    before = stored()
    Enterprise.objects.filter(pk=a.pk).update(name_en="Renamed")
    AnnualReport.objects.filter(pk=report_a.pk).update(employees_total=999)
    assert stored() == before

    # Verified assessments: counted per year, registration type and industry group, moved with the firm.
    verified = assessment(a, 2014, AssessmentStatus.SUBMITTED, self_stage=2)
    agree()
    assert not VerifiedTotal.objects.filter(assessments__gt=0).exists()
    Assessment.objects.filter(pk=verified.pk).update(status=AssessmentStatus.VERIFIED, verified_stage=2)
    assessment(b, 2013, AssessmentStatus.VERIFIED, verified_stage=1)
    agree()
    assert VerifiedTotal.objects.get(year=2014, industry_group=IndustryGroup.AEROSPACE).assessments == 1
    Enterprise.objects.filter(pk=a.pk).update(industry_group=IndustryGroup.NEW_ENERGY)
    agree()
    assert VerifiedTotal.objects.get(year=2014, industry_group=IndustryGroup.NEW_ENERGY).assessments == 1
    Assessment.objects.filter(pk=verified.pk).update(reference_year=2012)
    agree()
    Assessment.objects.filter(enterprise__in=[a, b]).delete()
    agree()

    # Exchange rates change the size bands of their year.
    ExchangeRate.objects.filter(currency="USD", year=2013).update(cny_per_unit=D("60"))
    agree()
    ExchangeRate.objects.create(currency="USD", year=2012, cny_per_unit=D("6.3"))
    agree()
    ExchangeRate.objects.filter(currency="USD", year=2013).delete()
    agree()
    assert bands(Enterprise.objects.get(pk=b.pk), 2013) == {"unknown"}  # no USD rate for 2013 any more

    # Deleting a report, a firm with its records (the ORM deletes the records first), a firm before its records.
    report_a.delete()
    agree()
    assert bands(Enterprise.objects.get(pk=a.pk), 2014) == {"unknown"}
    Enterprise.objects.get(pk=b.pk).delete()
    agree()
    with connection.cursor() as cursor:  # foreign keys are checked at commit: the firm can go first
        cursor.execute(f"DELETE FROM {Enterprise._meta.db_table} WHERE id = %s", [a.pk])
        agree()
        cursor.execute(f"DELETE FROM {ExportRecord._meta.db_table} WHERE enterprise_id = %s", [a.pk])
        cursor.execute(f"DELETE FROM {AnnualReport._meta.db_table} WHERE enterprise_id = %s", [a.pk])
    agree()
    assert stored() == {}


def test_rebuild_computes_the_same_totals_and_differences_finds_a_wrong_one(zone):
    before = stored()
    assert before
    ExportTotal.objects.filter(year=2014, currency="USD").update(exports_total=D("1.00"))
    assert "zone_exporttotal (2014, " in totals.differences(connection)[0]
    totals.rebuild(connection)
    assert stored() == before
    agree()


def trade_2014(client) -> list[str]:
    response = client.get(reverse("zone:trade_csv"), {"currency": "CNY", "year_from": "2014"})
    assert response.status_code == 200
    return next(row for row in csv.reader(io.StringIO(response.content.decode())) if row[0] == "2014")[1:3]


def test_the_statistics_follow_a_bulk_import_and_an_api_upsert_at_once(zone, roles, member_a, firm_a):
    officer = roles["officer"]
    assert trade_2014(officer) == ["187500000.00", "126000000.00"]
    uscc = firm_a.uscc
    result = imports.import_file(
        kind="annual_reports",
        data=csv_bytes(REPORT_HEADER, [report_row(uscc, 2014, imports_total="500000.00")]),
        file_name="reports.csv",
        actor=None,
        dry_run=False,
    )
    assert not result.errors
    result = imports.import_file(
        kind="export_records",
        data=csv_bytes(EXPORT_HEADER, [export_row(uscc, 2014, "FR", value="250000.00")]),
        file_name="exports.csv",
        actor=None,
        dry_run=False,
    )
    assert not result.errors
    assert trade_2014(officer) == ["188000000.00", "126250000.00"]
    agree()

    api = ApiClient(make_token(member_a))
    record = {"year": 2014, "destination": "FR", "channel": "direct", "currency": "CNY", "value": "750000.00"}
    response = api.put(f"/api/v1/firms/{firm_a.pk}/exports", {"records": [record]})
    assert response.status_code == 200, response.content
    assert trade_2014(officer) == ["188000000.00", "126750000.00"]
    agree()


def test_the_command_reports_a_wrong_total_and_rebuilds_them(zone):
    out = io.StringIO()
    call_command("zone_totals", stdout=out)
    assert "Zone totals agree with the records." in out.getvalue()
    ReportTotal.objects.filter(year=2014).update(reports=7)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"zone totals differ from the records"):
        call_command("zone_totals", "--check", stdout=out)
    assert "zone_reporttotal (2014, " in out.getvalue()
    call_command("zone_totals", "--rebuild", stdout=io.StringIO())
    agree()
    with pytest.raises(CommandError, match="not both"):
        call_command("zone_totals", "--check", "--rebuild")


def test_the_command_refuses_totals_whose_triggers_are_missing_or_stale(zone):
    name = totals.TRIGGERS[0].name
    try:
        totals.uninstall(connection)
        with pytest.raises(CommandError, match="triggers are missing or differ from the code"):
            call_command("zone_totals", "--check", stdout=io.StringIO())
        assert name in totals.stale_triggers(connection)
    finally:
        totals.install(connection)
    assert totals.stale_triggers(connection) == []
    call_command("zone_totals", "--check", stdout=io.StringIO())


def test_one_update_of_many_rows_moves_only_the_rows_it_changed(zone):
    """The UPDATE triggers match old and new rows on the primary key: unchanged rows count once, changed rows move."""
    firm = EnterpriseFactory()
    records = ExportRecord.objects.bulk_create(
        ExportRecord(enterprise=firm, year=2013, destination=c, channel=ExportChannel.DIRECT, currency="CNY", value=M)
        for c in ("FR", "IT", "ES", "JP")
    )
    agree()
    ExportRecord.objects.filter(pk__in=[r.pk for r in records]).update(
        value=Case(When(destination__in=["FR", "JP"], then=Value(2 * M)), default=F("value"))
    )
    agree()
    cell = {"registration_type": firm.registration_type, "industry_group": firm.industry_group, "currency": "CNY"}

    def records_2012() -> int:
        return sum(ExportTotal.objects.filter(year=2012, **cell).values_list("records", flat=True))

    before = records_2012()
    ExportRecord.objects.filter(pk__in=[r.pk for r in records[:2]]).update(year=2012)
    agree()
    assert records_2012() == before + 2
