"""The one rule for plausible years and dates: the pure module, and the Django validators built on it."""

import ast
import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import plausibility
from core.plausibility import (
    FIRST_DAY,
    FIRST_YEAR,
    date_problem,
    expiry_problem,
    latest_expiry,
    latest_record_year,
    planned_date_problem,
    year_problem,
)
from core.validators import (
    PastDateValidator,
    PlannedDateValidator,
    RecordYearValidator,
    validate_event_year,
    validate_founding_date,
    validate_past_date,
    validate_planned_date,
    validate_record_year,
)

TODAY = datetime.date(2026, 12, 3)
CORE = Path(plausibility.__file__).parent
PROJECT_APPS = {"accounts", "assessments", "bulkimport", "config", "demo", "enterprises", "providers", "reference"}
PROJECT_APPS |= {"rewards", "zone"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_the_pure_module_imports_only_the_standard_library():
    assert imported_modules(CORE / "plausibility.py") == {"datetime"}


def test_core_imports_nothing_from_the_other_apps():
    for path in CORE.rglob("*.py"):
        assert not imported_modules(path) & PROJECT_APPS, path


def test_annual_figures_stop_at_the_last_completed_year():
    assert latest_record_year(TODAY) == 2025
    assert latest_record_year(datetime.date(2027, 1, 1)) == 2026
    assert year_problem(2025, TODAY) is None
    assert year_problem(FIRST_YEAR, TODAY) is None
    assert year_problem(2026, TODAY) == "not a year from 1980 to 2025: 2026"
    assert year_problem(2031, TODAY) == "not a year from 1980 to 2025: 2031"
    assert year_problem(1979, TODAY) == "not a year from 1980 to 2025: 1979"


def test_events_may_be_in_the_current_year():
    assert year_problem(2026, TODAY, allow_current=True) is None
    assert year_problem(2027, TODAY, allow_current=True) == "not a year from 1980 to 2026: 2027"


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (FIRST_DAY, True),
        (TODAY, True),
        (datetime.date(1979, 12, 31), False),
        (datetime.date(2026, 12, 4), False),
        (datetime.date.min, False),
        (datetime.date.max, False),
    ],
)
def test_dates_run_from_1980_to_today(day, ok):
    problem = date_problem(day, TODAY)
    assert (problem is None) is ok
    if not ok:
        assert problem == f"not a date from 1980-01-01 to 2026-12-03: {day.isoformat()}"


def test_founding_dates_go_back_to_1900():
    assert date_problem(datetime.date(1900, 1, 1), TODAY, first_year=1900) is None
    assert date_problem(datetime.date(1899, 12, 31), TODAY, first_year=1900)
    assert date_problem(datetime.date(2026, 12, 4), TODAY, first_year=1900)


def test_planned_dates_reach_five_years_ahead():
    assert planned_date_problem(datetime.date(2031, 12, 31), TODAY) is None
    problem = planned_date_problem(datetime.date(2032, 1, 1), TODAY)
    assert problem == "not a date from 1980-01-01 to 2031-12-31: 2032-01-01"
    assert planned_date_problem(datetime.date(1, 1, 1), TODAY)


def test_certificates_expire_at_most_fifty_years_after_issue():
    issued = datetime.date(2013, 1, 15)
    assert latest_expiry(issued) == datetime.date(2063, 1, 15)
    assert latest_expiry(datetime.date(2016, 2, 29)) == datetime.date(2066, 2, 28)
    assert latest_expiry(datetime.date(9990, 5, 1)) == datetime.date(9999, 5, 1)
    assert expiry_problem(datetime.date(2063, 1, 15), issued) is None
    assert expiry_problem(issued, issued) is None
    assert expiry_problem(datetime.date(9999, 12, 31), issued) == (
        "expires 9999-12-31 is over 50 years after issued 2013-01-15"
    )
    assert expiry_problem(datetime.date(2013, 1, 14), issued) == "expires 2013-01-14 is before issued 2013-01-15"


# --- Django validators: today is the site's local date -------------------------------------------------------


def test_record_year_validator_names_the_limits():
    last = timezone.localdate().year - 1
    validate_record_year(last)
    validate_record_year(None)
    for year in (FIRST_YEAR - 1, last + 1, last + 6):
        with pytest.raises(ValidationError) as info:
            validate_record_year(year)
        assert info.value.messages == [f"Enter a year from 1980 to {last}."]
        assert info.value.code == "implausible_year"


def test_event_year_validator_allows_the_current_year():
    current = timezone.localdate().year
    validate_event_year(current)
    with pytest.raises(ValidationError, match=f"Enter a year from 1980 to {current}."):
        validate_event_year(current + 1)


def test_past_date_validators():
    today = timezone.localdate()
    validate_past_date(today)
    validate_past_date(FIRST_DAY)
    validate_founding_date(datetime.date(1900, 1, 1))
    for day in (today + datetime.timedelta(days=1), datetime.date(1979, 12, 31), datetime.date(1, 1, 1)):
        with pytest.raises(ValidationError) as info:
            validate_past_date(day)
        assert info.value.messages == [f"Enter a date from 1980-01-01 to {today.isoformat()}."]
    with pytest.raises(ValidationError, match=f"Enter a date from 1900-01-01 to {today.isoformat()}."):
        validate_founding_date(datetime.date(1899, 12, 31))


def test_planned_date_validator_takes_dates_and_moments():
    last_year = timezone.localdate().year + 5
    validate_planned_date(datetime.date(last_year, 12, 31))
    validate_planned_date(timezone.now())
    message = f"Enter a date from 1980-01-01 to {last_year}-12-31."
    for moment in (
        datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
        timezone.make_aware(datetime.datetime(last_year + 1, 1, 1)),
        datetime.date(9999, 12, 31),
    ):
        with pytest.raises(ValidationError, match=message):
            validate_planned_date(moment)


def test_validators_deconstruct_without_a_date():
    """Migrations must not bake in the day they were made."""
    assert RecordYearValidator().deconstruct() == ("core.validators.RecordYearValidator", (), {})
    assert RecordYearValidator(allow_current=True).deconstruct()[2] == {"allow_current": True}
    assert PastDateValidator(first_year=1900).deconstruct()[2] == {"first_year": 1900}
    assert PlannedDateValidator().deconstruct() == ("core.validators.PlannedDateValidator", (), {})
    assert RecordYearValidator() == RecordYearValidator() != RecordYearValidator(allow_current=True)
    assert PastDateValidator() != PastDateValidator(first_year=1900)
