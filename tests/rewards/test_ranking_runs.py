"""Ranking a large round (more than RANKING_BACKGROUND_ASSESSMENTS verified assessments) through the task queue:
queued from the page, followed by polling, done once however often its task runs, refused or failed visibly."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from rewards import services
from rewards.models import Ranking, RankingRun, RankingRunStatus, RewardRound, RoundEvent, RoundStatus
from rewards.tasks import RANKING_MAX_ATTEMPTS, rank_round
from tests.conftest import ROLE_NAMES, client_for
from tests.matrix import LOGIN, check, expect
from tests.task_queue import run_queued, run_queued_once
from tests.workflow_helpers import firm_with_member, make_round, records_for, submitted, verified_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.RANKING_BACKGROUND_ASSESSMENTS = 2


@pytest.fixture
def large_round():
    reward_round = make_round(status=RoundStatus.CLOSED)
    for i, total in enumerate(("70", "60", "50")):
        verified_row(reward_round, total=total, expenses={"exhibition": f"{100000 + i}.00"})
    return reward_round


def rank_from_the_page(client, reward_round, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("rewards:action", args=[reward_round.pk, "rank"]), follow=True)


def ranking_tasks() -> list[DBTaskResult]:
    return [r for r in DBTaskResult.objects.all() if r.task_path == "rewards.tasks.rank_round"]


def test_a_round_at_the_threshold_is_ranked_in_the_request(database_queue, administrator):
    reward_round = make_round(status=RoundStatus.CLOSED)
    for total in ("70", "60"):
        verified_row(reward_round, total=total, expenses={"exhibition": "1000.00"})
    response = client_for(administrator).post(reverse("rewards:action", args=[reward_round.pk, "rank"]), follow=True)
    assert "Ranking and awards computed and frozen." in response.content.decode()
    assert RewardRound.objects.get().status == RoundStatus.RANKED and not RankingRun.objects.exists()
    assert not ranking_tasks()


def test_a_large_round_is_ranked_by_a_worker_while_the_page_polls(
    database_queue, administrator, large_round, django_capture_on_commit_callbacks
):
    client = client_for(administrator)
    response = rank_from_the_page(client, large_round, django_capture_on_commit_callbacks)
    page = response.content.decode()
    assert "A worker is ranking the round&#x27;s 3 verified assessments" in page
    assert "Ranking 3 verified assessments: waiting for a worker" in page
    status_url = reverse("rewards:ranking_status", args=[large_round.pk])
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
    run = RankingRun.objects.get()
    assert run.status == RankingRunStatus.QUEUED and run.requested_by == administrator and run.assessments == 3
    assert RewardRound.objects.get().status == RoundStatus.CLOSED and not Ranking.objects.exists()
    (task,) = ranking_tasks()
    assert task.args_kwargs["kwargs"] == {"run_id": run.pk}

    RankingRun.objects.filter(pk=run.pk).update(status=RankingRunStatus.RUNNING)
    polled = client.get(status_url, headers={"HX-Request": "true"})
    assert "Ranking 3 verified assessments (started" in polled.content.decode() and "HX-Refresh" not in polled
    RankingRun.objects.filter(pk=run.pk).update(status=RankingRunStatus.QUEUED)

    run_queued()
    run.refresh_from_db()
    reward_round = RewardRound.objects.get()
    assert run.status == RankingRunStatus.DONE and run.finished_at and reward_round.status == RoundStatus.RANKED
    assert Ranking.objects.filter(round=reward_round).count() == 3
    assert RoundEvent.objects.get(action="rank").actor == administrator
    polled = client.get(status_url, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"  # the whole page reloads: it shows the ranking
    page = client.get(reverse("rewards:manage", args=[reward_round.pk])).content.decode()
    assert 'id="ranking-run"' not in page and "hx-trigger" not in page


def test_the_task_run_twice_ranks_once(administrator, large_round):
    run = services.round_rank_or_queue(round_id=large_round.pk, actor=administrator)
    assert rank_round.call(run_id=run.pk)["status"] == RankingRunStatus.DONE
    assert rank_round.call(run_id=run.pk) == {"run": run.pk, "status": "already ended"}
    assert RoundEvent.objects.filter(action="rank").count() == 1 and Ranking.objects.count() == 3


def test_a_run_left_running_by_a_killed_worker_ranks_once_on_the_next_run(administrator, large_round):
    run = services.round_rank_or_queue(round_id=large_round.pk, actor=administrator)
    RankingRun.objects.filter(pk=run.pk).update(status=RankingRunStatus.RUNNING)  # nothing written: one transaction
    rank_round.call(run_id=run.pk)
    assert RankingRun.objects.get().status == RankingRunStatus.DONE
    assert RoundEvent.objects.filter(action="rank").count() == 1 and Ranking.objects.count() == 3


def test_nothing_else_happens_to_the_round_while_it_is_being_ranked(administrator, large_round):
    services.round_rank(round_id=large_round.pk, actor=administrator)
    run = services.round_rank_or_queue(round_id=large_round.pk, actor=administrator)  # rank again, queued
    client = client_for(administrator)
    for action in ("publish", "reopen", "rank"):
        response = client.post(reverse("rewards:action", args=[large_round.pk, action]), follow=True)
        assert "A worker is ranking this round: wait until it is done" in response.content.decode(), action
    assert RewardRound.objects.get().status == RoundStatus.RANKED and RankingRun.objects.count() == 1
    rank_round.call(run_id=run.pk)
    response = client.post(reverse("rewards:action", args=[large_round.pk, "publish"]), follow=True)
    assert RewardRound.objects.get().status == RoundStatus.PUBLISHED, response.content.decode()


def test_a_round_that_changed_before_the_worker_came_is_refused_visibly(administrator, large_round):
    run = services.round_rank_or_queue(round_id=large_round.pk, actor=administrator)
    # a late submission (the round open again for a moment, outside the site's workflow)
    RewardRound.objects.filter(pk=large_round.pk).update(status=RoundStatus.OPEN)
    firm, member = firm_with_member()
    records_for(firm)
    submitted(firm, member, reward_round=large_round)
    RewardRound.objects.filter(pk=large_round.pk).update(status=RoundStatus.CLOSED)
    rank_round.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RankingRunStatus.FAILED and "1 assessments are not decided yet" in run.message
    assert RewardRound.objects.get().status == RoundStatus.CLOSED and not Ranking.objects.exists()
    assert len(ranking_tasks()) == 0  # immediate backend in tests: nothing stored, nothing retried
    page = client_for(administrator).get(reverse("rewards:manage", args=[large_round.pk])).content.decode()
    assert "failed; nothing changed. Rank the round again." in page and "not decided yet" in page


def test_an_unexpected_failure_is_retried_then_shown_to_the_administrator(
    database_queue, administrator, large_round, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("allocation exploded")

    monkeypatch.setattr(services, "_rank", broken)
    client = client_for(administrator)
    rank_from_the_page(client, large_round, django_capture_on_commit_callbacks)
    run_queued_once()
    run = RankingRun.objects.get()
    assert run.status == RankingRunStatus.QUEUED and run.message == "RuntimeError: allocation exploded"
    page = client.get(reverse("rewards:manage", args=[large_round.pk])).content.decode()
    assert "An attempt failed; the ranking will be tried again" in page and "hx-trigger" in page

    run_queued()
    run.refresh_from_db()
    assert run.status == RankingRunStatus.FAILED and RewardRound.objects.get().status == RoundStatus.CLOSED
    results = sorted(ranking_tasks(), key=lambda r: r.args_kwargs["kwargs"].get("attempt", 1))
    assert [r.status for r in results] == ["SUCCESSFUL"] * (RANKING_MAX_ATTEMPTS - 1) + ["FAILED"]
    polled = client.get(reverse("rewards:ranking_status", args=[large_round.pk]), headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    page = client.get(reverse("rewards:manage", args=[large_round.pk])).content.decode()
    assert "failed; nothing changed" in page and "allocation exploded" in page and "hx-trigger" not in page
    monkeypatch.undo()
    rank_from_the_page(client, large_round, django_capture_on_commit_callbacks)
    run_queued()
    assert RewardRound.objects.get().status == RoundStatus.RANKED
    page = client.get(reverse("rewards:manage", args=[large_round.pk])).content.decode()
    assert "allocation exploded" not in page  # a later ranking hides the old failure


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_the_status_fragment_is_for_administrators(roles, administrator, large_round, role):
    services.round_rank_or_queue(round_id=large_round.pk, actor=administrator)
    url = reverse("rewards:ranking_status", args=[large_round.pk])
    check(roles[role].get(url), expect(LOGIN, 403, 403, 403, 200)[role], role, url)
    missing = reverse("rewards:ranking_status", args=[large_round.pk + 1000])
    check(roles[role].get(missing), expect(LOGIN, 403, 403, 403, 404)[role], role, missing)
