from django.db.models import QuerySet
from django.utils import timezone

from rewards.models import RewardRound, RoundStatus


def open_rounds() -> QuerySet[RewardRound]:
    """Rounds a firm can submit to right now."""
    now = timezone.now()
    return RewardRound.objects.filter(
        status=RoundStatus.OPEN, submission_opens__lte=now, submission_closes__gte=now, archived_at__isnull=True
    ).order_by("submission_closes")
