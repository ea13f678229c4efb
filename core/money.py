"""Money is Decimal with two places: every amount field of every app is declared with MONEY."""

MONEY = {"max_digits": 20, "decimal_places": 2}
