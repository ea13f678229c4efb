"""What holds a round's rankings and awards to the rows they come from (rewards.0007).

On PostgreSQL a ranking has one composite foreign key to its assessment's (id, round, firm) and an award one
to its ranking's (id, round, firm): a row that names another round or firm than the row it refers to is
refused. The ORM's relations (on_delete) hold on every database.
"""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from rewards import services
from rewards.models import Award, Ranking, RoundStatus
from tests.factories import EnterpriseFactory
from tests.workflow_helpers import make_round, verified_row

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the composite foreign keys are PostgreSQL's"
)


@pytest.fixture
def ranked(administrator):
    reward_round = make_round(
        status=RoundStatus.CLOSED,
        budget=Decimal("1000.00"),
        eligible_expense_categories=["exhibition"],
        tiers=[{"name": "A", "top_share": Decimal("1"), "rate": Decimal("1"), "cap": None}],
    )
    for total in ("70", "60"):
        verified_row(reward_round, total=total, expenses={"exhibition": "100.00"})
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    return reward_round


def _checked_now(write) -> None:
    """Run `write`, then the deferred constraint checks a commit would run, and roll back."""
    with transaction.atomic():
        write()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _another(field: str):
    return EnterpriseFactory() if field == "enterprise" else make_round(status=RoundStatus.CLOSED, name="Another round")


@postgresql_only
@pytest.mark.parametrize("field", ["enterprise", "round"])
def test_a_ranking_cannot_name_another_firm_or_round_than_its_assessment(ranked, field):
    ranking = Ranking.objects.filter(round=ranked).first()
    Award.objects.filter(ranking=ranking).delete()
    other = _another(field)
    with pytest.raises(IntegrityError):
        _checked_now(lambda: Ranking.objects.filter(pk=ranking.pk).update(**{field: other}))


@postgresql_only
@pytest.mark.parametrize("field", ["enterprise", "round"])
def test_an_award_cannot_name_another_firm_or_round_than_its_ranking(ranked, field):
    award = Award.objects.filter(round=ranked).first()
    other = _another(field)
    with pytest.raises(IntegrityError):
        _checked_now(lambda: Award.objects.filter(pk=award.pk).update(**{field: other}))


@postgresql_only
def test_a_ranking_and_an_award_each_commit_with_one_foreign_key():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid IN ('rewards_ranking'::regclass, 'rewards_award'::regclass) "
            "ORDER BY 1"
        )
        keys = cursor.fetchall()
    assert [(table, definition.split(" MATCH")[0]) for table, definition in keys] == [
        (
            "rewards_award",
            "FOREIGN KEY (ranking_id, round_id, enterprise_id) REFERENCES rewards_ranking(id, round_id, enterprise_id)",
        ),
        (
            "rewards_ranking",
            "FOREIGN KEY (assessment_id, round_id, enterprise_id) "
            "REFERENCES assessments_assessment(id, round_id, enterprise_id)",
        ),
    ]


def test_the_ranked_rows_agree_with_their_assessments(ranked):
    rankings = Ranking.objects.filter(round=ranked).select_related("assessment")
    assert len(rankings) == 2
    for ranking in rankings:
        assert (ranking.assessment.round_id, ranking.assessment.enterprise_id) == (
            ranking.round_id,
            ranking.enterprise_id,
        )
        assert (ranking.award.round_id, ranking.award.enterprise_id) == (ranking.round_id, ranking.enterprise_id)


def test_a_ranked_assessment_or_firm_cannot_be_deleted(ranked):
    ranking = Ranking.objects.filter(round=ranked).select_related("assessment", "enterprise").first()
    with pytest.raises(ProtectedError):
        ranking.assessment.delete()
    with pytest.raises(ProtectedError):
        ranking.enterprise.delete()


def test_deleting_a_ranking_deletes_its_award(ranked):
    Ranking.objects.filter(round=ranked).delete()
    assert not Award.objects.filter(round=ranked).exists()
