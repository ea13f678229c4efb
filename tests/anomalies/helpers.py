"""Rows that break the rules. Some rules guard against data the database's CHECK constraints refuse today
(legacy rows, raw SQL): to build such rows a test switches those checks off inside its own transaction."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from anomalies import selectors, services
from anomalies.selectors import AnomalyFilters, Status
from assessments.models import Assessment, AssessmentStatus
from enterprises.models import AnnualReport, Establishment
from tests.factories import AnnualReportFactory, EstablishmentFactory, ExportRecordFactory
from tests.workflow_helpers import default_scheme

CHECKS = {
    AnnualReport: [
        "annual_report_revenue_foreign_le_total",
        "annual_report_assets_foreign_le_total",
        "annual_report_employees_foreign_le_total",
    ],
    Establishment: ["establishment_closed_after_opened"],
}


@contextmanager
def checks_off(model):
    """Inside a test's transaction only (the `db` fixture rolls the DDL back on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks while altering
            for name in CHECKS[model]:
                cursor.execute(f"ALTER TABLE {model._meta.db_table} DROP CONSTRAINT IF EXISTS {name}")
        try:
            yield
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def report(firm, year=2014, **fields) -> AnnualReport:
    """An annual report; fields beyond the checks are written with the checks off."""
    row = AnnualReportFactory(enterprise=firm, year=year)
    if fields:
        with checks_off(AnnualReport):
            AnnualReport.objects.filter(pk=row.pk).update(**fields)
        row.refresh_from_db()
    return row


def exports(firm, year, value, currency="CNY", destination="DE"):
    return ExportRecordFactory(
        enterprise=firm, year=year, value=Decimal(value), currency=currency, destination=destination
    )


def reversed_establishment(firm) -> Establishment:
    row = EstablishmentFactory(enterprise=firm, city="Munich", opened=datetime.date(2013, 3, 1))
    with checks_off(Establishment):
        Establishment.objects.filter(pk=row.pk).update(closed=datetime.date(2012, 1, 31))
    return row


def verified_assessment(firm, *, self_stage: int, verified_stage: int, year: int = 2014) -> Assessment:
    return Assessment.objects.create(
        enterprise=firm,
        reference_year=year,
        scheme=default_scheme(),
        status=AssessmentStatus.VERIFIED,
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        self_stage=self_stage,
        verified_stage=verified_stage,
        self_total=Decimal("50"),
        verified_total=Decimal("40"),
    )


def detected(user, status=Status.ALL, **filters) -> list:
    """Every firm checked, then the stored anomalies the filters select."""
    services.findings_refresh()
    return selectors.anomalies_all(user=user, filters=AnomalyFilters(status=status, **filters))


def keys(user, **filters) -> set:
    return {(row.rule, row.enterprise_id, row.year, row.record_id) for row in detected(user, **filters)}
