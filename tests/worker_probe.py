"""A task for the worker-kill test: it logs its start and end to a file and sleeps in between (long the first
time, so that the test kills it for sure in the middle; short on the run after the restart)."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_probe(*, log: str) -> str:
    path = Path(log)
    seconds = 0.5 if path.exists() else 60
    with path.open("a") as out:
        out.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with path.open("a") as out:
        out.write("done\n")
    return "done"
