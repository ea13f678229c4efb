"""View helpers every app's firm pages share: the firm of the URL (404 unless a member) and the year asked for."""

import re

from django.http import Http404
from django.utils import timezone

from core.plausibility import latest_record_year, year_problem
from enterprises import selectors
from enterprises.models import Enterprise

YEAR_PARAM = re.compile(r"[1-9][0-9]{3}", re.ASCII)


def firm_or_404(request, enterprise_id: int) -> Enterprise:
    """The firm if the user is one of its members; 404 otherwise (another firm's data is not even named)."""
    try:
        return selectors.enterprise_for(request.user, enterprise_id)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def year_param(request) -> int | None:
    """The ?year= of the request when it is a year firm records may have, else None (never a 500 on odd input)."""
    value = request.GET.get("year", "").strip()
    if not YEAR_PARAM.fullmatch(value):
        return None
    year = int(value)
    return year if year_problem(year, timezone.localdate(), allow_current=True) is None else None


def year_or_latest(request, firm: Enterprise) -> int:
    """?year= when it is a year records may have, else the firm's latest annual report's, else last year.

    A stored report for a year not yet over (from before the plausibility rule) is never the default."""
    year = year_param(request)
    if year is not None:
        return year
    last = latest_record_year(timezone.localdate())
    latest = firm.annual_reports.filter(year__lte=last).order_by("-year").values_list("year", flat=True).first()
    return latest or last
