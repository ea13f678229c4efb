"""Object rules that depend on review: who may see a firm's evidence."""

from django.db.models import Q, QuerySet

from accounts.models import User
from assessments.selectors import enterprises_under_review
from enterprises.models import EvidenceFile
from enterprises.selectors import enterprises_for


def evidence_visible_to(user: User) -> QuerySet[EvidenceFile]:
    """Members see their firm's files; officers see the files of firms with an assessment past draft."""
    if not user.is_authenticated:
        return EvidenceFile.objects.none()
    visible = Q(enterprise__in=enterprises_for(user))
    if user.is_officer:
        visible |= Q(enterprise__in=enterprises_under_review())
    return EvidenceFile.objects.filter(visible).distinct()
