"""Object rules that depend on review: who may see a firm's evidence."""

from django.db.models import Q, QuerySet

from accounts.models import User
from assessments.selectors import enterprises_under_review
from enterprises.evidence import INLINE_TYPES
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


def inline_evidence(user: User, ids: list[int]) -> dict[int, str]:
    """id → MIME type of those of `ids` that the user may see and a browser may show inline (one query)."""
    visible = evidence_visible_to(user).filter(pk__in=ids, mime_type__in=INLINE_TYPES)
    return dict(visible.values_list("pk", "mime_type"))
