from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from assessments.models import Assessment, AssessmentStatus
from assessments.report import expense_category_labels
from rewards import ranking
from rewards.models import Award, Ranking, RankingRun, RankingRunStatus, RewardRound, RoundStatus


@dataclass(frozen=True)
class RoundProgress:
    """How far the review of a round's assessments has come; `under_review` are submitted and assigned."""

    drafts: int = 0
    submitted: int = 0
    under_review: int = 0
    returned: int = 0
    verified: int = 0
    rejected: int = 0

    @property
    def undecided(self) -> int:
        return self.submitted + self.under_review + self.returned


def progress_aggregates() -> dict:
    """The aggregates of a round's assessments that make its RoundProgress (one per field)."""
    S = AssessmentStatus
    return {
        "drafts": Count("pk", filter=Q(status=S.DRAFT)),
        "submitted": Count("pk", filter=Q(status=S.SUBMITTED, reviewer__isnull=True)),
        "under_review": Count("pk", filter=Q(status=S.SUBMITTED, reviewer__isnull=False)),
        "returned": Count("pk", filter=Q(status=S.RETURNED)),
        "verified": Count("pk", filter=Q(status=S.VERIFIED)),
        "rejected": Count("pk", filter=Q(status=S.REJECTED)),
    }


def round_progress(reward_round: RewardRound) -> RoundProgress:
    return RoundProgress(**Assessment.objects.filter(round=reward_round).aggregate(**progress_aggregates()))


def published_rounds() -> QuerySet[RewardRound]:
    return RewardRound.objects.filter(status=RoundStatus.PUBLISHED).order_by("-reference_year", "-published_at")


def eligibility_filter(reward_round: RewardRound) -> Q:
    rules = Q(round=reward_round, status=AssessmentStatus.VERIFIED, verified_total__isnull=False)
    if reward_round.min_stage:
        rules &= Q(verified_stage__gte=reward_round.min_stage)
    if reward_round.min_foreign_revenue:
        rules &= Q(verified_foreign_revenue__gte=reward_round.min_foreign_revenue)
    if reward_round.sme_only:
        rules &= Q(verified_is_sme=True)
    if reward_round.registration_types:
        rules &= Q(enterprise__registration_type__in=reward_round.registration_types)
    return rules


def eligible_assessments(reward_round: RewardRound) -> QuerySet[Assessment]:
    return Assessment.objects.filter(eligibility_filter(reward_round))


def ineligible_assessments(reward_round: RewardRound) -> QuerySet[Assessment]:
    """Verified assessments of the round that fail a rule (shown to administrators with the reason)."""
    return (
        Assessment.objects.filter(round=reward_round, status=AssessmentStatus.VERIFIED)
        .exclude(pk__in=eligible_assessments(reward_round).values("pk"))
        .select_related("enterprise")
    )


def ineligibility_reasons(reward_round: RewardRound, assessment: Assessment) -> list[str]:
    reasons = []
    if (assessment.verified_stage or 0) < reward_round.min_stage:
        reasons.append(_("stage %(s)s below %(m)s") % {"s": assessment.verified_stage, "m": reward_round.min_stage})
    minimum = reward_round.min_foreign_revenue
    if minimum and (assessment.verified_foreign_revenue or 0) < minimum:
        reasons.append(_("verified foreign revenue below the minimum"))
    if reward_round.sme_only and assessment.verified_is_sme is not True:
        reasons.append(_("not a verified SME"))
    types = reward_round.registration_types
    if types and assessment.enterprise.registration_type not in types:
        reasons.append(_("registration type not eligible"))
    return reasons


def engine_tier(t) -> ranking.Tier:
    return ranking.Tier(name=t.name, rate=t.rate, cap=t.cap, top_share=t.top_share, top_rank=t.top_rank)


def engine_tiers(reward_round: RewardRound) -> list[ranking.Tier]:
    return [engine_tier(t) for t in reward_round.tiers.order_by("position")]


def round_results(reward_round: RewardRound) -> QuerySet[Ranking]:
    return (
        Ranking.objects.filter(round=reward_round)
        .select_related("enterprise", "award")
        .order_by("rank", "enterprise_id")
    )


#: what a results row is read as: the columns of results.csv in order, then the firm id (the second sort key)
RESULT_VALUES = ("rank", "enterprise__name_zh", "enterprise__uscc", "total", "tier", "award__amount", "enterprise_id")


def result_values(reward_round: RewardRound) -> QuerySet:
    """A round's results as value tuples (`RESULT_VALUES`) in published order: one indexed join, no model rows."""
    return Ranking.objects.filter(round=reward_round).values_list(*RESULT_VALUES).order_by("rank", "enterprise_id")


def award_totals(reward_round: RewardRound) -> dict:
    totals = Award.objects.filter(round=reward_round).aggregate(
        awarded=Sum("amount"), requested=Sum("request"), n=Count("pk")
    )
    awarded = totals["awarded"] or 0
    return {**totals, "awarded": awarded, "unallocated": reward_round.budget - awarded}


def round_result_for(assessment: Assessment) -> dict | None:
    """A firm's published rank, tier and award, with the figures that explain it."""
    reward_round = assessment.round
    if reward_round is None or reward_round.status != RoundStatus.PUBLISHED:
        return None
    ranking_row = Ranking.objects.filter(round=reward_round, assessment=assessment).select_related("award").first()
    n = Ranking.objects.filter(round=reward_round).count()
    tier = reward_round.tiers.filter(name=ranking_row.tier).first() if ranking_row and ranking_row.tier else None
    has_award = ranking_row is not None and Award.objects.filter(ranking=ranking_row).exists()
    award = getattr(ranking_row, "award", None) if has_award else None
    totals = award_totals(reward_round)
    return {
        "round": reward_round,
        "ranking": ranking_row,
        "n": n,
        "tier": tier,
        "award": award,
        "bound": ranking.tier_bound(engine_tier(tier), n) if tier else None,
        "oversubscribed": (totals["requested"] or 0) > reward_round.budget,
        "categories": expense_category_labels(reward_round.eligible_expense_categories),
        # only a verified assessment can fail an eligibility rule; any other was simply not verified in time
        "reasons": (
            ineligibility_reasons(reward_round, assessment)
            if ranking_row is None and assessment.status == AssessmentStatus.VERIFIED
            else []
        ),
    }


def ranking_run_shown(reward_round: RewardRound) -> RankingRun | None:
    """The round's background ranking the page shows: one a worker has still to finish, or the last one if it
    failed after the round's last ranking. Only a closed or ranked round can be ranked (no query otherwise)."""
    if reward_round.status not in (RoundStatus.CLOSED, RoundStatus.RANKED):
        return None
    run = reward_round.ranking_runs.select_related("requested_by").first()
    if run is None or run.status == RankingRunStatus.DONE:
        return None
    if run.status == RankingRunStatus.FAILED and reward_round.ranked_at and reward_round.ranked_at > run.requested_at:
        return None
    return run
