"""The zone's imports and exports shared among the planned firms, to the fen (see demo.population for how).

`allocate_trade` gives each firm its yearly imports and exports; `split_exports` turns each firm's exports
into export records by market and invoice currency.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from demo import calibration as cal
from demo.plan import (
    EXPORTS,
    FEN,
    IMPORTS,
    YEARS,
    CalibrationError,
    ExportRow,
    FirmPlan,
    Market,
    decimal_to_fen,
    fen_to_decimal,
    share_of,
)
from enterprises.models import ExportChannel as Channel
from reference.rates import RateTable

SMALL_EXPORT_CAP = 800_000_000 * FEN
SMALL_IMPORT_CAP = 900_000_000 * FEN
GROWING_MARKETS = ("TW", "AU", "IN", *sorted(cal.SOUTHEAST_ASIA))


@dataclass(frozen=True)
class Flow:
    name: str  # IMPORTS or EXPORTS
    big_share: Decimal  # of each cell, for the firms with revenue ≥ 1 billion CNY
    small_cap: int  # fen a year: small firms stay below 1 billion revenue


FLOWS = (
    Flow(IMPORTS, cal.BIG_FIRMS_IMPORTS_SHARE, SMALL_IMPORT_CAP),
    Flow(EXPORTS, cal.BIG_FIRMS_EXPORTS_SHARE, SMALL_EXPORT_CAP),
)


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


def trend(country: str, year: int) -> float:
    """Taiwan, Australia, India and Southeast Asia grow as destinations (reference/paper_facts.md)."""
    return 1.1 ** (year - YEARS[0]) if country in GROWING_MARKETS else 1.0


# --- imports and exports per firm and year ------------------------------------------------------------


def year_targets(year: int, rates: RateTable) -> dict[str, int]:
    """The year's zone imports and exports and domestic firms' imports and exports, in fen."""
    usd = rates[("USD", year)]
    imports_b, exports_b = cal.TABLE1[year]
    imports = decimal_to_fen(cal.billion_usd_to_cny(imports_b, usd))
    exports = decimal_to_fen(cal.billion_usd_to_cny(exports_b, usd))
    domestic_trade = decimal_to_fen(cal.billion_usd_to_cny(cal.domestic_trade(year), usd))
    domestic_imports = share_of(imports, cal.DOMESTIC_IMPORTS_SHARE)
    return {
        IMPORTS: imports,
        EXPORTS: exports,
        f"domestic_{IMPORTS}": domestic_imports,
        f"domestic_{EXPORTS}": domestic_trade - domestic_imports,
    }


def allocate_trade(rng: random.Random, firms: list[FirmPlan], year: int, rates: RateTable) -> None:
    """Every firm's imports and exports of `year`: each flow split into cells (LLCs, other domestic firms,
    foreign-invested firms), each cell shared among its big and its small firms."""
    targets = year_targets(year, rates)
    for flow in FLOWS:
        total, domestic = targets[flow.name], targets[f"domestic_{flow.name}"]
        llc = share_of(domestic, cal.LLC_SHARE_OF_DOMESTIC)
        cells = {"llc": llc, "domestic": domestic - llc, "foreign": total - domestic}
        for group, cell_total in cells.items():
            _allocate_cell(rng, [f for f in firms if f.group == group], group, cell_total, flow, year)


def _allocate_cell(
    rng: random.Random, members: list[FirmPlan], group: str, cell_total: int, flow: Flow, year: int
) -> None:
    """The small firms share what the big ones and the showcase firms leave, each under the cap; the big
    firms share their part and whatever did not fit under the caps."""
    fixed = sum(f.flow(flow.name).get(year, 0) for f in members if f.fixed)
    big = [f for f in members if f.big and f.trades(flow.name, year)]
    small = [f for f in members if not f.big and not f.fixed and f.trades(flow.name, year)]
    big_target = share_of(cell_total, flow.big_share)
    small_target = cell_total - big_target - fixed
    amounts, overflow = allocate(
        small_target, _trade_weights(rng, small, flow.name, year), [flow.small_cap] * len(small)
    )
    for firm, amount in zip(small, amounts, strict=True):
        firm.flow(flow.name)[year] = amount
    big_target += overflow
    if not big or big_target < 0:
        raise CalibrationError(f"no room for the {group} {flow.name} of {year}")
    amounts, _ = allocate(big_target, _trade_weights(rng, big, flow.name, year))
    for firm, amount in zip(big, amounts, strict=True):
        firm.flow(flow.name)[year] = amount


def _trade_weights(rng: random.Random, firms: list[FirmPlan], flow: str, year: int) -> list[float]:
    """Size * growth since 2009 * trade propensity * noise."""
    t = year - YEARS[0]
    return [f.size * f.growth**t * f.propensity(flow) * rng.lognormvariate(0, 0.15) for f in firms]


# --- export records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportPlan:
    """A drawn firm's exports of one year (fen) and the weights of the markets it has entered."""

    firm: FirmPlan
    markets: list[Market]
    weights: list[float]
    amount: int

    def america_sea_share(self) -> float:
        inside = math.fsum(w for m, w in zip(self.markets, self.weights, strict=True) if m.country in cal.AMERICA_SEA)
        return inside / math.fsum(self.weights)


@dataclass(frozen=True)
class ExportDraft:
    """A drawn firm's exports to one market in one year, in fen, before conversion to the invoice currency."""

    firm: FirmPlan
    year: int
    country: str
    channel: str
    currency: str
    fen: int


def split_exports(rng: random.Random, firms: list[FirmPlan], rates: RateTable) -> None:
    """Export records of every firm and year; see demo.population for the calibration."""
    america_sea_usd = Decimal(0)
    for year in YEARS:
        showcase = [row for firm in firms if firm.fixed for row in firm.export_rows if row.year == year]
        plans = _export_plans(rng, firms, year)
        if year == YEARS[-1]:
            parts = _america_sea_parts(plans, showcase, america_sea_usd, rates)
        else:
            parts = [None] * len(plans)
        drafts = [draft for plan, part in zip(plans, parts, strict=True) for draft in _drafts(plan, part, year)]
        rows = convert_currencies(drafts, year, rates)
        for draft, row in zip(drafts, rows, strict=True):
            draft.firm.export_rows.append(row)
        america_sea = sum((row.cny(rates) for row in [*showcase, *rows] if row.country in cal.AMERICA_SEA), Decimal(0))
        america_sea_usd = america_sea / rates[("USD", year)]


def _export_plans(rng: random.Random, firms: list[FirmPlan], year: int) -> list[ExportPlan]:
    plans = []
    for firm in firms:
        amount = firm.exports.get(year, 0)
        if firm.fixed or amount <= 0:
            continue
        markets = [m for m in firm.markets if m.entry <= year]
        weights = [m.weight * trend(m.country, year) * rng.lognormvariate(0, 0.1) for m in markets]
        plans.append(ExportPlan(firm, markets, weights, amount))
    return plans


def _america_sea_parts(
    plans: list[ExportPlan], showcase: list[ExportRow], previous_usd: Decimal, rates: RateTable
) -> list[int]:
    """2014: per plan, the fen going to America + Southeast Asia, so that the region's exports, the showcase
    firms' included, are AMERICA_SEA_GROWTH_2014 billion USD above `previous_usd` (2013's)."""
    usd = rates[("USD", YEARS[-1])]
    target = decimal_to_fen((previous_usd + cal.AMERICA_SEA_GROWTH_2014 * cal.BILLION) * usd)
    fixed = sum(decimal_to_fen(row.value) for row in showcase if row.country in cal.AMERICA_SEA)
    return tilt_america_sea(plans, target - fixed)


def _drafts(plan: ExportPlan, america_sea: int | None, year: int) -> list[ExportDraft]:
    """The plan's exports by market; `america_sea`: the fen going to America + Southeast Asia (None: as drawn)."""
    if america_sea is None:
        amounts, _ = allocate(plan.amount, plan.weights)
        pieces = list(zip(plan.markets, amounts, strict=True))
    else:
        pieces = []
        for inside in (True, False):
            chosen = [
                (m, w)
                for m, w in zip(plan.markets, plan.weights, strict=True)
                if (m.country in cal.AMERICA_SEA) == inside
            ]
            amounts, _ = allocate(america_sea if inside else plan.amount - america_sea, [w for _m, w in chosen])
            pieces += [(m, a) for (m, _w), a in zip(chosen, amounts, strict=True)]
    return [
        ExportDraft(plan.firm, year, market.country, export_channel(plan.firm, market, year), market.currency, fen)
        for market, fen in pieces
        if fen > 0
    ]


def export_channel(firm: FirmPlan, market: Market, year: int) -> str:
    if any(site.country == market.country and site.sells for site in firm.active_sites(year)):
        return Channel.SUBSIDIARY
    return market.channel


def tilt_america_sea(plans: list[ExportPlan], target: int) -> list[int]:
    """Per firm, the fen of its exports going to America + Southeast Asia, summing exactly to `target`."""
    shares = [plan.america_sea_share() for plan in plans]
    natural = 0.0
    for plan, share in zip(plans, shares, strict=True):
        natural += plan.amount * share
    mixed = [i for i, s in enumerate(shares) if 0 < s < 1]
    if not mixed:
        raise CalibrationError("no firm exports both to America/Southeast Asia and elsewhere in 2014")
    if target >= natural:
        room = math.fsum(plans[i].amount * (1 - shares[i]) for i in mixed)
        tilt = (target - natural) / room if room else math.inf
        tilted = [s + tilt * (1 - s) if 0 < s < 1 else s for s in shares]
    else:
        room = math.fsum(plans[i].amount * shares[i] for i in mixed)
        tilt = (natural - target) / room if room else math.inf
        tilted = [s * (1 - tilt) if 0 < s < 1 else s for s in shares]
    if tilt > 0.95:
        raise CalibrationError("cannot reach the 2014 America + Southeast Asia exports")
    parts = [int(plan.amount * s) for plan, s in zip(plans, tilted, strict=True)]
    biggest = max(mixed, key=lambda i: plans[i].amount)
    parts[biggest] += target - sum(parts)
    if not 0 < parts[biggest] < plans[biggest].amount:
        raise CalibrationError("cannot reach the 2014 America + Southeast Asia exports")
    return parts


def convert_currencies(drafts: list[ExportDraft], year: int, rates: RateTable) -> list[ExportRow]:
    """The drafts as export records with values in their invoice currency.

    The conversion residue (< 1 fen a record) goes back on the largest CNY record of its region (America+SE
    Asia, the rest), so the year's exports, and the region's, stay equal to their targets within a fen."""
    residue = {True: Decimal(0), False: Decimal(0)}
    largest: dict[bool, int | None] = {True: None, False: None}  # index in rows
    rows = []
    for draft in drafts:
        inside = draft.country in cal.AMERICA_SEA
        cny = fen_to_decimal(draft.fen)
        currency, value = draft.currency, cny
        if currency != "CNY":
            rate = rates[(currency, year)]
            value = (cny / rate).quantize(Decimal(1) if currency == "JPY" else cal.CENT, rounding=ROUND_HALF_UP)
            if value > 0:
                residue[inside] += cny - value * rate
            else:
                currency, value = "CNY", cny
        rows.append(ExportRow(year, draft.country, draft.channel, currency, value))
        if currency == "CNY" and (largest[inside] is None or value > rows[largest[inside]].value):
            largest[inside] = len(rows) - 1
    for inside in (True, False):
        index = largest[inside] if largest[inside] is not None else largest[not inside]
        if index is not None:
            rows[index] = replace(rows[index], value=rows[index].value + cal.round_cents(residue[inside]))
    return rows
