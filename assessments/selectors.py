"""Reads of assessments, scoped: firm members see their firm's; officers see everything past draft."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, QuerySet

from accounts.models import User
from assessments import scoring
from assessments.models import Assessment, AssessmentSnapshot, AssessmentStatus
from assessments.snapshots import build_snapshot, item_keys, score_snapshot
from enterprises.models import Enterprise
from enterprises.selectors import enterprises_for
from reference.rates import MissingExchangeRate
from reference.selectors import rate_table

UNDER_REVIEW_OR_DECIDED = [s for s in AssessmentStatus.values if s != AssessmentStatus.DRAFT]
MIN_PEERS = 5


def reward_rounds() -> QuerySet:
    """Every reward round. Rewards sits above assessments, so its model is reached through `Assessment.round`."""
    return Assessment.round.field.related_model.objects.all()


def rounds_open_for_submission() -> QuerySet:
    """The rounds a firm can submit an assessment to now (the round's own rule)."""
    return reward_rounds().open_for_submission()


def enterprises_under_review() -> QuerySet[Enterprise]:
    """Firms with at least one assessment past draft: officers may see their evidence."""
    return Enterprise.objects.filter(assessments__status__in=UNDER_REVIEW_OR_DECIDED)


def assessments_for_firm(user: User, enterprise: Enterprise) -> QuerySet[Assessment]:
    return Assessment.objects.filter(enterprise=enterprise, enterprise__in=enterprises_for(user)).select_related(
        "round"
    )


def unjudged_item_keys(snapshot: AssessmentSnapshot | None) -> list[str]:
    """The snapshot's items without an officer's verdict, in display order."""
    if snapshot is None:
        return []
    judged = set(snapshot.item_reviews.values_list("item_key", flat=True))
    return [key for key in item_keys(snapshot.data) if key not in judged]


def officer_queue(user: User) -> QuerySet[Assessment]:
    """Every assessment past draft, except those of firms the officer belongs to (a conflict of interest)."""
    if not user.is_officer:
        return Assessment.objects.none()
    return (
        Assessment.objects.filter(status__in=UNDER_REVIEW_OR_DECIDED)
        .exclude(enterprise__in=enterprises_for(user))
        .select_related("enterprise", "round", "reviewer")
    )


def verified_peers(*, reference_year: int, industry_group: str, size_band: str, enterprise_id: int) -> QuerySet:
    """The verified assessments of the other firms of the same year, industry group and size band."""
    return Assessment.objects.filter(
        status=AssessmentStatus.VERIFIED,
        reference_year=reference_year,
        industry_group=industry_group,
        size_band=size_band,
    ).exclude(enterprise_id=enterprise_id)


def percentile(assessment: Assessment) -> tuple[Decimal | None, int]:
    """Where a verified assessment stands among verified peers (same year, industry group, size band).

    Returns (percentile or None when fewer than MIN_PEERS peers, number of peers). Peers are other firms,
    each counted once (with its best verified total of the year: a firm may have a verified self-assessment
    and a verified round assessment); ties count half.
    """
    if assessment.verified_total is None:
        return None, 0
    peers = verified_peers(
        reference_year=assessment.reference_year,
        industry_group=assessment.industry_group,
        size_band=assessment.size_band,
        enterprise_id=assessment.enterprise_id,
    )
    per_firm = peers.order_by().values("enterprise_id").annotate(best=Max("verified_total"))
    counts = per_firm.aggregate(
        n=Count("enterprise_id"),
        below=Count("enterprise_id", filter=Q(best__lt=assessment.verified_total)),
        equal=Count("enterprise_id", filter=Q(best=assessment.verified_total)),
    )
    if counts["n"] < MIN_PEERS:
        return None, counts["n"]
    value = (Decimal(counts["below"]) + Decimal(counts["equal"]) / 2) * 100 / counts["n"]
    return value.quantize(Decimal("1")), counts["n"]


def trend(enterprise: Enterprise) -> list[dict]:
    """The firm's best known score per year: verified where there is one, else self-reported."""
    rows = (
        Assessment.objects.filter(enterprise=enterprise)
        .exclude(status=AssessmentStatus.DRAFT)
        .order_by("reference_year", "-verified_total", "-submitted_at")
        .values("reference_year", "status", "self_total", "verified_total", "self_stage", "verified_stage")
    )
    by_year: dict[int, dict] = {}
    for row in rows:
        current = by_year.get(row["reference_year"])
        if current is None or (current["verified_total"] is None and row["verified_total"] is not None):
            by_year[row["reference_year"]] = row
    return [by_year[year] for year in sorted(by_year)]


def peer_medians(
    *, reference_year: int, industry_group: str, size_band: str, enterprise_id: int
) -> tuple[dict[str, Decimal] | None, int]:
    """The median subscore of each component among the verified peers of `percentile` (each firm counted once,
    with its best verified total of the year): (medians or None when fewer than MIN_PEERS peers, number of peers).

    Only the subscores are read from the stored scorecards (a JSON path per component), not whole scorecards.
    """
    peers = verified_peers(
        reference_year=reference_year, industry_group=industry_group, size_band=size_band, enterprise_id=enterprise_id
    )
    paths = [
        (f"verified_scorecard__components__{index}__key", f"verified_scorecard__components__{index}__subscore")
        for index in range(len(scoring.COMPONENT_KEYS))
    ]
    rows = peers.order_by("enterprise_id", "-verified_total", "-decided_at", "-pk").values_list(
        "enterprise_id", *(path for pair in paths for path in pair)
    )
    best: dict[int, tuple] = {}
    for enterprise, *values in rows.iterator(chunk_size=2000):
        best.setdefault(enterprise, values)
    if len(best) < MIN_PEERS:
        return None, len(best)
    by_key: dict[str, list[Decimal]] = {key: [] for key in scoring.COMPONENT_KEYS}
    for values in best.values():
        for key, subscore in zip(values[0::2], values[1::2], strict=True):
            if key in by_key and subscore is not None:
                by_key[key].append(Decimal(str(subscore)))
    four_places = Decimal("0.0001")
    medians = {
        key: statistics.median(values).quantize(four_places, rounding=ROUND_HALF_UP)
        for key, values in by_key.items()
        if values
    }
    return medians, len(best)


def live_scorecard(enterprise: Enterprise, year: int, scheme: scoring.Scheme) -> dict:
    """The scorecard of the firm's current records for `year` (`{"scorecard", "data"}`), or `{"error"}` when an
    exchange rate it needs is missing."""
    try:
        data = build_snapshot(enterprise, year, rate_table([year]))
    except MissingExchangeRate as error:
        return {"error": str(error)}
    return {"scorecard": score_snapshot(data, scheme), "data": data}


def status_counts(queue: QuerySet[Assessment]) -> dict[str, int]:
    """Assessments per status in `queue` (one grouped query); `total` is their sum."""
    counts = dict(queue.order_by().values_list("status").annotate(n=Count("pk")))
    return {**counts, "total": sum(counts.values())}
