"""A task that failed for good is visible to administrators in Django admin, with its error."""

import pytest
from django_tasks_db.models import DBTaskResult

from core.emails import send_email
from tests.conftest import client_for
from tests.task_queue import run_queued

pytestmark = pytest.mark.django_db


def test_a_given_up_email_shows_its_error_to_administrators(settings, database_queue, administrator, officer):
    settings.EMAIL_BACKEND = "core.mail_backends.FailingEmailBackend"
    settings.TASK_MAX_ATTEMPTS = 2
    send_email.enqueue(to=["someone@example.org"], subject="Hello", body="Hi", attempt=2)  # the last attempt
    run_queued()
    (failed,) = DBTaskResult.objects.failed()
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"

    admin = client_for(administrator)
    listing = admin.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert listing.status_code == 200 and "send_email" in listing.content.decode()
    detail = admin.get(f"/admin/django_tasks_database/dbtaskresult/{failed.pk}/change/")
    assert detail.status_code == 200 and "mail server unreachable" in detail.content.decode()
    assert client_for(officer).get("/admin/django_tasks_database/dbtaskresult/").status_code == 302  # to admin log-in


def test_the_worker_requeues_a_retry_with_a_later_run_after(settings, database_queue):
    settings.EMAIL_BACKEND = "core.mail_backends.FailingEmailBackend"
    settings.TASK_RETRY_BASE_SECONDS = 600
    send_email.enqueue(to=["someone@example.org"], subject="Hello", body="Hi")
    run_queued()
    first, retry = sorted(DBTaskResult.objects.all(), key=lambda row: row.args_kwargs["kwargs"].get("attempt", 1))
    assert first.status == "SUCCESSFUL" and first.return_value["failed_attempt"] == 1
    assert retry.status == "READY" and retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > first.finished_at
