"""SQL aggregations over the firm-level rows behind the statistics page.

Every function runs one query whatever the number of firms and returns a handful of grouped rows:
money is summed per currency (`GROUP BY ..., currency`), never converted row by row in Python; the
caller converts the few (group, currency) sums with `Decimal` (see `zone.tables`).
"""

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.lookups import LessThan
from django.utils import timezone

from assessments.models import SIZE_BAND_BOUNDS, Assessment, AssessmentStatus, SizeBand
from enterprises.models import AnnualReport, Enterprise, ExportRecord, PctApplication
from reference.models import RegionalStatistic
from reference.rates import RateTable
from reference.selectors import rate_table
from zone.forms import StatisticsFilters

UNKNOWN_BAND = "unknown"
NO_ASSESSMENT = None  # stage of a firm without a submitted, returned or verified assessment for the year
STAGE_NOT_RECORDED = -1  # an assessment whose stage is missing
COUNTED_STATUSES = (AssessmentStatus.VERIFIED, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)

_CNY_AMOUNT = DecimalField(max_digits=40, decimal_places=10)


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
    """SQL: a filtered firm has a verified assessment for the row's year.

    Annotated after the sums, it is checked once per grouped row (GROUP BY year, currency), not per record."""
    return Exists(
        Assessment.objects.filter(
            filters.enterprise_q(), status=AssessmentStatus.VERIFIED, reference_year=OuterRef("year")
        )
    )


def imports_by_year_queryset(filters: StatisticsFilters, first: int | None, last: int | None) -> QuerySet:
    """[{year, currency, total, verified}]: Σ imports_total of the annual reports per year and currency."""
    queryset = _year_range(AnnualReport.objects.filter(filters.enterprise_q()), "year", first, last)
    return (
        queryset.values("year", "currency")
        .annotate(total=Sum("imports_total"))
        .annotate(verified=_verified(filters))
        .order_by("year", "currency")
    )


def exports_by_year_queryset(filters: StatisticsFilters, first: int | None, last: int | None) -> QuerySet:
    """[{year, currency, total, verified}]: Σ value of the export records per year and currency."""
    queryset = _year_range(ExportRecord.objects.filter(filters.enterprise_q()), "year", first, last)
    return (
        queryset.values("year", "currency")
        .annotate(total=Sum("value"))
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
    for model in (AnnualReport, ExportRecord):
        queryset = _year_range(model.objects.filter(filters.enterprise_q()), "year", filters.year_from, last)
        if verified:
            queryset = queryset.filter(_verified(filters))
        years.append(queryset.aggregate(latest=Max("year"))["latest"])
    years = [year for year in years if year is not None]
    return max(years) if years else None


def default_year(filters: StatisticsFilters) -> int | None:
    """The breakdowns' default year: the latest with data that a verified assessment is for, else the latest
    with data (never a future year)."""
    return latest_year(filters, verified=True) or latest_year(filters)


def revenue_band(revenue: str, currency: str, year: int, rates: RateTable) -> Case:
    """SQL expression: the revenue band of a row's revenue converted to CNY with the year's rate of its
    currency; UNKNOWN_BAND when the revenue is missing (no annual report) or its currency has no rate."""
    conversions = [When(**{currency: "CNY"}, then=F(revenue))]
    conversions += [
        When(**{currency: code}, then=F(revenue) * Value(rate, output_field=_CNY_AMOUNT))
        for (code, rate_year), rate in sorted(rates.items())
        if rate_year == year and code != "CNY"
    ]
    revenue_cny = Case(*conversions, default=Value(None, output_field=_CNY_AMOUNT), output_field=_CNY_AMOUNT)
    bands = [When(**{f"{revenue}__isnull": True}, then=Value(UNKNOWN_BAND))]
    bands += [
        When(LessThan(revenue_cny, Value(bound, output_field=_CNY_AMOUNT)), then=Value(band))
        for band, bound in SIZE_BAND_BOUNDS
    ]
    # A revenue whose conversion is NULL (no rate) fails every comparison: only a non-NULL one is ≥ 1 B.
    bands.append(When(Q(**{f"{currency}__in": _converted_currencies(year, rates)}), then=Value(SizeBand.OVER_1B.value)))
    return Case(*bands, default=Value(UNKNOWN_BAND))


def _converted_currencies(year: int, rates: RateTable) -> list[str]:
    return sorted({"CNY"} | {code for code, rate_year in rates if rate_year == year})


def firm_imports_queryset(filters: StatisticsFilters, year: int, rates: RateTable) -> QuerySet:
    """[{enterprise__registration_type, enterprise__industry_group, band, currency, total, firms}] for the
    year's annual reports (firms = annual reports, i.e. firms reporting that year)."""
    queryset = AnnualReport.objects.filter(filters.enterprise_q(), year=year).annotate(
        band=revenue_band("revenue_total", "currency", year, rates)
    )
    return (
        queryset.values("enterprise__registration_type", "enterprise__industry_group", "band", "currency")
        .annotate(total=Sum("imports_total"), firms=Count("pk"))
        .order_by()
    )


def firm_imports(filters: StatisticsFilters, year: int, rates: RateTable) -> list[dict]:
    return list(firm_imports_queryset(filters, year, rates))


def firm_exports_queryset(filters: StatisticsFilters, year: int, rates: RateTable) -> QuerySet:
    """[{enterprise__registration_type, enterprise__industry_group, band, currency, total}] for the year's
    export records; the band is the exporting firm's, from its annual report of the same year (a LEFT JOIN on
    the unique (enterprise, year): one report per firm and year, so no export row is counted twice)."""
    queryset = (
        ExportRecord.objects.filter(filters.enterprise_q(), year=year)
        .annotate(
            report=FilteredRelation("enterprise__annual_reports", condition=Q(enterprise__annual_reports__year=year))
        )
        .annotate(band=revenue_band("report__revenue_total", "report__currency", year, rates))
    )
    return (
        queryset.values("enterprise__registration_type", "enterprise__industry_group", "band", "currency")
        .annotate(total=Sum("value"))
        .order_by()
    )


def firm_exports(filters: StatisticsFilters, year: int, rates: RateTable) -> list[dict]:
    return list(firm_exports_queryset(filters, year, rates))


def exports_by_destination_queryset(filters: StatisticsFilters, year: int) -> QuerySet:
    """[{destination, currency, total}] for the year's export records."""
    return (
        ExportRecord.objects.filter(filters.enterprise_q(), year=year)
        .values("destination", "currency")
        .annotate(total=Sum("value"))
        .order_by()
    )


def exports_by_destination(filters: StatisticsFilters, year: int) -> list[dict]:
    return list(exports_by_destination_queryset(filters, year))


def stage_counts_queryset(filters: StatisticsFilters, year: int) -> QuerySet:
    """[{stage, firms}] over the filtered enterprises: each firm once, by its assessment for the year chosen
    as: verified ones first (verified stage), else submitted or returned ones (self-reported stage); among
    those the latest (submitted, then created). stage None = no such assessment; -1 = stage not recorded."""
    chosen = (
        Assessment.objects.filter(enterprise=OuterRef("pk"), reference_year=year, status__in=COUNTED_STATUSES)
        .annotate(
            is_verified=Case(When(status=AssessmentStatus.VERIFIED, then=Value(1)), default=Value(0)),
            stage_value=Coalesce(
                Case(When(status=AssessmentStatus.VERIFIED, then=F("verified_stage")), default=F("self_stage")),
                Value(STAGE_NOT_RECORDED),
                output_field=IntegerField(),
            ),
        )
        .order_by("-is_verified", F("submitted_at").desc(nulls_last=True), "-created_at", "-pk")
        .values("stage_value")[:1]
    )
    return (
        Enterprise.objects.filter(filters.enterprise_q(prefix=""))
        .annotate(stage=Subquery(chosen, output_field=IntegerField()))
        .values("stage")
        .annotate(firms=Count("pk"))
        .order_by()
    )


def stage_counts(filters: StatisticsFilters, year: int) -> list[dict]:
    return list(stage_counts_queryset(filters, year))


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


def page_aggregations(filters: StatisticsFilters, year: int | None, rates: RateTable) -> dict[str, QuerySet]:
    """The statistics page's firm-level aggregations, unevaluated (named, for timing and EXPLAIN)."""
    first = filters.year_from - 1 if filters.year_from is not None else None
    last = last_shown_year(filters)
    queries = {
        "table1_imports": imports_by_year_queryset(filters, first, last),
        "table1_exports": exports_by_year_queryset(filters, first, last),
        "pct_by_year": pct_by_year_queryset(filters),
    }
    if year is not None:
        queries |= {
            "firm_imports": firm_imports_queryset(filters, year, rates),
            "firm_exports": firm_exports_queryset(filters, year, rates),
            "exports_by_destination": exports_by_destination_queryset(filters, year),
            "stage_counts": stage_counts_queryset(filters, year),
        }
    return queries
