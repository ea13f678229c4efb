"""A submission racing the round's closing (issue 12, point 6): the submit service locks the round row, so a
submission lands either before the close (and the close counts it) or is refused; never after it."""

import pytest

from assessments import services
from assessments.models import Assessment, AssessmentSnapshot, AssessmentStatus
from rewards import services as round_services
from rewards.models import RewardRound, RoundStatus
from tests.factories import AnnualReportFactory
from tests.workflow_helpers import YEAR, firm_with_member, make_round, race


@pytest.mark.django_db(transaction=True)
def test_a_submission_racing_the_close_is_before_it_or_refused(administrator):
    reward_round = make_round(status=RoundStatus.OPEN)
    firm, member = firm_with_member()
    AnnualReportFactory(enterprise=firm, year=YEAR)
    draft = services.assessment_create(enterprise=firm, reference_year=YEAR, actor=member, reward_round=reward_round)
    outcomes = race(
        lambda: services.assessment_submit(assessment_id=draft.pk, actor=member),
        lambda: round_services.round_close(round_id=reward_round.pk, actor=administrator, confirmed=True),
    )
    (_submitted, submit_error), (_closed, close_error) = outcomes
    assert close_error is None, outcomes
    assert RewardRound.objects.get(pk=reward_round.pk).status == RoundStatus.CLOSED
    assessment = Assessment.objects.get(pk=draft.pk)
    close_event = reward_round.events.get(action="close")
    if submit_error is None:
        assert assessment.status == AssessmentStatus.SUBMITTED
        assert assessment.submitted_at <= close_event.at
    else:
        assert "closed" in str(submit_error).lower() or "not open" in str(submit_error).lower(), submit_error
        assert assessment.status == AssessmentStatus.DRAFT
        assert not AssessmentSnapshot.objects.filter(assessment=assessment).exists()
