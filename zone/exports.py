"""The statistics tables as CSV (one file per table) and as one XLSX workbook (one sheet per table).

Amounts are whole currency units with 2 decimals, percentages 1 decimal, empty where undefined. The
columns of `trade.csv` are the stable interface of DESIGN section 7.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.spreadsheets import AMOUNT_FORMAT, INTEGER_FORMAT, PERCENT_FORMAT, Sheet, csv_text, xlsx_bytes
from zone.tables import StatisticsBuilder

AMOUNT, PERCENT, INTEGER, TEXT = "amount", "percent", "integer", "text"

TRADE_COLUMNS = [
    "year",
    "imports",
    "exports",
    "trade",
    "imports_growth_pct",
    "exports_growth_pct",
    "trade_growth_pct",
    "region",
    "region_imports",
    "region_exports",
    "region_trade",
    "imports_share_pct",
    "exports_share_pct",
    "trade_share_pct",
]
_KINDS = {
    "year": INTEGER,
    "region": TEXT,
    "firms": INTEGER,
    "markets": INTEGER,
    "applications": INTEGER,
    "currency": TEXT,
    "group": TEXT,
    "basis": TEXT,
    "label": TEXT,
    "band": TEXT,
    "industry_group": TEXT,
    "destination_region": TEXT,
    "stage": TEXT,
}


def column_kind(name: str) -> str:
    if name in _KINDS:
        return _KINDS[name]
    return PERCENT if name.endswith("_pct") else AMOUNT


@dataclass(frozen=True)
class Table:
    slug: str
    columns: list[str]
    rows: list[list]


TRADE_ROW_COLUMNS = [
    "firms",
    "imports",
    "exports",
    "trade",
    "imports_share_pct",
    "exports_share_pct",
    "trade_share_pct",
]


def trade_table(builder: StatisticsBuilder) -> Table:
    return Table("trade", TRADE_COLUMNS, [[getattr(row, column) for column in TRADE_COLUMNS] for row in builder.table1])


def ownership_table(builder: StatisticsBuilder) -> Table:
    ownership = builder.ownership
    rows = (
        [
            [
                builder.year,
                builder.filters.currency,
                row.key,
                str(row.label),
                row.basis,
                *[getattr(row, column) for column in TRADE_ROW_COLUMNS],
            ]
            for row in [*ownership.rows, ownership.llc]
        ]
        if builder.year is not None
        else []
    )
    return Table("ownership", ["year", "currency", "group", "label", "basis", *TRADE_ROW_COLUMNS], rows)


def _grouped_table(slug: str, key_column: str, builder: StatisticsBuilder, rows) -> Table:
    data = (
        [
            [
                builder.year,
                builder.filters.currency,
                row.key,
                str(row.label),
                *[getattr(row, column) for column in TRADE_ROW_COLUMNS],
            ]
            for row in rows
        ]
        if builder.year is not None
        else []
    )
    return Table(slug, ["year", "currency", key_column, "label", *TRADE_ROW_COLUMNS], data)


def size_bands_table(builder: StatisticsBuilder) -> Table:
    return _grouped_table("size_bands", "band", builder, builder.size_bands.rows)


def industries_table(builder: StatisticsBuilder) -> Table:
    return _grouped_table("industries", "industry_group", builder, builder.industries)


def destinations_table(builder: StatisticsBuilder) -> Table:
    rows = [
        [builder.year, builder.filters.currency, row.key, str(row.label), row.markets, row.exports, row.share_pct]
        for row in builder.destinations
    ]
    return Table(
        "destinations", ["year", "currency", "destination_region", "label", "markets", "exports", "share_pct"], rows
    )


def stages_table(builder: StatisticsBuilder) -> Table:
    rows = [[builder.year, row.key, str(row.label), row.firms, row.share_pct] for row in builder.stages]
    return Table("stages", ["year", "stage", "label", "firms", "share_pct"], rows)


def pct_table(builder: StatisticsBuilder) -> Table:
    rows = [[row.year, row.applications, row.firms, row.growth_pct] for row in builder.pct]
    return Table("pct", ["year", "applications", "firms", "growth_pct"], rows)


BREAKDOWN_TABLES: dict[str, Callable[[StatisticsBuilder], Table]] = {
    "ownership": ownership_table,
    "size_bands": size_bands_table,
    "industries": industries_table,
    "destinations": destinations_table,
    "stages": stages_table,
    "pct": pct_table,
}
ALL_TABLES: dict[str, Callable[[StatisticsBuilder], Table]] = {"trade": trade_table, **BREAKDOWN_TABLES}


def csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == AMOUNT:
        return f"{Decimal(value):.2f}"
    if kind == PERCENT:
        return f"{Decimal(value):.1f}"
    return str(value)


def to_csv(table: Table) -> str:
    kinds = [column_kind(column) for column in table.columns]
    rows = [[csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)] for row in table.rows]
    return csv_text([table.columns, *rows])


NUMBER_FORMATS = {AMOUNT: AMOUNT_FORMAT, PERCENT: PERCENT_FORMAT, INTEGER: INTEGER_FORMAT}


def to_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table, named by its slug; numbers stay Decimal (numeric cells), text never a formula."""
    sheets = []
    for table in tables:
        kinds = [column_kind(column) for column in table.columns]
        formats = {index: NUMBER_FORMATS[kind] for index, kind in enumerate(kinds) if kind in NUMBER_FORMATS}
        sheets.append(Sheet(table.slug, [table.columns, *table.rows], number_formats=formats))
    return xlsx_bytes(sheets)
