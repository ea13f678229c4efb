"""Published results as CSV (DESIGN section 7) and XLSX."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from rewards.models import Ranking

RESULT_COLUMNS = ["rank", "enterprise", "uscc", "total", "tier", "award"]


def result_rows(rankings) -> list[list]:
    rows = []
    for r in rankings:
        award = getattr(r, "award", None) if _has_award(r) else None
        amount = f"{award.amount:.2f}" if award else "0.00"
        rows.append([r.rank, r.enterprise.name_zh, r.enterprise.uscc, f"{r.total:.2f}", r.tier, amount])
    return rows


def _has_award(ranking: Ranking) -> bool:
    try:
        ranking.award  # noqa: B018
    except Ranking.award.RelatedObjectDoesNotExist:
        return False
    return True


def results_csv(rankings) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    writer.writerows(result_rows(rankings))
    return buffer.getvalue()


def _money(sheet, value: str) -> WriteOnlyCell:
    """A Decimal cell shown with 2 decimals (never float for money)."""
    cell = WriteOnlyCell(sheet, value=Decimal(value))
    cell.number_format = "0.00"
    return cell


def results_xlsx(rankings, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "results")
    sheet.append(RESULT_COLUMNS)
    for rank, name, uscc, total, tier, award in result_rows(rankings):
        sheet.append([rank, name, uscc, _money(sheet, total), tier, _money(sheet, award)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
