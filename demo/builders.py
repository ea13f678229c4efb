"""The demo firm population, built in memory without the database (`seed_demo` writes it).

`plan_population` draws N firms and their 2009-2014 records from one `random.Random` (nothing else is
random, nothing depends on the clock), calibrated to demo.calibration; `enterprise_of` and `firm_rows`
turn a planned firm into unsaved model instances. Same seed and N → the same plan.

How the zone aggregates come out exact, for any N and seed
----------------------------------------------------------
* Every target is a whole number of fen: a Table 1 figure (billion USD) * that year's USD rate.
* A year's imports, and separately its exports, are split into cells: domestic LLC / other domestic /
  foreign-invested (domestic imports = 49.5 % of imports; domestic trade = 51.8 % of trade, in 2014
  exactly the printed 51.581 billion USD; LLCs = 50 % of domestic), each cell into firms with revenue
  ≥ 1 billion CNY ("big", 88 % of imports, 86 % of exports) and the others.
* `allocate` splits a cell among its active firms in proportion to random weights (size * growth *
  trade propensity * noise) in whole fen and puts the rounding residue on the largest share, so each
  cell -- hence each year -- sums to its target to the fen. Small firms are capped (exports ≤ 800 M CNY,
  imports ≤ 900 M) so they stay below 1 billion revenue while revenue_foreign ≥ exports; what does not
  fit under the caps goes to the cell's big firms (only for small N: then the big share exceeds 88 %).
* A firm's yearly exports are split over its active markets the same way. Some records are invoiced in
  USD/EUR/JPY/HKD: value = the CNY amount / the rate, rounded; the conversion residue (< 1 fen a record)
  is put back on the year's largest CNY record -- separately for America+Southeast Asia and the rest.
* In 2014 the America+Southeast Asia part of each firm that sells both there and elsewhere is tilted by
  one common factor (firm totals unchanged) so that this region's exports are 0.11 billion USD above 2013.
* PCT filings per year are fixed counts (2012: 333) distributed over the filing firms.
* "Large" firms (≥ 1,000 employees, revenue ≥ 400 M) are 3.5 % of N; every other firm has < 1,000
  employees, so ≥ 95 % are SMEs every year.
"""

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from demo import calibration as cal
from demo import vocabulary as voc
from enterprises.models import (
    FOREIGN_INVESTED,
    AnnualReport,
    Certification,
    CertificationScheme,
    DomesticScope,
    Enterprise,
    Establishment,
    Expense,
    ExportRecord,
    PctApplication,
    Publication,
)
from enterprises.models import EstablishmentKind as Kind
from enterprises.models import ExpenseCategory as Cat
from enterprises.models import ExportChannel as Channel
from enterprises.models import IndustryGroup as Ind
from enterprises.models import RegistrationType as Reg
from enterprises.validators import organization_code_check_digit, uscc_check_character
from reference.rates import RateTable

MIN_FIRMS = 10
FEN = 100
YEARS = cal.YEARS
FIRST_DAY = date(YEARS[0], 1, 1)
LAST_DAY = date(YEARS[-1], 12, 31)

BIG_FIRM_SHARE = 0.06  # firms with revenue ≥ 1 billion CNY
LARGE_FIRM_SHARE = 0.035  # of which ≥ 1,000 employees: not SMEs
SMALL_EXPORT_CAP = 800_000_000 * FEN
SMALL_IMPORT_CAP = 900_000_000 * FEN
SMALL_REVENUE_MAX = 990_000_000 * FEN
BIG_REVENUE_MIN = 1_010_000_000 * FEN
SMALL_EMPLOYEES_MAX = 950

SUBSIDIARY_KINDS = (Kind.SALES, Kind.MANUFACTURING)  # an active one makes exports there "via subsidiary"
GROWING_MARKETS = ("TW", "AU", "IN", *sorted(cal.SOUTHEAST_ASIA))
TECH_INDUSTRIES = (
    Ind.ELECTRONIC_INFORMATION,
    Ind.BIOPHARMACEUTICAL,
    Ind.AEROSPACE,
    Ind.NEW_MATERIALS,
    Ind.NEW_ENERGY,
    Ind.ADVANCED_MANUFACTURING,
)

SMALL_REGISTRATION = [
    (Reg.LIMITED_LIABILITY, 38),
    (Reg.PRIVATE, 27),
    (Reg.JOINT_STOCK, 8),
    (Reg.STATE_OWNED, 2),
    (Reg.COLLECTIVE, 1),
    (Reg.JOINT_VENTURE, 9),
    (Reg.WHOLLY_FOREIGN, 10),
    (Reg.HMT, 5),
]
BIG_REGISTRATION = {
    "foreign": [(Reg.JOINT_VENTURE, 40), (Reg.WHOLLY_FOREIGN, 45), (Reg.HMT, 15)],
    "llc": [(Reg.LIMITED_LIABILITY, 1)],
    "domestic": [(Reg.JOINT_STOCK, 50), (Reg.STATE_OWNED, 35), (Reg.PRIVATE, 10), (Reg.COLLECTIVE, 5)],
}
INDUSTRIES = [
    (Ind.ELECTRONIC_INFORMATION, 38),
    (Ind.BIOPHARMACEUTICAL, 12),
    (Ind.AEROSPACE, 4),
    (Ind.NEW_MATERIALS, 9),
    (Ind.NEW_ENERGY, 8),
    (Ind.HIGH_TECH_SERVICES, 17),
    (Ind.ADVANCED_MANUFACTURING, 9),
    (Ind.OTHER, 3),
]
FOUNDING_YEARS = [(y, 1 if y < 1998 else 3 if y < 2005 else 4 if y < 2010 else 2.5) for y in range(1988, 2014)]
STAGES = {True: [(1, 5), (2, 25), (3, 45), (4, 25)], False: [(1, 40), (2, 38), (3, 18), (4, 4)]}
FIRST_SITE_KINDS = [(Kind.SALES, 55), (Kind.REPRESENTATIVE, 25), (Kind.SERVICE, 12), (Kind.RND, 8)]
MORE_SITE_KINDS = [(Kind.SALES, 40), (Kind.REPRESENTATIVE, 20), (Kind.SERVICE, 20), (Kind.RND, 20)]
SITE_EMPLOYEES = {
    Kind.REPRESENTATIVE: (1, 4),
    Kind.SALES: (2, 25),
    Kind.SERVICE: (2, 20),
    Kind.RND: (3, 40),
    Kind.MANUFACTURING: (20, 300),
}
OPEN_ENDED_SCHEMES = (
    CertificationScheme.CE,
    CertificationScheme.FDA_510K,
    CertificationScheme.UL,
    "REACH registration",
    "IEC 61215",
)


class CalibrationError(RuntimeError):
    """The population cannot meet a calibration target (only conceivable for a tiny N)."""


# --- small helpers ---------------------------------------------------------------------------------


def allocate(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> tuple[list[int], int]:
    """Split `total` (an integer, e.g. fen) in proportion to `weights` (> 0), none above its cap.

    Returns (amounts, overflow): whole amounts summing to exactly `total - overflow`; overflow is what
    did not fit under the caps (0 unless every weight is capped). The rounding residue goes to the
    largest amount (which may then pass its cap by a few units).
    """
    n = len(weights)
    amounts = [0] * n
    if n == 0 or total <= 0:
        return amounts, max(total, 0) if n == 0 else 0
    free = list(range(n))
    remaining = total
    if caps is not None:  # water-filling: firms saturate in the order of cap / weight
        free.sort(key=lambda i: caps[i] / weights[i])
        weight_left = math.fsum(weights)
        k = 0
        while k < n and remaining * weights[free[k]] >= caps[free[k]] * weight_left:
            i = free[k]
            amounts[i] = caps[i]
            remaining -= caps[i]
            weight_left -= weights[i]
            k += 1
        free = free[k:]
        if not free:
            return amounts, remaining
    weight_left = math.fsum(weights[i] for i in free)
    for i in free:
        amounts[i] = int(remaining * weights[i] / weight_left)
    largest = max(free, key=lambda i: (amounts[i], -i))
    amounts[largest] += remaining - sum(amounts[i] for i in free)
    return amounts, 0


def fen_to_decimal(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def decimal_to_fen(amount: Decimal) -> int:
    return int(cal.round_cents(amount) * FEN)


def share_of(total: int, share: Decimal) -> int:
    return int((Decimal(total) * share).to_integral_value(rounding=ROUND_HALF_UP))


def weighted(rng: random.Random, pairs: Sequence[tuple]) -> object:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def random_date(rng: random.Random, start: date, end: date) -> date:
    if end < start:
        return end
    return date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def trend(country: str, year: int) -> float:
    """Taiwan, Australia, India and Southeast Asia grow as destinations (reference/paper_facts.md)."""
    return 1.1 ** (year - YEARS[0]) if country in GROWING_MARKETS else 1.0


def group_of(registration_type: str) -> str:
    if registration_type in FOREIGN_INVESTED:
        return "foreign"
    return "llc" if registration_type == Reg.LIMITED_LIABILITY else "domestic"


# --- the plan ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Market:
    country: str
    weight: float
    entry: int  # first year with exports there
    channel: str  # when no own sales entity is active there
    currency: str


@dataclass(slots=True)
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
    export_rows: list[list] = field(default_factory=list)  # [year, country, channel, currency, Decimal value]
    reports: list[dict] = field(default_factory=list)
    pct_filings: list[tuple[date, str]] = field(default_factory=list)  # showcase firms: their own filings
    pct: list[dict] = field(default_factory=list)
    certifications: list[dict] = field(default_factory=list)
    publications: list[dict] = field(default_factory=list)
    expenses: list[dict] = field(default_factory=list)

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
        start = self.export_from if flow == "exports" else self.import_from
        return start is not None and start <= year


class Namer:
    """Unique Chinese/English names and unified social credit codes."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def register(self, name_zh: str, uscc: str) -> None:
        self.names.add(name_zh)
        self.codes.add(uscc[8:16])

    def name(self, rng: random.Random, industry: str, registration_type: str) -> tuple[str, str]:
        form_zh, form_en = voc.LEGAL_FORMS[registration_type]
        for attempt in range(50):
            parts = rng.sample(voc.BRAND_CHARACTERS, 3 if attempt >= 10 else 2)
            word_zh, word_en = rng.choice(voc.INDUSTRY_WORDS[industry])
            name_zh = "北京" + "".join(p[0] for p in parts) + word_zh + form_zh
            if name_zh not in self.names:
                self.names.add(name_zh)
                return name_zh, f"Beijing {''.join(p[1] for p in parts).capitalize()} {word_en} {form_en}"
        raise CalibrationError("ran out of firm names")  # pragma: no cover

    def uscc(self, rng: random.Random, district: str) -> str:
        while True:
            code = f"{rng.randint(10_000_000, 89_999_999)}"
            if code not in self.codes:
                self.codes.add(code)
                return make_uscc(district, code)


def make_uscc(district: str, organization_code8: str) -> str:
    first17 = "91" + district + organization_code8 + organization_code_check_digit(organization_code8)
    return first17 + uscc_check_character(first17)


def plan_population(
    *, rng: random.Random, n_firms: int, rates: RateTable, progress: Callable[[str], None] | None = None
) -> list[FirmPlan]:
    """N planned firms: the two showcase firms (firm1, firm2) first, then N - 2 drawn ones."""
    if n_firms < MIN_FIRMS:
        raise ValueError(f"at least {MIN_FIRMS} firms")
    say = progress or (lambda message: None)
    namer = Namer()
    firms = showcase_firms(namer)
    firms += draw_firms(rng, namer, n_firms - len(firms))
    say(f"planned {len(firms)} firms")
    for year in YEARS:
        allocate_trade(rng, firms, year, rates)
    split_exports(rng, firms, rates)
    say("calibrated imports and exports 2009-2014")
    for firm in firms:
        if not firm.fixed:
            plan_reports(rng, firm)
    plan_pct_applications(rng, firms)
    for firm in firms:
        if not firm.fixed:
            plan_certifications(rng, firm)
            plan_publications(rng, firm)
        plan_expenses(rng, firm)
    say("planned patents, certifications, publications and expenses")
    return firms


def draw_firms(rng: random.Random, namer: Namer, count: int) -> list[FirmPlan]:
    n_total = count + 2
    n_big = max(3, round(BIG_FIRM_SHARE * n_total))
    n_large = min(n_big, int(LARGE_FIRM_SHARE * n_total))
    big_rank = {position: k for k, position in enumerate(rng.sample(range(count), n_big))}
    firms = []
    for position in range(count):
        rank = big_rank.get(position)
        big = rank is not None
        if big:
            registration_type = weighted(rng, BIG_REGISTRATION[("foreign", "llc", "domestic")[rank % 3]])
            founded = random_date(rng, date(1984, 1, 1), date(2004, 12, 31))
        else:
            registration_type = weighted(rng, SMALL_REGISTRATION)
            year = weighted(rng, FOUNDING_YEARS)
            founded = random_date(rng, date(year, 1, 1), date(year, 12, 31))
        industry = weighted(rng, INDUSTRIES)
        district = weighted(rng, voc.DISTRICTS)
        name_zh, name_en = namer.name(rng, industry, registration_type)
        firm = FirmPlan(
            index=position + 2,
            uscc=namer.uscc(rng, district),
            name_zh=name_zh,
            name_en=name_en,
            registration_type=registration_type,
            industry=industry,
            founded=founded,
            district=district,
            big=big,
            large=big and rank < n_large,
        )
        draw_profile(rng, firm)
        firms.append(firm)
    return firms


def draw_profile(rng: random.Random, firm: FirmPlan) -> None:
    foreign = firm.group == "foreign"
    firm.size = rng.lognormvariate(0, 0.8 if firm.big else 1.2)
    firm.growth = rng.lognormvariate(math.log(1.13), 0.06)
    first = firm.first_year

    def start(probability: float) -> int | None:
        if not firm.big and rng.random() >= probability:
            return None
        return first if firm.big or rng.random() < 0.75 else rng.randint(first, YEARS[-1])

    firm.export_from = start(0.7 if foreign else 0.4)
    firm.import_from = start(0.7 if foreign else 0.35)
    firm.export_weight = rng.lognormvariate(0, 0.7)
    firm.import_weight = rng.lognormvariate(0, 0.7)
    if firm.big:
        firm.pct_weight = firm.size * (3.0 if firm.industry in TECH_INDUSTRIES else 1.0)
    elif rng.random() < (0.08 if firm.industry in TECH_INDUSTRIES else 0.03):
        firm.pct_weight = rng.lognormvariate(-1, 1.0) * math.sqrt(firm.size)
    if firm.export_from is not None:
        draw_markets(rng, firm)


def draw_markets(rng: random.Random, firm: FirmPlan) -> None:
    firm.stage = weighted(rng, STAGES[firm.big])
    count = rng.randint(5, 16) if firm.big else weighted(rng, [(1, 35), (2, 30), (3, 18), (4, 10), (5, 7)])
    hmt_bias = firm.registration_type == Reg.HMT
    keyed = []
    for country, weight in voc.DESTINATIONS.items():
        if hmt_bias and country in voc.HMT_MARKETS:
            weight *= 4
        keyed.append((rng.random() ** (1.0 / weight), country, weight))  # weighted sampling, no repeats
    keyed.sort(reverse=True)
    invoice_local = rng.random() < (0.35 if firm.group == "foreign" else 0.15)
    start = firm.export_from
    for k, (_key, country, weight) in enumerate(keyed[:count]):
        if firm.stage == 1:
            channel = Channel.DIRECT
        elif firm.stage == 2:
            channel = Channel.AGENT if rng.random() < 0.8 else Channel.DIRECT
        else:
            channel = Channel.AGENT if rng.random() < 0.6 else Channel.DIRECT
        currency = "CNY"
        if invoice_local:
            currency = voc.LOCAL_CURRENCY.get(country, "USD" if rng.random() < 0.5 else "CNY")
        entry = start if k == 0 or rng.random() < 0.55 else rng.randint(start, YEARS[-1])
        firm.markets.append(Market(country, weight * rng.lognormvariate(0, 0.8), entry, channel, currency))
    if firm.stage >= 3:
        draw_sites(rng, firm)


def draw_sites(rng: random.Random, firm: FirmPlan) -> None:
    scale = 4 if firm.big else 1
    earliest = max(firm.founded + timedelta(days=180), date(2003, 1, 1))
    latest = date(YEARS[-1], 11, 30)

    def add(country: str, kind: str) -> None:
        if any(s.country == country and s.kind == kind for s in firm.sites):
            return
        low, high = SITE_EMPLOYEES[kind]
        opened = random_date(rng, min(earliest, latest), latest)
        closed = None
        if rng.random() < 0.08:
            closed = opened + timedelta(days=rng.randint(180, 2000))
            closed = None if closed > LAST_DAY else closed
        if kind == Kind.REPRESENTATIVE or rng.random() < 0.7:
            ownership = Decimal(100)
        elif rng.random() < 0.83:
            ownership = Decimal(rng.randint(5100, 9900)).scaleb(-2)
        else:
            ownership = Decimal(rng.randint(2000, 5000)).scaleb(-2)
        firm.sites.append(
            Site(
                country,
                rng.choice(voc.CITIES[country]),
                kind,
                ownership,
                opened,
                closed,
                rng.randint(low, high * scale),
            )
        )

    ranked = sorted(firm.markets, key=lambda m: -m.weight)
    n_sites = rng.randint(1, min(4, len(ranked))) if firm.big else 1
    for k, market in enumerate(ranked[:n_sites]):
        add(market.country, weighted(rng, FIRST_SITE_KINDS if k == 0 else MORE_SITE_KINDS))
    if firm.stage == 4:
        served = [m.country for m in firm.markets if m.country in voc.MANUFACTURING_COUNTRIES]
        country = rng.choice(served) if served else rng.choice(voc.MANUFACTURING_COUNTRIES)
        if not served:
            firm.markets.append(
                Market(
                    country,
                    voc.DESTINATIONS[country] * rng.lognormvariate(0, 0.8),
                    rng.randint(firm.export_from, YEARS[-1]),
                    Channel.AGENT,
                    "CNY",
                )
            )
        add(country, Kind.MANUFACTURING)


# --- calibration ---------------------------------------------------------------------------------------


def year_targets(year: int, rates: RateTable) -> dict[str, int]:
    """The year's zone imports and exports and domestic firms' imports and exports, in fen."""
    usd = rates[("USD", year)]
    imports_b, exports_b = cal.TABLE1[year]
    imports = decimal_to_fen(cal.billion_usd_to_cny(imports_b, usd))
    exports = decimal_to_fen(cal.billion_usd_to_cny(exports_b, usd))
    domestic_trade = decimal_to_fen(cal.billion_usd_to_cny(cal.domestic_trade(year), usd))
    domestic_imports = share_of(imports, cal.DOMESTIC_IMPORTS_SHARE)
    return {
        "imports": imports,
        "exports": exports,
        "domestic_imports": domestic_imports,
        "domestic_exports": domestic_trade - domestic_imports,
    }


def allocate_trade(rng: random.Random, firms: list[FirmPlan], year: int, rates: RateTable) -> None:
    targets = year_targets(year, rates)
    t = year - YEARS[0]
    for flow, big_share, cap in (
        ("imports", cal.BIG_FIRMS_IMPORTS_SHARE, SMALL_IMPORT_CAP),
        ("exports", cal.BIG_FIRMS_EXPORTS_SHARE, SMALL_EXPORT_CAP),
    ):
        total, domestic = targets[flow], targets[f"domestic_{flow}"]
        llc = share_of(domestic, cal.LLC_SHARE_OF_DOMESTIC)
        cells = {"llc": llc, "domestic": domestic - llc, "foreign": total - domestic}
        for group, cell_total in cells.items():
            members = [f for f in firms if f.group == group]
            fixed = sum(getattr(f, flow).get(year, 0) for f in members if f.fixed)
            big = [f for f in members if f.big and f.trades(flow, year)]
            small = [f for f in members if not f.big and not f.fixed and f.trades(flow, year)]
            big_target = share_of(cell_total, big_share)
            small_target = cell_total - big_target - fixed
            propensity = "import_weight" if flow == "imports" else "export_weight"
            weights = [f.size * f.growth**t * getattr(f, propensity) * rng.lognormvariate(0, 0.15) for f in small]
            amounts, overflow = allocate(small_target, weights, [cap] * len(small))
            for firm, amount in zip(small, amounts, strict=True):
                getattr(firm, flow)[year] = amount
            big_target += overflow
            if not big or big_target < 0:
                raise CalibrationError(f"no room for the {group} {flow} of {year}")
            weights = [f.size * f.growth**t * getattr(f, propensity) * rng.lognormvariate(0, 0.15) for f in big]
            amounts, _ = allocate(big_target, weights)
            for firm, amount in zip(big, amounts, strict=True):
                getattr(firm, flow)[year] = amount


def export_channel(firm: FirmPlan, market: Market, year: int) -> str:
    year_end = date(year, 12, 31)
    for site in firm.sites:
        if site.country == market.country and site.kind in SUBSIDIARY_KINDS and site.active_on(year_end):
            return Channel.SUBSIDIARY
    return market.channel


def split_exports(rng: random.Random, firms: list[FirmPlan], rates: RateTable) -> None:
    """Export records of every firm and year; see the module docstring for the calibration."""
    america_sea_usd = Decimal(0)
    for year in YEARS:
        rows: list[list] = []
        plans = []
        for firm in firms:
            if firm.fixed:
                rows.extend(row for row in firm.export_rows if row[0] == year)
                continue
            amount = firm.exports.get(year, 0)
            if amount <= 0:
                continue
            markets = [m for m in firm.markets if m.entry <= year]
            weights = [m.weight * trend(m.country, year) * rng.lognormvariate(0, 0.1) for m in markets]
            plans.append((firm, markets, weights, amount))
        if year == YEARS[-1]:
            target_usd = america_sea_usd + cal.AMERICA_SEA_GROWTH_2014 * cal.BILLION
            target = decimal_to_fen(target_usd * rates[("USD", year)])
            fixed = sum(decimal_to_fen(r[4]) for r in rows if r[1] in cal.AMERICA_SEA)
            parts = tilt_america_sea(plans, target - fixed)
        else:
            parts = [None] * len(plans)
        for (firm, markets, weights, amount), part in zip(plans, parts, strict=True):
            pieces = []
            if part is None:
                amounts, _ = allocate(amount, weights)
                pieces = list(zip(markets, amounts, strict=True))
            else:
                for inside in (True, False):
                    chosen = [
                        (m, w)
                        for m, w in zip(markets, weights, strict=True)
                        if (m.country in cal.AMERICA_SEA) == inside
                    ]
                    amounts, _ = allocate(part if inside else amount - part, [w for _m, w in chosen])
                    pieces += [(m, a) for (m, _w), a in zip(chosen, amounts, strict=True)]
            for market, fen in pieces:
                if fen > 0:
                    row = [year, market.country, export_channel(firm, market, year), market.currency, fen]
                    firm.export_rows.append(row)
                    rows.append(row)
        america_sea_usd = convert_currencies(rows, year, rates) / rates[("USD", year)]


def tilt_america_sea(plans: list, target: int) -> list[int]:
    """Per firm, the fen of its exports going to America + Southeast Asia, summing exactly to `target`."""
    natural, shares = 0.0, []
    for _firm, markets, weights, amount in plans:
        inside = math.fsum(w for m, w in zip(markets, weights, strict=True) if m.country in cal.AMERICA_SEA)
        share = inside / math.fsum(weights)
        shares.append(share)
        natural += amount * share
    mixed = [i for i, s in enumerate(shares) if 0 < s < 1]
    if not mixed:
        raise CalibrationError("no firm exports both to America/Southeast Asia and elsewhere in 2014")
    if target >= natural:
        room = math.fsum(plans[i][3] * (1 - shares[i]) for i in mixed)
        tilt = (target - natural) / room if room else math.inf
        tilted = [s + tilt * (1 - s) if 0 < s < 1 else s for s in shares]
    else:
        room = math.fsum(plans[i][3] * shares[i] for i in mixed)
        tilt = (natural - target) / room if room else math.inf
        tilted = [s * (1 - tilt) if 0 < s < 1 else s for s in shares]
    if tilt > 0.95:
        raise CalibrationError("cannot reach the 2014 America + Southeast Asia exports")
    parts = [int(plan[3] * s) for plan, s in zip(plans, tilted, strict=True)]
    biggest = max(mixed, key=lambda i: plans[i][3])
    parts[biggest] += target - sum(parts)
    if not 0 < parts[biggest] < plans[biggest][3]:
        raise CalibrationError("cannot reach the 2014 America + Southeast Asia exports")
    return parts


def convert_currencies(rows: list[list], year: int, rates: RateTable) -> Decimal:
    """Turn the year's fen amounts into values in each row's currency; returns America+SE Asia in CNY.

    The conversion residue (< 1 fen a row) goes back on the largest CNY row of its region (America+SE
    Asia, the rest), so the year's exports, and the region's, stay equal to their targets within a fen.
    Showcase firms' rows are values already and stay as written."""
    residue = {True: Decimal(0), False: Decimal(0)}
    largest: dict[bool, list | None] = {True: None, False: None}
    for row in rows:
        if isinstance(row[4], Decimal):
            continue
        inside = row[1] in cal.AMERICA_SEA
        cny = fen_to_decimal(row[4])
        value = cny
        if row[3] != "CNY":
            rate = rates[(row[3], year)]
            value = (cny / rate).quantize(Decimal(1) if row[3] == "JPY" else cal.CENT, rounding=ROUND_HALF_UP)
            if value > 0:
                residue[inside] += cny - value * rate
            else:
                row[3], value = "CNY", cny
        row[4] = value
        if row[3] == "CNY" and (largest[inside] is None or value > largest[inside][4]):
            largest[inside] = row
    for inside in (True, False):
        row = largest[inside] or largest[not inside]
        if row is not None:
            row[4] += cal.round_cents(residue[inside])
    return sum(
        (row[4] if row[3] == "CNY" else row[4] * rates[(row[3], year)] for row in rows if row[1] in cal.AMERICA_SEA),
        Decimal(0),
    )


# --- annual figures, patents, certificates, publications, expenses --------------------------------------


def plan_reports(rng: random.Random, firm: FirmPlan) -> None:
    per_capita = rng.lognormvariate(math.log(700_000), 0.45)  # CNY revenue per employee
    asset_ratio = rng.uniform(0.5, 1.4)
    if firm.big:
        revenue_2014 = 1.2e9 * rng.lognormvariate(0.6, 0.9)
    else:
        revenue_2014 = min(max(rng.lognormvariate(math.log(18e6), 1.0), 1.5e6), 6e8)
    employees_2014 = max(1100, int(1000 * rng.lognormvariate(math.log(2.5), 0.7)))
    local = not firm.big and firm.export_from is None and rng.random() < 0.15
    for year in range(firm.first_year, YEARS[-1] + 1):
        t = year - YEARS[-1]
        exports, imports = firm.exports.get(year, 0), firm.imports.get(year, 0)
        year_end = date(year, 12, 31)
        active = [s for s in firm.sites if s.active_on(year_end)]
        sells_abroad = any(s.kind in SUBSIDIARY_KINDS for s in active)
        foreign = 0
        if exports:
            # + 1,000 CNY: the currency conversion may move a few fen onto a firm's largest record
            foreign = int(exports * rng.uniform(1.0, 1.25 if sells_abroad else 1.08)) + 1000 * FEN
        base = revenue_2014 * firm.growth**t * rng.lognormvariate(0, 0.05) * FEN
        if firm.big:
            revenue = max(base, foreign * rng.uniform(1.2, 3.0), imports * rng.uniform(1.0, 1.4), BIG_REVENUE_MIN)
        else:
            foreign = min(foreign, SMALL_REVENUE_MAX - 1_000_000 * FEN)
            revenue = min(
                max(base, foreign * rng.uniform(1.15, 3.0), imports * rng.uniform(1.0, 1.3)), SMALL_REVENUE_MAX
            )
        foreign = -(-foreign // FEN) * FEN  # whole yuan, rounded up: never below the exports
        revenue = max(int(revenue) // FEN * FEN, foreign)
        if firm.large:
            employees = max(1000, int(employees_2014 * firm.growth ** (0.6 * t)))
        else:
            employees = min(max(3, int(revenue / FEN / per_capita)), SMALL_EMPLOYEES_MAX)
        employees_foreign = min(sum(s.employees for s in active), employees if firm.large else employees // 2)
        assets = int(revenue * asset_ratio * rng.lognormvariate(0, 0.05)) // FEN * FEN
        assets_foreign = 0
        if active:
            manufacturing = any(s.kind == Kind.MANUFACTURING for s in active)
            assets_foreign = (
                int(assets * min(0.5, 0.02 * len(active) + (0.12 if manufacturing else 0.0) * rng.uniform(0.5, 1.5)))
                // FEN
                * FEN
            )
        firm.reports.append(
            {
                "year": year,
                "revenue_total": revenue,
                "revenue_foreign": foreign,
                "assets_total": assets,
                "assets_foreign": assets_foreign,
                "employees_total": employees,
                "employees_foreign": employees_foreign,
                "imports_total": imports,
                "domestic_scope": DomesticScope.LOCAL if local else DomesticScope.NATIONAL,
            }
        )


def plan_pct_applications(rng: random.Random, firms: list[FirmPlan]) -> None:
    for year in YEARS:
        entries = [(filed, firm, title) for firm in firms for filed, title in firm.pct_filings if filed.year == year]
        candidates = [f for f in firms if not f.fixed and f.pct_weight > 0 and f.founded.year <= year]
        count = cal.PCT_FILINGS[year] - len(entries)
        for firm in rng.choices(candidates, weights=[f.pct_weight for f in candidates], k=count):
            filed = random_date(rng, max(date(year, 1, 1), firm.founded), date(year, 12, 31))
            subject = rng.choice(voc.PCT_SUBJECTS[firm.industry])
            entries.append((filed, firm, f"{rng.choice(voc.PCT_PREFIXES)} {subject}"))
        entries.sort(key=lambda e: (e[0], e[1].index, e[2]))  # serials follow the filing order
        serials = sorted(rng.sample(range(1, 60_000), len(entries)))
        wo_serials = rng.sample(range(1, 100_000), len(entries))
        for (filed, firm, title), serial, wo_serial in zip(entries, serials, wo_serials, strict=True):
            due = add_months(filed, 30)
            offices = [code for code, p in voc.PCT_OFFICES if rng.random() < p] if due <= LAST_DAY else []
            firm.pct.append(
                {
                    "number": f"PCT/CN{year}/{serial:06d}",
                    "filed": filed,
                    "title": title,
                    "publication_number": f"WO {year + 1}/{wo_serial:06d}" if rng.random() < 0.85 else "",
                    "national_phase": offices,
                    "national_phase_date": due,
                }
            )


def plan_certifications(rng: random.Random, firm: FirmPlan) -> None:
    if firm.export_from is not None:
        count = rng.randint(2, 6) if firm.big else weighted(rng, [(0, 30), (1, 35), (2, 20), (3, 10), (4, 5)])
        schemes = voc.CERTIFICATION_SCHEMES[firm.industry]
        chosen = rng.sample(schemes, min(count, len(schemes)))
    else:
        chosen = [CertificationScheme.ISO_9001] if rng.random() < 0.25 else []
    earliest = max(add_years(firm.founded, 1), date(2005, 1, 1))
    for scheme in chosen:
        issued = random_date(rng, min(earliest, date(2014, 12, 15)), date(2014, 12, 15))
        while True:
            add_certificate(rng, firm, scheme, issued)
            expires = firm.certifications[-1]["expires"]
            if expires is None or expires >= LAST_DAY or rng.random() >= 0.7:
                break
            issued = expires + timedelta(days=1)


def add_certificate(rng: random.Random, firm: FirmPlan, scheme: str, issued: date) -> None:
    known = scheme in CertificationScheme.values
    code = scheme if known else CertificationScheme.OTHER
    expires = None if scheme in OPEN_ENDED_SCHEMES else add_years(issued, 3) - timedelta(days=1)
    prefix = "".join(c for c in (scheme if known else scheme.split()[0]) if c.isalnum())[:6].upper()
    firm.certifications.append(
        {
            "scheme": code,
            "scheme_other": "" if known else scheme,
            "number": f"{prefix}-{issued:%y%m}-{rng.randint(10_000, 99_999)}-{len(firm.certifications) + 1}",
            "issuer": rng.choice(voc.CERTIFICATION_ISSUERS[code]),
            "target_market": voc.CERTIFICATION_TARGET.get(code, ""),
            "issued": issued,
            "expires": expires,
        }
    )


def plan_publications(rng: random.Random, firm: FirmPlan) -> None:
    rate = 0.02
    if firm.pct_weight:
        rate = 1.2 if firm.big else 0.3
    if any(s.kind == Kind.RND for s in firm.sites):
        rate += 0.5
    seen = set()
    for year in range(firm.first_year, YEARS[-1] + 1):
        for _ in range(int(rate) + (rng.random() < rate - int(rate))):
            subject = rng.choice(voc.PCT_SUBJECTS[firm.industry])
            title = f"{rng.choice(voc.PUBLICATION_OPENINGS)} {subject}"
            venue, country = rng.choice(voc.VENUES)
            if (title, venue, year) not in seen:
                seen.add((title, venue, year))
                firm.publications.append({"title": title, "venue": venue, "country": country, "year": year})


def plan_expenses(rng: random.Random, firm: FirmPlan) -> None:
    seen = {(e["category"], e["date"], e["amount"], e["provider"]) for e in firm.expenses}

    def add(category: str, day: date, low: int, high: int, description: str, provider: str = "") -> None:
        amount = rng.randint(low, high) * FEN
        provider = provider or rng.choice(voc.PROVIDERS[category])
        key = (category, day, amount, provider)
        if FIRST_DAY <= day <= LAST_DAY and key not in seen:
            seen.add(key)
            firm.expenses.append(
                {"category": category, "date": day, "amount": amount, "provider": provider, "description": description}
            )

    for pct in firm.pct:
        add(Cat.PATENT_FEES, pct["filed"], 9_000, 22_000, f"PCT international filing and search fees, {pct['number']}")
        for office in pct["national_phase"]:
            add(
                Cat.PATENT_FEES,
                pct["national_phase_date"],
                15_000,
                60_000,
                f"National phase entry {office}, {pct['number']}",
            )
    if firm.fixed:
        return
    for cert in firm.certifications:
        low, high = voc.CERTIFICATION_COST.get(cert["scheme"], (15_000, 80_000))
        label = cert["scheme_other"] or CertificationScheme(cert["scheme"]).label
        add(
            Cat.CERTIFICATION,
            cert["issued"] - timedelta(days=rng.randint(10, 90)),
            low,
            high,
            f"{label} certification",
            cert["issuer"],
        )
    for site in firm.sites:
        add(Cat.ESTABLISHMENT, site.opened, 150_000, 2_500_000, f"Set-up of the {site.kind} entity in {site.city}")
    if firm.export_from is None:
        return
    for year in range(firm.export_from, YEARS[-1] + 1):
        year_start = max(date(year, 1, 1), firm.founded)
        if rng.random() < (0.9 if firm.big else 0.35):
            for _ in range(rng.randint(1, 3)):
                add(
                    Cat.EXHIBITION,
                    random_date(rng, year_start, date(year, 12, 31)),
                    *voc.EXPENSE_COST[Cat.EXHIBITION],
                    "Booth and travel",
                )
        for category, p, description in (
            (Cat.TRAINING, 0.1, "Export staff training"),
            (Cat.MARKET_RESEARCH, 0.08, "Foreign market study"),
            (Cat.SERVICES, 0.12, "Legal, tax or consulting services abroad"),
        ):
            if rng.random() < p:
                add(
                    category, random_date(rng, year_start, date(year, 12, 31)), *voc.EXPENSE_COST[category], description
                )


# --- the showcase firms (firm1, firm2) ------------------------------------------------------------------


def showcase_firms(namer: Namer) -> list[FirmPlan]:
    """Two hand-written firms: firm1 at stage 3 (sales subsidiary in Germany, agents in the US),
    firm2 at stage 2 (agents in neighbouring markets; its Hong Kong office closed in 2012)."""
    m = 1_000_000 * FEN  # a million CNY in fen
    firm1 = FirmPlan(
        index=0,
        uscc=make_uscc("110108", "10210736"),
        name_zh="北京中关村智联科技有限公司",
        name_en="Beijing Zhongguancun Zhilian Technology Co., Ltd.",
        registration_type=Reg.LIMITED_LIABILITY,
        industry=Ind.ELECTRONIC_INFORMATION,
        founded=date(2003, 6, 18),
        account="firm1",
        export_from=2009,
        import_from=2009,
        stage=3,
        sites=[
            Site("DE", "Munich", Kind.SALES, Decimal("100.00"), date(2011, 3, 15), None, 14),
            Site("AE", "Dubai", Kind.REPRESENTATIVE, Decimal("100.00"), date(2010, 5, 10), date(2013, 6, 30), 2),
        ],
        pct_filings=[
            (date(2010, 9, 14), "Method and device for low-latency scheduling in industrial wireless sensor networks"),
            (date(2011, 5, 26), "System and method for energy-aware data aggregation in sensor networks"),
            (date(2012, 3, 8), "Apparatus for time synchronisation of wireless field devices"),
            (date(2012, 10, 23), "Method for secure over-the-air firmware updates of sensor nodes"),
            (date(2013, 4, 17), "Method and device for interference detection in 2.4 GHz industrial networks"),
            (date(2013, 11, 5), "System and method for predictive maintenance from vibration sensor data"),
            (date(2014, 2, 19), "Method for adaptive channel hopping in mesh networks"),
            (date(2014, 7, 2), "Apparatus for intrinsically safe wireless gas sensing"),
            (date(2014, 12, 9), "System and method for edge analytics on industrial gateways"),
        ],
        certifications=[
            _cert(CertificationScheme.ISO_9001, "", "CN08/31255", "SGS", "", date(2008, 7, 1), date(2011, 6, 30)),
            _cert(CertificationScheme.ISO_9001, "", "CN11/31255", "SGS", "", date(2011, 7, 1), date(2014, 6, 30)),
            _cert(CertificationScheme.ISO_9001, "", "CN14/31255", "SGS", "", date(2014, 7, 1), date(2017, 6, 30)),
            _cert(CertificationScheme.CE, "", "Z2 10 09 70412 001", "TÜV SÜD", "", date(2010, 9, 15), None),
            _cert(CertificationScheme.ISO_27001, "", "IS 612884", "BSI", "", date(2013, 4, 10), date(2016, 4, 9)),
            _cert(CertificationScheme.UL, "", "E471203", "UL LLC", "US", date(2014, 2, 20), None),
        ],
        publications=[
            {
                "title": "Low-latency scheduling for industrial wireless sensor networks",
                "venue": "IEEE International Conference on Communications",
                "country": "CA",
                "year": 2012,
            },
            {
                "title": "Energy-aware data aggregation in dense sensor deployments",
                "venue": "IEEE Sensors Journal",
                "country": "US",
                "year": 2013,
            },
            {
                "title": "Field results on wireless condition monitoring in steel plants",
                "venue": "Ad Hoc Networks",
                "country": "NL",
                "year": 2014,
            },
        ],
    )
    exports1 = {  # (country, channel, million CNY)
        2009: [("US", "agent", "7.2"), ("DE", "agent", "5.6"), ("JP", "direct", "3.1"), ("HK", "direct", "2.4")],
        2010: [
            ("US", "agent", "9.8"),
            ("DE", "agent", "8.3"),
            ("JP", "direct", "4.2"),
            ("HK", "direct", "3.1"),
            ("AE", "direct", "1.2"),
        ],
        2011: [
            ("US", "agent", "13.9"),
            ("DE", "subsidiary", "12.6"),
            ("JP", "direct", "5.3"),
            ("HK", "direct", "3.9"),
            ("AE", "direct", "2.1"),
        ],
        2012: [
            ("US", "agent", "18.4"),
            ("DE", "subsidiary", "17.9"),
            ("FR", "agent", "3.6"),
            ("JP", "direct", "6.2"),
            ("HK", "direct", "4.3"),
            ("AE", "direct", "2.4"),
        ],
        2013: [
            ("US", "agent", "23.8"),
            ("DE", "subsidiary", "23.4"),
            ("FR", "agent", "5.1"),
            ("GB", "agent", "2.9"),
            ("JP", "direct", "6.8"),
            ("HK", "direct", "4.7"),
            ("AE", "direct", "1.3"),
        ],
        2014: [
            ("US", "agent", "29.6"),
            ("DE", "subsidiary", "28.9"),
            ("FR", "agent", "6.8"),
            ("GB", "agent", "4.6"),
            ("JP", "direct", "7.1"),
            ("HK", "direct", "5.2"),
            ("SG", "direct", "2.3"),
        ],
    }
    reports1 = [  # revenue total/foreign, assets total/foreign (million CNY), employees total/abroad, imports
        (2009, "118.4", "21.3", "96.0", "0", 310, 0, "9.8"),
        (2010, "156.9", "30.5", "121.0", "0.4", 352, 2, "12.4"),
        (2011, "203.5", "46.8", "158.0", "6.2", 405, 10, "16.9"),
        (2012, "262.7", "64.9", "201.0", "9.8", 468, 12, "21.3"),
        (2013, "331.2", "86.4", "249.0", "13.5", 540, 12, "28.7"),
        (2014, "418.6", "109.7", "305.0", "18.9", 612, 14, "36.2"),
    ]
    firm1.expenses = [
        _expense(
            Cat.ESTABLISHMENT,
            date(2010, 5, 10),
            "420000",
            "Set-up of the representative office in Dubai",
            "Atlas Incorporation Services",
        ),
        _expense(
            Cat.ESTABLISHMENT,
            date(2011, 3, 15),
            "1850000",
            "Set-up of the sales subsidiary in Munich",
            "Euro-China Business Services GmbH",
        ),
        _expense(
            Cat.MARKET_RESEARCH,
            date(2010, 8, 20),
            "160000",
            "German industrial automation market study",
            "EuroMarket Analytics",
        ),
        _expense(Cat.CERTIFICATION, date(2010, 8, 30), "138000", "CE type examination", "TÜV SÜD"),
        _expense(Cat.CERTIFICATION, date(2011, 6, 10), "52000", "ISO 9001 recertification audit", "SGS"),
        _expense(Cat.CERTIFICATION, date(2013, 3, 18), "96000", "ISO/IEC 27001 certification audit", "BSI"),
        _expense(Cat.CERTIFICATION, date(2014, 1, 28), "185000", "UL listing", "UL LLC"),
        _expense(Cat.CERTIFICATION, date(2014, 6, 12), "55000", "ISO 9001 recertification audit", "SGS"),
        _expense(Cat.EXHIBITION, date(2012, 3, 6), "268000", "Booth at CeBIT", "CeBIT, Hannover"),
        _expense(Cat.EXHIBITION, date(2013, 3, 5), "295000", "Booth at CeBIT", "CeBIT, Hannover"),
        _expense(Cat.EXHIBITION, date(2014, 1, 7), "342000", "Booth at CES", "CES, Las Vegas"),
        _expense(Cat.EXHIBITION, date(2014, 4, 7), "310000", "Booth at Hannover Messe", "Hannover Messe"),
        _expense(
            Cat.TRAINING,
            date(2012, 9, 12),
            "36000",
            "Export control and EU product law training",
            "Export Compliance Training Institute",
        ),
        _expense(
            Cat.SERVICES, date(2011, 2, 22), "210000", "German company law and tax advice", "Sino-Euro Legal Consulting"
        ),
        _expense(Cat.SERVICES, date(2014, 5, 15), "88000", "US distribution agreement review", "Jinghua Law Firm"),
    ]
    _fixed_figures(firm1, exports1, reports1, m)

    firm2 = FirmPlan(
        index=1,
        uscc=make_uscc("110114", "79341852"),
        name_zh="北京华清康达医疗器械有限公司",
        name_en="Beijing Huaqing Kangda Medical Devices Co., Ltd.",
        registration_type=Reg.PRIVATE,
        industry=Ind.BIOPHARMACEUTICAL,
        founded=date(2006, 9, 12),
        district="110114",
        account="firm2",
        export_from=2009,
        import_from=2009,
        stage=2,
        sites=[Site("HK", "Hong Kong", Kind.REPRESENTATIVE, Decimal("100.00"), date(2010, 4, 1), date(2012, 9, 30), 2)],
        pct_filings=[
            (date(2013, 6, 20), "Apparatus for non-invasive haemoglobin measurement"),
            (date(2014, 8, 28), "Method for calibrating portable blood analysers"),
        ],
        certifications=[
            _cert(
                CertificationScheme.ISO_13485, "", "MD 569012", "TÜV SÜD", "", date(2010, 11, 20), date(2013, 11, 19)
            ),
            _cert(
                CertificationScheme.ISO_13485, "", "MD 569012-R1", "TÜV SÜD", "", date(2013, 11, 20), date(2016, 11, 19)
            ),
            _cert(CertificationScheme.ISO_9001, "", "CN11/20417", "SGS", "", date(2011, 3, 1), date(2014, 2, 28)),
            _cert(CertificationScheme.CE, "", "G1 12 05 81233 002", "TÜV SÜD", "", date(2012, 5, 8), None),
        ],
        publications=[
            {
                "title": "Clinical evaluation of a portable haemoglobin meter",
                "venue": "Medical Engineering & Physics",
                "country": "GB",
                "year": 2013,
            },
            {
                "title": "Calibration drift of low-cost blood analysers",
                "venue": "Sensors",
                "country": "CH",
                "year": 2014,
            },
        ],
    )
    exports2 = {
        2009: [("HK", "agent", "1.5"), ("MO", "direct", "0.6")],
        2010: [("HK", "agent", "2.1"), ("MO", "direct", "0.7"), ("VN", "agent", "0.6")],
        2011: [("HK", "agent", "2.6"), ("VN", "agent", "0.9"), ("TW", "agent", "0.7"), ("MO", "direct", "0.5")],
        2012: [
            ("HK", "agent", "3.0"),
            ("VN", "agent", "1.3"),
            ("TW", "agent", "1.1"),
            ("KR", "agent", "0.7"),
            ("MO", "direct", "0.4"),
        ],
        2013: [
            ("HK", "agent", "3.4"),
            ("VN", "agent", "1.7"),
            ("TW", "agent", "1.6"),
            ("KR", "agent", "1.0"),
            ("JP", "agent", "0.5"),
        ],
        2014: [
            ("HK", "agent", "3.9"),
            ("VN", "agent", "2.2"),
            ("TW", "agent", "2.1"),
            ("KR", "agent", "1.3"),
            ("JP", "agent", "0.9"),
            ("MO", "direct", "0.3"),
        ],
    }
    reports2 = [
        (2009, "21.6", "2.6", "18.0", "0", 86, 0, "1.1"),
        (2010, "26.3", "3.9", "21.5", "0.3", 94, 2, "1.4"),
        (2011, "31.8", "5.3", "25.6", "0.3", 108, 2, "1.9"),
        (2012, "39.5", "7.2", "30.9", "0", 122, 0, "2.3"),
        (2013, "48.2", "9.3", "36.8", "0", 139, 0, "2.9"),
        (2014, "57.9", "12.1", "43.5", "0", 158, 0, "3.6"),
    ]
    firm2.expenses = [
        _expense(
            Cat.ESTABLISHMENT,
            date(2010, 4, 1),
            "260000",
            "Set-up of the representative office in Hong Kong",
            "Pacific Corporate Services Ltd.",
        ),
        _expense(Cat.CERTIFICATION, date(2010, 10, 15), "85000", "ISO 13485 certification audit", "TÜV SÜD"),
        _expense(Cat.CERTIFICATION, date(2011, 2, 10), "45000", "ISO 9001 certification audit", "SGS"),
        _expense(Cat.CERTIFICATION, date(2012, 4, 12), "120000", "CE conformity assessment (MDD)", "TÜV SÜD"),
        _expense(Cat.CERTIFICATION, date(2013, 10, 30), "62000", "ISO 13485 recertification audit", "TÜV SÜD"),
        _expense(
            Cat.MARKET_RESEARCH,
            date(2011, 6, 8),
            "80000",
            "Vietnam hospital equipment market study",
            "Asia Pacific Research Partners",
        ),
        _expense(
            Cat.SERVICES,
            date(2012, 11, 20),
            "45000",
            "Distribution agreement with the Taiwan agent",
            "Jinghua Law Firm",
        ),
        _expense(Cat.EXHIBITION, date(2013, 11, 20), "128000", "Booth at MEDICA", "MEDICA, Düsseldorf"),
        _expense(Cat.EXHIBITION, date(2014, 11, 12), "136000", "Booth at MEDICA", "MEDICA, Düsseldorf"),
        _expense(
            Cat.TRAINING,
            date(2013, 5, 16),
            "18000",
            "Medical device regulation training (EU, ASEAN)",
            "Export Compliance Training Institute",
        ),
    ]
    _fixed_figures(firm2, exports2, reports2, m)
    for firm in (firm1, firm2):
        namer.register(firm.name_zh, firm.uscc)
    return [firm1, firm2]


def _cert(scheme, other, number, issuer, target, issued, expires) -> dict:
    return {
        "scheme": scheme,
        "scheme_other": other,
        "number": number,
        "issuer": issuer,
        "target_market": target,
        "issued": issued,
        "expires": expires,
    }


def _expense(category: str, day: date, amount: str, description: str, provider: str) -> dict:
    return {
        "category": category,
        "date": day,
        "amount": int(amount) * FEN,
        "provider": provider,
        "description": description,
    }


def _fixed_figures(firm: FirmPlan, exports: dict, reports: list, million: int) -> None:
    def fen(millions: str) -> int:
        return int(Decimal(millions) * million)

    for year, rows in exports.items():
        for country, channel, value in rows:
            firm.export_rows.append([year, country, channel, "CNY", fen_to_decimal(fen(value))])
        firm.exports[year] = sum(fen(value) for _c, _ch, value in rows)
    for year, rev, rev_f, assets, assets_f, employees, employees_f, imports in reports:
        firm.imports[year] = fen(imports)
        firm.reports.append(
            {
                "year": year,
                "revenue_total": fen(rev),
                "revenue_foreign": fen(rev_f),
                "assets_total": fen(assets),
                "assets_foreign": fen(assets_f),
                "employees_total": employees,
                "employees_foreign": employees_f,
                "imports_total": fen(imports),
                "domestic_scope": DomesticScope.NATIONAL,
            }
        )


# --- model instances --------------------------------------------------------------------------------


def enterprise_of(firm: FirmPlan) -> Enterprise:
    return Enterprise(
        name_zh=firm.name_zh,
        name_en=firm.name_en,
        uscc=firm.uscc,
        registration_type=firm.registration_type,
        industry_group=firm.industry,
        founded=firm.founded,
    )


def firm_rows(firm: FirmPlan, enterprise: Enterprise) -> dict[type, list]:
    """Unsaved records of one firm (`enterprise` must be saved before they are)."""
    d = fen_to_decimal
    return {
        AnnualReport: [
            AnnualReport(
                enterprise=enterprise,
                year=r["year"],
                currency="CNY",
                revenue_total=d(r["revenue_total"]),
                revenue_foreign=d(r["revenue_foreign"]),
                assets_total=d(r["assets_total"]),
                assets_foreign=d(r["assets_foreign"]),
                employees_total=r["employees_total"],
                employees_foreign=r["employees_foreign"],
                imports_total=d(r["imports_total"]),
                domestic_scope=r["domestic_scope"],
            )
            for r in firm.reports
        ],
        ExportRecord: [
            ExportRecord(
                enterprise=enterprise, year=year, destination=country, channel=channel, currency=currency, value=value
            )
            for year, country, channel, currency, value in firm.export_rows
        ],
        Establishment: [
            Establishment(
                enterprise=enterprise,
                country=s.country,
                city=s.city,
                kind=s.kind,
                ownership_pct=s.ownership,
                opened=s.opened,
                closed=s.closed,
                employees=s.employees,
            )
            for s in firm.sites
        ],
        PctApplication: [
            PctApplication(
                enterprise=enterprise,
                number=p["number"],
                filed=p["filed"],
                title=p["title"],
                publication_number=p["publication_number"],
                national_phase=p["national_phase"],
            )
            for p in firm.pct
        ],
        Certification: [Certification(enterprise=enterprise, **c) for c in firm.certifications],
        Publication: [Publication(enterprise=enterprise, **p) for p in firm.publications],
        Expense: [
            Expense(
                enterprise=enterprise,
                category=e["category"],
                description=e["description"],
                currency="CNY",
                amount=d(e["amount"]),
                date=e["date"],
                provider=e["provider"],
            )
            for e in firm.expenses
        ],
    }


# --- evidence ----------------------------------------------------------------------------------------


def evidence_pdf(lines: Sequence[str]) -> bytes:
    """A small valid one-page PDF showing `lines` (deterministic: no dates, no random ids)."""

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 16 Tf", "72 770 Td", f"({escape(lines[0])}) Tj", "/F1 11 Tf"]
    for line in lines[1:]:
        ops += ["0 -20 Td", f"({escape(line)}) Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
