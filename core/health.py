"""The checks behind GET /healthz: each answers with its name and whether it works, nothing more."""

import logging

from django.db import connection

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_task_queue() -> None:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    if isinstance(task_backends["default"], DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("id").first()


CHECKS = {"database": check_database, "tasks": check_task_queue}


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = True
        except Exception as error:
            logger.warning("health check %s failed: %r", name, error)
            results[name] = False
    return results
