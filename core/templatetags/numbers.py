"""Number formats every page uses."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(fraction) -> str:
    """A stored fraction as the percentage it was entered as: 0.1000 → "10%", 0.1250 → "12.5%" (localized)."""
    if fraction is None or fraction == "":
        return "—"
    try:
        value = (Decimal(str(fraction)) * 100).normalize()
    except InvalidOperation:
        return "—"
    places = max(0, -value.as_tuple().exponent)
    return f"{number_format(value, decimal_pos=places, use_l10n=True)}%"
