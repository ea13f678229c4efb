"""rewards.ranking.eligible_claim and claim_of: the claim a firm's award request is computed from (pure, no
database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.snapshots import verified_expenses_by_category
from rewards.ranking import claim_of, eligible_claim
from tests.assessments.test_snapshots import DATA

D = Decimal
AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2).map(str)


@pytest.mark.parametrize(
    ("expenses", "categories", "expected"),
    [
        (None, ["exhibition"], D("0")),  # an assessment verified before expenses were recorded
        ({}, ["exhibition"], D("0")),
        ({"exhibition": "100.50", "training": "7.00"}, ["exhibition"], D("100.50")),
        ({"exhibition": "100.50", "training": "7.00"}, {"exhibition", "training"}, D("107.50")),
        ({"exhibition": "100.50", "patent_fees": "9.99"}, [], D("0")),
        ({"exhibition": "0.10", "training": "0.20"}, ("exhibition", "training"), D("0.30")),  # exact, no float
    ],
)
def test_the_claim_sums_the_eligible_categories(expenses, categories, expected):
    claim = eligible_claim(expenses, categories)
    assert isinstance(claim, Decimal)
    assert str(claim) == str(expected)


def test_the_claim_of_a_snapshot_counts_verified_expenses_of_the_reference_year_only():
    verified = {"expenses:10", "expenses:11", "expenses:12", "expenses:13"}  # 13 is dated in the year before
    expenses = verified_expenses_by_category(DATA, verified)
    assert eligible_claim(expenses, {"exhibition"}) == D("120.75")
    assert eligible_claim(verified_expenses_by_category(DATA, {"expenses:12"}), {"exhibition"}) == 0


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [([], D("0")), ([None, None], D("0")), (["120.75", None, "0.25"], D("121.00")), (["1E+2"], D("100"))],
)
def test_claim_of_sums_the_picked_amounts_and_skips_the_missing(amounts, expected):
    assert claim_of(amounts) == expected


@given(st.dictionaries(st.sampled_from(["exhibition", "travel", "patent", "other"]), AMOUNTS))
def test_claim_of_the_eligible_categories_is_the_eligible_claim(expenses):
    categories = sorted({"exhibition", "patent"})
    assert claim_of([expenses.get(category) for category in categories]) == eligible_claim(expenses, categories)
