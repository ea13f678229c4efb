from django.db.models import Q, QuerySet

from accounts import roles
from accounts.models import User


def officers() -> QuerySet[User]:
    """Everyone who may review: officers and administrators."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=roles.STAFF_GROUPS) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )
