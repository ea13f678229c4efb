"""Number formats of the statistics page: amounts in billions or millions with 2 decimals, percentages with
one decimal; an unknown figure shows as an em dash."""

from decimal import Decimal

from django import template

from reference import regions
from zone.charts import BILLION, MILLION, scaled

register = template.Library()
EMPTY = "—"


@register.filter
def billions(value) -> str:
    return EMPTY if value is None else f"{scaled(Decimal(value), BILLION):,.2f}"


@register.filter
def millions(value) -> str:
    return EMPTY if value is None else f"{scaled(Decimal(value), MILLION):,.2f}"


@register.filter
def pct(value) -> str:
    return EMPTY if value is None else f"{Decimal(value):.1f}"


@register.filter
def count(value) -> str:
    return EMPTY if value is None else f"{int(value):,}"


@register.filter
def region_label(name: str) -> str:
    """A region of the regional statistics in the reader's language ("Beijing" → 北京)."""
    return regions.region_label(name) if name else name
