from django.db.models import QuerySet

from accounts.models import User
from notifications.models import EmailOptOut, Notification, NotificationKind


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def email_kinds_on(user: User) -> list[str]:
    off = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [kind for kind in NotificationKind.values if kind not in off]
