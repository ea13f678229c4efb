"""Django validators for the plausibility rule of `core.plausibility`, with today's date in the site's time zone.

Deconstructible without any date argument, so migrations never bake in the day they were made.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from core import plausibility


def today() -> datetime.date:
    return timezone.localdate()


def _as_date(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            return value.date()
        try:
            return timezone.localdate(value)
        except OverflowError:  # within a day of year 1 or 9999: out of range whatever the zone
            return value.date()
    return value


@deconstructible
class RecordYearValidator:
    """A year from 1980 to the last completed year, or to the current year with `allow_current`."""

    def __init__(self, *, allow_current: bool = False) -> None:
        self.allow_current = allow_current

    def __call__(self, value: int | None) -> None:
        day = today()
        if value is not None and plausibility.year_problem(value, day, allow_current=self.allow_current):
            first, last = plausibility.year_bounds(day, allow_current=self.allow_current)
            raise ValidationError(
                _("Enter a year from %(first)d to %(last)d."),
                code="implausible_year",
                params={"first": first, "last": last, "value": value},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordYearValidator) and self.allow_current == other.allow_current

    def __hash__(self) -> int:
        return hash((type(self), self.allow_current))


def _date_error(first: datetime.date, last: datetime.date, value: datetime.date) -> ValidationError:
    return ValidationError(
        _("Enter a date from %(first)s to %(last)s."),
        code="implausible_date",
        params={"first": first.isoformat(), "last": last.isoformat(), "value": value},
    )


@deconstructible
class PastDateValidator:
    """A date from 1 January of `first_year` (default 1980) to today."""

    def __init__(self, *, first_year: int = plausibility.FIRST_YEAR) -> None:
        self.first_year = first_year

    def __call__(self, value: datetime.date | None) -> None:
        if value is None:
            return
        day, now = _as_date(value), today()
        if plausibility.date_problem(day, now, first_year=self.first_year):
            raise _date_error(*plausibility.date_bounds(now, first_year=self.first_year), day)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PastDateValidator) and self.first_year == other.first_year

    def __hash__(self) -> int:
        return hash((type(self), self.first_year))


@deconstructible
class PlannedDateValidator:
    """A date (or moment) from 1980-01-01 to the end of the fifth year after the current one."""

    def __call__(self, value: datetime.date | None) -> None:
        if value is None:
            return
        day, now = _as_date(value), today()
        if plausibility.planned_date_problem(day, now):
            raise _date_error(*plausibility.planning_bounds(now), day)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlannedDateValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_record_year = RecordYearValidator()
validate_event_year = RecordYearValidator(allow_current=True)
validate_past_date = PastDateValidator()
validate_founding_date = PastDateValidator(first_year=plausibility.FIRST_FOUNDING_YEAR)
validate_planned_date = PlannedDateValidator()
