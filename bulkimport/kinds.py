"""What each import kind reads: its columns, how a cell is parsed, and the documentation of every column.

A parser receives a non-blank, stripped cell and returns the typed value or raises ValidationError. The
same column list drives the documentation on the import page and the downloadable templates.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from bulkimport.models import ImportKind
from core.money import MONEY
from core.plausibility import year_bounds
from core.validators import validate_record_year
from enterprises.models import (
    AnnualReport,
    DomesticScope,
    Enterprise,
    ExportChannel,
    ExportRecord,
    IndustryGroup,
    RegistrationType,
)
from enterprises.validators import build_uscc, validate_uscc
from reference.currencies import ISO_4217

MONEY_PLACES = MONEY["decimal_places"]
MONEY_INTEGER_DIGITS = MONEY["max_digits"] - MONEY["decimal_places"]
CENT = Decimal(1).scaleb(-MONEY_PLACES)
LABEL_LANGUAGES = ("en", "zh-hans")


def _shown(value: str) -> str:
    """A cell quoted in an error message, shortened."""
    return value if len(value) <= 40 else value[:39] + "…"


def parse_uscc(value: str) -> str:
    code = value.upper()
    validate_uscc(code)
    return code


def parse_text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValidationError(
                _("At most %(max)d characters (this has %(length)d).") % {"max": max_length, "length": len(value)}
            )
        return value

    return parse


DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def parse_date(value: str) -> datetime.date:
    match = DATE.match(value)
    try:
        if not match:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date; use YYYY-MM-DD, e.g. 2005-06-01.") % {"value": _shown(value)}
        ) from None


def parse_year(value: str) -> int:
    if not re.fullmatch(r"\d{1,4}", value):
        raise ValidationError(_("“%(value)s” is not a year; use four digits, e.g. 2014.") % {"value": _shown(value)})
    year = int(value)
    validate_record_year(year)
    return year


NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_money(value: str) -> Decimal:
    if not NUMBER.match(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a number; use digits with an optional decimal point, e.g. 1234567.89 "
                "(no thousands separators or currency signs)."
            )
            % {"value": _shown(value)}
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": _shown(value)}) from None
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."))
    if amount != amount.quantize(CENT, rounding="ROUND_DOWN"):
        raise ValidationError(_("At most %(places)d decimal places.") % {"places": MONEY_PLACES})
    amount = amount.quantize(CENT)
    if amount.adjusted() >= MONEY_INTEGER_DIGITS:
        raise ValidationError(
            _("At most %(digits)d digits before the decimal point.") % {"digits": MONEY_INTEGER_DIGITS}
        )
    return amount


def parse_count(value: str) -> int:
    if re.fullmatch(r"-\d+", value):
        raise ValidationError(_("The number cannot be negative."))
    if not re.fullmatch(r"\+?\d{1,10}", value) or int(value) > 2_147_483_647:
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": _shown(value)})
    return int(value)


def parse_currency(value: str) -> str:
    code = value.upper()
    if code not in ISO_4217:
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code such as CNY, USD, EUR.") % {"value": _shown(value)}
        )
    return code


@lru_cache(maxsize=2048)
def _country_by_name(name: str) -> str:
    """English country name (any case) → code, or "". by_name walks every country: remember the answers."""
    code = countries.by_name(name)
    return code if isinstance(code, str) else ""


def parse_country(value: str) -> str:
    code = value.upper()
    if len(code) == 2 and code in countries:
        return code
    code = _country_by_name(value.casefold())
    if code:
        return code
    raise ValidationError(
        _("“%(value)s” is not an ISO 3166-1 alpha-2 country code such as US, DE, HK.") % {"value": _shown(value)}
    )


@cache
def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Code or label (English or Chinese, any case) → code."""
    lookup = {}
    for language in LABEL_LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                lookup.setdefault(str(label).strip().casefold(), code)
    for code in choices.values:
        lookup[code.casefold()] = code
    return lookup


def parse_choice(choices: type[models.TextChoices]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        code = _choice_lookup(choices).get(value.casefold())
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": _shown(value), "allowed": ", ".join(choices.values)}
            )
        return code

    return parse


def choice_values(choices: type[models.TextChoices]) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(code, str(label)) for code, label in choices.choices]


@dataclass(frozen=True, kw_only=True)
class Column:
    name: str
    required: bool
    parse: Callable[[str], object]
    format: Promise | str
    example: str
    description: Promise | str = ""
    #: the value of a blank cell in an optional column
    default: object = None
    #: documented allowed values, (code, label) pairs
    allowed: Callable[[], list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class KindSpec:
    kind: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    #: the columns that identify a row: an existing row with this key is updated
    key: tuple[str, ...]
    #: the `uscc` column names an existing firm (every kind except firms)
    references_firm: bool

    @property
    def label(self) -> str:
        return ImportKind(self.kind).label

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    @property
    def field_columns(self) -> list[str]:
        """Columns stored as model fields of the same name (a dependent row's firm is `enterprise`)."""
        return [name for name in self.column_names if not (self.references_firm and name == "uscc")]

    def example_row(self) -> list[str]:
        return [column.example for column in self.columns]


def _example_uscc() -> str:
    return build_uscc("110108", "10000001")


EXAMPLE_USCC = _example_uscc()

_USCC_FORMAT = gettext_lazy(
    "18 characters: digits and capital letters except I, O, S, V, Z, with valid check "
    "characters (GB 32100-2015, GB 11714). Format the column as text in spreadsheets."
)
_MONEY_FORMAT = gettext_lazy(
    "Non-negative number with at most 2 decimal places, a dot as the decimal point, "
    "no thousands separators, e.g. 1234567.89."
)
_COUNT_FORMAT = gettext_lazy("Non-negative whole number.")


def _year_format() -> str:
    first, last = year_bounds(timezone.localdate())
    return _("Four-digit year from %(first)d to %(last)d (a year not yet over has no annual figures).") % {
        "first": first,
        "last": last,
    }


_YEAR_FORMAT = lazy(_year_format, str)()
_CURRENCY_FORMAT = gettext_lazy("ISO 4217 code, e.g. CNY, USD, EUR. Blank: CNY.")
_CHOICE_FORMAT = gettext_lazy("One of the allowed values, or its English label (any case).")
_EXISTING_FIRM = gettext_lazy(
    "USCC of a firm that already exists (import firms first: a firm in the same file does not count)."
)


def _column(
    name: str,
    *,
    parse: Callable[[str], object],
    format: Promise | str,
    example: str,
    description: Promise | str,
    default: object = None,
    allowed: Callable[[], list[tuple[str, str]]] | None = None,
) -> Column:
    """A column whose blank cell is an error, unless the column has a default: then the blank takes it."""
    return Column(
        name=name,
        required=default is None,
        parse=parse,
        format=format,
        example=example,
        description=description,
        default=default,
        allowed=allowed,
    )


def _choice(
    name: str,
    choices: type[models.TextChoices],
    *,
    example: str,
    description: Promise | str,
    format: Promise | str = _CHOICE_FORMAT,
    default: str | None = None,
) -> Column:
    """A column of one of `choices`, by code or label, with the choices documented as its allowed values."""
    return _column(
        name,
        parse=parse_choice(choices),
        format=format,
        example=example,
        description=description,
        default=default,
        allowed=choice_values(choices),
    )


def _uscc(*, description: Promise | str) -> Column:
    return _column("uscc", parse=parse_uscc, format=_USCC_FORMAT, example=EXAMPLE_USCC, description=description)


def _year(*, description: Promise | str) -> Column:
    return _column("year", parse=parse_year, format=_YEAR_FORMAT, example="2014", description=description)


def _currency(*, description: Promise | str) -> Column:
    """The currency of the row's amounts; blank is CNY."""
    return _column(
        "currency",
        parse=parse_currency,
        format=_CURRENCY_FORMAT,
        example="CNY",
        description=description,
        default="CNY",
    )


def _money(name: str, *, example: str, description: Promise | str) -> Column:
    return _column(name, parse=parse_money, format=_MONEY_FORMAT, example=example, description=description)


def _count(name: str, *, example: str, description: Promise | str) -> Column:
    return _column(name, parse=parse_count, format=_COUNT_FORMAT, example=example, description=description)


KINDS: dict[str, KindSpec] = {
    ImportKind.FIRMS: KindSpec(
        kind=ImportKind.FIRMS,
        model=Enterprise,
        key=("uscc",),
        references_firm=False,
        columns=(
            _uscc(
                description=gettext_lazy(
                    "Unified social credit code; identifies the firm: an existing firm is updated."
                )
            ),
            _column(
                "name_zh",
                parse=parse_text(200),
                format=gettext_lazy("Text, at most 200 characters."),
                example="中关村示例科技有限公司",
                description=gettext_lazy("Name in Chinese."),
            ),
            _column(
                "name_en",
                parse=parse_text(200),
                format=gettext_lazy("Text, at most 200 characters. Blank: none."),
                example="Zhongguancun Example Technology Co., Ltd.",
                description=gettext_lazy("Name in English."),
                default="",
            ),
            _choice(
                "registration_type",
                RegistrationType,
                example="llc",
                description=gettext_lazy("Registration type."),
            ),
            _choice(
                "industry_group",
                IndustryGroup,
                example="electronic_information",
                description=gettext_lazy("Industry group."),
            ),
            Column(
                name="founded",
                required=False,
                parse=parse_date,
                format=gettext_lazy("Date YYYY-MM-DD. Blank: unknown."),
                example="2005-06-01",
                description=gettext_lazy("Founding date."),
            ),
            _column(
                "province",
                parse=parse_text(50),
                format=gettext_lazy("Text, at most 50 characters. Blank: 北京."),
                example="北京",
                description=gettext_lazy("Home province."),
                default="北京",
            ),
            _column(
                "city",
                parse=parse_text(50),
                format=gettext_lazy("Text, at most 50 characters. Blank: 北京."),
                example="北京",
                description=gettext_lazy("Home city."),
                default="北京",
            ),
        ),
    ),
    ImportKind.ANNUAL_REPORTS: KindSpec(
        kind=ImportKind.ANNUAL_REPORTS,
        model=AnnualReport,
        key=("uscc", "year"),
        references_firm=True,
        columns=(
            _uscc(description=_EXISTING_FIRM),
            _year(
                description=gettext_lazy(
                    "Reporting year; with the firm it identifies the report: an existing one is updated."
                )
            ),
            _currency(description=gettext_lazy("Currency of every amount in the row.")),
            _money("revenue_total", example="50000000.00", description=gettext_lazy("Revenue, total.")),
            _money(
                "revenue_foreign",
                example="12000000.00",
                description=gettext_lazy("Revenue from abroad; at most the total."),
            ),
            _money("assets_total", example="80000000.00", description=gettext_lazy("Assets, total.")),
            _money(
                "assets_foreign", example="5000000.00", description=gettext_lazy("Assets abroad; at most the total.")
            ),
            _count("employees_total", example="200", description=gettext_lazy("Employees, total.")),
            _count("employees_foreign", example="12", description=gettext_lazy("Employees abroad; at most the total.")),
            _money("imports_total", example="3000000.00", description=gettext_lazy("Imports, total.")),
            _choice(
                "domestic_scope",
                DomesticScope,
                format=gettext_lazy("One of the allowed values, or its English label (any case). Blank: national."),
                example="national",
                description=gettext_lazy("Domestic sales scope."),
                default=DomesticScope.NATIONAL,
            ),
        ),
    ),
    ImportKind.EXPORT_RECORDS: KindSpec(
        kind=ImportKind.EXPORT_RECORDS,
        model=ExportRecord,
        key=("uscc", "year", "destination", "channel"),
        references_firm=True,
        columns=(
            _uscc(description=_EXISTING_FIRM),
            _year(description=gettext_lazy("Year of the exports.")),
            _column(
                "destination",
                parse=parse_country,
                format=gettext_lazy(
                    "ISO 3166-1 alpha-2 code, e.g. US, DE, JP (HK, MO and TW are markets of their "
                    "own), or the English country name."
                ),
                example="US",
                description=gettext_lazy("Destination market."),
            ),
            _choice(
                "channel",
                ExportChannel,
                example="agent",
                description=gettext_lazy(
                    "Export channel. Firm, year, destination and channel identify the record: an "
                    "existing one is updated."
                ),
            ),
            _currency(description=gettext_lazy("Currency of the value.")),
            _money("value", example="1000000.00", description=gettext_lazy("Export value.")),
        ),
    ),
}
