"""Email is a background task: a broken or slow mail server never breaks or slows a request; failures retry."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from core.tasks import backoff, retrying_task
from tests.workflow_helpers import records_for

pytestmark = pytest.mark.django_db

CALLS = []


@retrying_task(max_attempts=3)
def flaky(*, fail_times: int) -> str:
    CALLS.append(1)
    if len(CALLS) <= fail_times:
        raise ConnectionError("try again")
    return "done"


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def test_a_failed_attempt_is_enqueued_again_with_the_next_attempt_number():
    result = flaky.enqueue(fail_times=2)
    assert len(CALLS) == 3  # the immediate backend runs the retries at once
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["failed_attempt"] == 1


def test_the_last_attempt_fails_for_good_with_its_error():
    result = flaky.enqueue(fail_times=5)
    assert len(CALLS) == 3
    assert result.status == TaskResultStatus.SUCCESSFUL  # attempt 1 handed over to attempt 2
    final = flaky.enqueue(fail_times=5, attempt=3)
    assert final.status == TaskResultStatus.FAILED
    assert final.errors[0].exception_class_path == "builtins.ConnectionError"


def test_backoff_grows_and_is_capped(settings):
    settings.TASK_RETRY_BASE_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 5)] == [60, 240, 960, 3600]


def test_retries_wait_on_the_database_queue(settings, database_queue):
    from django_tasks_db.models import DBTaskResult

    settings.TASK_RETRY_BASE_SECONDS = 60
    before = timezone.now()
    flaky.func(fail_times=1)  # attempt 1, run by hand: fails and queues attempt 2
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"fail_times": 1, "attempt": 2}
    assert retry.run_after >= before + timedelta(seconds=60)
    assert not DBTaskResult.objects.ready().exists()  # not before its time


def test_a_raising_mail_server_never_breaks_the_request_and_the_email_is_retried(
    settings, client_a, firm_a, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "core.mail_backends.FailingEmailBackend"
    settings.TASK_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            reverse("enterprises:members", args=[firm_a.pk]), {"email": "new@example.org", "role": "editor"}
        )
    assert response.status_code == 302
    assert mail.outbox == []
    gave_up = [r for r in caplog.records if "gave up after 3 attempts" in r.getMessage()]
    retried = [r for r in caplog.records if "failed" in r.getMessage() and "retrying" in r.getMessage()]
    assert len(gave_up) == 1 and len(retried) == 2


def test_a_slow_mail_server_does_not_slow_the_submission(settings, database_queue, client_a, firm_a, member_a):
    """With the real (database) queue the request only inserts a task row; the worker waits for the server."""
    from assessments import services

    settings.EMAIL_BACKEND = "core.mail_backends.SlowEmailBackend"
    records_for(firm_a)
    assessment = services.assessment_create(enterprise=firm_a, reference_year=2014, actor=member_a)
    started = time.perf_counter()
    response = client_a.post(reverse("assessments:submit", args=[firm_a.pk, assessment.pk]))
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert elapsed < 1


def test_a_queue_that_cannot_be_reached_does_not_break_the_committed_request(
    client_a, firm_a, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from django_tasks.base import Task

    from enterprises.models import Invitation

    def unreachable(self, *args, **kwargs):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(Task, "enqueue", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            reverse("enterprises:members", args=[firm_a.pk]), {"email": "new@example.org", "role": "editor"}
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="new@example.org").exists()
    assert any("queue unreachable" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
