"""The background ranking of a large round (more than RANKING_BACKGROUND_ASSESSMENTS verified assessments).

Safe to run twice, or again after its worker was killed: the run's status guards it (a second run finds it
ended), and the ranking is one transaction, so a killed run changed nothing. An unexpected failure is retried
(RANKING_MAX_ATTEMPTS in all); the round's page shows the error, and FAILED after the last attempt (the task
result, with its traceback, is in Django admin's task results). A refusal (the round changed) is not retried.
"""

from core.tasks import retrying_task
from rewards import services

#: the administrator waits: tried again after 1, then 4 minutes (TASK_RETRY_BASE_SECONDS)
RANKING_MAX_ATTEMPTS = 3


@retrying_task(max_attempts=RANKING_MAX_ATTEMPTS, on_failure=services.ranking_run_failed)
def rank_round(*, run_id: int) -> dict:
    run = services.ranking_run_execute(run_id=run_id)
    if run is None:
        return {"run": run_id, "status": "already ended"}
    return {"run": run_id, "round": run.round_id, "status": run.status, "message": run.message}
