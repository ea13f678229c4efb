"""rewards.ranking.eligible_claim: the claim a firm's award request is computed from (pure, no database)."""

from decimal import Decimal

import pytest

from assessments.snapshots import verified_expenses_by_category
from rewards.ranking import eligible_claim
from tests.assessments.test_snapshots import DATA

D = Decimal


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
