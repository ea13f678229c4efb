"""Published results as CSV (DESIGN section 7), XLSX and the open-data API: one row format for all three."""

from collections.abc import Iterable
from decimal import Decimal

from core.spreadsheets import AMOUNT_FORMAT, SCORE_FORMAT, Sheet, csv_text, xlsx_bytes

RESULT_COLUMNS = ["rank", "enterprise", "uscc", "total", "tier", "award"]


def result_row(values: tuple) -> list:
    """A `rewards.selectors.result_values` tuple as the published row: totals and awards with two decimals,
    an award of 0.00 for a ranked firm without one."""
    rank, name, uscc, total, tier, amount = values[:6]
    return [rank, name, uscc, f"{total:.2f}", tier, "0.00" if amount is None else f"{amount:.2f}"]


def result_rows(values: Iterable[tuple]) -> list[list]:
    return [result_row(row) for row in values]


def results_csv(values: Iterable[tuple]) -> str:
    return csv_text([RESULT_COLUMNS, *result_rows(values)])


def results_xlsx(values: Iterable[tuple], title: str) -> bytes:
    """Totals and awards as Decimal cells (never float for money), awards grouped by thousands."""
    rows = [
        [rank, name, uscc, Decimal(total), tier, Decimal(award)]
        for rank, name, uscc, total, tier, award in result_rows(values)
    ]
    return xlsx_bytes(
        [Sheet(title or "results", [RESULT_COLUMNS, *rows], number_formats={3: SCORE_FORMAT, 5: AMOUNT_FORMAT})]
    )
