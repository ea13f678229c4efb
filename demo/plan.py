"""What a planned firm is: the types `seed_demo` fills in memory before it writes anything, and their units.

Amounts are whole fen (`int`) while planned; an export record holds its value in its own currency (`Decimal`).
Everything but `FirmPlan`, which the planning steps fill in turn, is immutable.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from demo import calibration as cal
from enterprises.models import FOREIGN_INVESTED
from enterprises.models import EstablishmentKind as Kind
from enterprises.models import RegistrationType as Reg
from reference.rates import RateTable

FEN = 100
YEARS = cal.YEARS
FIRST_DAY = date(YEARS[0], 1, 1)
LAST_DAY = date(YEARS[-1], 12, 31)
IMPORTS, EXPORTS = "imports", "exports"
SUBSIDIARY_KINDS = (Kind.SALES, Kind.MANUFACTURING)  # an active one makes exports there "via subsidiary"


class CalibrationError(RuntimeError):
    """The population cannot meet a calibration target (only conceivable for a tiny N)."""


def fen_to_decimal(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def decimal_to_fen(amount: Decimal) -> int:
    return int(cal.round_cents(amount) * FEN)


def share_of(total: int, share: Decimal) -> int:
    return int((Decimal(total) * share).to_integral_value(rounding=ROUND_HALF_UP))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def group_of(registration_type: str) -> str:
    """The calibration cell of a registration type: "foreign"-invested, "llc" or other "domestic"."""
    if registration_type in FOREIGN_INVESTED:
        return "foreign"
    return "llc" if registration_type == Reg.LIMITED_LIABILITY else "domestic"


@dataclass(frozen=True, slots=True)
class Market:
    country: str
    weight: float
    entry: int  # first year with exports there
    channel: str  # when no own sales entity is active there
    currency: str


@dataclass(frozen=True, slots=True)
class Site:
    """A foreign establishment."""

    country: str
    city: str
    kind: str
    ownership: Decimal
    opened: date
    closed: date | None
    employees: int

    def active_on(self, day: date) -> bool:
        return self.opened <= day and (self.closed is None or self.closed > day)

    @property
    def sells(self) -> bool:
        """An own sales or manufacturing entity: exports to its country go "via subsidiary"."""
        return self.kind in SUBSIDIARY_KINDS


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One export record: its value in its invoice currency."""

    year: int
    country: str
    channel: str
    currency: str
    value: Decimal

    def cny(self, rates: RateTable) -> Decimal:
        return self.value if self.currency == "CNY" else self.value * rates[(self.currency, self.year)]


@dataclass(frozen=True, slots=True)
class AnnualFigures:
    """One annual report; amounts in fen."""

    year: int
    revenue_total: int
    revenue_foreign: int
    assets_total: int
    assets_foreign: int
    employees_total: int
    employees_foreign: int
    imports_total: int
    domestic_scope: str


@dataclass(frozen=True, slots=True)
class PctFiling:
    """A showcase firm's own PCT filing (drawn firms' titles are drawn)."""

    filed: date
    title: str


@dataclass(frozen=True, slots=True)
class PctPlan:
    number: str
    filed: date
    title: str
    publication_number: str
    national_phase: tuple[str, ...]  # office codes
    national_phase_date: date  # 30 months after filing: when the national-phase fees fall due


@dataclass(frozen=True, slots=True)
class CertificatePlan:
    scheme: str
    number: str
    issuer: str
    issued: date
    expires: date | None
    scheme_other: str = ""
    target_market: str = ""


@dataclass(frozen=True, slots=True)
class PublicationPlan:
    title: str
    venue: str
    country: str
    year: int


@dataclass(frozen=True, slots=True)
class ExpensePlan:
    category: str
    day: date
    amount: int  # fen
    description: str
    provider: str

    @property
    def key(self) -> tuple:
        """What makes two expenses the same one."""
        return (self.category, self.day, self.amount, self.provider)


@dataclass(slots=True, eq=False)
class FirmPlan:
    index: int
    uscc: str
    name_zh: str
    name_en: str
    registration_type: str
    industry: str
    founded: date
    district: str = "110108"
    big: bool = False  # revenue ≥ 1 billion CNY every year
    large: bool = False  # ≥ 1,000 employees as well: not an SME
    account: str = ""  # "firm1"/"firm2": a showcase firm with hand-written figures
    size: float = 1.0
    growth: float = 1.1
    export_from: int | None = None
    import_from: int | None = None
    export_weight: float = 0.0
    import_weight: float = 0.0
    pct_weight: float = 0.0
    stage: int = 0
    markets: list[Market] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    imports: dict[int, int] = field(default_factory=dict)  # year -> fen
    exports: dict[int, int] = field(default_factory=dict)  # year -> fen (before currency conversion)
    export_rows: list[ExportRow] = field(default_factory=list)
    reports: list[AnnualFigures] = field(default_factory=list)
    pct_filings: list[PctFiling] = field(default_factory=list)  # showcase firms: their own filings
    pct: list[PctPlan] = field(default_factory=list)
    certifications: list[CertificatePlan] = field(default_factory=list)
    publications: list[PublicationPlan] = field(default_factory=list)
    expenses: list[ExpensePlan] = field(default_factory=list)

    @property
    def group(self) -> str:
        return group_of(self.registration_type)

    @property
    def fixed(self) -> bool:
        return bool(self.account)

    @property
    def first_year(self) -> int:
        return max(YEARS[0], self.founded.year)

    def trades(self, flow: str, year: int) -> bool:
        start = self.export_from if flow == EXPORTS else self.import_from
        return start is not None and start <= year

    def flow(self, flow: str) -> dict[int, int]:
        """The firm's imports or exports: year -> fen."""
        return self.exports if flow == EXPORTS else self.imports

    def propensity(self, flow: str) -> float:
        return self.export_weight if flow == EXPORTS else self.import_weight

    def active_sites(self, year: int) -> list[Site]:
        """The establishments open at the end of `year`."""
        year_end = date(year, 12, 31)
        return [s for s in self.sites if s.active_on(year_end)]
