from django.dispatch import receiver

from assessments.signals import assessment_notified
from notifications.tasks import notify_assessment_event, notify_round_opened, notify_round_published
from rewards.models import RoundStatus
from rewards.signals import round_changed


@receiver(assessment_notified)
def on_assessment_step(sender, *, assessment_id: int, status: str, **kwargs) -> None:
    notify_assessment_event.enqueue(assessment_id=assessment_id, status=status)


@receiver(round_changed)
def on_round_step(sender, *, round_id: int, status: str, **kwargs) -> None:
    if status == RoundStatus.OPEN:
        notify_round_opened.enqueue(round_id=round_id)
    elif status == RoundStatus.PUBLISHED:
        notify_round_published.enqueue(round_id=round_id)
