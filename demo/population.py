"""The demo firm population, planned in memory without the database (`seed_demo` writes it).

`plan_population` draws N firms and their 2009-2014 records from one `random.Random` (nothing else is
random, nothing depends on the clock), calibrated to demo.calibration; demo.instances turns a planned firm
into unsaved model instances. Same seed and N → the same plan. The steps live in demo.firms (who the firms
are), demo.trade (imports and exports), demo.records (everything else) and demo.showcase (firm1, firm2).

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

import random
from collections.abc import Callable

from demo.firms import Namer, draw_firms
from demo.plan import YEARS, FirmPlan
from demo.records import plan_certifications, plan_expenses, plan_pct_applications, plan_publications, plan_reports
from demo.showcase import showcase_firms
from demo.trade import allocate_trade, split_exports
from reference.rates import RateTable

MIN_FIRMS = 10


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
    _plan_records(rng, firms)
    say("planned patents, certifications, publications and expenses")
    return firms


def _plan_records(rng: random.Random, firms: list[FirmPlan]) -> None:
    """Annual figures, then every year's PCT applications, then per firm certificates, publications and
    expenses (patent fees follow the applications); the showcase firms' own records are written already."""
    drawn = [firm for firm in firms if not firm.fixed]
    for firm in drawn:
        plan_reports(rng, firm)
    plan_pct_applications(rng, firms)
    for firm in firms:
        if not firm.fixed:
            plan_certifications(rng, firm)
            plan_publications(rng, firm)
        plan_expenses(rng, firm)
