"""A worker killed (SIGKILL) in the middle of a task loses nothing: a restarted worker runs it, once to the end.

Runs the real `manage.py db_worker` against a file SQLite database, or a scratch PostgreSQL database when the
suite runs on PostgreSQL.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def wait_for(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def scratch_database(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        return
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/')}_worker_kill_{os.getpid()}"
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(url._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_killed_worker_loses_no_task_and_the_task_completes_once(tmp_path, scratch_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": scratch_database,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "TASK_LEASE_SECONDS": "3",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    log = tmp_path / "probe.log"
    enqueue = f"from tests.worker_probe import slow_probe; slow_probe.enqueue(log={str(log)!r})"
    subprocess.run([*manage, "shell", "-c", enqueue], cwd=ROOT, env=env, check=True, timeout=120)

    worker_command = [*manage, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "-v0"]
    first = subprocess.Popen(worker_command, cwd=ROOT, env=env)
    try:
        wait_for(lambda: log.exists() and "start" in log.read_text(), what="the task to start")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert "done" not in log.read_text()

    second = subprocess.Popen(worker_command, cwd=ROOT, env=env)
    try:
        wait_for(lambda: "done" in log.read_text(), what="the task to be run again and finish")
        time.sleep(0.5)  # let it record the result
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    lines = log.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["start", "start", "done"]
    check = (
        "from django_tasks_db.models import DBTaskResult as R; "
        "print(R.objects.count(), *R.objects.values_list('status', flat=True))"
    )
    shown = subprocess.run(
        [*manage, "shell", "-v0", "-c", check], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    assert shown.stdout.split() == ["1", "SUCCESSFUL"]
