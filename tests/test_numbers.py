"""The percent filter shows a stored fraction as the percentage it was entered as."""

from decimal import Decimal

import pytest
from django.utils import translation

from core.templatetags.numbers import percent


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(Decimal("0.1000"), "10%"), (Decimal("0.1250"), "12.5%"), (Decimal("1"), "100%"), (None, "—"), ("x", "—")],
)
def test_percent(fraction, shown):
    with translation.override("en"):
        assert percent(fraction) == shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_amounts_are_grouped_by_thousands_in_both_languages(language):
    """Seen: the Chinese pages showed ¥8000000.00."""
    from django.template.defaultfilters import floatformat

    with translation.override(language):
        assert floatformat(Decimal("8000000"), "2g") == "8,000,000.00"
