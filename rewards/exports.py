"""Published results as CSV (DESIGN section 7) and XLSX."""

from decimal import Decimal

from core.spreadsheets import Sheet, csv_text, xlsx_bytes
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
    return csv_text([RESULT_COLUMNS, *result_rows(rankings)])


def results_xlsx(rankings, title: str) -> bytes:
    """Totals and awards as Decimal cells shown with 2 decimals (never float for money)."""
    rows = [
        [rank, name, uscc, Decimal(total), tier, Decimal(award)]
        for rank, name, uscc, total, tier, award in result_rows(rankings)
    ]
    return xlsx_bytes([Sheet(title or "results", [RESULT_COLUMNS, *rows], number_formats={3: "0.00", 5: "0.00"})])
