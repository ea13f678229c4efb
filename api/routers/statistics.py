"""Officers' statistics: Table 1 (`trade`) and every breakdown, built by zone's own builder and tables, with
the page's filters, formatted as the CSV downloads format them (one computation, one formatting)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.auth import require_officer, token_auth
from api.errors import ApiError
from api.schemas import ERRORS, StatisticsTable
from zone import exports, selectors
from zone.forms import StatisticsFilterForm
from zone.tables import StatisticsBuilder

router = Router(tags=["statistics"], auth=token_auth)
TableName = Literal["trade", "ownership", "size_bands", "industries", "destinations", "stages", "pct"]


class Filters(Schema):
    currency: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    year: int | None = None
    region: str | None = None
    industry: str | None = None
    registration_type: str | None = None


def table_data(table: str, request_get) -> dict:
    """The table as the API returns it; `request_get` is a QueryDict of the statistics page's filters."""
    regional = selectors.regional_statistics()
    form = StatisticsFilterForm(request_get, regions=sorted({row.region for row in regional}))
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ApiError(400, str(errors[0]), field if field != "__all__" else None)
    builder = StatisticsBuilder(form.filters(), regional)
    result = exports.ALL_TABLES[table](builder)
    kinds = [exports.column_kind(column) for column in result.columns]
    rows = [
        {
            column: value if value is None or kind == exports.INTEGER else exports.csv_value(value, kind)
            for column, value, kind in zip(result.columns, row, kinds, strict=True)
        }
        for row in result.rows
    ]
    return {
        "table": table,
        "currency": builder.filters.currency,
        "year": None if table in ("trade", "pct") else builder.year,
        "columns": result.columns,
        "rows": rows,
        "warnings": [str(warning) for warning in builder.warnings],
    }


@router.get("/statistics/{table}", response={200: StatisticsTable, **ERRORS}, url_name="statistics_table")
def statistics_table(request: HttpRequest, table: TableName, filters: Query[Filters]):
    """One table of the statistics page. `trade` is Table 1; amounts are strings with two decimals in
    `currency`, percentages strings with one decimal, null where undefined (as the CSV leaves them empty)."""
    require_officer(request)
    return table_data(table, request.GET)
