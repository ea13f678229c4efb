"""The statistics tables: Table 1 and the breakdowns, from the SQL aggregates of `zone.selectors`.

Money: every (group, currency) sum converts with `Decimal` to CNY with the currency's rate of the year
(CNY = 1), then to the display currency by dividing by that currency's rate of the year; an amount already
in the display currency is not converted. Converted totals are rounded half-up to the cent; growth and
share percentages are computed from those cent amounts and rounded half-up to one decimal. A figure that
needs a missing exchange rate is left empty (None) and the missing (currency, year) is reported.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import SizeBand
from enterprises.models import FOREIGN_INVESTED, IndustryGroup, RegistrationType
from reference.models import RegionalStatistic
from reference.rates import MissingExchangeRate, RateTable, cny_to, round_cents, to_cny
from zone import selectors
from zone.forms import StatisticsFilters
from zone.models import UNKNOWN_BAND
from zone.regions import Region, region_for

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
ZERO = Decimal("0.00")

TOTAL_LABEL = pgettext_lazy("sum of a table's rows", "Total")


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole * 100, one decimal half-up; None when either is unknown or the whole is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(current / previous - 1) * 100, one decimal half-up; None when either is unknown or previous is 0."""
    if current is None or previous is None or previous == 0:
        return None
    return ((current - previous) * HUNDRED / previous).quantize(TENTH, rounding=ROUND_HALF_UP)


def plus(*values: Decimal | None) -> Decimal | None:
    return None if any(value is None for value in values) else sum(values, ZERO)


class Converter:
    """Converts per-currency sums into the display currency, remembering every missing rate."""

    def __init__(self, rates: RateTable, target: str):
        self.rates = rates
        self.target = target
        self.missing: set[tuple[str, int]] = set()

    def convert(self, amount: Decimal, currency: str, year: int) -> Decimal | None:
        if currency == self.target:
            return amount
        try:
            return cny_to(to_cny(amount, currency, year, self.rates), self.target, year, self.rates)
        except MissingExchangeRate as error:
            self.missing.add((error.currency, error.year))
            return None

    def total(self, by_currency: Mapping[str, Decimal], year: int) -> Decimal | None:
        """Σ of the converted sums, to the cent; None if any of them lacks a rate."""
        converted = [self.convert(amount, currency, year) for currency, amount in sorted(by_currency.items())]
        return None if any(value is None for value in converted) else round_cents(sum(converted, ZERO))

    def warnings(self) -> list[str]:
        return [
            _("%(error)s The figures that need it are left empty.") % {"error": MissingExchangeRate(currency, year)}
            for currency, year in sorted(self.missing, key=lambda item: (item[1], item[0]))
        ]


Sums = dict[str, dict[str, Decimal]]  # group key → currency → amount


def _sums(rows: Iterable[dict], key) -> Sums:
    sums: Sums = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        if row["total"] is not None:
            sums[key(row)][row["currency"]] += row["total"]
    return sums


# --- Table 1 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table1Row:
    year: int
    imports: Decimal | None
    exports: Decimal | None
    trade: Decimal | None
    imports_growth_pct: Decimal | None
    exports_growth_pct: Decimal | None
    trade_growth_pct: Decimal | None
    region: str
    region_imports: Decimal | None
    region_exports: Decimal | None
    region_trade: Decimal | None
    imports_share_pct: Decimal | None
    exports_share_pct: Decimal | None
    trade_share_pct: Decimal | None


def build_table1(
    imports_rows: list[dict],
    exports_rows: list[dict],
    regional: list[RegionalStatistic],
    filters: StatisticsFilters,
    converter: Converter,
) -> list[Table1Row]:
    """One row per year with zone data (annual reports or export records) from `filters.year_from` on; the
    year before it, when queried, only serves the first row's growth."""
    imports = _sums(imports_rows, lambda row: row["year"])
    exports = _sums(exports_rows, lambda row: row["year"])
    zone: dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]] = {}
    for year in sorted(set(imports) | set(exports)):
        year_imports = converter.total(imports[year], year) if year in imports else None
        year_exports = converter.total(exports[year], year) if year in exports else None
        zone[year] = (year_imports, year_exports, plus(year_imports, year_exports))
    region_rows = {row.year: row for row in regional if row.region == filters.region}
    rows = []
    for year, (year_imports, year_exports, year_trade) in zone.items():
        if filters.year_from is not None and year < filters.year_from:
            continue
        previous = zone.get(year - 1, (None, None, None))
        region_imports = region_exports = None
        if (region := region_rows.get(year)) is not None:
            region_imports = _region_amount(region.imports, region.currency, year, converter)
            region_exports = _region_amount(region.exports, region.currency, year, converter)
        region_trade = plus(region_imports, region_exports)
        rows.append(
            Table1Row(
                year=year,
                imports=year_imports,
                exports=year_exports,
                trade=year_trade,
                imports_growth_pct=growth(year_imports, previous[0]),
                exports_growth_pct=growth(year_exports, previous[1]),
                trade_growth_pct=growth(year_trade, previous[2]),
                region=filters.region,
                region_imports=region_imports,
                region_exports=region_exports,
                region_trade=region_trade,
                imports_share_pct=percent(year_imports, region_imports),
                exports_share_pct=percent(year_exports, region_exports),
                trade_share_pct=percent(year_trade, region_trade),
            )
        )
    return rows


def _region_amount(amount: Decimal, currency: str, year: int, converter: Converter) -> Decimal | None:
    value = converter.convert(amount, currency, year)
    return None if value is None else round_cents(value)


# --- Breakdowns ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeRow:
    """A group's imports, exports and trade, with its shares of `basis` (the zone total, or domestic trade)."""

    key: str
    label: str
    firms: int | None
    imports: Decimal | None
    exports: Decimal | None
    trade: Decimal | None
    imports_share_pct: Decimal | None = None
    exports_share_pct: Decimal | None = None
    trade_share_pct: Decimal | None = None
    basis: str = "zone"
    is_total: bool = False


def _trade_row(key, label, firms, imports, exports, *, whole: "TradeRow | None" = None, basis="zone", is_total=False):
    trade = plus(imports, exports)
    return TradeRow(
        key=key,
        label=label,
        firms=firms,
        imports=imports,
        exports=exports,
        trade=trade,
        imports_share_pct=percent(imports, whole.imports) if whole else None,
        exports_share_pct=percent(exports, whole.exports) if whole else None,
        trade_share_pct=percent(trade, whole.trade) if whole else None,
        basis=basis,
        is_total=is_total,
    )


def _with_shares(row: TradeRow, whole: TradeRow, basis: str = "zone") -> TradeRow:
    return _trade_row(
        row.key, row.label, row.firms, row.imports, row.exports, whole=whole, basis=basis, is_total=row.is_total
    )


@dataclass(frozen=True)
class Ownership:
    rows: list[TradeRow]  # domestic, foreign-invested, total (shares of the zone)
    llc: TradeRow  # limited liability companies, shares of domestic
    llc_share_of_domestic_trade_pct: Decimal | None

    @property
    def display_rows(self) -> list[TradeRow]:
        """Domestic, of which LLC, foreign-invested, total."""
        return [self.rows[0], self.llc, *self.rows[1:]]


@dataclass(frozen=True)
class SizeBands:
    rows: list[TradeRow]  # bands, (unknown), total
    large_imports_share_pct: Decimal | None  # share of the zone's imports held by firms with revenue ≥ 1 B CNY
    large_exports_share_pct: Decimal | None


@dataclass(frozen=True)
class DestinationRow:
    key: str
    label: str
    exports: Decimal | None
    share_pct: Decimal | None
    markets: int
    is_total: bool = False


@dataclass(frozen=True)
class StageRow:
    key: str
    label: str
    firms: int
    share_pct: Decimal | None
    is_total: bool = False


@dataclass(frozen=True)
class PctRow:
    year: int
    applications: int
    firms: int
    growth_pct: Decimal | None


UNKNOWN_BAND_LABEL = _("Unknown (no annual report or no exchange rate)")
STAGE_LABELS = {
    0: _("Stage 0: domestic only"),
    1: _("Stage 1: direct exports"),
    2: _("Stage 2: exports through agents"),
    3: _("Stage 3: own foreign establishment"),
    4: _("Stage 4: own foreign manufacturing"),
}


def default_year_from_sums(imports_rows: list[dict], exports_rows: list[dict], *, year_from: int | None) -> int | None:
    """The breakdowns' default year, from the Table 1 sums: the latest year Table 1 shows that a verified
    assessment is for, else the latest year it shows (`selectors.default_year` asks the database the same)."""
    rows = [*imports_rows, *exports_rows]
    shown = {
        row["year"] for row in rows if row["total"] is not None and (year_from is None or row["year"] >= year_from)
    }
    verified = {row["year"] for row in rows if row["verified"]} & shown
    return max(verified or shown, default=None)


def _stage_key(stage: int | None) -> str:
    if stage is None:
        return "none"
    return "not_recorded" if stage == selectors.STAGE_NOT_RECORDED else str(stage)


@dataclass
class StatisticsBuilder:
    """Runs the aggregations for one set of filters (each at most once) and builds the tables."""

    filters: StatisticsFilters
    regional: list[RegionalStatistic] = field(default_factory=list)

    @cached_property
    def rates(self) -> RateTable:
        return selectors.exchange_rates()

    @cached_property
    def converter(self) -> Converter:
        return Converter(self.rates, self.filters.currency)

    @property
    def warnings(self) -> list[str]:
        return self.converter.warnings()

    # Table 1

    @cached_property
    def _table1_sums(self) -> tuple[list[dict], list[dict]]:
        first = self.filters.year_from - 1 if self.filters.year_from is not None else None
        last = selectors.last_shown_year(self.filters)
        imports = selectors.imports_by_year(self.filters, first, last)
        return imports, selectors.exports_by_year(self.filters, first, last)

    @cached_property
    def table1(self) -> list[Table1Row]:
        imports, exports = self._table1_sums
        return build_table1(imports, exports, self.regional, self.filters, self.converter)

    # The breakdowns' year

    @cached_property
    def year(self) -> int | None:
        """The chosen year, else the default one read from the Table 1 sums (which the page needs anyway)."""
        if self.filters.year is not None:
            return self.filters.year
        return default_year_from_sums(*self._table1_sums, year_from=self.filters.year_from)

    @cached_property
    def _firm_imports(self) -> list[dict]:
        return selectors.firm_imports(self.filters, self.year) if self.year is not None else []

    @cached_property
    def _firm_exports(self) -> list[dict]:
        return selectors.firm_exports(self.filters, self.year) if self.year is not None else []

    def _grouped(self, key) -> tuple[Sums, Sums, dict[str, int]]:
        imports = _sums(self._firm_imports, key)
        exports = _sums(self._firm_exports, key)
        firms: dict[str, int] = defaultdict(int)
        for row in self._firm_imports:
            firms[key(row)] += row["firms"]
        return imports, exports, firms

    def _total_row(self, label=None) -> TradeRow:
        imports, exports, firms = self._grouped(lambda row: "total")
        return _trade_row(
            "total",
            label or TOTAL_LABEL,
            firms.get("total", 0),
            self._amount(imports, "total"),
            self._amount(exports, "total"),
            is_total=True,
        )

    def _amount(self, sums: Sums, key: str) -> Decimal | None:
        return self.converter.total(sums.get(key, {}), self.year)

    @cached_property
    def ownership(self) -> Ownership:
        foreign = {str(value) for value in FOREIGN_INVESTED}

        def group(row):
            return "foreign_invested" if row["registration_type"] in foreign else "domestic"

        imports, exports, firms = self._grouped(group)
        total = self._total_row(_("Zone total"))
        rows = [
            _trade_row(
                key, label, firms.get(key, 0), self._amount(imports, key), self._amount(exports, key), whole=total
            )
            for key, label in (("domestic", _("Domestic")), ("foreign_invested", _("Foreign-invested")))
        ]
        rows.append(_with_shares(total, total))
        llc_imports, llc_exports, llc_firms = self._grouped(lambda row: row["registration_type"])
        llc_key = RegistrationType.LIMITED_LIABILITY.value
        llc = _trade_row(
            "llc",
            _("of which limited liability companies"),
            llc_firms.get(llc_key, 0),
            self._amount(llc_imports, llc_key),
            self._amount(llc_exports, llc_key),
            whole=rows[0],
            basis="domestic",
        )
        return Ownership(rows=rows, llc=llc, llc_share_of_domestic_trade_pct=llc.trade_share_pct)

    @cached_property
    def size_bands(self) -> SizeBands:
        imports, exports, firms = self._grouped(lambda row: row["band"])
        total = self._total_row()
        rows = [
            _trade_row(
                band.value,
                band.label,
                firms.get(band.value, 0),
                self._amount(imports, band.value),
                self._amount(exports, band.value),
                whole=total,
            )
            for band in SizeBand
        ]
        unknown = UNKNOWN_BAND
        if unknown in imports or unknown in exports:
            rows.append(
                _trade_row(
                    unknown,
                    UNKNOWN_BAND_LABEL,
                    firms.get(unknown, 0),
                    self._amount(imports, unknown),
                    self._amount(exports, unknown),
                    whole=total,
                )
            )
        rows.append(_with_shares(total, total))
        large = rows[len(SizeBand) - 1]
        return SizeBands(
            rows=rows, large_imports_share_pct=large.imports_share_pct, large_exports_share_pct=large.exports_share_pct
        )

    @cached_property
    def industries(self) -> list[TradeRow]:
        imports, exports, firms = self._grouped(lambda row: row["industry_group"])
        total = self._total_row()
        rows = [
            _trade_row(
                group.value,
                group.label,
                firms.get(group.value, 0),
                self._amount(imports, group.value),
                self._amount(exports, group.value),
                whole=total,
            )
            for group in IndustryGroup
            if group.value in imports or group.value in exports
        ]
        return [*rows, _with_shares(total, total)]

    @cached_property
    def destinations(self) -> list[DestinationRow]:
        if self.year is None:
            return []
        rows = selectors.exports_by_destination(self.filters, self.year)
        by_region = _sums(rows, lambda row: region_for(str(row["destination"])).value)
        markets: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            markets[region_for(str(row["destination"])).value].add(str(row["destination"]))
        total = self.converter.total(_sums(rows, lambda row: "total").get("total", {}), self.year)
        amounts = {
            region.value: self._amount(by_region, region.value) for region in Region if region.value in by_region
        }
        order = sorted(amounts, key=lambda key: (amounts[key] is None, -(amounts[key] or 0), key))
        result = [
            DestinationRow(key, Region(key).label, amounts[key], percent(amounts[key], total), len(markets[key]))
            for key in order
        ]
        all_markets = len({str(row["destination"]) for row in rows})
        return [*result, DestinationRow("total", TOTAL_LABEL, total, percent(total, total), all_markets, is_total=True)]

    @cached_property
    def stages(self) -> list[StageRow]:
        if self.year is None:
            return []
        counts: dict[str, int] = defaultdict(int)
        for row in selectors.stage_counts(self.filters, self.year):
            counts[_stage_key(row["stage"])] += row["firms"]
        total = sum(counts.values())
        rows = [
            StageRow(
                str(stage),
                label,
                counts.get(str(stage), 0),
                percent(Decimal(counts.get(str(stage), 0)), Decimal(total)),
            )
            for stage, label in STAGE_LABELS.items()
        ]
        if counts.get("not_recorded"):
            rows.append(
                StageRow(
                    "not_recorded",
                    _("Assessed, stage not recorded"),
                    counts["not_recorded"],
                    percent(Decimal(counts["not_recorded"]), Decimal(total)),
                )
            )
        rows.append(
            StageRow(
                "none",
                _("No submitted assessment"),
                counts.get("none", 0),
                percent(Decimal(counts.get("none", 0)), Decimal(total)),
            )
        )
        rows.append(StageRow("total", _("All firms"), total, percent(Decimal(total), Decimal(total)), is_total=True))
        return rows

    @cached_property
    def pct(self) -> list[PctRow]:
        counts = {row["year"]: row for row in selectors.pct_by_year(self.filters)}
        if not counts:
            return []
        rows = []
        for year in range(min(counts), max(counts) + 1):  # a year without filings is a 0, not a gap
            row = counts.get(year, {"applications": 0, "firms": 0})
            previous = counts.get(year - 1)
            rows.append(
                PctRow(
                    year,
                    row["applications"],
                    row["firms"],
                    growth(Decimal(row["applications"]), Decimal(previous["applications"]) if previous else None),
                )
            )
        return rows

    def everything(self) -> None:
        """Runs every aggregation."""
        for name in ("table1", "year", "ownership", "size_bands", "industries", "destinations", "stages", "pct"):
            getattr(self, name)
