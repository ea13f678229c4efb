"""Object rules for firm data: members see and change their firm's records; nobody else does."""

from django.db.models import Q, QuerySet

from accounts.models import User
from enterprises.models import Enterprise, EvidenceFile


def can_manage_members(membership) -> bool:
    return membership is not None and membership.role == "owner"


def evidence_visible_to(user: User) -> QuerySet[EvidenceFile]:
    """Members see their firm's files; officers see the files of firms whose assessment they review."""
    if not user.is_authenticated:
        return EvidenceFile.objects.none()
    visible = Q(enterprise__memberships__user=user)
    if user.is_officer:
        from assessments.selectors import enterprises_under_review

        visible |= Q(enterprise__in=enterprises_under_review())
    return EvidenceFile.objects.filter(visible).distinct()


def evidence_deletable_by(user: User) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(enterprise__in=Enterprise.objects.filter(memberships__user=user))
