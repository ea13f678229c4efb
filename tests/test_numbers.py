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
