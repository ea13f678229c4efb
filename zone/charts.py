"""Chart.js data of the statistics page, embedded with `json_script` and drawn by static/js/zone-charts.js.

Values are decimal strings already scaled to the chart's unit (the page's tables show the same numbers);
an unknown figure is null (a gap in the chart).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from reference.regions import region_label
from zone.tables import StatisticsBuilder

BILLION = Decimal("1000000000")
MILLION = Decimal("1000000")
CENT = Decimal("0.01")


def scaled(value: Decimal | None, unit: Decimal) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) / unit).quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value) -> str | None:
    return None if value is None else str(value)


def _dataset(label, values, **options) -> dict:
    return {"label": label, "data": [_number(value) for value in values], **options}


def _chart(kind: str, labels, datasets, axis: str, *, stacked: bool = False, horizontal: bool = False) -> dict:
    return {
        "type": kind,
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        "axis": axis,
        "stacked": stacked,
        "horizontal": horizontal,
    }


def _amount_axis(unit: str, currency: str) -> str:
    if unit == "billion":
        return _("Billion %(currency)s") % {"currency": currency}
    return _("Million %(currency)s") % {"currency": currency}


def trade_chart(builder: StatisticsBuilder) -> dict:
    rows = builder.table1
    currency = builder.filters.currency
    return _chart(
        "bar",
        [row.year for row in rows],
        [
            _dataset(_("Imports"), [scaled(row.imports, BILLION) for row in rows]),
            _dataset(_("Exports"), [scaled(row.exports, BILLION) for row in rows]),
            _dataset(_("Trade"), [scaled(row.trade, BILLION) for row in rows], type="line"),
        ],
        _amount_axis("billion", currency),
    )


def share_chart(builder: StatisticsBuilder) -> dict:
    rows = builder.table1
    return _chart(
        "line",
        [row.year for row in rows],
        [
            _dataset(_("Imports share %"), [row.imports_share_pct for row in rows]),
            _dataset(_("Exports share %"), [row.exports_share_pct for row in rows]),
            _dataset(_("Trade share %"), [row.trade_share_pct for row in rows]),
        ],
        _("%% of %(region)s")
        % {"region": region_label(builder.filters.region) if builder.filters.region else _("region")},
    )


def _trade_rows_chart(rows, currency: str, *, horizontal: bool = False) -> dict:
    rows = [row for row in rows if not row.is_total]
    return _chart(
        "bar",
        [row.label for row in rows],
        [
            _dataset(_("Imports"), [scaled(row.imports, MILLION) for row in rows]),
            _dataset(_("Exports"), [scaled(row.exports, MILLION) for row in rows]),
        ],
        _amount_axis("million", currency),
        stacked=True,
        horizontal=horizontal,
    )


def ownership_chart(builder: StatisticsBuilder) -> dict:
    return _trade_rows_chart(builder.ownership.rows, builder.filters.currency)


def size_bands_chart(builder: StatisticsBuilder) -> dict:
    return _trade_rows_chart(builder.size_bands.rows, builder.filters.currency)


def industries_chart(builder: StatisticsBuilder) -> dict:
    return _trade_rows_chart(builder.industries, builder.filters.currency, horizontal=True)


def destinations_chart(builder: StatisticsBuilder) -> dict:
    rows = [row for row in builder.destinations if not row.is_total]
    return _chart(
        "bar",
        [row.label for row in rows],
        [_dataset(_("Exports"), [scaled(row.exports, MILLION) for row in rows])],
        _amount_axis("million", builder.filters.currency),
        horizontal=True,
    )


def stages_chart(builder: StatisticsBuilder) -> dict:
    rows = [row for row in builder.stages if not row.is_total]
    return _chart("bar", [row.label for row in rows], [_dataset(_("Firms"), [row.firms for row in rows])], _("Firms"))


def pct_chart(builder: StatisticsBuilder) -> dict:
    rows = builder.pct
    return _chart(
        "bar",
        [row.year for row in rows],
        [
            _dataset(_("PCT applications"), [row.applications for row in rows]),
            _dataset(_("Firms filing"), [row.firms for row in rows], type="line"),
        ],
        _("Applications"),
    )


CHARTS = {
    "trade": trade_chart,
    "share": share_chart,
    "ownership": ownership_chart,
    "size_bands": size_bands_chart,
    "industries": industries_chart,
    "destinations": destinations_chart,
    "stages": stages_chart,
    "pct": pct_chart,
}


def all_charts(builder: StatisticsBuilder) -> dict[str, dict]:
    return {name: chart(builder) for name, chart in CHARTS.items()}
