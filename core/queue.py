"""Recovery of tasks whose worker died: a claimed task holds a lease of TASK_LEASE_SECONDS.

django-tasks-db marks a claimed task RUNNING and nothing resets it if the worker is killed (kill -9, a lost
machine). Every worker (core's db_worker) puts such tasks back to READY when it starts and every quarter lease
while it runs, so another worker (or the same one restarted) runs them: a task is lost never, but one that runs
longer than the lease may run twice, so tasks stay short (email has EMAIL_TIMEOUT) and idempotent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def requeue_abandoned(*, lease_seconds: float | None = None) -> int:
    lease = timedelta(seconds=settings.TASK_LEASE_SECONDS if lease_seconds is None else lease_seconds)
    count = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - lease).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if count:
        logger.warning("requeued %s task(s) whose worker stopped before finishing", count)
    return count
