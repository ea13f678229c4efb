"""Reads of issued reports: a firm's list only for its members; a single report by its code for anyone."""

from django.db.models import QuerySet

from accounts.models import User
from assessments.models import Assessment, AssessmentStatus
from enterprises.models import Enterprise
from enterprises.selectors import enterprises_for
from reports import codes
from reports.models import IssuedReport


def reports_for(user: User, enterprise: Enterprise) -> QuerySet[IssuedReport]:
    return IssuedReport.objects.filter(enterprise=enterprise, enterprise__in=enterprises_for(user))


def report_by_code(text: str) -> IssuedReport | None:
    """The report a (typed or printed) code names; None for anything else, forged codes included."""
    code = codes.normalize(text)
    if code is None:
        return None
    return IssuedReport.objects.filter(code=code).first()


def latest_verified(enterprise: Enterprise, year: int) -> Assessment | None:
    return (
        Assessment.objects.filter(enterprise=enterprise, reference_year=year, status=AssessmentStatus.VERIFIED)
        .select_related("round")
        .order_by("-decided_at", "-pk")
        .first()
    )
