"""The zone statistics page (DESIGN section 5) and its downloads (section 7: trade.csv)."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from accounts.decorators import officer_required
from core.downloads import CSV, XLSX, attachment
from zone import exports, freshness, selectors
from zone.charts import all_charts
from zone.forms import StatisticsFilterForm, StatisticsFilters
from zone.tables import StatisticsBuilder

FILTER_PARAMETERS = ("currency", "year_from", "year_to", "year", "region", "industry", "registration_type")


def _form(request: HttpRequest) -> tuple[StatisticsFilterForm, list]:
    regional = selectors.regional_statistics()
    regions = sorted({row.region for row in regional})
    return StatisticsFilterForm(request.GET, regions=regions), regional


def download_query(filters: StatisticsFilters) -> str:
    """The effective filters as a query string, so the downloads match what the page shows."""
    values = {name: getattr(filters, name) for name in FILTER_PARAMETERS}
    return urlencode({name: value for name, value in values.items() if value not in (None, "")})


def _bad_request(form: StatisticsFilterForm) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(form.error_text() + "\n", content_type="text/plain; charset=utf-8")


@officer_required
@require_safe
def statistics_page(request: HttpRequest):
    """The filters form around the figures, which come from the cache while no write has changed them
    (`zone.freshness`)."""
    form, regional = _form(request)
    filters = form.filters()
    query = download_query(filters)

    def figures() -> str:
        builder = StatisticsBuilder(filters, regional)
        builder.everything()
        context = {
            "filters": filters,
            "stats": builder,
            "charts": {f"chart-{name}": chart for name, chart in all_charts(builder).items()},
            "warnings": builder.warnings,
            "download_query": query,
        }
        return render_to_string("zone/_statistics_figures.html", context)

    context = {
        "form": form,
        "filters": filters,
        "figures": freshness.cached_figures(filters, figures),
        "download_query": query,
    }
    return render(request, "zone/statistics.html", context)


@officer_required
@require_safe
def trade_csv(request: HttpRequest):
    form, regional = _form(request)
    if not form.is_valid():
        return _bad_request(form)
    builder = StatisticsBuilder(form.filters(), regional)
    content = exports.to_csv(exports.trade_table(builder))
    return attachment(content, f"zone-trade-{builder.filters.currency}.csv", CSV)


@officer_required
@require_safe
def breakdown_csv(request: HttpRequest, table: str):
    if table not in exports.BREAKDOWN_TABLES:
        raise Http404
    form, regional = _form(request)
    if not form.is_valid():
        return _bad_request(form)
    builder = StatisticsBuilder(form.filters(), regional)
    content = exports.to_csv(exports.BREAKDOWN_TABLES[table](builder))
    suffix = "" if table == "pct" else f"-{builder.year or 'none'}"
    if table not in {"pct", "stages"}:
        suffix += f"-{builder.filters.currency}"
    return attachment(content, f"zone-{table}{suffix}.csv", CSV)


@officer_required
@require_safe
def workbook_xlsx(request: HttpRequest):
    """Every table of the page in one workbook, built in the request: at 20,000 firms (PostgreSQL) it takes
    0.8-1.0 s, of which the page's own aggregations are all but 0.06 s, so a queue would not spare the
    request what the statistics page itself costs (measured for README "Background work")."""
    form, regional = _form(request)
    if not form.is_valid():
        return _bad_request(form)
    builder = StatisticsBuilder(form.filters(), regional)
    builder.everything()
    content = exports.to_xlsx([table(builder) for table in exports.ALL_TABLES.values()])
    return attachment(content, f"zone-statistics-{builder.filters.currency}.xlsx", XLSX)
