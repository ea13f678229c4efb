"""rewards.allocation: worked examples, properties and validation (pure, no database)."""

import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rewards.allocation import allocate, request_amount

D = Decimal

fen_amounts = st.integers(min_value=0, max_value=10**10).map(lambda fen: D(fen).scaleb(-2))
request_lists = st.lists(fen_amounts, max_size=25).map(lambda amounts: [(f"k{i}", a) for i, a in enumerate(amounts)])
fast = settings(deadline=None, max_examples=200)


# --- worked examples -------------------------------------------------------------------------------


def test_three_equal_requests_first_gets_the_extra_fen():
    awards = allocate([("a", D("100")), ("b", D("100")), ("c", D("100"))], D("100.00"))
    assert awards == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    assert [str(v) for v in awards.values()] == ["33.34", "33.33", "33.33"]


def test_extra_fen_follow_the_given_order_not_the_key():
    awards = allocate([("c", D("100")), ("a", D("100")), ("b", D("100"))], D("100.00"))
    assert awards == {"c": D("33.34"), "a": D("33.33"), "b": D("33.33")}


def test_undersubscribed_pays_requests_and_keeps_the_rest():
    awards = allocate([(1, D("10.50")), (2, D("20.00"))], D("100.00"))
    assert awards == {1: D("10.50"), 2: D("20.00")}
    assert D("100.00") - sum(awards.values()) == D("69.50")


def test_exactly_subscribed_pays_requests():
    assert allocate([(1, D("60")), (2, D("40"))], D("100")) == {1: D("60.00"), 2: D("40.00")}


def test_zero_request_gets_zero_when_oversubscribed():
    awards = allocate([(1, D("0")), (2, D("300")), (3, D("0.00"))], D("100"))
    assert awards == {1: D("0.00"), 2: D("100.00"), 3: D("0.00")}


def test_largest_remainder_beats_order():
    # 10.00 over requests 40, 20, 10 (sum 70): exact shares 5.714.., 2.857.., 1.428.. -> floors 5.71, 2.85, 1.42
    # (sum 9.98, two fen left); remainders (in fen) 0.43, 0.71, 0.86: the fen go to the last two, although
    # "four" comes first in the given order.
    awards = allocate([("four", D("40")), ("two", D("20")), ("one", D("10"))], D("10.00"))
    assert awards == {"four": D("5.71"), "two": D("2.86"), "one": D("1.43")}
    assert sum(awards.values()) == D("10.00")


def test_single_leftover_fen_goes_to_largest_remainder_even_if_last():
    # Requests 1 and 2 share 1.00: exact 0.333.. and 0.666.. -> floors 0.33, 0.66, one fen left;
    # remainders 1/3 vs 2/3 of a fen: the later, larger remainder wins.
    assert allocate([("small", D("1")), ("big", D("2"))], D("1.00")) == {"small": D("0.33"), "big": D("0.67")}


def test_order_breaks_equal_remainders():
    # 2 fen over requests of 3, 3, 3, 3 fen (sum 12): each share is 0.5 fen -> floors 0, remainders equal.
    awards = allocate([("w", D("0.03")), ("x", D("0.03")), ("y", D("0.03")), ("z", D("0.03"))], D("0.02"))
    assert awards == {"w": D("0.01"), "x": D("0.01"), "y": D("0.00"), "z": D("0.00")}


def test_remainders_compared_exactly_beyond_decimal_precision():
    # Two remainders that differ only far beyond 28 significant digits must still be ordered correctly.
    big = 10**30
    a = D(big + 1).scaleb(-2)
    b = D(big).scaleb(-2)
    budget = D(big).scaleb(-2)
    awards = allocate([("b", b), ("a", a)], budget)
    assert sum(awards.values()) == budget
    shares = {k: Fraction(v) * Fraction(budget) / (Fraction(a) + Fraction(b)) for k, v in (("a", a), ("b", b))}
    for key, award in awards.items():
        assert Fraction(award) <= Fraction({"a": a, "b": b}[key])
        assert abs(Fraction(award) - shares[key]) < Fraction(1, 100)


def test_empty_requests():
    assert allocate([], D("100")) == {}


def test_all_zero_requests():
    assert allocate([(1, D("0")), (2, D("0.00"))], D("50")) == {1: D("0.00"), 2: D("0.00")}


def test_zero_budget():
    assert allocate([(1, D("5")), (2, D("7"))], D("0")) == {1: D("0.00"), 2: D("0.00")}


def test_awards_are_quantized_to_the_fen():
    awards = allocate([(1, D("5")), (2, D("7.5"))], D("100"))
    assert all(v.as_tuple().exponent == -2 for v in awards.values())


def test_trailing_zeros_beyond_two_decimals_are_accepted():
    assert allocate([(1, D("1.000"))], D("10.0000")) == {1: D("1.00")}


def test_result_keeps_request_order():
    assert list(allocate([(3, D("1")), (1, D("1")), (2, D("1"))], D("2"))) == [3, 1, 2]


# --- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requests", "budget", "message"),
    [
        ([(1, D("1"))], D("-0.01"), "budget must be >= 0"),
        ([(1, D("1"))], D("1.001"), "budget must have at most 2 decimals"),
        ([(1, D("-1"))], D("1"), "request for 1 must be >= 0"),
        ([(1, D("0.005"))], D("1"), "request for 1 must have at most 2 decimals"),
        ([(1, D("1")), (1, D("2"))], D("1"), "duplicate key"),
        ([(1, 1.5)], D("1"), "must be a Decimal"),
        ([(1, D("1"))], 10.0, "budget must be a Decimal"),
        ([(1, D("NaN"))], D("1"), "finite"),
        ([(1, D("1"))], D("Infinity"), "finite"),
        ([(1, D("1"), "extra")], D("1"), "pair"),
    ],
)
def test_invalid_input_raises_value_error(requests, budget, message):
    with pytest.raises(ValueError, match=message):
        allocate(requests, budget)


# --- properties ------------------------------------------------------------------------------------


def _exact_shares(requests, budget):
    total = sum(Fraction(a) for _, a in requests)
    return {k: Fraction(a) * Fraction(budget) / total for k, a in requests}


@fast
@given(requests=request_lists, budget=fen_amounts)
def test_sum_of_awards(requests, budget):
    awards = allocate(requests, budget)
    requested = sum((a for _, a in requests), D(0))
    if requested > budget:
        assert sum(awards.values()) == budget
    else:
        assert sum(awards.values(), D(0)) == requested


@fast
@given(requests=request_lists, budget=fen_amounts)
def test_awards_between_zero_and_request_with_two_decimals(requests, budget):
    awards = allocate(requests, budget)
    assert list(awards) == [k for k, _ in requests]
    for key, amount in requests:
        assert D(0) <= awards[key] <= amount
        assert awards[key].as_tuple().exponent == -2


@fast
@given(requests=request_lists, budget=fen_amounts)
def test_deterministic(requests, budget):
    assert allocate(requests, budget) == allocate(list(requests), D(str(budget)))


@fast
@given(requests=request_lists, budget=fen_amounts)
def test_largest_remainder_quota(requests, budget):
    """Oversubscribed: each award is its floored share or one fen more, and the extra fen went to the
    largest remainders, ties to the earlier key."""
    if sum(Fraction(a) for _, a in requests) <= Fraction(budget):
        return
    awards = allocate(requests, budget)
    shares = _exact_shares(requests, budget)
    floors = {k: Fraction(int(shares[k] * 100), 100) for k in shares}
    remainders = {k: shares[k] - floors[k] for k in shares}
    position = {k: i for i, (k, _) in enumerate(requests)}
    bumped = set()
    for key in shares:
        extra = Fraction(awards[key]) - floors[key]
        assert extra in (0, Fraction(1, 100))
        if extra:
            bumped.add(key)
    for winner in bumped:
        for loser in set(shares) - bumped:
            assert (remainders[winner], -position[winner]) > (remainders[loser], -position[loser])


@fast
@given(
    value=st.integers(min_value=0, max_value=10**6),
    count=st.integers(min_value=1, max_value=12),
    budget=st.integers(min_value=0, max_value=10**7),
    data=st.data(),
)
def test_permuting_equal_requests_permutes_awards(value, count, budget, data):
    amount, budget_d = D(value).scaleb(-2), D(budget).scaleb(-2)
    keys = list(range(count))
    shuffled = data.draw(st.permutations(keys))
    first = allocate([(k, amount) for k in keys], budget_d)
    second = allocate([(k, amount) for k in shuffled], budget_d)
    assert sorted(first.values()) == sorted(second.values())
    # Awards never increase along the given order: the extra fen go to the earliest keys.
    for order, awards in ((keys, first), (shuffled, second)):
        values = [awards[k] for k in order]
        assert values == sorted(values, reverse=True)
        assert values[0] - values[-1] <= D("0.01")


@fast
@given(requests=request_lists, budget=fen_amounts)
def test_equal_requests_get_awards_within_a_fen_earlier_first(requests, budget):
    awards = allocate(requests, budget)
    for i, (key_i, amount_i) in enumerate(requests):
        for key_j, amount_j in requests[i + 1 :]:
            if amount_i == amount_j:
                assert D(0) <= awards[key_i] - awards[key_j] <= D("0.01")


@fast
@given(requests=request_lists, budget=fen_amounts, extra=st.integers(min_value=0, max_value=10**6))
def test_more_budget_never_lowers_an_award_when_undersubscribed(requests, budget, extra):
    requested = sum((a for _, a in requests), D(0))
    if requested > budget:
        return
    assert allocate(requests, budget) == allocate(requests, budget + D(extra).scaleb(-2))


# --- request_amount --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "rate", "cap", "expected"),
    [
        (D("1000"), D("0.3"), None, D("300.00")),
        (D("1000"), D("0.3"), D("250"), D("250.00")),
        (D("1000"), D("0.3"), D("300.01"), D("300.00")),
        (D("33.33"), D("0.5"), None, D("16.66")),  # 16.665 rounds down
        (D("0.01"), D("0.99"), None, D("0.00")),
        (D("99.99"), D("1"), None, D("99.99")),
        (D("1000"), D("0.3"), D("250.005"), D("250.00")),  # cap with more decimals is floored too
        (D("0"), D("0.5"), D("100"), D("0.00")),
        (D("123456789012345678901234567890.99"), D("0.333"), None, D("41111110741111111074111111107.69")),
    ],
)
def test_request_amount(claim, rate, cap, expected):
    result = request_amount(claim, rate, cap)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("claim", "rate", "cap", "message"),
    [
        (D("-1"), D("0.5"), None, "claim must be >= 0"),
        (D("1"), D("-0.5"), None, "rate must be >= 0"),
        (D("1"), D("0.5"), D("-1"), "cap must be >= 0"),
        (1.0, D("0.5"), None, "claim must be a Decimal"),
        (D("1"), D("NaN"), None, "finite"),
    ],
)
def test_request_amount_validation(claim, rate, cap, message):
    with pytest.raises(ValueError, match=message):
        request_amount(claim, rate, cap)


@fast
@given(
    claim=fen_amounts,
    rate=st.decimals(min_value=0, max_value=1, places=4),
    cap=st.none() | fen_amounts,
)
def test_request_amount_is_the_floored_minimum(claim, rate, cap):
    result = request_amount(claim, rate, cap)
    exact = Fraction(rate) * Fraction(claim)
    if cap is not None:
        exact = min(exact, Fraction(cap))
    assert Fraction(result) <= exact < Fraction(result) + Fraction(1, 100)
    assert result.as_tuple().exponent == -2


def test_modules_are_pure():
    code = "import sys, rewards.allocation, rewards.ranking; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
