from decimal import Decimal

from reference.models import ExchangeRate
from reference.rates import RateTable


def rate_table(years: list[int] | None = None) -> RateTable:
    rows = ExchangeRate.objects.all()
    if years:
        rows = rows.filter(year__in=years)
    return {(r.currency, r.year): Decimal(r.cny_per_unit) for r in rows.only("currency", "year", "cny_per_unit")}
