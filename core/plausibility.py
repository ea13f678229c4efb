"""The one rule for plausible years and dates (DESIGN section 8), shared by every entry path.

Pure (standard library only): the scoring engine uses it too. Every function takes `today` explicitly;
Django callers pass `timezone.localdate()`.

- Record years run from 1980 to the current year. Annual figures (annual reports, export records) stop at
  the last completed year: figures for a year not yet over are a forecast, not a record. Events that
  already happened (publications abroad, a reward round's reference year) may be in the current year.
- Dates of things that happened (PCT filing, certificate issue, establishment opening and closing,
  expenses) run from 1980-01-01 to today.
- A founding date may go back to 1900: old state-owned firms exist, and a firm predating the zone's
  records is still a firm.
- A certificate may expire in the future, but not before it was issued and not more than 50 years after.
- Planned dates (a round's submission window and review deadline) run from 1980-01-01 to the end of the
  fifth year after the current one.
"""

from datetime import date

FIRST_YEAR = 1980
FIRST_DAY = date(FIRST_YEAR, 1, 1)
FIRST_FOUNDING_YEAR = 1900
MAX_VALIDITY_YEARS = 50
PLANNING_YEARS = 5


def latest_record_year(today: date) -> int:
    """The last completed year: the latest year of annual figures."""
    return today.year - 1


def year_bounds(today: date, *, allow_current: bool = False) -> tuple[int, int]:
    return FIRST_YEAR, today.year if allow_current else latest_record_year(today)


def year_problem(year: int, today: date, *, allow_current: bool = False) -> str | None:
    first, last = year_bounds(today, allow_current=allow_current)
    if first <= year <= last:
        return None
    return f"not a year from {first} to {last}: {year}"


def date_bounds(today: date, *, first_year: int = FIRST_YEAR) -> tuple[date, date]:
    return date(first_year, 1, 1), today


def date_problem(day: date, today: date, *, first_year: int = FIRST_YEAR) -> str | None:
    first, last = date_bounds(today, first_year=first_year)
    if first <= day <= last:
        return None
    return f"not a date from {first.isoformat()} to {last.isoformat()}: {day.isoformat()}"


def planning_bounds(today: date) -> tuple[date, date]:
    return FIRST_DAY, date(today.year + PLANNING_YEARS, 12, 31)


def planned_date_problem(day: date, today: date) -> str | None:
    first, last = planning_bounds(today)
    if first <= day <= last:
        return None
    return f"not a date from {first.isoformat()} to {last.isoformat()}: {day.isoformat()}"


def latest_expiry(issued: date) -> date:
    year = min(issued.year + MAX_VALIDITY_YEARS, date.max.year)
    return issued.replace(year=year, day=28) if (issued.month, issued.day) == (2, 29) else issued.replace(year=year)


def expiry_problem(expires: date, issued: date) -> str | None:
    if expires < issued:
        return f"expires {expires.isoformat()} is before issued {issued.isoformat()}"
    if expires > latest_expiry(issued):
        return f"expires {expires.isoformat()} is over {MAX_VALIDITY_YEARS} years after issued {issued.isoformat()}"
    return None
