"""Background tasks on Django's tasks API (django-tasks), with retries the API does not have.

`retrying_task` wraps a task function: a failed attempt re-enqueues the same call with `run_after` pushed out
(exponential back-off) and an attempt counter; the attempt that reaches TASK_MAX_ATTEMPTS raises, so its result
is stored FAILED with the traceback (Django admin, "Task results"). Earlier failed attempts end successfully
with a return value naming the error and the next attempt, so the FAILED filter shows only given-up work.
`on_failure`, if given, is called after each failed attempt with the call's arguments, `error` and `gave_up`
(the last attempt failed): a task a user waits for records there what the user sees (its own errors are logged,
never raised).
"""

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def backoff(attempt: int) -> timedelta:
    """Delay before attempt `attempt + 1`: base, 4 x base, 16 x base, ... capped at an hour."""
    return timedelta(seconds=min(settings.TASK_RETRY_BASE_SECONDS * 4 ** (attempt - 1), 3600))


def retrying_task(
    func: Callable | None = None,
    *,
    max_attempts: int | None = None,
    on_failure: Callable[..., None] | None = None,
    **task_options,
) -> Task:
    def decorate(function: Callable) -> Task:
        @functools.wraps(function)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                limit = max_attempts or settings.TASK_MAX_ATTEMPTS
                if on_failure is not None:
                    _report(on_failure, args, kwargs, error=error, gave_up=attempt >= limit)
                if attempt >= limit:
                    logger.error("task %s gave up after %s attempts: %r", wrapped.name, attempt, error)
                    raise
                retry = wrapped
                if retry.get_backend().supports_defer:
                    retry = wrapped.using(run_after=timezone.now() + backoff(attempt))
                logger.warning("task %s attempt %s failed (%r); retrying", wrapped.name, attempt, error)
                result = retry.enqueue(*args, attempt=attempt + 1, **kwargs)
                return {"failed_attempt": attempt, "error": repr(error), "retry": str(result.id)}

        wrapped = task(**task_options)(run)
        return wrapped

    return decorate(func) if func is not None else decorate


def _report(on_failure: Callable[..., None], args: tuple, kwargs: dict, **failure) -> None:
    try:
        on_failure(*args, **kwargs, **failure)
    except Exception:
        logger.exception("recording the failure of a task failed")


@task()
def noop() -> None:
    """Does nothing: the benchmark's measure of the queue's own cost."""
