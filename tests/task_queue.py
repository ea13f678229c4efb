"""Running the database queue's ready tasks in the test's thread, as `manage.py db_worker` runs each one (its
loop would close the test's connection on PostgreSQL)."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def run_queued_once() -> bool:
    """Run one ready task (one pass of the worker's loop); False when none was ready."""
    result = DBTaskResult.objects.ready().first()
    if result is None:
        return False
    runner = worker()
    result.claim(runner.worker_id)
    runner.run_task(result)
    return True


def run_queued() -> None:
    """Run ready tasks until none is left (retries queued meanwhile included)."""
    while run_queued_once():
        pass
