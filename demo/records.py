"""A planned firm's other records: annual figures, PCT applications, certificates, publications, expenses.

PCT filings per year are fixed counts (demo.calibration.PCT_FILINGS; 2012: 333) distributed over the filing
firms. Annual figures follow the calibrated trade: foreign revenue never below the exports, small firms below
1 billion CNY revenue and 1,000 employees.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from demo import calibration as cal
from demo import vocabulary as voc
from demo.draws import random_date, weighted
from demo.plan import (
    FEN,
    FIRST_DAY,
    LAST_DAY,
    YEARS,
    AnnualFigures,
    CertificatePlan,
    ExpensePlan,
    FirmPlan,
    PctPlan,
    PublicationPlan,
    add_months,
    add_years,
)
from enterprises.models import CertificationScheme, DomesticScope
from enterprises.models import EstablishmentKind as Kind
from enterprises.models import ExpenseCategory as Cat

SMALL_REVENUE_MAX = 990_000_000 * FEN
BIG_REVENUE_MIN = 1_010_000_000 * FEN
SMALL_EMPLOYEES_MAX = 950
OPEN_ENDED_SCHEMES = (
    CertificationScheme.CE,
    CertificationScheme.FDA_510K,
    CertificationScheme.UL,
    "REACH registration",
    "IEC 61215",
)
#: export promotion a drawn firm may pay for in a year it exports: category, probability, description
PROMOTION = (
    (Cat.TRAINING, 0.1, "Export staff training"),
    (Cat.MARKET_RESEARCH, 0.08, "Foreign market study"),
    (Cat.SERVICES, 0.12, "Legal, tax or consulting services abroad"),
)


# --- annual figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirmScale:
    """What a drawn firm's annual figures grow from."""

    per_capita: float  # CNY revenue per employee
    asset_ratio: float
    revenue_2014: float  # CNY
    employees_2014: int  # large firms
    local: bool  # sells only in its home province


def plan_reports(rng: random.Random, firm: FirmPlan) -> None:
    scale = _draw_scale(rng, firm)
    for year in range(firm.first_year, YEARS[-1] + 1):
        firm.reports.append(_year_figures(rng, firm, scale, year))


def _draw_scale(rng: random.Random, firm: FirmPlan) -> FirmScale:
    per_capita = rng.lognormvariate(math.log(700_000), 0.45)
    asset_ratio = rng.uniform(0.5, 1.4)
    if firm.big:
        revenue_2014 = 1.2e9 * rng.lognormvariate(0.6, 0.9)
    else:
        revenue_2014 = min(max(rng.lognormvariate(math.log(18e6), 1.0), 1.5e6), 6e8)
    employees_2014 = max(1100, int(1000 * rng.lognormvariate(math.log(2.5), 0.7)))
    local = not firm.big and firm.export_from is None and rng.random() < 0.15
    return FirmScale(per_capita, asset_ratio, revenue_2014, employees_2014, local)


def _year_figures(rng: random.Random, firm: FirmPlan, scale: FirmScale, year: int) -> AnnualFigures:
    t = year - YEARS[-1]
    active = firm.active_sites(year)
    revenue, foreign = _revenue(rng, firm, scale, year, sells_abroad=any(s.sells for s in active))
    if firm.large:
        employees = max(1000, int(scale.employees_2014 * firm.growth ** (0.6 * t)))
    else:
        employees = min(max(3, int(revenue / FEN / scale.per_capita)), SMALL_EMPLOYEES_MAX)
    employees_foreign = min(sum(s.employees for s in active), employees if firm.large else employees // 2)
    assets = int(revenue * scale.asset_ratio * rng.lognormvariate(0, 0.05)) // FEN * FEN
    assets_foreign = 0
    if active:
        manufacturing = any(s.kind == Kind.MANUFACTURING for s in active)
        share = min(0.5, 0.02 * len(active) + (0.12 if manufacturing else 0.0) * rng.uniform(0.5, 1.5))
        assets_foreign = int(assets * share) // FEN * FEN
    return AnnualFigures(
        year=year,
        revenue_total=revenue,
        revenue_foreign=foreign,
        assets_total=assets,
        assets_foreign=assets_foreign,
        employees_total=employees,
        employees_foreign=employees_foreign,
        imports_total=firm.imports.get(year, 0),
        domestic_scope=DomesticScope.LOCAL if scale.local else DomesticScope.NATIONAL,
    )


def _revenue(rng: random.Random, firm: FirmPlan, scale: FirmScale, year: int, *, sells_abroad: bool) -> tuple[int, int]:
    """(revenue, foreign revenue) in whole yuan (as fen): foreign revenue covers the exports, revenue covers
    the foreign revenue and the imports; big firms ≥ BIG_REVENUE_MIN, small ones ≤ SMALL_REVENUE_MAX."""
    t = year - YEARS[-1]
    exports, imports = firm.exports.get(year, 0), firm.imports.get(year, 0)
    foreign = 0
    if exports:
        # + 1,000 CNY: the currency conversion may move a few fen onto a firm's largest record
        foreign = int(exports * rng.uniform(1.0, 1.25 if sells_abroad else 1.08)) + 1000 * FEN
    base = scale.revenue_2014 * firm.growth**t * rng.lognormvariate(0, 0.05) * FEN
    if firm.big:
        revenue = max(base, foreign * rng.uniform(1.2, 3.0), imports * rng.uniform(1.0, 1.4), BIG_REVENUE_MIN)
    else:
        foreign = min(foreign, SMALL_REVENUE_MAX - 1_000_000 * FEN)
        revenue = min(max(base, foreign * rng.uniform(1.15, 3.0), imports * rng.uniform(1.0, 1.3)), SMALL_REVENUE_MAX)
    foreign = -(-foreign // FEN) * FEN  # whole yuan, rounded up: never below the exports
    return max(int(revenue) // FEN * FEN, foreign), foreign


# --- PCT applications ---------------------------------------------------------------------------------


def plan_pct_applications(rng: random.Random, firms: list[FirmPlan]) -> None:
    """Each year's PCT_FILINGS: the showcase firms' own, the rest drawn among the firms that patent."""
    for year in YEARS:
        entries = _pct_entries(rng, firms, year)
        serials = sorted(rng.sample(range(1, 60_000), len(entries)))
        wo_serials = rng.sample(range(1, 100_000), len(entries))
        for (filed, firm, title), serial, wo_serial in zip(entries, serials, wo_serials, strict=True):
            due = add_months(filed, 30)
            offices = tuple(code for code, p in voc.PCT_OFFICES if rng.random() < p) if due <= LAST_DAY else ()
            firm.pct.append(
                PctPlan(
                    number=f"PCT/CN{year}/{serial:06d}",
                    filed=filed,
                    title=title,
                    publication_number=f"WO {year + 1}/{wo_serial:06d}" if rng.random() < 0.85 else "",
                    national_phase=offices,
                    national_phase_date=due,
                )
            )


def _pct_entries(rng: random.Random, firms: list[FirmPlan], year: int) -> list[tuple[date, FirmPlan, str]]:
    """(filed, firm, title) of the year's filings, in filing order (the order of their serial numbers)."""
    entries = [(f.filed, firm, f.title) for firm in firms for f in firm.pct_filings if f.filed.year == year]
    candidates = [f for f in firms if not f.fixed and f.pct_weight > 0 and f.founded.year <= year]
    count = cal.PCT_FILINGS[year] - len(entries)
    for firm in rng.choices(candidates, weights=[f.pct_weight for f in candidates], k=count):
        filed = random_date(rng, max(date(year, 1, 1), firm.founded), date(year, 12, 31))
        subject = rng.choice(voc.PCT_SUBJECTS[firm.industry])
        entries.append((filed, firm, f"{rng.choice(voc.PCT_PREFIXES)} {subject}"))
    entries.sort(key=lambda e: (e[0], e[1].index, e[2]))
    return entries


# --- certificates and publications --------------------------------------------------------------------


def plan_certifications(rng: random.Random, firm: FirmPlan) -> None:
    """Exporters hold a few of their industry's schemes, others at most ISO 9001; most certificates are
    renewed when they expire."""
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
            expires = add_certificate(rng, firm, scheme, issued).expires
            if expires is None or expires >= LAST_DAY or rng.random() >= 0.7:
                break
            issued = expires + timedelta(days=1)


def add_certificate(rng: random.Random, firm: FirmPlan, scheme: str, issued: date) -> CertificatePlan:
    """`scheme`: a CertificationScheme value or the name of another scheme."""
    known = scheme in CertificationScheme.values
    code = scheme if known else CertificationScheme.OTHER
    prefix = "".join(c for c in (scheme if known else scheme.split()[0]) if c.isalnum())[:6].upper()
    certificate = CertificatePlan(
        scheme=code,
        scheme_other="" if known else scheme,
        number=f"{prefix}-{issued:%y%m}-{rng.randint(10_000, 99_999)}-{len(firm.certifications) + 1}",
        issuer=rng.choice(voc.CERTIFICATION_ISSUERS[code]),
        target_market=voc.CERTIFICATION_TARGET.get(code, ""),
        issued=issued,
        expires=None if scheme in OPEN_ENDED_SCHEMES else add_years(issued, 3) - timedelta(days=1),
    )
    firm.certifications.append(certificate)
    return certificate


def plan_publications(rng: random.Random, firm: FirmPlan) -> None:
    """A few papers a year abroad for firms that patent or do research abroad, hardly any for the others."""
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
                firm.publications.append(PublicationPlan(title=title, venue=venue, country=country, year=year))


# --- expenses -----------------------------------------------------------------------------------------


class ExpenseBook:
    """A firm's planned expenses: an amount (and a provider, unless given) drawn for each; duplicates and days
    outside 2009-2014 are left out."""

    def __init__(self, rng: random.Random, firm: FirmPlan) -> None:
        self.rng = rng
        self.firm = firm
        self.seen = {e.key for e in firm.expenses}

    def add(self, category: str, day: date, cost: tuple[int, int], description: str, provider: str = "") -> None:
        """`cost`: the lowest and highest amount in CNY."""
        expense = ExpensePlan(
            category=category,
            day=day,
            amount=self.rng.randint(*cost) * FEN,
            provider=provider or self.rng.choice(voc.PROVIDERS[category]),
            description=description,
        )
        if FIRST_DAY <= day <= LAST_DAY and expense.key not in self.seen:
            self.seen.add(expense.key)
            self.firm.expenses.append(expense)


def plan_expenses(rng: random.Random, firm: FirmPlan) -> None:
    """Patent fees for every firm; for drawn firms also certification, set-up and export promotion costs."""
    book = ExpenseBook(rng, firm)
    _patent_fees(book, firm)
    if firm.fixed:
        return
    _certification_fees(rng, book, firm)
    for site in firm.sites:
        book.add(
            Cat.ESTABLISHMENT, site.opened, (150_000, 2_500_000), f"Set-up of the {site.kind} entity in {site.city}"
        )
    if firm.export_from is not None:
        for year in range(firm.export_from, YEARS[-1] + 1):
            _export_promotion(rng, book, firm, year)


def _patent_fees(book: ExpenseBook, firm: FirmPlan) -> None:
    for pct in firm.pct:
        book.add(Cat.PATENT_FEES, pct.filed, (9_000, 22_000), f"PCT international filing and search fees, {pct.number}")
        for office in pct.national_phase:
            book.add(
                Cat.PATENT_FEES,
                pct.national_phase_date,
                (15_000, 60_000),
                f"National phase entry {office}, {pct.number}",
            )


def _certification_fees(rng: random.Random, book: ExpenseBook, firm: FirmPlan) -> None:
    for cert in firm.certifications:
        label = cert.scheme_other or CertificationScheme(cert.scheme).label
        book.add(
            Cat.CERTIFICATION,
            cert.issued - timedelta(days=rng.randint(10, 90)),
            voc.CERTIFICATION_COST.get(cert.scheme, (15_000, 80_000)),
            f"{label} certification",
            cert.issuer,
        )


def _export_promotion(rng: random.Random, book: ExpenseBook, firm: FirmPlan, year: int) -> None:
    """Exhibitions (most big firms, a third of the others), sometimes training, market studies, advice."""
    year_start = max(date(year, 1, 1), firm.founded)
    if rng.random() < (0.9 if firm.big else 0.35):
        for _ in range(rng.randint(1, 3)):
            day = random_date(rng, year_start, date(year, 12, 31))
            book.add(Cat.EXHIBITION, day, voc.EXPENSE_COST[Cat.EXHIBITION], "Booth and travel")
    for category, probability, description in PROMOTION:
        if rng.random() < probability:
            book.add(
                category, random_date(rng, year_start, date(year, 12, 31)), voc.EXPENSE_COST[category], description
            )
