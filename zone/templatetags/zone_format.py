"""Number formats of the statistics page: amounts in billions or millions with 2 decimals, percentages with
one decimal, grouped by thousands in the reader's language (core.formatting); an unknown figure shows as "—"."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from core.formatting import EMPTY, format_amount, format_integer
from reference import regions
from zone.charts import BILLION, MILLION, scaled

register = template.Library()


@register.filter
def billions(value) -> str:
    return EMPTY if value is None else format_amount(scaled(Decimal(value), BILLION))


@register.filter
def millions(value) -> str:
    return EMPTY if value is None else format_amount(scaled(Decimal(value), MILLION))


@register.filter
def pct(value) -> str:
    """Rounded as in the CSV files (`f"{value:.1f}"`), so page and file agree to the last digit."""
    if value is None:
        return EMPTY
    return number_format(Decimal(f"{Decimal(value):.1f}"), 1, use_l10n=True, force_grouping=True)


@register.filter
def count(value) -> str:
    return format_integer(value)


@register.filter
def region_label(name: str) -> str:
    """A region of the regional statistics in the reader's language ("Beijing" → 北京)."""
    return regions.region_label(name) if name else name
