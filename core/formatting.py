"""How the site shows numbers and dates to people, in the reader's language (Django's formats, with the site's
own in core/formats).

Amounts always have two decimals and thousand separators, and a currency is its ISO code after the amount,
joined by a no-break space: "8,000,000.00 CNY", "-1,234.50 USD", in English and in Chinese alike. The code
rather than "¥" because the firms also export to Japan, whose yen is "¥" too. An unknown amount is "—".
Years and ids are never grouped: USE_THOUSAND_SEPARATOR stays off and every amount goes through these
functions (the `money` template filter), so a forgotten filter shows "28900000.00", never a broken "2,014".

Dates: SHORT_DATE_FORMAT for a day, SHORT_DATETIME_FORMAT for a moment (in the site's time zone). Files and
URLs keep ISO 8601 (DESIGN section 7).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format, number_format

EMPTY = "—"
CENT = Decimal("0.01")
NO_BREAK_SPACE = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_amount(value) -> str:
    """Two decimals (rounded half up), grouped by thousands: 28900000 → "28,900,000.00"; None → "—"."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    return number_format(number.quantize(CENT, rounding=ROUND_HALF_UP), 2, use_l10n=True, force_grouping=True)


def format_money(value, currency: str = "") -> str:
    """An amount with its currency code: "8,000,000.00 CNY"; without a code just the amount; None → "—"."""
    text = format_amount(value)
    if text == EMPTY or not currency:
        return text
    return f"{text}{NO_BREAK_SPACE}{currency}"


def format_integer(value) -> str:
    """A count grouped by thousands ("12,000 employees"); never for years or ids."""
    number = _decimal(value)
    return EMPTY if number is None else number_format(int(number), 0, use_l10n=True, force_grouping=True)


def format_date(value: datetime.date | str | None) -> str:
    """A day in the language's SHORT_DATE_FORMAT; an ISO string (from a snapshot) is read first."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if value is None:
        return EMPTY
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "SHORT_DATE_FORMAT")


def format_datetime(value: datetime.datetime | None) -> str:
    """A moment in the site's time zone, in the language's SHORT_DATETIME_FORMAT."""
    if value is None:
        return EMPTY
    return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
