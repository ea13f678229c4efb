"""The background import of a large upload (more than IMPORT_BACKGROUND_ROWS rows).

Safe to run twice, or again after its worker was killed: the batch's status guards it (services._claim), and
the import is one transaction, so a killed run wrote nothing. A failed attempt is retried (IMPORT_MAX_ATTEMPTS
in all); the batch shows the error while it waits, and FAILED after the last attempt (the task result, with
its traceback, is in Django admin's task results).
"""

from bulkimport import services
from core.tasks import retrying_task

#: the user waits: a transient failure (a lost connection, a deadlock) is tried again after 1, then 4 minutes
#: (TASK_RETRY_BASE_SECONDS), not for the hours the default attempts would take
IMPORT_MAX_ATTEMPTS = 3


@retrying_task(max_attempts=IMPORT_MAX_ATTEMPTS, on_failure=services.import_batch_failed)
def import_batch(*, batch_id: int) -> dict:
    batch = services.import_batch_run(batch_id=batch_id)
    if batch is None:
        return {"batch": batch_id, "status": "already ended"}
    return {"batch": batch_id, "status": batch.status, "created": batch.created, "updated": batch.updated}
