"""The figures the demo population is calibrated to (the paper's Table 1 and the facts in reference/).

Pure data: `seed_demo`, its tests and the statistics page share these. Amounts are `Decimal`.
"""

from decimal import ROUND_HALF_UP, Decimal

YEARS = tuple(range(2009, 2015))
BILLION = Decimal("1000000000")
CENT = Decimal("0.01")

# Zone foreign trade per year, billion USD: (imports, exports). 2010-2014 from Table 1; 2009 implied by the
# printed 2010 growth rates (see reference/paper_table1.csv).
TABLE1: dict[int, tuple[Decimal, Decimal]] = {
    2009: (Decimal("24.00"), Decimal("20.82")),
    2010: (Decimal("30.10"), Decimal("22.74")),
    2011: (Decimal("36.69"), Decimal("23.73")),
    2012: (Decimal("49.03"), Decimal("26.17")),
    2013: (Decimal("55.35"), Decimal("33.62")),
    2014: (Decimal("65.85"), Decimal("33.73")),
}

# Beijing's foreign trade, billion USD: (imports, exports) -- Table 1. Loaded into RegionalStatistic by the
# data migration reference/0002 (which carries its own copy of these values).
REGION = "Beijing"
BEIJING: dict[int, tuple[Decimal, Decimal]] = {
    2010: (Decimal("245.94"), Decimal("55.47")),
    2011: (Decimal("330.47"), Decimal("59.03")),
    2012: (Decimal("348.27"), Decimal("59.65")),
    2013: (Decimal("365.90"), Decimal("63.20")),
    2014: (Decimal("353.31"), Decimal("62.35")),
}

# Annual average exchange rates, CNY per unit. USD: the published annual averages; EUR, JPY, HKD: cross
# rates of the USD rate with the annual average EUR/USD (ECB), USD/JPY and USD/HKD.
RATES: dict[str, dict[int, Decimal]] = {
    "USD": {
        2009: Decimal("6.8310"),
        2010: Decimal("6.7695"),
        2011: Decimal("6.4588"),
        2012: Decimal("6.3125"),
        2013: Decimal("6.1932"),
        2014: Decimal("6.1428"),
    },
    "EUR": {
        2009: Decimal("9.5279"),
        2010: Decimal("8.9743"),
        2011: Decimal("8.9906"),
        2012: Decimal("8.1103"),
        2013: Decimal("8.2252"),
        2014: Decimal("8.1607"),
    },
    "JPY": {
        2009: Decimal("0.073004"),
        2010: Decimal("0.077119"),
        2011: Decimal("0.080927"),
        2012: Decimal("0.079114"),
        2013: Decimal("0.063455"),
        2014: Decimal("0.057984"),
    },
    "HKD": {
        2009: Decimal("0.88123"),
        2010: Decimal("0.87138"),
        2011: Decimal("0.82975"),
        2012: Decimal("0.81383"),
        2013: Decimal("0.79848"),
        2014: Decimal("0.79216"),
    },
}
RATE_SOURCE = "seed_demo: annual average (demo data)"

# Shares (reference/paper_facts.md).
DOMESTIC_TRADE_SHARE = Decimal("0.518")  # of imports + exports, every year
DOMESTIC_TRADE_2014 = Decimal("51.581")  # billion USD, as printed (= 51.8 % of 99.58)
DOMESTIC_IMPORTS_SHARE = Decimal("0.495")  # a little below foreign-invested; exports then a little above
LLC_SHARE_OF_DOMESTIC = Decimal("0.50")  # of domestic imports and of domestic exports
BIG_REVENUE_CNY = Decimal("1000000000")  # "annual income above 1 billion"
BIG_FIRMS_IMPORTS_SHARE = Decimal("0.88")  # firms with revenue >= 1 billion CNY; the paper: more than 80 %
BIG_FIRMS_EXPORTS_SHARE = Decimal("0.86")
SME_SHARE_MIN = Decimal("0.95")

# PCT applications filed by the zone per year (2012: 2069 - 1736 = 333 from the paper; others plausible).
PCT_FILINGS = {2009: 150, 2010: 190, 2011: 260, 2012: 333, 2013: 410, 2014: 480}

# "Exports to America and Southeast Asia rose by 0.11 billion USD" (2014 vs 2013).
AMERICA = frozenset({"US", "CA", "MX", "BR", "AR", "CL", "CO", "PE"})
SOUTHEAST_ASIA = frozenset({"SG", "MY", "TH", "VN", "ID", "PH", "MM", "KH", "LA", "BN"})
AMERICA_SEA = AMERICA | SOUTHEAST_ASIA
AMERICA_SEA_GROWTH_2014 = Decimal("0.11")  # billion USD


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def billion_usd_to_cny(billions: Decimal, usd_rate: Decimal) -> Decimal:
    """A Table 1 figure as a CNY amount to the fen (exact for the 4-decimal published rates)."""
    return round_cents(billions * BILLION * usd_rate)


def domestic_trade(year: int) -> Decimal:
    """Domestic firms' imports + exports in billion USD: 51.8 % of the zone's trade (2014: the printed
    51.581). Their imports are DOMESTIC_IMPORTS_SHARE of the zone's imports; exports take the rest."""
    imports, exports = TABLE1[year]
    return DOMESTIC_TRADE_2014 if year == 2014 else DOMESTIC_TRADE_SHARE * (imports + exports)
