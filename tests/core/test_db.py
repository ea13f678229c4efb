"""ANALYZE after bulk writes: PostgreSQL's planner statistics exist right after ranking, an import or a seed."""

import pytest
from django.db import connection

from core.db import analyze
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _rows_known_to_the_planner(table: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return int(cursor.fetchone()[0])


def test_analyze_gives_the_planner_the_table_size():
    for _ in range(3):
        EnterpriseFactory()
    analyze(Enterprise)  # no-op outside PostgreSQL; must not fail there
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    assert _rows_known_to_the_planner(Enterprise._meta.db_table) == Enterprise.objects.count()


def test_ranking_analyzes_the_tables_it_filled(administrator):
    from rewards import services
    from rewards.models import Ranking, RoundStatus
    from tests.workflow_helpers import make_round, verified_row

    reward_round = make_round(status=RoundStatus.CLOSED)
    for total in ("70", "60"):
        verified_row(reward_round, total=total)
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    assert _rows_known_to_the_planner(Ranking._meta.db_table) == 2
