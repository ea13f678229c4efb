"""django-tasks-db's worker, plus the recovery of tasks whose worker was killed (core.queue)."""

import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands import db_worker

from core.queue import requeue_abandoned


class Worker(db_worker.Worker):
    def run(self) -> None:
        requeue_abandoned()
        stop = threading.Event()
        threading.Thread(target=self._recover, args=[stop], name="requeue-abandoned", daemon=True).start()
        try:
            super().run()
        finally:
            stop.set()

    def _recover(self, stop: threading.Event) -> None:
        interval = max(settings.TASK_LEASE_SECONDS / 4, 1)
        while not stop.wait(interval):
            try:
                requeue_abandoned()
            except Exception:  # the database is down: the main loop reports it, try again later
                db_worker.logger.exception("requeue of abandoned tasks failed")
            finally:
                connection.close()


db_worker.Worker = Worker  # the parent command builds its Worker by this module-level name


class Command(db_worker.Command):
    pass
