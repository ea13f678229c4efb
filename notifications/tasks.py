"""Fan-out tasks: the request only announces the event; a worker finds the recipients and queues the emails."""

from core.tasks import retrying_task
from notifications import events


@retrying_task
def notify_assessment_event(*, assessment_id: int, status: str) -> int:
    return events.assessment_event(assessment_id=assessment_id, status=status)


@retrying_task
def notify_round_opened(*, round_id: int) -> int:
    return events.round_opened(round_id=round_id)


@retrying_task
def notify_round_published(*, round_id: int) -> int:
    return events.round_published(round_id=round_id)
