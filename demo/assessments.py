"""Demo assessments and reward rounds (DESIGN.md section 7) -- the extension point of seed_demo.

Two rounds: "Zone reward 2013", ranked and published (public results, awards), and "Zone reward 2014",
open, with assessments in every state (draft, submitted, returned, verified, rejected). firm1 and
firm2 take part in both, and firm1 has self-assessments for earlier years, so the maturity report shows
a trend. The rows are written in bulk with the same building blocks the workflow services use (snapshot,
scoring engine, `submission_fields` and `verification_fields`); the rounds go through the round services.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import OutputWrapper
from django.utils import timezone

from accounts.models import User
from assessments import scoring
from assessments.models import (
    Assessment,
    AssessmentSnapshot,
    AssessmentStatus,
    AssessmentTransition,
    ItemReview,
    ScoringScheme,
)
from assessments.services import default_scheme, submission_fields, verification_fields
from assessments.snapshots import build_snapshot, evidence_ids, item_keys, score_snapshot
from assessments.workflow import Action
from enterprises.models import Enterprise, ExpenseCategory
from reference.rates import RateTable
from reference.selectors import rate_table
from rewards import services as round_services
from rewards.models import RewardRound

ROUND_2013, ROUND_2014 = "Zone reward 2013", "Zone reward 2014"
TIERS = [
    {
        "name": "A",
        "top_share": Decimal("0.1000"),
        "top_rank": None,
        "rate": Decimal("0.5000"),
        "cap": Decimal("300000"),
    },
    {
        "name": "B",
        "top_share": Decimal("0.3000"),
        "top_rank": None,
        "rate": Decimal("0.3000"),
        "cap": Decimal("150000"),
    },
    {"name": "C", "top_share": Decimal("0.6000"), "top_rank": None, "rate": Decimal("0.1500"), "cap": Decimal("50000")},
]
#: 2014 round: the share of participants left in each state
STATES_2014 = [
    (AssessmentStatus.DRAFT, 0.10),
    (AssessmentStatus.SUBMITTED, 0.30),
    (AssessmentStatus.RETURNED, 0.10),
    (AssessmentStatus.VERIFIED, 0.40),
    (AssessmentStatus.REJECTED, 0.10),
]
RETURN_COMMENT = "Please attach the customs declarations for the export records and the audited annual report."
REJECT_COMMENT = "The foreign establishments could not be confirmed; the evidence does not match the records."
NOT_VERIFIED_COMMENT = "The evidence does not show this item."


#: the officer's decision on a reviewed assessment: the action and its comment to the firm
DECISIONS = {
    AssessmentStatus.VERIFIED: (Action.VERIFY, ""),
    AssessmentStatus.RETURNED: (Action.RETURN, RETURN_COMMENT),
    AssessmentStatus.REJECTED: (Action.REJECT, REJECT_COMMENT),
}


@dataclass(frozen=True)
class Seeding:
    """What every demo assessment is made with."""

    rng: random.Random
    scheme: ScoringScheme
    engine: scoring.Scheme
    rates: RateTable
    officer: User
    now: datetime


@dataclass
class Pending:
    assessment: Assessment
    snapshot: AssessmentSnapshot | None
    reviews: list[ItemReview]
    transitions: list[AssessmentTransition]
    evidence: list[int]


def seed_assessments_and_round(
    *, rng: random.Random, enterprises: list[Enterprise], accounts: dict[str, User], stdout: OutputWrapper
) -> None:
    """Both demo rounds with their assessments; see the module docstring."""
    RewardRound.objects.filter(name__in=[ROUND_2013, ROUND_2014]).delete()
    scheme = default_scheme()
    seeding = Seeding(
        rng, scheme, scheme.to_engine(), rate_table([2012, 2013, 2014]), accounts["officer"], timezone.now()
    )
    _seed_round_2013(seeding, enterprises, accounts["admin"], stdout)
    _seed_round_2014(seeding, enterprises, accounts["admin"], stdout)


def _seed_round_2013(seeding: Seeding, enterprises: list[Enterprise], admin: User, stdout: OutputWrapper) -> None:
    """Ranked and published in June 2014: firm1, firm2 and a sample of the others, all verified."""
    others = enterprises[2:]
    n_2013 = min(len(others), max(8, len(others) // 10), 300)
    round_2013 = _round(ROUND_2013, 2013, Decimal("3000000"), seeding, admin)
    pending = [
        _assess(firm, 2013, round_2013, AssessmentStatus.VERIFIED, seeding)
        for firm in [*enterprises[:2], *seeding.rng.sample(others, n_2013)]
    ]
    _write(pending)
    round_services.round_close(round_id=round_2013.pk, actor=admin, confirmed=True)
    round_services.round_rank(round_id=round_2013.pk, actor=admin)
    round_services.round_publish(round_id=round_2013.pk, actor=admin)
    published = timezone.make_aware(timezone.datetime(2014, 6, 30, 10, 0))
    RewardRound.objects.filter(pk=round_2013.pk).update(
        submission_opens=published - timedelta(days=150),
        submission_closes=published - timedelta(days=60),
        review_deadline=(published - timedelta(days=10)).date(),
        ranked_at=published - timedelta(days=2),
        published_at=published,
    )
    stdout.write(f"  round {ROUND_2013}: {len(pending)} verified assessments, ranked and published")


def _seed_round_2014(seeding: Seeding, enterprises: list[Enterprise], admin: User, stdout: OutputWrapper) -> None:
    """Open, with participants in every state; firm1 and firm2 also have earlier self-assessments."""
    firm1, firm2, others = enterprises[0], enterprises[1], enterprises[2:]
    n_2014 = min(len(others), max(10, len(others) // 6), 500)
    round_2014 = _round(ROUND_2014, 2014, Decimal("8000000"), seeding, admin)
    participants = seeding.rng.sample(others, n_2014)
    states = _states(len(participants), seeding.rng)
    pending = [
        _assess(firm1, 2014, round_2014, AssessmentStatus.SUBMITTED, seeding),
        _assess(firm2, 2014, round_2014, AssessmentStatus.RETURNED, seeding),
        *(_assess(firm, 2014, round_2014, state, seeding) for firm, state in zip(participants, states, strict=True)),
        *(_assess(firm1, year, None, AssessmentStatus.VERIFIED, seeding) for year in (2011, 2012)),
        _assess(firm2, 2012, None, AssessmentStatus.VERIFIED, seeding),
    ]
    _write(pending)
    counts = {state.label: states.count(state) for state, _share in STATES_2014}
    stdout.write(f"  round {ROUND_2014}: open, {len(pending) - 3} assessments ({counts}); firm1 and firm2 have a trend")


def _round(name: str, year: int, budget: Decimal, seeding: Seeding, admin: User) -> RewardRound:
    reward_round = RewardRound(
        name=name,
        reference_year=year,
        submission_opens=seeding.now - timedelta(days=14),
        submission_closes=seeding.now + timedelta(days=45),
        review_deadline=(seeding.now + timedelta(days=75)).date(),
        budget=budget,
        scheme=seeding.scheme,
        min_stage=1,
        eligible_expense_categories=[c.value for c in ExpenseCategory],
    )
    round_services.round_save(reward_round=reward_round, tiers=TIERS, actor=admin)
    return round_services.round_open(round_id=reward_round.pk, actor=admin)


def _states(n: int, rng: random.Random) -> list[str]:
    states = [state for state, share in STATES_2014 for _ in range(round(share * n))]
    states = (states + [AssessmentStatus.SUBMITTED] * n)[:n]
    rng.shuffle(states)
    return states


def _assess(
    enterprise: Enterprise, year: int, reward_round: RewardRound | None, status: str, seeding: Seeding
) -> Pending:
    """One assessment in `status`, as the workflow would have left it."""
    member = enterprise.memberships.first()
    member_user = member.user if member else None
    fields: dict[str, Any] = {
        "enterprise": enterprise,
        "reference_year": year,
        "round": reward_round,
        "status": status,
        "industry_group": enterprise.industry_group,
        "created_by": member_user,
        "scheme": seeding.scheme,
    }
    if status == AssessmentStatus.DRAFT:
        return Pending(Assessment(**fields), None, [], [], [])
    data = build_snapshot(enterprise, year, seeding.rates)
    scorecard = score_snapshot(data, seeding.engine)
    submitted = seeding.now - timedelta(days=seeding.rng.randint(2, 12), minutes=seeding.rng.randint(0, 600))
    fields |= {"submitted_at": submitted, **submission_fields(data, scorecard)}
    verdicts: dict[str, bool] = {}  # item key -> verified
    if status in DECISIONS:
        verdicts = {key: seeding.rng.random() >= 0.08 for key in item_keys(data)}
        verified = {key for key, ok in verdicts.items() if ok}
        fields |= _decision_fields(data, verified, status, submitted, seeding)
    elif seeding.rng.random() < 0.5:
        fields["reviewer"] = seeding.officer
    assessment = Assessment(**fields)
    snapshot = AssessmentSnapshot(
        assessment=assessment, version=1, data=data, scorecard=scorecard, submitted_by=member_user
    )
    reviews = [_item_review(snapshot, key, ok, seeding.officer) for key, ok in verdicts.items()]
    transitions = _transitions(assessment, status, member_user, seeding.officer)
    return Pending(assessment, snapshot, reviews, transitions, evidence_ids(data))


def _decision_fields(
    data: dict[str, Any], verified: set[str], status: str, submitted: datetime, seeding: Seeding
) -> dict[str, Any]:
    """What the officer's decision stores: the reviewer, the decision time (not for a return) and, for a
    verification, the verified scorecard and figures."""
    fields: dict[str, Any] = {"reviewer": seeding.officer}
    if status != AssessmentStatus.RETURNED:
        fields["decided_at"] = submitted + timedelta(days=1)
    if status == AssessmentStatus.VERIFIED:
        card = score_snapshot(data, seeding.engine, verified)
        fields |= verification_fields(data, verified, card)
    return fields


def _item_review(snapshot: AssessmentSnapshot, key: str, verified: bool, officer: User) -> ItemReview:
    return ItemReview(
        snapshot=snapshot,
        item_key=key,
        verified=verified,
        comment="" if verified else NOT_VERIFIED_COMMENT,
        reviewer=officer,
    )


def _transitions(assessment: Assessment, status: str, member: User | None, officer: User) -> list[AssessmentTransition]:
    """The submission by the firm's member and, for a decided assessment, the officer's decision."""
    transitions = [_transition(assessment, Action.SUBMIT, AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, member)]
    if status in DECISIONS:
        action, comment = DECISIONS[status]
        transitions.append(_transition(assessment, action, AssessmentStatus.SUBMITTED, status, officer, comment))
    return transitions


def _transition(assessment, action, from_status, to_status, actor, comment="") -> AssessmentTransition:
    return AssessmentTransition(
        assessment=assessment, action=action, from_status=from_status, to_status=to_status, actor=actor, comment=comment
    )


def _write(pending: list[Pending]) -> None:
    Assessment.objects.bulk_create([p.assessment for p in pending], batch_size=500)
    with_snapshot = [p for p in pending if p.snapshot is not None]
    for p in with_snapshot:
        p.snapshot.assessment = p.assessment
        for transition in p.transitions:
            transition.assessment = p.assessment
    AssessmentSnapshot.objects.bulk_create([p.snapshot for p in with_snapshot], batch_size=500)
    for p in with_snapshot:
        for review in p.reviews:
            review.snapshot = p.snapshot
    ItemReview.objects.bulk_create([r for p in with_snapshot for r in p.reviews], batch_size=2000)
    AssessmentTransition.objects.bulk_create([t for p in with_snapshot for t in p.transitions], batch_size=2000)
    links = AssessmentSnapshot.evidence_files.through
    links.objects.bulk_create(
        [links(assessmentsnapshot_id=p.snapshot.pk, evidencefile_id=e) for p in with_snapshot for e in p.evidence],
        batch_size=2000,
    )
