from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from api import tokens
from api.models import PersonalAccessToken

LAST_USED_PRECISION = timedelta(minutes=1)


def tokens_for(user: User) -> QuerySet[PersonalAccessToken]:
    if not user.is_authenticated:
        return PersonalAccessToken.objects.none()
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_authenticate(raw: str) -> PersonalAccessToken | None:
    """The active token of an active user that `raw` is, or None; marks it used (to the minute)."""
    prefix = tokens.prefix_of(raw.strip())
    if prefix is None:
        return None
    token = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
    now = timezone.now()
    if token is None or not tokens.matches(raw.strip(), token.digest):
        return None
    if not token.is_active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
