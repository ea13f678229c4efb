"""The scoring engine of DESIGN section 3: a profile in, a scorecard out.

Pure: no ORM, no request, no settings beyond django-countries' country list. Everything is
`Decimal` computed in a fixed context (28 significant digits), so a profile scores the same
everywhere, whatever the caller's decimal context.

Profile input (`parse_profile`, the JSON of DESIGN section 7), decisions where the design is silent:

- `reference_year` (JSON integer) and `domestic_scope` (`local` or `national`) are required.
- The six figures `revenue_total`, `revenue_foreign`, `assets_total`, `assets_foreign`,
  `employees_total`, `employees_foreign` may be absent or null (not reported). A ratio whose total
  is missing or 0 is skipped (design rule); a missing foreign figure next to a reported total
  counts as 0, so leaving a figure out can never raise the TNI.
- Amounts are CNY: decimal strings (`"1234.56"`), JSON integers or `Decimal`; never floats, never
  negative. Employee counts are non-negative integers (or digit strings).
- `exports`, `establishments`, `pct_applications`, `certifications` default to empty lists and
  `publications_abroad` (an integer count) to 0. `closed` and `expires` may be absent or null.
- Dates are ISO 8601 calendar dates (`YYYY-MM-DD`). A `closed` before `opened` or an `expires`
  before `issued` is an error. Given `today`, so are implausible years and dates (`core.plausibility`).
- Country codes are ISO 3166-1 alpha-2 (upper-cased on input); CN is the home country and is
  rejected as a foreign market. HK, MO and TW are markets of their own.
- Unknown keys are errors, so a typo never silently scores as "not reported".
- All exports in a profile are the reference year's. Duplicate PCT numbers count once.

Every error is a `ProfileError` (or `SchemeError`) with a `field` path such as `exports[2].channel`
and a one-line message; `str(error)` is `"<field>: <message>"`.

Scorecard output (`score`): stage, geography and breadth are integers; the ratios FSTS, FATA,
FETE, the TNI, HHI and the subscores are strings rounded half-up to 4 decimals (null for an
undefined ratio, or for the HHI of a firm without exports); points and total are strings with 2
decimals. The total is the exact sum of weight * subscore rounded half-up once, so it may differ by
0.01 from the sum of the displayed points. Weights are strings, as in the scheme. A component's
`raw` has the type of the matching top-level figure (integer, or a 4-decimal string for the TNI).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from decimal import localcontext as _localcontext
from functools import lru_cache
from typing import Any

from core.plausibility import date_problem, expiry_problem, year_problem

__all__ = [
    "CHANNELS",
    "CHANNEL_STAGE",
    "COMPONENT_KEYS",
    "DEFAULT_NEIGHBOURING",
    "DEFAULT_SCHEME",
    "DOMESTIC_SCOPES",
    "ESTABLISHMENT_KINDS",
    "KIND_STAGE",
    "Certification",
    "Component",
    "Establishment",
    "Evaluation",
    "Export",
    "InputError",
    "PctApplication",
    "Profile",
    "ProfileError",
    "Scheme",
    "SchemeError",
    "evaluate",
    "parse_profile",
    "score",
]

COMPONENT_KEYS: tuple[str, ...] = ("stage", "geography", "tni", "breadth", "pct", "certifications", "publications")
CAPPED_KEYS: tuple[str, ...] = ("breadth", "pct", "certifications", "publications")
CHANNELS: tuple[str, ...] = ("direct", "agent", "subsidiary")
CHANNEL_STAGE: dict[str, int] = {"direct": 1, "agent": 2, "subsidiary": 3}
ESTABLISHMENT_KINDS: tuple[str, ...] = ("representative", "sales", "service", "rnd", "manufacturing")
KIND_STAGE: dict[str, int] = {"representative": 3, "sales": 3, "service": 3, "rnd": 3, "manufacturing": 4}
DOMESTIC_SCOPES: tuple[str, ...] = ("local", "national")
HOME_COUNTRY = "CN"
DEFAULT_NEIGHBOURING: frozenset[str] = frozenset(
    ["HK", "MO", "TW", "JP", "KR", "KP", "MN", "RU", "KZ", "KG", "TJ", "AF", "PK", "IN", "NP", "BT", "MM", "LA", "VN"]
)

_KIND_LABEL = {
    "representative": "representative",
    "sales": "sales",
    "service": "service",
    "rnd": "R&D",
    "manufacturing": "manufacturing",
}
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
_DISPLAY = Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow])
_Q4 = Decimal("0.0001")
_Q2 = Decimal("0.01")
_ZERO = Decimal(0)
_ONE = Decimal(1)
_SMALLEST_AMOUNT = Decimal("1E-8")
_LARGEST_AMOUNT = Decimal("1E18")
_LARGEST_COUNT = 10**12
_DECIMAL_RE = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_DIGITS_RE = re.compile(r"[0-9]{1,13}")
_PCT_NUMBER_RE = re.compile(r"PCT/[A-Z]{2}\d{4}/\d{6}")


class InputError(ValueError):
    """Bad profile or scheme input; `field` is the path of the offending value."""

    root = "input"

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class ProfileError(InputError):
    """The profile JSON does not follow DESIGN section 7."""

    root = "profile"


class SchemeError(InputError):
    """The scheme's weights, caps or neighbouring set are invalid."""

    root = "scheme"


# ---------------------------------------------------------------------------- input helpers


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _known_country(code: str) -> bool:
    """ISO code known to django-countries (with the project's overrides once settings are configured)."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django_countries import countries

        return code in countries
    except ImproperlyConfigured:
        from django_countries.data import COUNTRIES

        return code in COUNTRIES


class _Reader:
    """Typed access to one JSON object, raising `error_class` with the field path."""

    def __init__(self, data: object, path: str, error_class: type[InputError], allowed: Iterable[str]) -> None:
        self.error_class = error_class
        self.path = path
        if not isinstance(data, Mapping):
            raise error_class(path or error_class.root, f"expected an object, got {_json_type(data)}")
        self.data = data
        allowed = frozenset(allowed)
        unknown = sorted(str(key) for key in data if key not in allowed)
        if unknown:
            raise error_class(_join(path, unknown[0]), "unknown field")

    def fail(self, key: str, message: str) -> InputError:
        return self.error_class(_join(self.path, key), message)

    def get(self, key: str, *, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self.fail(key, "required field is missing")
            return None
        return self.data[key]

    def string(self, key: str, *, required: bool = True) -> str | None:
        value = self.get(key, required=required)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {_json_type(value)}")
        if not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def choice(self, key: str, choices: tuple[str, ...], what: str) -> str:
        value = self.get(key, required=True)
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {_json_type(value)}")
        if value not in choices:
            expected = ", ".join(choices[:-1]) + f" or {choices[-1]}"
            raise self.fail(key, f"unknown {what} {_show(value)} (expected {expected})")
        return value

    def country(self, key: str) -> str:
        value = self.get(key, required=True)
        if not isinstance(value, str):
            raise self.fail(key, f"expected a country code string, got {_json_type(value)}")
        code = value.strip().upper()
        if len(code) != 2 or not _known_country(code):
            raise self.fail(key, f"unknown country {_show(value)} (expected an ISO 3166-1 alpha-2 code such as 'US')")
        if code == HOME_COUNTRY:
            raise self.fail(key, "CN is the home country, not a foreign market")
        return code

    def amount(self, key: str, *, required: bool) -> Decimal | None:
        value = self.get(key, required=required)
        if value is None and not required:
            return None
        return _decimal(value, lambda message: self.fail(key, message))

    def count(self, key: str, *, required: bool, default: int | None = None) -> int | None:
        value = self.get(key, required=required)
        if value is None and not required:
            return default
        if isinstance(value, str) and _DIGITS_RE.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected a whole number, got {_json_type(value)} {_show(value)}")
        if value < 0:
            raise self.fail(key, f"must not be negative, got {value}")
        if value > _LARGEST_COUNT:
            raise self.fail(key, f"out of range (at most 10^12): {value}")
        return value

    def date(self, key: str, *, required: bool = True) -> date | None:
        value = self.get(key, required=required)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"expected an ISO 8601 date string (YYYY-MM-DD), got {_json_type(value)}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(key, f"not an ISO 8601 date (YYYY-MM-DD): {_show(value)}") from None

    def items(self, key: str) -> list[tuple[str, object]]:
        value = self.get(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            raise self.fail(key, f"expected an array, got {_json_type(value)}")
        base = _join(self.path, key)
        return [(f"{base}[{index}]", item) for index, item in enumerate(value)]


def _decimal(value: object, fail: Any) -> Decimal:
    """A non-negative finite Decimal from a decimal string, an int or a Decimal (never a float)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise fail(f"expected a decimal string, got {_json_type(value)} {_show(value)}")
    if isinstance(value, str):
        if not _DECIMAL_RE.fullmatch(value.strip()):
            raise fail(f"not a decimal number: {_show(value)}")
        number = Decimal(value.strip())
    else:
        number = Decimal(value)
        if not number.is_finite():
            raise fail(f"not a decimal number: {_show(value)}")
    if number < 0:
        raise fail(f"must not be negative, got {_show(value)}")
    if number and not _SMALLEST_AMOUNT <= number < _LARGEST_AMOUNT:
        raise fail(f"out of range (0 or 1E-8 to 1E18): {_show(value)}")
    return number


# ---------------------------------------------------------------------------- profile


@dataclass(frozen=True, slots=True)
class Export:
    country: str
    channel: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class Establishment:
    country: str
    kind: str
    opened: date
    closed: date | None = None

    def active_on(self, day: date) -> bool:
        """Opened on or before `day`, and not closed (closed after `day`); closed on `day` is inactive."""
        return self.opened <= day and (self.closed is None or self.closed > day)


@dataclass(frozen=True, slots=True)
class PctApplication:
    number: str
    filed: date
    national_phase: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Certification:
    scheme: str
    issued: date
    expires: date | None = None

    def valid_during(self, year: int) -> bool:
        """Valid on at least one day of `year`; issued and expires are both inclusive."""
        return self.issued <= date(year, 12, 31) and (self.expires is None or self.expires >= date(year, 1, 1))


@dataclass(frozen=True, slots=True)
class Profile:
    """One firm's figures for `reference_year`; build it with `parse_profile`, which validates."""

    reference_year: int
    domestic_scope: str
    revenue_total: Decimal | None = None
    revenue_foreign: Decimal | None = None
    assets_total: Decimal | None = None
    assets_foreign: Decimal | None = None
    employees_total: int | None = None
    employees_foreign: int | None = None
    exports: tuple[Export, ...] = ()
    establishments: tuple[Establishment, ...] = ()
    pct_applications: tuple[PctApplication, ...] = ()
    certifications: tuple[Certification, ...] = ()
    publications_abroad: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The section 7 JSON of this profile; `parse_profile(p.to_dict()) == p`."""

        def amount(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        def day(value: date | None) -> str | None:
            return None if value is None else value.isoformat()

        return {
            "reference_year": self.reference_year,
            "domestic_scope": self.domestic_scope,
            "revenue_total": amount(self.revenue_total),
            "revenue_foreign": amount(self.revenue_foreign),
            "assets_total": amount(self.assets_total),
            "assets_foreign": amount(self.assets_foreign),
            "employees_total": self.employees_total,
            "employees_foreign": self.employees_foreign,
            "exports": [{"country": e.country, "channel": e.channel, "value": str(e.value)} for e in self.exports],
            "establishments": [
                {"country": e.country, "kind": e.kind, "opened": day(e.opened), "closed": day(e.closed)}
                for e in self.establishments
            ],
            "pct_applications": [
                {"number": p.number, "filed": day(p.filed), "national_phase": list(p.national_phase)}
                for p in self.pct_applications
            ],
            "certifications": [
                {"scheme": c.scheme, "issued": day(c.issued), "expires": day(c.expires)} for c in self.certifications
            ],
            "publications_abroad": self.publications_abroad,
        }


_PROFILE_FIELDS = (
    "reference_year",
    "domestic_scope",
    "revenue_total",
    "revenue_foreign",
    "assets_total",
    "assets_foreign",
    "employees_total",
    "employees_foreign",
    "exports",
    "establishments",
    "pct_applications",
    "certifications",
    "publications_abroad",
)


def _plausible(row: _Reader, key: str, day: date | None, today: date | None) -> date | None:
    if day is not None and today is not None and (problem := date_problem(day, today)):
        raise row.fail(key, problem)
    return day


def parse_profile(data: Mapping[str, Any], *, today: date | None = None) -> Profile:
    """Validate the section 7 profile JSON (already decoded) and build a `Profile`; raises `ProfileError`.

    With `today`, input from outside is held to the plausibility rule of `core.plausibility`: a reference
    year from 1980 to the current year, dates from 1980-01-01 to today, an expiry at most 50 years after
    issue. Without it (snapshots of stored records, scored again), only calendar sanity is checked.
    """
    top = _Reader(data, "", ProfileError, _PROFILE_FIELDS)

    year = top.get("reference_year", required=True)
    if isinstance(year, bool) or not isinstance(year, int):
        raise top.fail("reference_year", f"expected an integer year, got {_json_type(year)} {_show(year)}")
    if today is not None and (problem := year_problem(year, today, allow_current=True)):
        raise top.fail("reference_year", problem)
    if not 1900 <= year <= 9998:
        raise top.fail("reference_year", f"year out of range: {year}")
    scope = top.choice("domestic_scope", DOMESTIC_SCOPES, "domestic scope")

    exports = []
    for path, item in top.items("exports"):
        row = _Reader(item, path, ProfileError, ("country", "channel", "value"))
        exports.append(
            Export(
                country=row.country("country"),
                channel=row.choice("channel", CHANNELS, "channel"),
                value=row.amount("value", required=True),
            )
        )

    establishments = []
    for path, item in top.items("establishments"):
        row = _Reader(item, path, ProfileError, ("country", "kind", "opened", "closed"))
        country = row.country("country")
        kind = row.choice("kind", ESTABLISHMENT_KINDS, "establishment kind")
        opened = _plausible(row, "opened", row.date("opened"), today)
        closed = _plausible(row, "closed", row.date("closed", required=False), today)
        if closed is not None and closed < opened:
            raise row.fail("closed", f"closed {closed.isoformat()} is before opened {opened.isoformat()}")
        establishments.append(Establishment(country=country, kind=kind, opened=opened, closed=closed))

    applications = []
    for path, item in top.items("pct_applications"):
        row = _Reader(item, path, ProfileError, ("number", "filed", "national_phase"))
        number = row.string("number")
        if not _PCT_NUMBER_RE.fullmatch(number):
            raise row.fail("number", f"not a PCT application number (PCT/CCYYYY/NNNNNN): {_show(number)}")
        filed = _plausible(row, "filed", row.date("filed"), today)
        offices = []
        for office_path, office in row.items("national_phase"):
            if not isinstance(office, str) or not office.strip():
                raise ProfileError(office_path, f"expected an office code string, got {_json_type(office)}")
            offices.append(office.strip().upper())
        applications.append(PctApplication(number=number, filed=filed, national_phase=tuple(offices)))

    certifications = []
    for path, item in top.items("certifications"):
        row = _Reader(item, path, ProfileError, ("scheme", "issued", "expires"))
        scheme = row.string("scheme")
        issued = _plausible(row, "issued", row.date("issued"), today)
        expires = row.date("expires", required=False)
        if expires is not None and expires < issued:
            raise row.fail("expires", f"expires {expires.isoformat()} is before issued {issued.isoformat()}")
        if expires is not None and today is not None and (problem := expiry_problem(expires, issued)):
            raise row.fail("expires", problem)
        certifications.append(Certification(scheme=scheme.strip(), issued=issued, expires=expires))

    return Profile(
        reference_year=year,
        domestic_scope=scope,
        revenue_total=top.amount("revenue_total", required=False),
        revenue_foreign=top.amount("revenue_foreign", required=False),
        assets_total=top.amount("assets_total", required=False),
        assets_foreign=top.amount("assets_foreign", required=False),
        employees_total=top.count("employees_total", required=False),
        employees_foreign=top.count("employees_foreign", required=False),
        exports=tuple(exports),
        establishments=tuple(establishments),
        pct_applications=tuple(applications),
        certifications=tuple(certifications),
        publications_abroad=top.count("publications_abroad", required=False, default=0),
    )


# ---------------------------------------------------------------------------- scheme


DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "stage": Decimal(30),
    "geography": Decimal(10),
    "tni": Decimal(20),
    "breadth": Decimal(10),
    "pct": Decimal(15),
    "certifications": Decimal(10),
    "publications": Decimal(5),
}
DEFAULT_CAPS: dict[str, int] = {"breadth": 20, "pct": 10, "certifications": 5, "publications": 5}


def _check_keys(mapping: Mapping[str, Any], keys: tuple[str, ...], section: str) -> None:
    for key in keys:
        if key not in mapping:
            raise SchemeError(f"{section}.{key}", "required field is missing")
    for key in mapping:
        if key not in keys:
            raise SchemeError(f"{section}.{key}", "unknown field")


@dataclass(frozen=True)
class Scheme:
    """Weights (summing to 100), caps and the neighbouring set; validated on construction."""

    weights: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    caps: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CAPS))
    neighbouring: frozenset[str] = DEFAULT_NEIGHBOURING

    def __post_init__(self) -> None:
        _check_keys(self.weights, COMPONENT_KEYS, "weights")
        weights = {}
        for key in COMPONENT_KEYS:
            weight = self.weights[key]
            if isinstance(weight, bool) or not isinstance(weight, int | Decimal) or not Decimal(weight).is_finite():
                raise SchemeError(f"weights.{key}", f"expected a decimal number, got {_json_type(weight)}")
            if weight < 0:
                raise SchemeError(f"weights.{key}", f"weight must not be negative, got {weight}")
            weights[key] = Decimal(weight)
        with _localcontext(_CONTEXT):
            total = sum(weights.values(), _ZERO)
        if total != 100:
            raise SchemeError("weights", f"weights must sum to 100, got {total}")
        _check_keys(self.caps, CAPPED_KEYS, "caps")
        for key in CAPPED_KEYS:
            cap = self.caps[key]
            if isinstance(cap, bool) or not isinstance(cap, int):
                raise SchemeError(f"caps.{key}", f"expected a whole number, got {_json_type(cap)}")
            if cap <= 0:
                raise SchemeError(f"caps.{key}", f"cap must be positive, got {cap}")
        neighbouring = frozenset(self.neighbouring)
        for code in neighbouring - DEFAULT_NEIGHBOURING:
            if not isinstance(code, str) or code != code.upper() or len(code) != 2 or not _known_country(code):
                raise SchemeError("neighbouring", f"unknown country {_show(code)} (expected ISO 3166-1 alpha-2 codes)")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "caps", {key: self.caps[key] for key in CAPPED_KEYS})
        object.__setattr__(self, "neighbouring", neighbouring)

    def __hash__(self) -> int:
        return hash((tuple(self.weights.items()), tuple(self.caps.items()), self.neighbouring))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scheme:
        """Build from `{"weights": {...}, "caps": {...}, "neighbouring": [...]}`; an absent section keeps its default.

        Weights are decimal strings, integers, Decimals or (as a JSONField returns them) floats, taken by their
        shortest repr; caps are positive integers. Raises `SchemeError`.
        """
        top = _Reader(data, "", SchemeError, ("weights", "caps", "neighbouring"))
        weights: dict[str, Decimal] = dict(DEFAULT_WEIGHTS)
        if top.get("weights", required=False) is not None:
            raw_weights = data["weights"]
            if isinstance(raw_weights, Mapping):
                # A JSONField hands back 12.5 as a float: take the digits it was written with.
                raw_weights = {
                    key: repr(value) if isinstance(value, float) and math.isfinite(value) else value
                    for key, value in raw_weights.items()
                }
            section = _Reader(raw_weights, "weights", SchemeError, COMPONENT_KEYS)
            weights = {key: section.amount(key, required=True) for key in COMPONENT_KEYS}
        caps: dict[str, int] = dict(DEFAULT_CAPS)
        if top.get("caps", required=False) is not None:
            section = _Reader(data["caps"], "caps", SchemeError, CAPPED_KEYS)
            caps = {key: section.count(key, required=True) for key in CAPPED_KEYS}
        neighbouring = DEFAULT_NEIGHBOURING
        if top.get("neighbouring", required=False) is not None:
            codes = []
            for path, code in top.items("neighbouring"):
                if not isinstance(code, str):
                    raise SchemeError(path, f"expected a country code string, got {_json_type(code)}")
                normalized = code.strip().upper()
                if len(normalized) != 2 or not _known_country(normalized):
                    raise SchemeError(path, f"unknown country {_show(code)} (expected an ISO 3166-1 alpha-2 code)")
                codes.append(normalized)
            neighbouring = frozenset(codes)
        return cls(weights=weights, caps=caps, neighbouring=neighbouring)

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": {key: str(self.weights[key]) for key in COMPONENT_KEYS},
            "caps": {key: self.caps[key] for key in CAPPED_KEYS},
            "neighbouring": sorted(self.neighbouring),
        }


DEFAULT_SCHEME = Scheme()


# ---------------------------------------------------------------------------- evaluation


@dataclass(frozen=True, slots=True)
class Component:
    """One scored component; `subscore` and `points` are exact (unrounded)."""

    key: str
    raw: int | Decimal
    subscore: Decimal
    weight: Decimal
    points: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The exact result of scoring one profile; `scorecard()` renders the section 7 JSON."""

    stage: int
    geography: int
    fsts: Decimal | None
    fata: Decimal | None
    fete: Decimal | None
    tni: Decimal
    breadth: int
    hhi: Decimal | None
    markets: dict[str, int]
    components: tuple[Component, ...]
    total: Decimal

    @property
    def subscores(self) -> dict[str, Decimal]:
        return {component.key: component.subscore for component in self.components}

    def scorecard(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "geography": self.geography,
            "fsts": _q4(self.fsts),
            "fata": _q4(self.fata),
            "fete": _q4(self.fete),
            "tni": _q4(self.tni),
            "breadth": self.breadth,
            "hhi": _q4(self.hhi),
            "markets": dict(self.markets),
            "components": [
                {
                    "key": c.key,
                    "raw": _q4(c.raw) if isinstance(c.raw, Decimal) else c.raw,
                    "subscore": _q4(c.subscore),
                    "weight": str(c.weight),
                    "points": str(c.points.quantize(_Q2, rounding=ROUND_HALF_UP, context=_DISPLAY)),
                    "reason": c.reason,
                }
                for c in self.components
            ],
            "total": str(self.total),
        }


def _q4(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_Q4, rounding=ROUND_HALF_UP, context=_DISPLAY))


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


@lru_cache(maxsize=4096)
def _log_subscore(raw: int, cap: int) -> Decimal:
    """min(1, ln(1 + raw) / ln(1 + cap)), cached: raw and cap are small integers."""
    if raw >= cap:
        return _ONE
    with _localcontext(_CONTEXT):
        return Decimal(1 + raw).ln() / Decimal(1 + cap).ln()


def _ratio(foreign: Decimal | int | None, total: Decimal | int | None) -> Decimal | None:
    if total is None or total == 0:
        return None
    return Decimal(foreign or 0) / Decimal(total)


def _markets(profile: Profile) -> tuple[dict[str, int], dict[str, str]]:
    """Per-market stage (markets at stage >= 1) and a description of the deepest mode found there."""
    year = profile.reference_year
    year_end = date(year, 12, 31)
    stage: dict[str, int] = {}
    evidence: dict[str, str] = {}

    def note(country: str, level: int, text: str) -> None:
        if level > stage.get(country, 0):
            stage[country] = level
            evidence[country] = text

    for est in sorted(profile.establishments, key=lambda e: (e.country, e.opened, ESTABLISHMENT_KINDS.index(e.kind))):
        if est.active_on(year_end):
            note(
                est.country,
                KIND_STAGE[est.kind],
                f"{_KIND_LABEL[est.kind]} establishment in {est.country} active on {year_end.isoformat()}",
            )
    for exp in profile.exports:
        if exp.value > 0:
            level = CHANNEL_STAGE[exp.channel]
            if exp.channel == "direct":
                text = f"direct exports to {exp.country} in {year}"
            elif exp.channel == "agent":
                text = f"exports to {exp.country} through an agent or distributor in {year}"
            else:
                text = f"exports to {exp.country} through own subsidiary in {year}"
            note(exp.country, level, text)
    return dict(sorted(stage.items())), evidence


def evaluate(profile: Profile, scheme: Scheme = DEFAULT_SCHEME) -> Evaluation:
    """Score `profile` with `scheme` by DESIGN section 3, keeping exact values."""
    with _localcontext(_CONTEXT):
        return _evaluate(profile, scheme)


def score(profile: Profile, scheme: Scheme = DEFAULT_SCHEME) -> dict[str, Any]:
    """The section 7 scorecard (JSON-ready dict) of `profile`."""
    return evaluate(profile, scheme).scorecard()


def _evaluate(profile: Profile, scheme: Scheme) -> Evaluation:
    """Each component's raw value and reason come from a step of its own; the subscore formulas of DESIGN
    section 3 stand together in `rows`."""
    year = profile.reference_year
    caps = scheme.caps
    markets, evidence = _markets(profile)
    active = list(markets)
    stage, stage_reason = _stage(year, markets, evidence)
    geography, geography_reason = _geography(stage, active, profile.domestic_scope, scheme.neighbouring)
    ratios = _ratios(profile)
    tni, tni_reason = _tni(ratios)
    breadth, breadth_reason = _breadth(active)
    pct, pct_reason = _pct(profile.pct_applications, year)
    certs, certs_reason = _certifications(profile.certifications, year)
    publications = profile.publications_abroad
    publications_reason = f"publications {publications} abroad in {year}"

    rows: list[tuple[str, int | Decimal, Decimal, str]] = [
        ("stage", stage, Decimal(stage) / 4, stage_reason),
        ("geography", geography, Decimal(geography - 1) / 3, geography_reason),
        ("tni", tni, min(_ONE, max(_ZERO, tni)), tni_reason),
        ("breadth", breadth, _log_subscore(breadth, caps["breadth"]), breadth_reason),
        ("pct", pct, _log_subscore(pct, caps["pct"]), pct_reason),
        ("certifications", certs, min(_ONE, Decimal(certs) / caps["certifications"]), certs_reason),
        ("publications", publications, min(_ONE, Decimal(publications) / caps["publications"]), publications_reason),
    ]
    weights = scheme.weights
    components = tuple(
        Component(key=key, raw=raw, subscore=sub, weight=weights[key], points=weights[key] * sub, reason=reason)
        for key, raw, sub, reason in rows
    )
    total = sum((c.points for c in components), _ZERO).quantize(_Q2, rounding=ROUND_HALF_UP, context=_DISPLAY)

    return Evaluation(
        stage=stage,
        geography=geography,
        fsts=ratios["FSTS"],
        fata=ratios["FATA"],
        fete=ratios["FETE"],
        tni=tni,
        breadth=breadth,
        hhi=_hhi(profile.exports),
        markets=markets,
        components=components,
        total=total,
    )


def _stage(year: int, markets: dict[str, int], evidence: dict[str, str]) -> tuple[int, str]:
    """The deepest stage reached in any market, with the first market (by code) that reached it."""
    stage = max(markets.values(), default=0)
    if stage == 0:
        return stage, f"stage 0: no foreign activity in {year}"
    deepest = [code for code in markets if markets[code] == stage]
    reason = f"stage {stage}: {evidence[deepest[0]]}"
    if len(deepest) > 1:
        reason += f" (and {_plural(len(deepest) - 1, 'other market')} at stage {stage})"
    return stage, reason


def _geography(stage: int, active: list[str], domestic_scope: str, neighbouring: frozenset[str]) -> tuple[int, str]:
    """Local or national without foreign activity; neighbouring when every active market is; else global."""
    if stage == 0:
        if domestic_scope == "local":
            return 1, "geography 1 (local): no foreign activity, domestic sales in the home province"
        return 2, "geography 2 (national): no foreign activity, domestic sales across China"
    outside = [code for code in active if code not in neighbouring]
    if outside:
        examples = ", ".join(outside[:3])
        return 4, f"geography 4 (global): active outside the neighbouring markets, e.g. {examples}"
    return 3, f"geography 3 (neighbouring): every active market is neighbouring: {', '.join(active)}"


def _ratios(profile: Profile) -> dict[str, Decimal | None]:
    return {
        "FSTS": _ratio(profile.revenue_foreign, profile.revenue_total),
        "FATA": _ratio(profile.assets_foreign, profile.assets_total),
        "FETE": _ratio(profile.employees_foreign, profile.employees_total),
    }


def _tni(ratios: dict[str, Decimal | None]) -> tuple[Decimal, str]:
    """The mean of the defined ratios (0 when none is); its subscore is clipped to [0, 1]."""
    defined = {name: value for name, value in ratios.items() if value is not None}
    undefined = [name for name, value in ratios.items() if value is None]
    if not defined:
        return _ZERO, "tni 0.0000: no ratio defined (FSTS, FATA and FETE totals zero or missing)"
    tni = sum(defined.values(), _ZERO) / len(defined)
    reason = f"tni {_q4(tni)}: mean of " + ", ".join(f"{name} {_q4(value)}" for name, value in defined.items())
    if undefined:
        reason += f"; {', '.join(undefined)} undefined (total zero or missing)"
    if tni > 1:
        reason += "; subscore clipped to 1"
    return tni, reason


def _breadth(active: list[str]) -> tuple[int, str]:
    if not active:
        return 0, "breadth 0 markets: no foreign market served"
    return len(active), f"breadth {_plural(len(active), 'market')}: {', '.join(active)}"


def _pct(applications: tuple[PctApplication, ...], year: int) -> tuple[int, str]:
    """PCT applications filed in the reference year; a number filed twice counts once."""
    pct = len({app.number for app in applications if app.filed.year == year})
    return pct, f"pct {_plural(pct, 'application')} filed in {year}"


def _certifications(certifications: tuple[Certification, ...], year: int) -> tuple[int, str]:
    """Distinct schemes with a certificate valid on at least one day of the reference year."""
    schemes = sorted({cert.scheme for cert in certifications if cert.valid_during(year)})
    reason = f"certifications {_plural(len(schemes), 'scheme')} valid in {year}"
    if schemes:
        reason += f": {', '.join(schemes)}"
    return len(schemes), reason


def _hhi(exports: tuple[Export, ...]) -> Decimal | None:
    """Concentration of export value across markets (sum of squared shares); None without exports."""
    by_market: dict[str, Decimal] = {}
    for exp in exports:
        if exp.value > 0:
            by_market[exp.country] = by_market.get(exp.country, _ZERO) + exp.value
    exports_total = sum(by_market.values(), _ZERO)
    if not exports_total:
        return None
    return sum((v * v for v in by_market.values()), _ZERO) / (exports_total * exports_total)
