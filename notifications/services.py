"""Notify users: one in-site notification each and, unless switched off, one email (a background task)."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from core.emails import email_on_commit
from notifications.models import EmailOptOut, Notification, NotificationKind

# A message builder returns (subject, body) in the active language; notify calls it once per recipient.
Message = Callable[[], tuple[str, str]]


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


@transaction.atomic
def notifications_send(*, recipients: Iterable[User], kind: NotificationKind, message: Message, url: str = "") -> int:
    """Write each recipient's notification in its language and queue its email; returns how many were notified."""
    recipients = {user.pk: user for user in recipients if user.is_active}
    opted_out = set(EmailOptOut.objects.filter(user_id__in=recipients, kind=kind).values_list("user_id", flat=True))
    rows = []
    for user in recipients.values():
        with translation.override(language_of(user)):
            subject, body = message()
            if user.email and user.pk not in opted_out:
                text = render_to_string(
                    "notifications/email.txt",
                    {"user": user, "body": body, "link": settings.SITE_URL.rstrip("/") + url if url else ""},
                )
                email_on_commit(to=[user.email], subject=subject, body=text)
        rows.append(Notification(recipient=user, kind=kind, subject=subject[:300], body=body, url=url))
    Notification.objects.bulk_create(rows, batch_size=500)
    User.objects.filter(pk__in=recipients).update(unread_notifications=F("unread_notifications") + 1)
    return len(rows)


@transaction.atomic
def notifications_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    chosen = unread if notification_ids is None else unread.filter(pk__in=notification_ids)
    marked = chosen.update(read_at=timezone.now())
    still_unread = unread.values("recipient").annotate(n=Count("pk")).values("n")
    User.objects.filter(pk=user.pk).update(unread_notifications=Coalesce(Subquery(still_unread), 0))
    return marked


@transaction.atomic
def email_preferences_set(*, user: User, language: str, email_kinds: list[str]) -> None:
    """Keep the kinds in email_kinds switched on and every other kind switched off."""
    user.language = language
    user.save(update_fields=["language"])
    off = set(NotificationKind.values) - set(email_kinds)
    EmailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
    EmailOptOut.objects.bulk_create([EmailOptOut(user=user, kind=kind) for kind in off], ignore_conflicts=True)
