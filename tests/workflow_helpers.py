"""Helpers for the workflow and round tests: firms with records, assessments in every state, rounds.

Everything goes through the real service functions unless a test needs many rows fast (`verified_row`).
"""

import datetime
import threading
import time
from decimal import Decimal

from django.db import OperationalError, connection, connections
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, AssessmentStatus, ScoringScheme, size_band_for
from assessments.scoring import COMPONENT_KEYS
from assessments.snapshots import item_keys
from enterprises.models import EstablishmentKind, ExpenseCategory, ExportChannel
from rewards.models import RewardRound, RoundStatus, RoundTier
from tests.factories import (
    AnnualReportFactory,
    EnterpriseFactory,
    EstablishmentFactory,
    ExpenseFactory,
    ExportRecordFactory,
    MembershipFactory,
    UserFactory,
)

YEAR = 2014
ALL_CATEGORIES = list(ExpenseCategory.values)


def default_scheme() -> ScoringScheme:
    # the service recreates the migration's default scheme after a transactional test flushed the database
    return services.default_scheme()


def records_for(firm, year: int = YEAR) -> dict:
    """A firm at stage 3: annual report, exports through an agent to DE, a sales subsidiary in DE, an expense."""
    return {
        "report": AnnualReportFactory(enterprise=firm, year=year),
        "export": ExportRecordFactory(
            enterprise=firm, year=year, destination="DE", channel=ExportChannel.AGENT, value=Decimal("3000000.00")
        ),
        "establishment": EstablishmentFactory(
            enterprise=firm, country="DE", kind=EstablishmentKind.SALES, opened=datetime.date(year - 2, 3, 1)
        ),
        "expense": ExpenseFactory(
            enterprise=firm,
            category=ExpenseCategory.EXHIBITION,
            amount=Decimal("100000.00"),
            date=datetime.date(year, 4, 10),
        ),
    }


def firm_with_member(**firm_fields):
    firm = EnterpriseFactory(**firm_fields)
    member = MembershipFactory(enterprise=firm, user=UserFactory()).user
    return firm, member


def make_round(*, status: str = RoundStatus.OPEN, tiers: list[dict] | None = None, **fields) -> RewardRound:
    """A round valid for opening (window open now, two share tiers) in the given status, created directly."""
    now = timezone.now()
    values = {
        "name": f"Round {YEAR}",
        "reference_year": YEAR,
        "submission_opens": now - datetime.timedelta(days=1),
        "submission_closes": now + datetime.timedelta(days=30),
        "review_deadline": (now + datetime.timedelta(days=60)).date(),
        "budget": Decimal("1000000.00"),
        "scheme": default_scheme(),
        "eligible_expense_categories": ALL_CATEGORIES,
        "status": status,
    }
    values.update(fields)
    reward_round = RewardRound.objects.create(**values)
    if tiers is None:
        tiers = [
            {"name": "A", "top_share": Decimal("0.1000"), "rate": Decimal("0.5000"), "cap": None},
            {"name": "B", "top_share": Decimal("0.5000"), "rate": Decimal("0.3000"), "cap": Decimal("200000.00")},
        ]
    for position, tier in enumerate(tiers, 1):
        RoundTier.objects.create(round=reward_round, position=position, **tier)
    return reward_round


def submitted(firm, member, *, reward_round=None, year: int = YEAR) -> Assessment:
    assessment = services.assessment_create(
        enterprise=firm, reference_year=year, actor=member, reward_round=reward_round
    )
    return services.assessment_submit(assessment_id=assessment.pk, actor=member)


def judge_every_item(assessment: Assessment, officer, keys: list[str] | None = None) -> None:
    """Record a verdict on every item of the current snapshot: verified for `keys` (default: all), not verified
    for the others (verification needs a verdict on every item)."""
    snapshot = assessment.current_snapshot
    verified = set(item_keys(snapshot.data) if keys is None else keys)
    for key in item_keys(snapshot.data):
        if not snapshot.item_reviews.filter(item_key=key).exists() or key in verified:
            services.item_review_set(
                assessment_id=assessment.pk, item_key=key, verified=key in verified, comment="", actor=officer
            )


def verify_all(assessment: Assessment, officer, keys: list[str] | None = None) -> Assessment:
    """Mark `keys` (default: every item of the current snapshot) verified and the others not verified, then
    verify the assessment."""
    judge_every_item(assessment, officer, keys)
    return services.assessment_verify(assessment_id=assessment.pk, actor=officer)


def assessment_in(state: str, firm, member, officer, *, reward_round=None) -> Assessment:
    """An assessment brought to `state` through the real workflow."""
    if state == AssessmentStatus.DRAFT:
        return services.assessment_create(enterprise=firm, reference_year=YEAR, actor=member, reward_round=reward_round)
    assessment = submitted(firm, member, reward_round=reward_round)
    if state == AssessmentStatus.RETURNED:
        return services.assessment_return(assessment_id=assessment.pk, actor=officer, comment="Add the invoice.")
    if state == AssessmentStatus.VERIFIED:
        return verify_all(assessment, officer)
    if state == AssessmentStatus.REJECTED:
        return services.assessment_reject(assessment_id=assessment.pk, actor=officer, comment="Not a tech firm.")
    return assessment


def scorecard_for(total: str, subscores: dict[str, str] | None = None) -> dict:
    """A verified scorecard whose components carry `subscores` (default: total/100 for every component, so
    any weights summing to 100 give `total` again)."""
    weights = default_scheme().to_engine().weights
    uniform = str((Decimal(total) / 100).quantize(Decimal("0.0001")))
    subscores = subscores or dict.fromkeys(COMPONENT_KEYS, uniform)
    return {
        "stage": 0,
        "geography": 1,
        "markets": {},
        "total": total,
        "components": [
            {
                "key": key,
                "raw": 0,
                "subscore": subscores.get(key, "0"),
                "weight": str(weights[key]),
                "points": str(weights[key] * Decimal(subscores.get(key, "0"))),
                "reason": "",
            }
            for key in COMPONENT_KEYS
        ],
    }


def verified_row(
    reward_round,
    *,
    total: str,
    stage: int = 3,
    expenses: dict | None = None,
    foreign_revenue: str | None = "1000000",
    is_sme: bool | None = True,
    subscores: dict[str, str] | None = None,
    **firm_fields,
) -> Assessment:
    """A verified assessment of a new firm written directly (no snapshot): for ranking and queue tests."""
    firm = EnterpriseFactory(**firm_fields)
    return Assessment.objects.create(
        enterprise=firm,
        reference_year=reward_round.reference_year if reward_round else YEAR,
        round=reward_round,
        scheme=reward_round.scheme if reward_round else default_scheme(),
        status=AssessmentStatus.VERIFIED,
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        industry_group=firm.industry_group,
        size_band=size_band_for(Decimal("50000000")),
        self_total=Decimal(total),
        self_stage=stage,
        verified_total=Decimal(total),
        verified_stage=stage,
        verified_foreign_revenue=Decimal(foreign_revenue) if foreign_revenue is not None else None,
        verified_is_sme=is_sme,
        verified_expenses=expenses or {},
        verified_scorecard=scorecard_for(total, subscores),
    )


def _waiting_for_locks(call):
    """Call, retrying while SQLite's shared-cache test database answers "table is locked".

    Production SQLite (a file, BEGIN IMMEDIATE, a 20 s busy timeout) makes the second writer wait; the
    in-memory test database shares one cache between connections, where a lock conflict fails at once
    (SQLITE_LOCKED ignores the busy timeout). Retrying emulates the wait; on PostgreSQL nothing is retried.
    """
    for _attempt in range(500):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("still locked after 5 s")


def race(*calls):
    """Run the callables at once in threads; returns [(result or None, exception or None)] in call order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = (_waiting_for_locks(call), None)
        except Exception as error:
            outcomes[index] = (None, error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
