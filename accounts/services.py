from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.models import User


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
