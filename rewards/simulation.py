"""What-if: the round's ranking and awards under another budget, weights or tiers, saving nothing."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments.scoring import COMPONENT_KEYS
from rewards import ranking
from rewards.models import RewardRound
from rewards.selectors import eligible_assessments, engine_tiers


@dataclass(frozen=True)
class Move:
    enterprise_id: int
    name: str
    current: ranking.Result
    simulated: ranking.Result

    @property
    def rank_change(self) -> int:
        """Positive: the firm moves up."""
        return self.current.rank - self.simulated.rank

    @property
    def award_change(self) -> Decimal:
        return self.simulated.award - self.current.award

    @property
    def tier_changed(self) -> bool:
        return self.current.tier != self.simulated.tier


def reweighted_total(scorecard: dict, weights: dict[str, Decimal]) -> Decimal:
    """Σ weight × subscore. Subscores are stored to 4 decimals, so this can differ from a full rescore by 0.01."""
    subscores = {c["key"]: Decimal(c["subscore"]) for c in scorecard["components"]}
    total = sum((weights[key] * subscores.get(key, Decimal(0)) for key in COMPONENT_KEYS), Decimal(0))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def simulate(
    reward_round: RewardRound,
    *,
    budget: Decimal | None = None,
    tiers: list[ranking.Tier] | None = None,
    weights: dict[str, Decimal] | None = None,
) -> tuple[ranking.RoundOutcome, ranking.RoundOutcome, list[Move]]:
    fields = ["enterprise_id", "enterprise__name_zh", "verified_total", "verified_expenses"]
    if weights is not None:
        fields.append("verified_scorecard")
    rows = list(eligible_assessments(reward_round).values(*fields))
    categories = set(reward_round.eligible_expense_categories)

    def claim(row) -> Decimal:
        return ranking.eligible_claim(row["verified_expenses"], categories)

    current_entries = [ranking.Entry(row["enterprise_id"], row["verified_total"], claim(row)) for row in rows]
    simulated_entries = [
        ranking.Entry(
            row["enterprise_id"],
            reweighted_total(row["verified_scorecard"], weights) if weights is not None else row["verified_total"],
            claim(row),
        )
        for row in rows
    ]
    current = ranking.compute_results(current_entries, engine_tiers(reward_round), reward_round.budget)
    simulated = ranking.compute_results(
        simulated_entries,
        tiers if tiers is not None else engine_tiers(reward_round),
        budget if budget is not None else reward_round.budget,
    )
    names = {row["enterprise_id"]: row["enterprise__name_zh"] for row in rows}
    before = {result.key: result for result in current.results}
    moves = [Move(result.key, names[result.key], before[result.key], result) for result in simulated.results]
    return current, simulated, moves
