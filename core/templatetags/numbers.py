"""Number formats every page uses (core.formatting says which and why)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from core.formatting import EMPTY, format_money

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    """`{{ award.amount|money:"CNY" }}` → "8,000,000.00 CNY", `{{ e.value|money:e.currency }}`; without a code
    (`{{ amount|money }}`) only in a column whose header names the currency. None → "—"."""
    return format_money(amount, currency)


@register.filter
def percent(fraction) -> str:
    """A stored fraction as the percentage it was entered as: 0.1000 → "10%", 0.1250 → "12.5%" (localized)."""
    if fraction is None or fraction == "":
        return EMPTY
    try:
        value = (Decimal(str(fraction)) * 100).normalize()
    except InvalidOperation:
        return EMPTY
    places = max(0, -value.as_tuple().exponent)
    return f"{number_format(value, decimal_pos=places, use_l10n=True)}%"
