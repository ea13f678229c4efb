"""Signed e-mail verification links: the user's id and address, signed with a timestamp (no table needed)."""

from django.conf import settings
from django.core import signing

SALT = "accounts.email-verification"


def verification_token(user) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"id": user.pk, "email": user.email.lower()})


def token_payload(token: str) -> tuple[int, str] | None:
    """(user id, address the link was sent to) of a valid, unexpired token; None otherwise."""
    max_age = settings.EMAIL_VERIFICATION_DAYS * 24 * 3600
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) or not isinstance(data.get("email"), str):
        return None
    return data["id"], data["email"]
