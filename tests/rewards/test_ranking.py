"""rewards.ranking: ranks, tiers, requests and awards of a round (pure, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rewards.ranking import (
    Entry,
    RankedEntry,
    Result,
    RoundOutcome,
    Tier,
    assign_tiers,
    compute_results,
    rank,
    tier_bound,
    validate_tiers,
)

D = Decimal


DEFAULT_CLAIM = D("1000")


def entries_with_totals(*totals, claim=DEFAULT_CLAIM):
    return [Entry(key=i, total=D(str(t)), claim_cny=claim) for i, t in enumerate(totals, start=1)]


TIER_A = Tier(name="A", rate=D("0.5"), cap=D("300"), top_share=D("0.2"))
TIER_B = Tier(name="B", rate=D("0.3"), cap=None, top_share=D("0.5"))


# --- rank ------------------------------------------------------------------------------------------


def test_ties_share_a_rank():
    ranked = rank(entries_with_totals(90, 80, 80, 70))
    assert [(r.key, r.rank) for r in ranked] == [(1, 1), (2, 2), (3, 2), (4, 4)]


def test_rank_sorts_by_total_then_key():
    entries = [
        Entry(key=7, total=D("50"), claim_cny=D("0")),
        Entry(key=3, total=D("80.0"), claim_cny=D("0")),
        Entry(key=5, total=D("80"), claim_cny=D("0")),
        Entry(key=1, total=D("50.00"), claim_cny=D("0")),
        Entry(key=9, total=D("99.5"), claim_cny=D("0")),
    ]
    ranked = rank(entries)
    assert [(r.key, r.rank) for r in ranked] == [(9, 1), (3, 2), (5, 2), (1, 4), (7, 4)]
    assert ranked[0] == RankedEntry(key=9, total=D("99.5"), claim_cny=D("0"), rank=1)


def test_rank_empty():
    assert rank([]) == []


def test_rank_all_tied():
    assert [r.rank for r in rank(entries_with_totals(5, 5, 5))] == [1, 1, 1]


def test_rank_rejects_duplicate_keys():
    with pytest.raises(ValueError, match="duplicate enterprise"):
        rank([Entry(1, D("1"), D("0")), Entry(1, D("2"), D("0"))])


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (Entry(1, 1.5, D("0")), "total of 1"),
        (Entry(1, D("NaN"), D("0")), "total of 1"),
        (Entry(1, D("1"), D("-1")), "claim of 1"),
    ],
)
def test_rank_rejects_bad_entries(entry, message):
    with pytest.raises(ValueError, match=message):
        rank([entry])


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=20), max_size=40), st.randoms(use_true_random=False))
def test_rank_is_competition_ranking_and_order_independent(totals, rnd):
    entries = entries_with_totals(*totals)
    ranked = rank(entries)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert rank(shuffled) == ranked
    for r in ranked:
        assert r.rank == 1 + sum(1 for e in entries if e.total > r.total)
    assert [(-r.total, r.key) for r in ranked] == sorted((-r.total, r.key) for r in ranked)


# --- tiers -----------------------------------------------------------------------------------------


def test_tier_bound_is_exact_ceil():
    assert tier_bound(Tier("x", D("1"), None, top_share=D("0.2")), 10) == 2
    assert tier_bound(Tier("x", D("1"), None, top_share=D("0.2")), 11) == 3
    assert tier_bound(Tier("x", D("1"), None, top_share=D("0.1")), 30) == 3  # not 4 via float 0.1*30
    assert tier_bound(Tier("x", D("1"), None, top_share=D("0.01")), 10) == 1
    assert tier_bound(Tier("x", D("1"), None, top_share=D("1")), 7) == 7
    assert tier_bound(Tier("x", D("1"), None, top_rank=3), 1) == 3


def test_ties_at_a_boundary_all_get_the_better_tier():
    # n = 10, top 20% = rank <= 2: ranks 1, 2, 2 all get A; top 50% = rank <= 5 for the next ones.
    ranked = rank(entries_with_totals(100, 90, 90, 80, 70, 60, 50, 40, 30, 20))
    tiers = assign_tiers(ranked, [TIER_A, TIER_B])
    assert [(entry.rank, tier.name if tier else None) for entry, tier in tiers] == [
        (1, "A"),
        (2, "A"),
        (2, "A"),
        (4, "B"),
        (5, "B"),
        (6, None),
        (7, None),
        (8, None),
        (9, None),
        (10, None),
    ]


def test_ties_straddling_the_last_bound_all_get_it():
    ranked = rank(entries_with_totals(10, 9, 9, 9, 1))
    tiers = assign_tiers(ranked, [Tier("only", D("1"), None, top_rank=2)])
    assert [t.name if t else None for _, t in tiers] == ["only", "only", "only", "only", None]


def test_top_rank_tiers():
    ranked = rank(entries_with_totals(10, 9, 8, 7, 6))
    tiers = [Tier("gold", D("0.5"), None, top_rank=1), Tier("silver", D("0.4"), None, top_rank=3)]
    assert [t.name if t else None for _, t in assign_tiers(ranked, tiers)] == ["gold", "silver", "silver", None, None]


def test_mixed_share_and_rank_tiers():
    # n = 10: "top 3" then "top 50%" (rank <= 5).
    ranked = rank(entries_with_totals(*range(10, 0, -1)))
    tiers = [Tier("top3", D("0.5"), None, top_rank=3), Tier("half", D("0.2"), None, top_share=D("0.5"))]
    names = [t.name if t else None for _, t in assign_tiers(ranked, tiers)]
    assert names == ["top3"] * 3 + ["half"] * 2 + [None] * 5


def test_assign_tiers_empty():
    assert assign_tiers([], [TIER_A]) == []


# --- validate_tiers --------------------------------------------------------------------------------


def test_valid_tiers_pass():
    validate_tiers([TIER_A, TIER_B])
    validate_tiers([Tier("g", D("1"), None, top_rank=1), Tier("s", D("0.01"), D("0.01"), top_share=D("1"))])


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([], "at least one tier"),
        ([Tier("A", D("0.5"), None)], "exactly one of top share and top rank"),
        ([Tier("A", D("0.5"), None, top_share=D("0.2"), top_rank=2)], "exactly one of top share and top rank"),
        ([Tier("A", D("0"), None, top_rank=2)], r"rate must be a Decimal in \(0, 1\]"),
        ([Tier("A", D("1.01"), None, top_rank=2)], r"rate must be a Decimal in \(0, 1\]"),
        ([Tier("A", 0.5, None, top_rank=2)], "rate must be a Decimal"),
        ([Tier("A", D("0.5"), D("0"), top_rank=2)], "cap must be a Decimal > 0"),
        ([Tier("A", D("0.5"), D("-5"), top_rank=2)], "cap must be a Decimal > 0"),
        ([Tier("A", D("0.5"), None, top_share=D("0"))], r"top share must be a Decimal in \(0, 1\]"),
        ([Tier("A", D("0.5"), None, top_share=D("1.5"))], r"top share must be a Decimal in \(0, 1\]"),
        ([Tier("A", D("0.5"), None, top_rank=0)], "top rank must be an integer >= 1"),
        ([Tier("A", D("0.5"), None, top_rank=True)], "top rank must be an integer >= 1"),
        (
            [Tier("A", D("0.5"), None, top_share=D("0.5")), Tier("B", D("0.3"), None, top_share=D("0.5"))],
            "top share 0.5 must be greater than the previous tier's 0.5",
        ),
        (
            [Tier("A", D("0.5"), None, top_share=D("0.5")), Tier("B", D("0.3"), None, top_share=D("0.2"))],
            "must be greater",
        ),
        (
            [Tier("A", D("0.5"), None, top_rank=5), Tier("B", D("0.3"), None, top_rank=3)],
            "top rank 3 must be greater than the previous tier's 5",
        ),
        (
            [
                Tier("A", D("0.5"), None, top_rank=5),
                Tier("B", D("0.3"), None, top_share=D("0.5")),
                Tier("C", D("0.2"), None, top_rank=5),
            ],
            "tier 3 .*top rank 5 must be greater",
        ),
        ([Tier("", D("0.5"), None, top_rank=1)], "tier 1 needs a name"),
        ([Tier("A", D("0.5"), None, top_rank=1), Tier("A", D("0.3"), None, top_rank=2)], "duplicate tier name"),
    ],
)
def test_invalid_tiers(tiers, message):
    with pytest.raises(ValueError, match=message):
        validate_tiers(tiers)


def test_mixed_kinds_are_not_compared_across_kinds():
    # A top-rank tier of 50 before a 10% tier is fine: only same-kind bounds are ordered.
    validate_tiers([Tier("A", D("0.5"), None, top_rank=50), Tier("B", D("0.3"), None, top_share=D("0.1"))])


def test_compute_results_validates_tiers():
    with pytest.raises(ValueError, match="at least one tier"):
        compute_results(entries_with_totals(1), [], D("100"))


# --- compute_results -------------------------------------------------------------------------------


def test_compute_results_undersubscribed():
    entries = [
        Entry(key=1, total=D("90"), claim_cny=D("1000")),  # A: min(300, 500) = 300
        Entry(key=2, total=D("80"), claim_cny=D("333.33")),  # A: 166.665 -> 166.66
        Entry(key=3, total=D("80"), claim_cny=D("100")),  # A (tied at the boundary): 50
        Entry(key=4, total=D("70"), claim_cny=D("1000")),  # B: 300 (no cap)
        Entry(key=5, total=D("60"), claim_cny=D("1000")),  # B
        Entry(key=6, total=D("50"), claim_cny=D("1000")),  # no tier
    ] + [Entry(key=k, total=D("1"), claim_cny=D("5000")) for k in range(7, 11)]
    outcome = compute_results(entries, [TIER_A, TIER_B], D("10000"))
    assert isinstance(outcome, RoundOutcome)
    assert outcome.results[:6] == [
        Result(1, D("90"), 1, "A", D("1000"), D("300.00"), D("300.00")),
        Result(2, D("80"), 2, "A", D("333.33"), D("166.66"), D("166.66")),
        Result(3, D("80"), 2, "A", D("100"), D("50.00"), D("50.00")),
        Result(4, D("70"), 4, "B", D("1000"), D("300.00"), D("300.00")),
        Result(5, D("60"), 5, "B", D("1000"), D("300.00"), D("300.00")),
        Result(6, D("50"), 6, None, D("1000"), D("0.00"), D("0.00")),
    ]
    assert all(r.tier is None and r.award == 0 for r in outcome.results[6:])
    assert outcome.total_requested == D("1116.66")
    assert outcome.total_awarded == D("1116.66")
    assert outcome.unallocated == D("8883.34")
    assert outcome.budget == D("10000.00")


def test_compute_results_oversubscribed_shares_the_budget():
    entries = entries_with_totals(30, 20, 10)
    tiers = [Tier("all", D("0.1"), None, top_share=D("1"))]
    outcome = compute_results(entries, tiers, D("100.00"))
    assert [r.request for r in outcome.results] == [D("100.00")] * 3
    assert [r.award for r in outcome.results] == [D("33.34"), D("33.33"), D("33.33")]
    assert outcome.total_requested == D("300.00")
    assert outcome.total_awarded == D("100.00")
    assert outcome.unallocated == D("0.00")


def test_equal_remainders_favour_better_rank_then_lower_id():
    # Key 9 ranks first; keys 2 and 5 tie on rank 2 so key 2 comes before key 5.
    entries = [
        Entry(key=5, total=D("10"), claim_cny=D("1000")),
        Entry(key=2, total=D("10"), claim_cny=D("1000")),
        Entry(key=9, total=D("20"), claim_cny=D("1000")),
    ]
    outcome = compute_results(entries, [Tier("all", D("0.1"), None, top_rank=3)], D("100"))
    assert [(r.key, r.rank, r.award) for r in outcome.results] == [
        (9, 1, D("33.34")),
        (2, 2, D("33.33")),
        (5, 2, D("33.33")),
    ]
    outcome = compute_results(entries, [Tier("all", D("0.1"), None, top_rank=3)], D("100.01"))
    assert [r.award for r in outcome.results] == [D("33.34"), D("33.34"), D("33.33")]


def test_firm_meeting_no_bound_gets_nothing_even_with_budget_left():
    entries = entries_with_totals(3, 2, 1)
    outcome = compute_results(entries, [Tier("top", D("1"), None, top_rank=1)], D("1000000"))
    assert [(r.tier, r.request, r.award) for r in outcome.results] == [
        ("top", D("1000.00"), D("1000.00")),
        (None, D("0.00"), D("0.00")),
        (None, D("0.00"), D("0.00")),
    ]
    assert outcome.unallocated == D("999000.00")


def test_compute_results_empty():
    outcome = compute_results([], [TIER_A], D("500"))
    assert outcome == RoundOutcome(
        results=[], budget=D("500.00"), total_requested=D("0.00"), total_awarded=D("0.00"), unallocated=D("500.00")
    )


def test_compute_results_all_zero_requests():
    outcome = compute_results(entries_with_totals(3, 2, 1, claim=D("0")), [TIER_B], D("100"))
    assert [r.award for r in outcome.results] == [D("0.00")] * 3
    assert outcome.total_requested == D("0.00")
    assert outcome.unallocated == D("100.00")


def test_request_uses_cap_and_floors_to_the_fen():
    entries = [
        Entry(key=1, total=D("3"), claim_cny=D("10000")),
        Entry(key=2, total=D("2"), claim_cny=D("0.05")),
        Entry(key=3, total=D("1"), claim_cny=D("0.01")),
    ]
    tiers = [Tier("A", D("0.333"), D("2500.50"), top_rank=3)]
    outcome = compute_results(entries, tiers, D("1000000"))
    # 3330 capped to 2500.50; 0.01665 -> 0.01; 0.00333 -> 0.00
    assert [r.request for r in outcome.results] == [D("2500.50"), D("0.01"), D("0.00")]
    assert [r.award for r in outcome.results] == [D("2500.50"), D("0.01"), D("0.00")]


def test_compute_results_rejects_bad_budget():
    with pytest.raises(ValueError, match="budget"):
        compute_results(entries_with_totals(1), [TIER_A], D("1.005"))


entry_lists = st.lists(
    st.tuples(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=10**8)),
    max_size=30,
).map(lambda rows: [Entry(key=i, total=D(t), claim_cny=D(c).scaleb(-2)) for i, (t, c) in enumerate(rows)])


@settings(deadline=None, max_examples=200)
@given(entries=entry_lists, budget=st.integers(min_value=0, max_value=10**9).map(lambda f: D(f).scaleb(-2)))
def test_compute_results_invariants(entries, budget):
    outcome = compute_results(entries, [TIER_A, TIER_B], budget)
    results = outcome.results
    assert [(r.rank, r.key) for r in results] == sorted((r.rank, r.key) for r in results)
    assert outcome.total_awarded + outcome.unallocated == outcome.budget == budget
    assert outcome.total_awarded == min(outcome.total_requested, budget)
    assert outcome.total_requested == sum((r.request for r in results), D("0.00"))
    for r in results:
        assert D(0) <= r.award <= r.request
        if r.tier is None:
            assert r.request == 0
    # A better rank never gets a worse tier.
    tier_order = {"A": 0, "B": 1, None: 2}
    levels = [tier_order[r.tier] for r in results]
    assert levels == sorted(levels)
