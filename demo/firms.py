"""Drawing the demo firms: identity, size, trade profile, export markets and foreign establishments.

"Big" firms (revenue ≥ 1 billion CNY) are BIG_FIRM_SHARE of N, at least 3, one in three of each calibration
cell; "large" ones (≥ 1,000 employees, revenue ≥ 400 M) are LARGE_FIRM_SHARE of N, so ≥ 95 % are SMEs.
"""

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from demo import vocabulary as voc
from demo.draws import random_date, weighted
from demo.plan import LAST_DAY, YEARS, CalibrationError, FirmPlan, Market, Site
from enterprises.models import EstablishmentKind as Kind
from enterprises.models import ExportChannel as Channel
from enterprises.models import IndustryGroup as Ind
from enterprises.models import RegistrationType as Reg
from enterprises.validators import build_uscc

BIG_FIRM_SHARE = 0.06  # firms with revenue ≥ 1 billion CNY
LARGE_FIRM_SHARE = 0.035  # of which ≥ 1,000 employees: not SMEs
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
SMALL_MARKET_COUNTS = [(1, 35), (2, 30), (3, 18), (4, 10), (5, 7)]
FIRST_SITE_KINDS = [(Kind.SALES, 55), (Kind.REPRESENTATIVE, 25), (Kind.SERVICE, 12), (Kind.RND, 8)]
MORE_SITE_KINDS = [(Kind.SALES, 40), (Kind.REPRESENTATIVE, 20), (Kind.SERVICE, 20), (Kind.RND, 20)]
SITE_EMPLOYEES = {
    Kind.REPRESENTATIVE: (1, 4),
    Kind.SALES: (2, 25),
    Kind.SERVICE: (2, 20),
    Kind.RND: (3, 40),
    Kind.MANUFACTURING: (20, 300),
}


def make_uscc(district: str, organization_code8: str) -> str:
    return build_uscc(district, organization_code8)


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


# --- firms ---------------------------------------------------------------------------------------------


def draw_firms(rng: random.Random, namer: Namer, count: int) -> list[FirmPlan]:
    """`count` firms after the two showcase firms (indexes 2, 3, ...), each with its profile drawn."""
    n_total = count + 2
    n_big = max(3, round(BIG_FIRM_SHARE * n_total))
    n_large = min(n_big, int(LARGE_FIRM_SHARE * n_total))
    big_rank = {position: k for k, position in enumerate(rng.sample(range(count), n_big))}
    firms = []
    for position in range(count):
        firm = draw_firm(rng, namer, position + 2, big_rank.get(position), n_large)
        draw_profile(rng, firm)
        firms.append(firm)
    return firms


def draw_firm(rng: random.Random, namer: Namer, index: int, big_rank: int | None, n_large: int) -> FirmPlan:
    """A firm's identity; `big_rank` is its place among the big firms (None: not big)."""
    big = big_rank is not None
    if big:
        registration_type = weighted(rng, BIG_REGISTRATION[("foreign", "llc", "domestic")[big_rank % 3]])
        founded = random_date(rng, date(1984, 1, 1), date(2004, 12, 31))
    else:
        registration_type = weighted(rng, SMALL_REGISTRATION)
        year = weighted(rng, FOUNDING_YEARS)
        founded = random_date(rng, date(year, 1, 1), date(year, 12, 31))
    industry = weighted(rng, INDUSTRIES)
    district = weighted(rng, voc.DISTRICTS)
    name_zh, name_en = namer.name(rng, industry, registration_type)
    return FirmPlan(
        index=index,
        uscc=namer.uscc(rng, district),
        name_zh=name_zh,
        name_en=name_en,
        registration_type=registration_type,
        industry=industry,
        founded=founded,
        district=district,
        big=big,
        large=big and big_rank < n_large,
    )


def draw_profile(rng: random.Random, firm: FirmPlan) -> None:
    """Size, growth, when the firm starts to import and export, how much, and how much it patents."""
    foreign = firm.group == "foreign"
    firm.size = rng.lognormvariate(0, 0.8 if firm.big else 1.2)
    firm.growth = rng.lognormvariate(math.log(1.13), 0.06)
    firm.export_from = _trade_start(rng, firm, 0.7 if foreign else 0.4)
    firm.import_from = _trade_start(rng, firm, 0.7 if foreign else 0.35)
    firm.export_weight = rng.lognormvariate(0, 0.7)
    firm.import_weight = rng.lognormvariate(0, 0.7)
    if firm.big:
        firm.pct_weight = firm.size * (3.0 if firm.industry in TECH_INDUSTRIES else 1.0)
    elif rng.random() < (0.08 if firm.industry in TECH_INDUSTRIES else 0.03):
        firm.pct_weight = rng.lognormvariate(-1, 1.0) * math.sqrt(firm.size)
    if firm.export_from is not None:
        draw_markets(rng, firm)


def _trade_start(rng: random.Random, firm: FirmPlan, probability: float) -> int | None:
    """The first year of a trade flow (None: never); big firms trade from their first year."""
    if not firm.big and rng.random() >= probability:
        return None
    first = firm.first_year
    return first if firm.big or rng.random() < 0.75 else rng.randint(first, YEARS[-1])


# --- export markets ------------------------------------------------------------------------------------


def draw_markets(rng: random.Random, firm: FirmPlan) -> None:
    """The firm's stage, its export markets (channel, invoice currency, first year) and, from stage 3, its sites."""
    firm.stage = weighted(rng, STAGES[firm.big])
    count = rng.randint(5, 16) if firm.big else weighted(rng, SMALL_MARKET_COUNTS)
    destinations = _destinations(rng, firm)
    invoice_local = rng.random() < (0.35 if firm.group == "foreign" else 0.15)
    start = firm.export_from
    for k, (country, weight) in enumerate(destinations[:count]):
        channel = _channel(rng, firm.stage)
        currency = _invoice_currency(rng, country) if invoice_local else "CNY"
        entry = start if k == 0 or rng.random() < 0.55 else rng.randint(start, YEARS[-1])
        firm.markets.append(
            Market(
                country=country,
                weight=weight * rng.lognormvariate(0, 0.8),
                entry=entry,
                channel=channel,
                currency=currency,
            )
        )
    if firm.stage >= 3:
        draw_sites(rng, firm)


def _destinations(rng: random.Random, firm: FirmPlan) -> list[tuple[str, float]]:
    """Every destination with its weight, in a weighted random order without repeats (Hong Kong, Macau and
    Taiwan four times as likely for their own firms)."""
    hmt_bias = firm.registration_type == Reg.HMT
    keyed = []
    for country, weight in voc.DESTINATIONS.items():
        if hmt_bias and country in voc.HMT_MARKETS:
            weight *= 4
        keyed.append((rng.random() ** (1.0 / weight), country, weight))
    keyed.sort(reverse=True)
    return [(country, weight) for _key, country, weight in keyed]


def _channel(rng: random.Random, stage: int) -> str:
    if stage == 1:
        return Channel.DIRECT
    return Channel.AGENT if rng.random() < (0.8 if stage == 2 else 0.6) else Channel.DIRECT


def _invoice_currency(rng: random.Random, country: str) -> str:
    """The market's own currency where there is one, else USD or CNY."""
    other = "USD" if rng.random() < 0.5 else "CNY"  # drawn for every market, so the sequence does not depend on it
    return voc.LOCAL_CURRENCY.get(country, other)


# --- foreign establishments ----------------------------------------------------------------------------


def draw_sites(rng: random.Random, firm: FirmPlan) -> None:
    """Sites in the firm's largest markets (big firms up to four); at stage 4 a manufacturing site as well."""
    ranked = sorted(firm.markets, key=lambda m: -m.weight)
    n_sites = rng.randint(1, min(4, len(ranked))) if firm.big else 1
    for k, market in enumerate(ranked[:n_sites]):
        _add_site(rng, firm, market.country, weighted(rng, FIRST_SITE_KINDS if k == 0 else MORE_SITE_KINDS))
    if firm.stage == 4:
        _add_site(rng, firm, _manufacturing_country(rng, firm), Kind.MANUFACTURING)


def _manufacturing_country(rng: random.Random, firm: FirmPlan) -> str:
    """A market the firm serves where manufacturing is usual, or a new market of that kind."""
    served = [m.country for m in firm.markets if m.country in voc.MANUFACTURING_COUNTRIES]
    country = rng.choice(served) if served else rng.choice(voc.MANUFACTURING_COUNTRIES)
    if not served:
        firm.markets.append(
            Market(
                country=country,
                weight=voc.DESTINATIONS[country] * rng.lognormvariate(0, 0.8),
                entry=rng.randint(firm.export_from, YEARS[-1]),
                channel=Channel.AGENT,
                currency="CNY",
            )
        )
    return country


def _add_site(rng: random.Random, firm: FirmPlan, country: str, kind: str) -> None:
    if any(s.country == country and s.kind == kind for s in firm.sites):
        return
    earliest = max(firm.founded + timedelta(days=180), date(2003, 1, 1))
    latest = date(YEARS[-1], 11, 30)
    low, high = SITE_EMPLOYEES[kind]
    opened = random_date(rng, min(earliest, latest), latest)
    closed = _closing(rng, opened)
    ownership = _ownership(rng, kind)
    firm.sites.append(
        Site(
            country=country,
            city=rng.choice(voc.CITIES[country]),
            kind=kind,
            ownership=ownership,
            opened=opened,
            closed=closed,
            employees=rng.randint(low, high * (4 if firm.big else 1)),
        )
    )


def _closing(rng: random.Random, opened: date) -> date | None:
    """8 % of sites close again (those that would close after 2014 are open)."""
    if rng.random() >= 0.08:
        return None
    closed = opened + timedelta(days=rng.randint(180, 2000))
    return None if closed > LAST_DAY else closed


def _ownership(rng: random.Random, kind: str) -> Decimal:
    """Per cent: representative offices and most other sites are wholly owned; the others mostly majority-owned."""
    if kind == Kind.REPRESENTATIVE or rng.random() < 0.7:
        return Decimal(100)
    if rng.random() < 0.83:
        return Decimal(rng.randint(5100, 9900)).scaleb(-2)
    return Decimal(rng.randint(2000, 5000)).scaleb(-2)
