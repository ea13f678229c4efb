"""Ranking, tiers and awards of a reward round (DESIGN.md section 4), pure: no ORM, no request.

Callers turn eligible verified assessments into ``Entry`` values and tier settings into ``Tier``
values; ``compute_results`` does the rest. The ranking stored in the database ranks in SQL but takes its
tier bounds from ``tier_bounds`` here, so a tier's bound has one definition.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from rewards.allocation import allocate, from_fen, request_amount, to_fen

__all__ = [
    "Entry",
    "RankedEntry",
    "Result",
    "RoundOutcome",
    "Tier",
    "assign_tiers",
    "claim_of",
    "compute_results",
    "eligible_claim",
    "rank",
    "tier_bound",
    "tier_bounds",
    "validate_tiers",
]


@dataclass(frozen=True)
class Tier:
    """An award tier; exactly one of ``top_share`` (in (0, 1]) or ``top_rank`` (>= 1) is set.

    Bounds are cumulative: "top 20%" means rank <= ceil(0.2 * n), whatever the better tiers took.
    """

    name: str
    rate: Decimal
    cap: Decimal | None
    top_share: Decimal | None = None
    top_rank: int | None = None


@dataclass(frozen=True)
class Entry:
    """An eligible firm: enterprise id, verified total score and eligible claim in CNY."""

    key: int
    total: Decimal
    claim_cny: Decimal


def eligible_claim(verified_expenses: Mapping[str, str] | None, categories: Collection[str]) -> Decimal:
    """The claim in CNY: the firm's verified expenses of the year (CNY per category, as stored on the verified
    assessment) summed over the round's eligible categories."""
    return sum(
        (Decimal(amount) for category, amount in (verified_expenses or {}).items() if category in categories),
        Decimal(0),
    )


def claim_of(amounts: Iterable[str | None]) -> Decimal:
    """The claim in CNY from the verified expenses of the round's eligible categories alone (None where the
    firm has none): what ``eligible_claim`` gives when the categories were already picked out."""
    return sum((Decimal(amount) for amount in amounts if amount is not None), Decimal(0))


@dataclass(frozen=True)
class RankedEntry:
    key: int
    total: Decimal
    claim_cny: Decimal
    rank: int


@dataclass(frozen=True)
class Result:
    key: int
    total: Decimal
    rank: int
    tier: str | None
    claim_cny: Decimal
    request: Decimal
    award: Decimal


@dataclass(frozen=True)
class RoundOutcome:
    """Results in rank order plus the budget figures shown to admins (Σ award + unallocated = budget)."""

    results: list[Result]
    budget: Decimal
    total_requested: Decimal
    total_awarded: Decimal
    unallocated: Decimal


def _is_finite_decimal(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def validate_tiers(tiers: Sequence[Tier]) -> None:
    """Raise ``ValueError`` unless ``tiers`` is a usable best-first list of tiers.

    Bounds must grow strictly from tier to tier; when share and rank tiers are mixed only tiers of the
    same kind are compared (their relative size depends on n).
    """
    if not tiers:
        raise ValueError("at least one tier is required")
    names: set[str] = set()
    previous: dict[str, Decimal | int] = {}  # kind of limit → the last tier's value of it
    for position, tier in enumerate(tiers, start=1):
        label = f"tier {position} ({tier.name!r})"
        _check_name(tier, position, label, names)
        names.add(tier.name)
        _check_rate_and_cap(tier, label)
        kind, limit = _checked_limit(tier, label)
        if kind in previous and limit <= previous[kind]:
            raise ValueError(f"{label}: {kind} {limit} must be greater than the previous tier's {previous[kind]}")
        previous[kind] = limit


def _in_unit_interval(value: object) -> bool:
    return _is_finite_decimal(value) and Decimal(0) < value <= 1


def _check_name(tier: Tier, position: int, label: str, taken: set[str]) -> None:
    if not isinstance(tier.name, str) or not tier.name.strip():
        raise ValueError(f"tier {position} needs a name")
    if tier.name in taken:
        raise ValueError(f"{label}: duplicate tier name")


def _check_rate_and_cap(tier: Tier, label: str) -> None:
    if not _in_unit_interval(tier.rate):
        raise ValueError(f"{label}: rate must be a Decimal in (0, 1], got {tier.rate!r}")
    if tier.cap is not None and (not _is_finite_decimal(tier.cap) or tier.cap <= 0):
        raise ValueError(f"{label}: cap must be a Decimal > 0 when given, got {tier.cap!r}")


def _checked_limit(tier: Tier, label: str) -> tuple[str, Decimal | int]:
    """The tier's kind of limit ("top share" or "top rank") and its value, once both are known to be valid."""
    if (tier.top_share is None) == (tier.top_rank is None):
        raise ValueError(f"{label}: set exactly one of top share and top rank")
    if tier.top_share is not None:
        if not _in_unit_interval(tier.top_share):
            raise ValueError(f"{label}: top share must be a Decimal in (0, 1], got {tier.top_share!r}")
        return "top share", tier.top_share
    top = tier.top_rank
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"{label}: top rank must be an integer >= 1, got {top!r}")
    return "top rank", top


def rank(entries: Sequence[Entry]) -> list[RankedEntry]:
    """Sort by total descending then key ascending, with competition ranks (1, 2, 2, 4)."""
    seen: set[int] = set()
    for entry in entries:
        if entry.key in seen:
            raise ValueError(f"duplicate enterprise in entries: {entry.key!r}")
        seen.add(entry.key)
        if not _is_finite_decimal(entry.total):
            raise ValueError(f"total of {entry.key!r} must be a finite Decimal, got {entry.total!r}")
        if not _is_finite_decimal(entry.claim_cny) or entry.claim_cny < 0:
            raise ValueError(f"claim of {entry.key!r} must be a Decimal >= 0, got {entry.claim_cny!r}")
    # Two stable sorts instead of negating totals (Decimal negation would round to the context).
    ordered = sorted(sorted(entries, key=lambda e: e.key), key=lambda e: e.total, reverse=True)
    ranked: list[RankedEntry] = []
    for position, entry in enumerate(ordered, start=1):
        shared = ranked and ranked[-1].total == entry.total
        current = ranked[-1].rank if shared else position
        ranked.append(RankedEntry(key=entry.key, total=entry.total, claim_cny=entry.claim_cny, rank=current))
    return ranked


def tier_bound(tier: Tier, n: int) -> int:
    """Worst rank still inside ``tier`` among ``n`` firms: ceil(share * n) computed exactly, or top rank."""
    if tier.top_share is not None:
        return math.ceil(Fraction(tier.top_share) * n)
    if tier.top_rank is None:
        raise ValueError(f"tier {tier.name!r} has no bound")
    return tier.top_rank


def tier_bounds(tiers: Sequence[Tier], n: int) -> list[tuple[Tier, int]]:
    """Each tier with its bound among ``n`` firms, best first: a rank's tier is the first whose bound it meets.

    The database ranking (``rewards.services.insert_rankings``) takes these bounds as parameters.
    """
    return [(tier, tier_bound(tier, n)) for tier in tiers]


def assign_tiers(ranked: Sequence[RankedEntry], tiers: Sequence[Tier]) -> list[tuple[RankedEntry, Tier | None]]:
    """Pair each ranked entry with the first tier whose bound its rank meets (``None``: no tier)."""
    bounds = tier_bounds(tiers, len(ranked))
    return [(entry, next((tier for tier, bound in bounds if entry.rank <= bound), None)) for entry in ranked]


def compute_results(entries: Sequence[Entry], tiers: Sequence[Tier], budget: Decimal) -> RoundOutcome:
    """Rank, tier, request and allocate; results come in rank order (rank, then enterprise id)."""
    validate_tiers(tiers)
    budget_fen = to_fen(budget, "budget")
    tiered = assign_tiers(rank(entries), tiers)
    requests: list[tuple[int, Decimal]] = []
    for entry, tier in tiered:
        if tier is None:
            requests.append((entry.key, from_fen(0)))
        else:
            requests.append((entry.key, request_amount(entry.claim_cny, tier.rate, tier.cap)))
    # ``tiered`` is already in priority order (rank, then key), which is what allocate() expects.
    awards = allocate(requests, budget)
    results = [
        Result(
            key=entry.key,
            total=entry.total,
            rank=entry.rank,
            tier=tier.name if tier is not None else None,
            claim_cny=entry.claim_cny,
            request=request,
            award=awards[entry.key],
        )
        for (entry, tier), (_, request) in zip(tiered, requests, strict=True)
    ]
    requested_fen = sum(to_fen(request, "request") for _, request in requests)
    awarded_fen = sum(to_fen(result.award, "award") for result in results)
    return RoundOutcome(
        results=results,
        budget=from_fen(budget_fen),
        total_requested=from_fen(requested_fen),
        total_awarded=from_fen(awarded_fen),
        unallocated=from_fen(budget_fen - awarded_fen),
    )
