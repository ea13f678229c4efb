"""Deadline reminders (manage.py send_reminders, hourly from cron on any number of hosts).

A reminder is due at step N (days before the deadline) once fewer than N days are left, and only the nearest
due step is sent (a cron that was down over the 7-day mark does not send it next to the 1-day one). Each
(kind, object, recipient, step) is inserted into SentReminder before anything is sent: the unique constraint
lets exactly one run, on one host, win; the notification and email belong to the same transaction.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments.models import Assessment, AssessmentStatus
from core.formatting import format_date, format_datetime
from notifications.events import members_of
from notifications.models import NotificationKind, SentReminder
from notifications.services import notifications_send
from rewards.models import RewardRound, RoundStatus


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0


def due_step(left: timedelta, steps: tuple[int, ...]) -> int | None:
    """The smallest step (in days) whose mark has passed while the deadline has not."""
    if left <= timedelta(0):
        return None
    passed = [step for step in steps if left <= timedelta(days=step)]
    return min(passed) if passed else None


def _claim(*, kind: str, object_id: int, recipient: User, step: int) -> bool:
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, object_id=object_id, recipient=recipient, due_step=step)
    except IntegrityError:
        return False
    return True


def _remind(outcome: Outcome, *, kind, object_id: int, recipient: User, step: int, url: str, message) -> None:
    with transaction.atomic():
        if not _claim(kind=kind, object_id=object_id, recipient=recipient, step=step):
            outcome.skipped += 1
            return
        notifications_send(recipients=[recipient], kind=kind, url=url, message=message)
        outcome.sent += 1


def submission_reminders(now: datetime, outcome: Outcome) -> None:
    rounds = RewardRound.objects.filter(
        status=RoundStatus.OPEN,
        archived_at__isnull=True,
        submission_opens__lte=now,
        submission_closes__gt=now,
        submission_closes__lte=now + timedelta(days=max(settings.REMINDER_SUBMISSION_DAYS)),
    )
    for reward_round in rounds:
        step = due_step(reward_round.submission_closes - now, settings.REMINDER_SUBMISSION_DAYS)
        if step is None:
            continue
        closes = timezone.localtime(reward_round.submission_closes)
        pending = Assessment.objects.filter(
            round=reward_round, status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED]
        ).select_related("enterprise", "round")
        for assessment in pending:
            url = reverse("assessments:detail", args=[assessment.enterprise_id, assessment.pk])

            def message(assessment=assessment, reward_round=reward_round, closes=closes):
                return (
                    _("Reminder: submit %(a)s by %(d)s") % {"a": assessment, "d": format_date(closes)},
                    _("Submissions to %(r)s close on %(d)s. %(a)s is not submitted yet.")
                    % {"r": reward_round.name, "d": format_datetime(closes), "a": assessment},
                )

            for member in members_of([assessment.enterprise_id]):
                _remind(
                    outcome,
                    kind=NotificationKind.SUBMISSION_REMINDER,
                    object_id=assessment.pk,
                    recipient=member,
                    step=step,
                    url=url,
                    message=message,
                )


def review_reminders(now: datetime, outcome: Outcome) -> None:
    today = timezone.localdate(now)
    horizon = today + timedelta(days=max(settings.REMINDER_REVIEW_DAYS))
    rounds = RewardRound.objects.filter(archived_at__isnull=True, review_deadline__gte=today).filter(
        review_deadline__lte=horizon
    )
    undecided = [AssessmentStatus.SUBMITTED]
    for reward_round in rounds:
        # Days left counted to the end of the deadline day, in the site's time zone.
        end = timezone.make_aware(datetime.combine(reward_round.review_deadline + timedelta(days=1), time.min))
        step = due_step(end - now, settings.REMINDER_REVIEW_DAYS)
        if step is None:
            continue
        counts = (
            Assessment.objects.filter(round=reward_round, status__in=undecided, reviewer__isnull=False)
            .values("reviewer")
            .annotate(n=Count("pk"))
        )
        officers = User.objects.in_bulk([row["reviewer"] for row in counts])
        for row in counts:
            officer = officers[row["reviewer"]]
            if not officer.is_active:
                continue

            def message(n=row["n"], reward_round=reward_round):
                return (
                    _("Reminder: review deadline of %(r)s") % {"r": reward_round.name},
                    _("%(n)s assessment(s) of %(r)s assigned to you are still undecided; the review deadline is %(d)s.")
                    % {"n": n, "r": reward_round.name, "d": format_date(reward_round.review_deadline)},
                )

            _remind(
                outcome,
                kind=NotificationKind.REVIEW_REMINDER,
                object_id=reward_round.pk,
                recipient=officer,
                step=step,
                url=reverse("review:queue"),
                message=message,
            )


def reminders_send(*, now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    outcome = Outcome()
    submission_reminders(now, outcome)
    review_reminders(now, outcome)
    return outcome
