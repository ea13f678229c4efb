"""The ranking written by SQL (services.insert_rankings) gives every firm the rank and tier that the pure
engine (ranking.rank, ranking.tier_bound) gives, for many numbers of firms and sets of tiers."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment
from rewards import ranking, services
from rewards.models import Ranking, RoundStatus
from tests.workflow_helpers import make_round, verified_row

pytestmark = pytest.mark.django_db

POOL = 120

shares = st.integers(min_value=1, max_value=10_000).map(lambda n: Decimal(n).scaleb(-4))
limits = st.one_of(
    shares.map(lambda share: {"top_share": share}),
    st.integers(min_value=1, max_value=POOL + 5).map(lambda top: {"top_rank": top}),
)
tier_lists = st.lists(limits, min_size=1, max_size=4).map(
    lambda chosen: [ranking.Tier(name=f"T{i}", rate=Decimal("1"), cap=None, **limit) for i, limit in enumerate(chosen)]
)

totals_of_up_to_pool_firms = st.integers(min_value=0, max_value=POOL).flatmap(
    lambda n: st.lists(st.integers(min_value=0, max_value=9), min_size=n, max_size=n)
)


def _ranked_in_sql(reward_round, pool: list[Assessment], totals: list[int], tiers) -> dict[int, tuple[int, str]]:
    """Rank the first len(totals) firms of the pool with these totals (the rest below the round's minimum
    stage), then roll back."""
    with_total = defaultdict(list)
    for assessment, total in zip(pool, totals, strict=False):
        with_total[total].append(assessment.pk)
    with transaction.atomic():
        Assessment.objects.filter(round=reward_round).update(verified_stage=0)
        for total, pks in with_total.items():
            Assessment.objects.filter(pk__in=pks).update(verified_total=Decimal(total), verified_stage=1)
        services.insert_rankings(reward_round, tiers)
        rows = Ranking.objects.filter(round=reward_round).values_list("enterprise_id", "rank", "tier")
        got = {enterprise: (rank, tier) for enterprise, rank, tier in rows}
        transaction.set_rollback(True)
    return got


def _ranked_in_python(pool: list[Assessment], totals: list[int], tiers) -> dict[int, tuple[int, str]]:
    firms = [assessment.enterprise_id for assessment in pool[: len(totals)]]
    entries = [ranking.Entry(firm, Decimal(total), Decimal(0)) for firm, total in zip(firms, totals, strict=True)]
    paired = ranking.assign_tiers(ranking.rank(entries), tiers)
    return {entry.key: (entry.rank, tier.name if tier else "") for entry, tier in paired}


def test_sql_tiers_agree_with_tier_bound():
    reward_round = make_round(status=RoundStatus.CLOSED, tiers=[], min_stage=1)
    pool = [verified_row(reward_round, total="0") for _ in range(POOL)]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(totals=totals_of_up_to_pool_firms, tiers=tier_lists)
    def agree(totals, tiers):
        assert _ranked_in_sql(reward_round, pool, totals, tiers) == _ranked_in_python(pool, totals, tiers)

    agree()


def test_tiers_follow_the_firms_inserted_when_the_count_was_stale(monkeypatch):
    """The eligible firms are counted before the INSERT; if their number changed in between, the tiers are
    those of the number of firms actually ranked."""
    reward_round = make_round(status=RoundStatus.CLOSED, tiers=[], min_stage=1)
    pool = [verified_row(reward_round, total="0") for _ in range(10)]
    totals = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    tiers = [
        ranking.Tier(name="A", rate=Decimal("0.5"), cap=None, top_share=Decimal("0.2")),
        ranking.Tier(name="B", rate=Decimal("0.5"), cap=None, top_share=Decimal("0.5")),
    ]
    monkeypatch.setattr(QuerySet, "count", lambda self: 4)
    assert _ranked_in_sql(reward_round, pool, totals, tiers) == _ranked_in_python(pool, totals, tiers)
