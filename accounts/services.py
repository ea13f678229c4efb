from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.verification import verification_token
from core.emails import email_on_commit


@transaction.atomic
def staff_user_create(
    *, username: str, email: str, password: str, role: str, first_name: str = "", last_name: str = ""
) -> User:
    """Officers and administrators exist only through this function (or Django admin)."""
    if role not in roles.STAFF_GROUPS:
        raise ValueError(f"unknown role {role!r}")
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == roles.ADMINISTRATOR,
    )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def user_unlock(*, username: str) -> int:
    """Forget the failed log-ins of `username` (django-axes); returns how many records went."""
    from axes.utils import reset

    return reset(username=username)


@transaction.atomic
def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    link_for: Callable[[str], str],
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> User | None:
    """Create an unverified account and e-mail it a verification link. For an address that already has an
    account nothing is created and that address is told instead; the visitor sees the same answer either way
    (the password is hashed in both cases so the two take as long)."""
    hashed = make_password(password)
    if User.objects.filter(email__iexact=email).exists():
        subject = _("Sign-up attempt with your e-mail address")
        body = _(
            "Someone (perhaps you) tried to create a new account with this e-mail address, which already has "
            "an account. If it was you, log in, or reset your password if you forgot it. Otherwise ignore "
            "this message."
        )
        email_on_commit(to=[email], subject=subject, body=body)
        return None
    user = User.objects.create(
        username=username,
        email=email,
        password=hashed,
        first_name=first_name,
        last_name=last_name,
        language=language,
        email_verified=False,
    )
    user_send_verification(user=user, link_for=link_for)
    return user


def user_send_verification(*, user: User, link_for: Callable[[str], str]) -> None:
    link = link_for(verification_token(user))
    subject = _("Verify your e-mail address")
    body = _("Follow this link within %(days)d days to verify your e-mail address and use your account:\n%(link)s") % {
        "days": settings.EMAIL_VERIFICATION_DAYS,
        "link": link,
    }
    email_on_commit(to=[user.email], subject=subject, body=body)


@transaction.atomic
def user_verify_email(*, user_id: int, email: str) -> User | None:
    """Mark the address verified when the link was sent to the user's current address; None otherwise."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or user.email.lower() != email.lower():
        return None
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user
