"""Object rules for firm data: members see and change their firm's records; nobody else does."""

from django.db.models import QuerySet

from accounts.models import User
from enterprises.models import EvidenceFile
from enterprises.selectors import enterprises_for


def can_manage_members(membership) -> bool:
    return membership is not None and membership.role == "owner"


def evidence_deletable_by(user: User) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(enterprise__in=enterprises_for(user))
