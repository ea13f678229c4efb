"""Budget allocation for reward rounds (DESIGN.md section 4), pure and exact.

All arithmetic is done in integers (fen, 0.01 CNY, or exact numerator/denominator pairs), so results
never depend on the ``decimal`` context precision and remainders are compared exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal

FEN = Decimal("0.01")

__all__ = [
    "FEN",
    "allocate",
    "allocate_fen",
    "cap_fen",
    "from_fen",
    "rate_ratio",
    "request_amount",
    "request_fen",
    "to_fen",
]


def _ratio(value: object, what: str) -> tuple[int, int]:
    """A non-negative finite Decimal (or int) as (numerator, denominator); anything else is refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{what} must be a Decimal, got {type(value).__name__} {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be a finite amount, got {value}")
    if value < 0:
        raise ValueError(f"{what} must be >= 0, got {value}")
    return value.as_integer_ratio()


def to_fen(value: object, what: str) -> int:
    """Amount as a non-negative whole number of fen; more than 2 decimals is an error, not a rounding."""
    numerator, denominator = _ratio(value, what)
    fen, rest = divmod(numerator * 100, denominator)
    if rest:
        raise ValueError(f"{what} must have at most 2 decimals (whole fen), got {value}")
    return fen


def from_fen(fen: int) -> Decimal:
    """Decimal with exactly 2 decimals, built from digits so no context rounding can occur."""
    sign = "-" if fen < 0 else ""
    units, cents = divmod(abs(fen), 100)
    return Decimal(f"{sign}{units}.{cents:02d}")


def allocate(requests: Sequence[tuple[Hashable, Decimal]], budget: Decimal) -> dict[Hashable, Decimal]:
    """Share ``budget`` among ``requests`` by DESIGN.md section 4.

    ``requests`` is a list of ``(key, amount)`` in priority order (better rank first, then lower
    enterprise id); amounts and budget are whole fen. If the requests fit in the budget each key gets
    its request and the rest stays unallocated. Otherwise each award is its proportional share rounded
    down to the fen, and the leftover fen go one each to the largest remainders, ties to the earlier
    key: the awards then sum to the budget exactly and none exceeds its request.

    Returns ``{key: award}`` with every award quantized to 0.01, in the order of ``requests``.
    """
    budget_fen = to_fen(budget, "budget")
    keys: list[Hashable] = []
    request_fen: list[int] = []
    seen: set[Hashable] = set()
    for position, item in enumerate(requests):
        try:
            key, amount = item
        except (TypeError, ValueError):
            raise ValueError(f"request #{position} must be a (key, amount) pair, got {item!r}") from None
        if key in seen:
            raise ValueError(f"duplicate key in requests: {key!r}")
        seen.add(key)
        keys.append(key)
        request_fen.append(to_fen(amount, f"request for {key!r}"))

    awards = allocate_fen(request_fen, budget_fen)
    return {key: from_fen(fen) for key, fen in zip(keys, awards, strict=True)}


def allocate_fen(request_fen: Sequence[int], budget_fen: int) -> list[int]:
    """``allocate`` on whole fen already checked (a round of 200,000 firms needs no Decimal per firm): the
    awards in fen, in the order of ``request_fen`` (the priority order)."""
    total = sum(request_fen)
    if total <= budget_fen:
        return list(request_fen)
    # Exact share of i, in fen, is request_i * budget / total: its floor and remainder (over the
    # common denominator ``total``) come from one integer divmod.
    awards = []
    remainders = []
    for amount in request_fen:
        floor, remainder = divmod(amount * budget_fen, total)
        awards.append(floor)
        remainders.append(-remainder)
    leftover = budget_fen - sum(awards)
    # The remainders sum to leftover * total and each is < total, so 0 <= leftover < len(requests)
    # and the chosen ones all have a positive remainder: floor + 1 <= ceil(share) <= request.
    # Largest remainder first, ties to the earlier request: a stable sort on the negated remainders.
    for i in sorted(range(len(awards)), key=remainders.__getitem__)[:leftover]:
        awards[i] += 1
    return awards


def request_amount(claim_cny: Decimal, rate: Decimal, cap: Decimal | None) -> Decimal:
    """``min(cap, rate * claim)`` rounded down to the fen; ``cap=None`` means no cap.

    Integer arithmetic only (floor of a minimum is the minimum of the floors): exact, and cheap enough to
    call once per ranked firm.
    """
    return from_fen(request_fen(claim_cny, rate_ratio(rate), cap_fen(cap)))


def rate_ratio(rate: Decimal) -> tuple[int, int]:
    """A tier's rate as an exact (numerator, denominator), computed once per tier for ``request_fen``."""
    return _ratio(rate, "rate")


def cap_fen(cap: Decimal | None) -> int | None:
    """A tier's cap rounded down to the fen (None: no cap)."""
    if cap is None:
        return None
    cap_num, cap_den = _ratio(cap, "cap")
    return cap_num * 100 // cap_den


def request_fen(claim_cny: Decimal, rate: tuple[int, int], cap: int | None) -> int:
    """``request_amount`` in whole fen, from the tier's ``rate_ratio`` and ``cap_fen``."""
    claim_num, claim_den = _ratio(claim_cny, "claim")
    fen = claim_num * rate[0] * 100 // (claim_den * rate[1])
    return fen if cap is None else min(fen, cap)
