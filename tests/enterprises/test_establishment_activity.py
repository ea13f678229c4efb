"""“Active at year end” is one rule: the ORM's `Establishment.objects.active_at` and the scoring engine's
`scoring.Establishment.active_on` (on a snapshot's plain data) agree on every edge case."""

from datetime import date

import pytest

from assessments import scoring
from enterprises.models import Establishment
from tests.factories import EstablishmentFactory

DAY = date(2014, 12, 31)
CASES = {
    "opened on the day": (date(2014, 12, 31), None, True),
    "closed on the day": (date(2010, 1, 1), date(2014, 12, 31), False),
    "closed the day after": (date(2010, 1, 1), date(2015, 1, 1), True),
    "closed before the day": (date(2010, 1, 1), date(2014, 6, 30), False),
    "no close date": (date(2010, 1, 1), None, True),
    "opened after the day": (date(2015, 1, 1), None, False),
    "opened and closed on the day": (date(2014, 12, 31), date(2014, 12, 31), False),
}


@pytest.mark.django_db
def test_the_database_and_the_scoring_engine_agree_on_active_at_year_end(firm_a):
    rows = {
        name: EstablishmentFactory(enterprise=firm_a, opened=opened, closed=closed)
        for name, (opened, closed, _active) in CASES.items()
    }
    in_database = set(Establishment.objects.active_at(DAY).values_list("pk", flat=True))
    for name, (opened, closed, active) in CASES.items():
        assert (rows[name].pk in in_database) is active, name
        assert scoring.Establishment("DE", "sales", opened, closed).active_on(DAY) is active, name
    assert set(firm_a.establishments.active_at(DAY)) == {rows[name] for name, case in CASES.items() if case[2]}
