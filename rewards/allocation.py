"""Budget allocation for reward rounds (DESIGN.md section 4), pure and exact.

All arithmetic is done in integers (fen, 0.01 CNY, or exact numerator/denominator pairs), so results
never depend on the ``decimal`` context precision and remainders are compared exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal

FEN = Decimal("0.01")

__all__ = ["FEN", "allocate", "from_fen", "request_amount", "to_fen"]


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

    total = sum(request_fen)
    if total <= budget_fen:
        awards = list(request_fen)
    else:
        # Exact share of i, in fen, is request_i * budget / total: its floor and remainder (over the
        # common denominator ``total``) come from one integer divmod.
        awards = []
        remainders = []
        for amount in request_fen:
            floor, remainder = divmod(amount * budget_fen, total)
            awards.append(floor)
            remainders.append(remainder)
        leftover = budget_fen - sum(awards)
        # The remainders sum to leftover * total and each is < total, so 0 <= leftover < len(requests)
        # and the chosen ones all have a positive remainder: floor + 1 <= ceil(share) <= request.
        order = sorted(range(len(awards)), key=lambda i: (-remainders[i], i))
        for i in order[:leftover]:
            awards[i] += 1
    return {key: from_fen(fen) for key, fen in zip(keys, awards, strict=True)}


def request_amount(claim_cny: Decimal, rate: Decimal, cap: Decimal | None) -> Decimal:
    """``min(cap, rate * claim)`` rounded down to the fen; ``cap=None`` means no cap.

    Integer arithmetic only (floor of a minimum is the minimum of the floors): exact, and cheap enough to
    call once per ranked firm.
    """
    claim_num, claim_den = _ratio(claim_cny, "claim")
    rate_num, rate_den = _ratio(rate, "rate")
    fen = claim_num * rate_num * 100 // (claim_den * rate_den)
    if cap is not None:
        cap_num, cap_den = _ratio(cap, "cap")
        fen = min(fen, cap_num * 100 // cap_den)
    return from_fen(fen)
