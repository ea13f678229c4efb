"""Writes of the API app: tokens (created and revoked in the site), and upserts of firm records."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from api import tokens
from api.models import PersonalAccessToken


@transaction.atomic
def token_create(
    *, user: User, name: str, scope: str, expires_at: datetime.datetime
) -> tuple[PersonalAccessToken, str]:
    """The new token and its secret string, which is never stored and cannot be shown again."""
    raw, prefix = tokens.generate()
    token = PersonalAccessToken.objects.create(
        user=user, name=name.strip(), scope=scope, expires_at=expires_at, prefix=prefix, digest=tokens.digest(raw)
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken) -> PersonalAccessToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
