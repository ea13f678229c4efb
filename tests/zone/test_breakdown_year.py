"""The breakdowns' default year is read from the Table 1 sums, whatever the builder is asked first, and agrees
with `selectors.default_year`."""

import pytest

from tests.zone.test_breakdowns import builder
from zone import selectors
from zone.forms import StatisticsFilters

pytestmark = pytest.mark.django_db

FILTERS = [{}, {"year_to": 2013}, {"year_from": 2014}, {"industry": "aerospace"}, {"year_from": 2030}]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_year_does_not_depend_on_what_is_asked_first(zone, filters, django_assert_max_num_queries):
    year_first = builder(**filters)
    with django_assert_max_num_queries(2):  # the two Table 1 sums, which the page runs anyway
        year = year_first.year
    year_first.everything()
    table_first = builder(**filters)
    table_first.everything()
    assert year == table_first.year == selectors.default_year(StatisticsFilters(region="Beijing", **filters))
    assert year_first.table1 == table_first.table1
    assert year_first.warnings == table_first.warnings
