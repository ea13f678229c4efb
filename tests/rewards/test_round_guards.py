"""Round guards (DESIGN §4, §8): closing early or with undecided assessments needs a confirmation naming the
counts, ranking refuses undecided assessments unless they are explicitly excluded, both recorded in the
round's history; re-opening for ranking discards the ranking; publishing refuses a ranking older than the
round's last change; messages tell the truth about dates; every costly action asks in a dialog."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment
from rewards import selectors, services
from rewards.models import Ranking, RewardRound, RoundEvent, RoundStatus
from tests.conftest import client_for
from tests.workflow_helpers import firm_with_member, make_round, records_for, submitted, verified_row

pytestmark = pytest.mark.django_db

R = RoundStatus


@pytest.fixture
def busy_round(officer):
    """An open round whose window runs a month more: 2 verified, 1 submitted, 1 under review, 1 returned, 1 draft."""
    reward_round = make_round()
    verified_row(reward_round, total="70")
    verified_row(reward_round, total="60")
    pending = []
    for _ in range(3):
        firm, member = firm_with_member()
        records_for(firm)
        pending.append(submitted(firm, member, reward_round=reward_round))
    assessment_services.assessment_assign(assessment_ids=[pending[1].pk], officer=officer, actor=officer)
    assessment_services.assessment_return(assessment_id=pending[2].pk, actor=officer, comment="Add the invoice.")
    firm, member = firm_with_member()
    assessment_services.assessment_create(
        enterprise=firm, reference_year=reward_round.reference_year, actor=member, reward_round=reward_round
    )
    return reward_round


def test_progress_counts(busy_round):
    progress = selectors.round_progress(busy_round)
    assert (progress.drafts, progress.submitted, progress.under_review, progress.returned, progress.verified) == (
        1,
        1,
        1,
        1,
        2,
    )
    assert progress.undecided == 3


def test_closing_early_with_undecided_assessments_needs_a_confirmation(busy_round, administrator):
    """Seen: an open round closed with 134 undecided assessments and months of window left, in one click."""
    with pytest.raises(services.ConfirmationRequired) as refused:
        services.round_close(round_id=busy_round.pk, actor=administrator)
    message = str(refused.value)
    assert "The submission window runs until" in message
    assert "3 assessments are not decided yet: 1 submitted, 1 under review, 1 returned." in message
    assert "1 draft assessments can no longer be submitted." in message
    assert RewardRound.objects.get(pk=busy_round.pk).status == R.OPEN
    assert not RoundEvent.objects.filter(round=busy_round, action="close").exists()

    services.round_close(round_id=busy_round.pk, actor=administrator, confirmed=True)
    event = RoundEvent.objects.get(round=busy_round, action="close")
    assert (event.from_status, event.to_status, event.actor) == (R.OPEN, R.CLOSED, administrator)
    assert "3 assessments are not decided yet" in event.comment and "window runs until" in event.comment


def test_closing_after_the_window_with_everything_decided_needs_no_confirmation(administrator):
    reward_round = make_round(
        submission_opens=timezone.now() - datetime.timedelta(days=30),
        submission_closes=timezone.now() - datetime.timedelta(days=1),
    )
    verified_row(reward_round, total="50")
    services.round_close(round_id=reward_round.pk, actor=administrator)
    assert RewardRound.objects.get(pk=reward_round.pk).status == R.CLOSED
    assert RoundEvent.objects.get(round=reward_round, action="close").comment == ""


def test_ranking_refuses_undecided_assessments_unless_explicitly_excluded(busy_round, administrator):
    services.round_close(round_id=busy_round.pk, actor=administrator, confirmed=True)
    with pytest.raises(services.ConfirmationRequired, match="3 assessments are not decided yet"):
        services.round_rank(round_id=busy_round.pk, actor=administrator)
    assert RewardRound.objects.get(pk=busy_round.pk).status == R.CLOSED and not Ranking.objects.exists()

    services.round_rank(round_id=busy_round.pk, actor=administrator, exclude_undecided=True)
    assert Ranking.objects.filter(round=busy_round).count() == 2
    event = RoundEvent.objects.get(round=busy_round, action="rank")
    assert event.comment == "Ranked without 3 undecided assessments."


def test_reopen_discards_the_ranking_and_is_recorded(busy_round, administrator):
    services.round_close(round_id=busy_round.pk, actor=administrator, confirmed=True)
    services.round_rank(round_id=busy_round.pk, actor=administrator, exclude_undecided=True)
    services.round_reopen(round_id=busy_round.pk, actor=administrator, comment="Two late verifications.")
    reward_round = RewardRound.objects.get(pk=busy_round.pk)
    assert (reward_round.status, reward_round.ranked_at, reward_round.ranked_inputs) == (R.CLOSED, None, "")
    assert not Ranking.objects.filter(round=busy_round).exists()
    event = RoundEvent.objects.get(round=busy_round, action="reopen")
    assert (event.from_status, event.to_status, event.comment) == (R.RANKED, R.CLOSED, "Two late verifications.")


def test_publishing_refuses_a_ranking_older_than_the_rounds_last_change(administrator):
    reward_round = make_round(status=R.CLOSED)
    verified_row(reward_round, total="70", expenses={"exhibition": "100000.00"})
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    RewardRound.objects.filter(pk=reward_round.pk).update(budget=Decimal("50.00"))  # e.g. in Django admin
    with pytest.raises(services.WorkflowError, match="changed after it was ranked"):
        services.round_publish(round_id=reward_round.pk, actor=administrator)
    assert RewardRound.objects.get(pk=reward_round.pk).status == R.RANKED

    services.round_rank(round_id=reward_round.pk, actor=administrator)
    reward_round.tiers.filter(position=1).update(rate=Decimal("0.9000"))
    with pytest.raises(services.WorkflowError, match="changed after it was ranked"):
        services.round_publish(round_id=reward_round.pk, actor=administrator)

    services.round_rank(round_id=reward_round.pk, actor=administrator)
    Assessment.objects.filter(round=reward_round).update(verified_total=Decimal("71.00"))
    with pytest.raises(services.WorkflowError, match="changed after it was ranked"):
        services.round_publish(round_id=reward_round.pk, actor=administrator)

    services.round_rank(round_id=reward_round.pk, actor=administrator)
    services.round_publish(round_id=reward_round.pk, actor=administrator)
    assert RewardRound.objects.get(pk=reward_round.pk).status == R.PUBLISHED
    assert list(RoundEvent.objects.filter(round=reward_round).values_list("action", flat=True)) == [
        "rank",
        "rank",
        "rank",
        "rank",
        "publish",
    ]


# ------------------------------------------------------------------------------------- through the page


def test_the_manage_page_states_the_counts_and_asks_for_confirmation(busy_round, administrator):
    client = client_for(administrator)
    page = client.get(f"/rounds/manage/{busy_round.pk}/").content.decode()
    assert "1 drafts, 1 submitted, 1 under review, 1 returned, 2 verified, 0 rejected" in page
    assert 'data-bs-target="#action-close"' in page and 'id="action-close-check" required' in page
    assert "3 assessments are not decided yet: 1 submitted, 1 under review, 1 returned." in page

    # without the box ticked: refused with the counts, nothing changes
    response = client.post(f"/rounds/manage/{busy_round.pk}/close/", follow=True)
    assert "Confirm closing the round" in response.content.decode()
    assert RewardRound.objects.get(pk=busy_round.pk).status == R.OPEN

    client.post(f"/rounds/manage/{busy_round.pk}/close/", {"confirmed": "1"})
    page = client.get(f"/rounds/manage/{busy_round.pk}/").content.decode()
    assert 'data-bs-target="#action-rank"' in page and 'id="action-rank-check" required' in page
    assert "Rank without the 3 undecided assessments" in page
    assert 'id="round-history"' in page and "3 assessments are not decided yet" in page

    client.post(f"/rounds/manage/{busy_round.pk}/rank/")
    assert RewardRound.objects.get(pk=busy_round.pk).status == R.CLOSED
    client.post(f"/rounds/manage/{busy_round.pk}/rank/", {"confirmed": "1"})
    assert RewardRound.objects.get(pk=busy_round.pk).status == R.RANKED
    page = client.get(f"/rounds/manage/{busy_round.pk}/").content.decode()
    for dialog in ("action-reopen", "action-publish"):
        assert f'data-bs-target="#{dialog}"' in page
    assert "its decisions are frozen" in page

    client.post(f"/rounds/manage/{busy_round.pk}/reopen/", {"comment": "Late evidence."})
    assert RewardRound.objects.get(pk=busy_round.pk).status == R.CLOSED


def test_opening_a_round_whose_window_starts_later_says_when(administrator):
    """Seen: "Round opened: firms can submit now" for a window starting in January."""
    opens = timezone.now() + datetime.timedelta(days=45)
    reward_round = make_round(
        status=R.DRAFT,
        submission_opens=opens,
        submission_closes=opens + datetime.timedelta(days=30),
        review_deadline=(opens + datetime.timedelta(days=60)).date(),
    )
    response = client_for(administrator).post(f"/rounds/manage/{reward_round.pk}/open/", follow=True)
    html = response.content.decode()
    assert "Firms can submit from " + timezone.localtime(opens).strftime("%Y-%m-%d %H:%M") in html
    assert "can submit now" not in html
    assert RewardRound.objects.get(pk=reward_round.pk).status == R.OPEN


def test_opening_a_round_whose_window_runs_says_until_when(administrator):
    reward_round = make_round(status=R.DRAFT)
    response = client_for(administrator).post(f"/rounds/manage/{reward_round.pk}/open/", follow=True)
    closes = timezone.localtime(reward_round.submission_closes).strftime("%Y-%m-%d %H:%M")
    assert f"Firms can submit now, until {closes}" in response.content.decode()


def test_archive_asks_for_confirmation(administrator):
    reward_round = make_round(status=R.DRAFT)
    page = client_for(administrator).get(f"/rounds/manage/{reward_round.pk}/").content.decode()
    assert 'data-bs-target="#action-archive"' in page
    assert 'name="do"' not in page  # no one-click state change left on the page
