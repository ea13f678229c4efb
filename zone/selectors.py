"""SQL aggregations behind the statistics page.

Every function runs one query whatever the number of firms and returns a handful of grouped rows: money is
summed per currency (`GROUP BY ..., currency`), never converted row by row in Python; the caller converts the
few (group, currency) sums with `Decimal` (see `zone.tables`). Sums of annual reports and export records come
from the zone totals (`zone.models`, kept equal to the records by triggers in every write's transaction), so a
view reads a few thousand totals instead of every record; firms' stages and PCT filings are counted from their
rows, set-based.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Coalesce, ExtractYear, RowNumber
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from enterprises.models import PctApplication
from reference.models import RegionalStatistic
from reference.rates import RateTable
from reference.selectors import rate_table
from zone.forms import StatisticsFilters
from zone.models import DestinationTotal, ExportTotal, FirmTotal, ReportTotal, VerifiedTotal

NO_ASSESSMENT = None  # stage of a firm without a submitted, returned or verified assessment for the year
STAGE_NOT_RECORDED = -1  # an assessment whose stage is missing
COUNTED_STATUSES = (AssessmentStatus.VERIFIED, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)


@dataclass(frozen=True)
class Aggregation:
    """One aggregation as SQL, for the benchmark: run it, or print its plan."""

    sql: str
    params: tuple

    @classmethod
    def of(cls, queryset: QuerySet) -> "Aggregation":
        sql, params = queryset.query.sql_with_params()
        return cls(sql, tuple(params))

    def rows(self) -> list[dict]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def explain(self) -> str:
        """PostgreSQL: the plan with the real row counts and times (EXPLAIN ANALYZE); SQLite: the query plan."""
        postgresql = connection.vendor == "postgresql"
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + self.sql, self.params)
            return "\n".join(str(row[0] if postgresql else row[-1]) for row in cursor.fetchall())


def exchange_rates() -> RateTable:
    """Every annual average rate (an admin-kept table of a few hundred rows at most)."""
    return rate_table()


def regional_statistics() -> list[RegionalStatistic]:
    return list(RegionalStatistic.objects.order_by("region", "year"))


def _year_range(queryset: QuerySet, field: str, first: int | None, last: int | None) -> QuerySet:
    if first is not None:
        queryset = queryset.filter(**{f"{field}__gte": first})
    if last is not None:
        queryset = queryset.filter(**{f"{field}__lte": last})
    return queryset


def last_shown_year(filters: StatisticsFilters) -> int:
    """The filters' last year, never past the current one: rows stored for a future year never show."""
    current = timezone.localdate().year
    return current if filters.year_to is None else min(filters.year_to, current)


def _verified(filters: StatisticsFilters) -> Exists:
    """SQL: a filtered firm has a verified assessment for the row's year (from the verified totals: a probe of a
    table of a few hundred rows, whatever the number of assessments and wherever they lie on disk)."""
    return Exists(
        VerifiedTotal.objects.filter(filters.enterprise_q(prefix=""), year=OuterRef("year"), assessments__gt=0)
    )


def _report_totals(filters: StatisticsFilters) -> QuerySet:
    """The report totals of the filtered firms (registration type and industry group are columns of a total)."""
    return ReportTotal.objects.filter(filters.enterprise_q(prefix=""), reports__gt=0)


def _export_totals(filters: StatisticsFilters) -> QuerySet:
    return ExportTotal.objects.filter(filters.enterprise_q(prefix=""), records__gt=0)


def imports_by_year_queryset(filters: StatisticsFilters, first: int | None, last: int | None) -> QuerySet:
    """[{year, currency, total, verified}]: Σ imports_total of the annual reports per year and currency."""
    return (
        _year_range(_report_totals(filters), "year", first, last)
        .values("year", "currency")
        .annotate(total=Sum("imports_total"))
        .annotate(verified=_verified(filters))
        .order_by("year", "currency")
    )


def exports_by_year_queryset(filters: StatisticsFilters, first: int | None, last: int | None) -> QuerySet:
    """[{year, currency, total, verified}]: Σ value of the export records per year and currency."""
    return (
        _year_range(_export_totals(filters), "year", first, last)
        .values("year", "currency")
        .annotate(total=Sum("exports_total"))
        .annotate(verified=_verified(filters))
        .order_by("year", "currency")
    )


def imports_by_year(filters: StatisticsFilters, first: int | None, last: int | None) -> list[dict]:
    return list(imports_by_year_queryset(filters, first, last))


def exports_by_year(filters: StatisticsFilters, first: int | None, last: int | None) -> list[dict]:
    return list(exports_by_year_queryset(filters, first, last))


def latest_year(filters: StatisticsFilters, *, verified: bool = False) -> int | None:
    """The latest year with annual reports or export records (within the filters' year range, never a future
    year); with `verified`, the latest such year that a verified assessment of the filtered firms is for."""
    last = last_shown_year(filters)
    years = []
    for queryset in (_report_totals(filters), _export_totals(filters)):
        queryset = _year_range(queryset, "year", filters.year_from, last)
        if verified:
            queryset = queryset.filter(_verified(filters))
        years.append(queryset.aggregate(latest=Max("year"))["latest"])
    years = [year for year in years if year is not None]
    return max(years) if years else None


def default_year(filters: StatisticsFilters) -> int | None:
    """The breakdowns' default year: the latest with data that a verified assessment is for, else the latest
    with data (never a future year)."""
    return latest_year(filters, verified=True) or latest_year(filters)


def firm_imports_queryset(filters: StatisticsFilters, year: int) -> QuerySet:
    """[{registration_type, industry_group, band, currency, total, firms}] for the year's annual reports (firms =
    annual reports, i.e. firms reporting that year). The band is that of the report's revenue in CNY at the
    year's rate of its currency (`zone.totals.band_sql`), UNKNOWN_BAND without a rate."""
    return (
        _report_totals(filters)
        .filter(year=year)
        .values("registration_type", "industry_group", "band", "currency")
        .annotate(total=Sum("imports_total"), firms=Sum("reports"))
        .order_by()
    )


def firm_imports(filters: StatisticsFilters, year: int) -> list[dict]:
    return list(firm_imports_queryset(filters, year))


def firm_exports_queryset(filters: StatisticsFilters, year: int) -> QuerySet:
    """[{registration_type, industry_group, band, currency, total}] for the year's export records; the band is the
    exporting firm's, from its annual report of the same year (UNKNOWN_BAND without one)."""
    return (
        _export_totals(filters)
        .filter(year=year)
        .values("registration_type", "industry_group", "band", "currency")
        .annotate(total=Sum("exports_total"))
        .order_by()
    )


def firm_exports(filters: StatisticsFilters, year: int) -> list[dict]:
    return list(firm_exports_queryset(filters, year))


def exports_by_destination_queryset(filters: StatisticsFilters, year: int) -> QuerySet:
    """[{destination, currency, total}] for the year's export records."""
    return (
        DestinationTotal.objects.filter(filters.enterprise_q(prefix=""), year=year, records__gt=0)
        .values("destination", "currency")
        .annotate(total=Sum("exports_total"))
        .order_by()
    )


def exports_by_destination(filters: StatisticsFilters, year: int) -> list[dict]:
    return list(exports_by_destination_queryset(filters, year))


def stage_counts_query(filters: StatisticsFilters, year: int) -> Aggregation:
    """[{stage, firms}] over the filtered enterprises: each firm once, by its assessment for the year chosen
    as: verified ones first (verified stage), else submitted or returned ones (self-reported stage); among
    those the latest (submitted, then created). stage None = no such assessment; -1 = stage not recorded.

    Set-based: ROW_NUMBER() over each firm's assessments of the year (one pass over them, no query per firm);
    the firms without one are the filtered firms' count (from the firm totals) minus those counted."""
    verified = Case(When(status=AssessmentStatus.VERIFIED, then=Value(1)), default=Value(0))
    chosen = (
        Assessment.objects.filter(filters.enterprise_q(), reference_year=year, status__in=COUNTED_STATUSES)
        .annotate(
            stage_value=Coalesce(
                Case(When(status=AssessmentStatus.VERIFIED, then=F("verified_stage")), default=F("self_stage")),
                Value(STAGE_NOT_RECORDED),
                output_field=IntegerField(),
            ),
            choice=Window(
                RowNumber(),
                partition_by=[F("enterprise_id")],
                order_by=[
                    verified.desc(),
                    F("submitted_at").desc(nulls_last=True),
                    F("created_at").desc(),
                    F("pk").desc(),
                ],
            ),
        )
        .order_by()
        .values("stage_value", "choice")
    )
    firms = FirmTotal.objects.filter(filters.enterprise_q(prefix="")).order_by().values("firms")
    chosen_sql, chosen_params = chosen.query.sql_with_params()
    firms_sql, firms_params = firms.query.sql_with_params()
    sql = (
        f"WITH counted AS (SELECT c.stage_value AS stage, COUNT(*) AS firms FROM ({chosen_sql}) c "
        f"WHERE c.choice = 1 GROUP BY c.stage_value) "
        f"SELECT s.stage, s.firms FROM (SELECT stage, firms FROM counted UNION ALL "
        f"SELECT NULL, (SELECT COALESCE(SUM(f.firms), 0) FROM ({firms_sql}) f) "
        f"- (SELECT COALESCE(SUM(firms), 0) FROM counted)) s "
        f"WHERE s.firms > 0"
    )
    return Aggregation(sql, (*chosen_params, *firms_params))


def stage_counts(filters: StatisticsFilters, year: int) -> list[dict]:
    return stage_counts_query(filters, year).rows()


def pct_by_year_queryset(filters: StatisticsFilters) -> QuerySet:
    """[{year, applications, firms}]: PCT applications by international filing year."""
    queryset = PctApplication.objects.filter(filters.enterprise_q(), filed__year__lte=last_shown_year(filters))
    if filters.year_from is not None:
        queryset = queryset.filter(filed__year__gte=filters.year_from)
    return (
        queryset.annotate(year=ExtractYear("filed"))
        .values("year")
        .annotate(applications=Count("pk"), firms=Count("enterprise", distinct=True))
        .order_by("year")
    )


def pct_by_year(filters: StatisticsFilters) -> list[dict]:
    return list(pct_by_year_queryset(filters))


def page_aggregations(filters: StatisticsFilters, year: int | None) -> dict[str, Aggregation]:
    """The statistics page's aggregations (named, for timing and EXPLAIN)."""
    first = filters.year_from - 1 if filters.year_from is not None else None
    last = last_shown_year(filters)
    queries = {
        "table1_imports": Aggregation.of(imports_by_year_queryset(filters, first, last)),
        "table1_exports": Aggregation.of(exports_by_year_queryset(filters, first, last)),
        "pct_by_year": Aggregation.of(pct_by_year_queryset(filters)),
    }
    if year is not None:
        queries |= {
            "firm_imports": Aggregation.of(firm_imports_queryset(filters, year)),
            "firm_exports": Aggregation.of(firm_exports_queryset(filters, year)),
            "exports_by_destination": Aggregation.of(exports_by_destination_queryset(filters, year)),
            "stage_counts": stage_counts_query(filters, year),
        }
    return queries
