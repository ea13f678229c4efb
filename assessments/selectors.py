from django.db.models import QuerySet

from enterprises.models import Enterprise


def enterprises_under_review() -> QuerySet[Enterprise]:
    """Firms with at least one assessment past draft: officers may see their evidence."""
    return Enterprise.objects.none()
