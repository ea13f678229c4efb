"""Currency conversion with the admin-kept annual average rates (pure; rates passed in)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")


class MissingExchangeRate(LookupError):
    def __init__(self, currency: str, year: int):
        super().__init__(_("No exchange rate for %(currency)s in %(year)s.") % {"currency": currency, "year": year})
        self.currency = currency
        self.year = year


RateTable = dict[tuple[str, int], Decimal]


def to_cny(amount: Decimal, currency: str, year: int, rates: RateTable) -> Decimal:
    if currency == "CNY":
        return amount
    try:
        return amount * rates[(currency, year)]
    except KeyError:
        raise MissingExchangeRate(currency, year) from None


def cny_to(amount_cny: Decimal, currency: str, year: int, rates: RateTable) -> Decimal:
    if currency == "CNY":
        return amount_cny
    try:
        return amount_cny / rates[(currency, year)]
    except KeyError:
        raise MissingExchangeRate(currency, year) from None


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
