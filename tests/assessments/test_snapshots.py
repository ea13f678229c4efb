"""assessments.snapshots on plain snapshot data (no database): scoring a snapshot, self-reported and verified."""

from decimal import Decimal

from assessments import scoring
from assessments.snapshots import profile_from_snapshot, score_snapshot, verified_expenses_by_category

DATA = {
    "reference_year": 2014,
    "annual_report": [
        {
            "id": 1,
            "currency": "CNY",
            "domestic_scope": "national",
            **{
                name: {"amount": amount, "currency": "CNY", "cny": amount}
                for name, amount in (
                    ("revenue_total", "1000000.00"),
                    ("revenue_foreign", "250000.00"),
                    ("assets_total", "800000.00"),
                    ("assets_foreign", "0.00"),
                    ("imports_total", "0.00"),
                )
            },
            "employees_total": 40,
            "employees_foreign": 4,
        }
    ],
    "exports": [
        {"id": 7, "country": "JP", "channel": "direct", "value": {"amount": "1.00", "currency": "CNY", "cny": "1.00"}},
        {"id": 8, "country": "US", "channel": "agent", "value": {"amount": "9.00", "currency": "CNY", "cny": "9.00"}},
    ],
    "establishments": [
        {"id": 3, "country": "DE", "kind": "manufacturing", "opened": "2012-03-01", "closed": None},
    ],
    "pct_applications": [],
    "certifications": [],
    "publications": [{"id": 5, "title": "T", "venue": "V", "country": "DE", "year": 2014}],
    "expenses": [
        {"id": 10, "category": "exhibition", "date": "2014-03-01", "value": {"cny": "100.50"}},
        {"id": 11, "category": "exhibition", "date": "2014-09-01", "value": {"cny": "20.25"}},
        {"id": 12, "category": "training", "date": "2014-05-01", "value": {"cny": "7.00"}},
        {"id": 13, "category": "exhibition", "date": "2013-12-31", "value": {"cny": "1000.00"}},
    ],
}
SCHEME = scoring.Scheme(neighbouring=frozenset({"JP", "KR"}))


def test_a_snapshot_scores_as_its_profile_does():
    expected = scoring.score(scoring.parse_profile(profile_from_snapshot(DATA)), SCHEME)
    assert score_snapshot(DATA, SCHEME) == expected
    assert (expected["stage"], expected["geography"], expected["breadth"]) == (4, 4, 3)


def test_a_verified_snapshot_counts_only_the_verified_items():
    verified = {"exports:7", "publications:5"}
    expected = scoring.score(scoring.parse_profile(profile_from_snapshot(DATA, verified)), SCHEME)
    assert score_snapshot(DATA, SCHEME, verified) == expected
    # Only the direct exports to Japan (neighbouring) count; the unverified annual report gives no ratio.
    assert (expected["stage"], expected["geography"], expected["breadth"], expected["tni"]) == (1, 3, 1, "0.0000")
    assert score_snapshot(DATA, SCHEME, set())["geography"] == 1  # nothing verified: local, the conservative rung


def test_verified_expenses_are_the_verified_ones_of_the_reference_year_by_category():
    verified = {"expenses:10", "expenses:12", "expenses:13"}
    assert verified_expenses_by_category(DATA, verified) == {"exhibition": "100.50", "training": "7.00"}
    assert sum(Decimal(v) for v in verified_expenses_by_category(DATA, set()).values()) == 0
