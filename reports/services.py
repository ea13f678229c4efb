"""Issuing a maturity report: the live figures of the maturity page, frozen under a verification code."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from enterprises.models import Enterprise
from enterprises.selectors import is_member
from reports import codes
from reports.models import IssuedReport
from reports.selectors import latest_verified

SCORECARD_FIGURES = ("stage", "geography", "total", "fsts", "fata", "fete", "tni", "hhi", "breadth", "markets")
COMPONENT_FIGURES = ("key", "raw", "subscore", "weight", "points")


class ReportError(Exception):
    """The report cannot be issued (e.g. an exchange rate the figures need is missing); the message says why."""


def report_issue(*, enterprise: Enterprise, reference_year: int, actor: User) -> IssuedReport:
    """Score the firm's current records for the year with the default scheme, as the maturity page does, and
    store the figures under a new code. Only a member of the firm may issue its report."""
    if not is_member(actor, enterprise.pk):
        raise PermissionDenied
    scheme = assessment_services.default_scheme()
    live = assessment_selectors.live_scorecard(enterprise, reference_year, scheme.to_engine())
    if "error" in live:
        raise ReportError(live["error"])
    scorecard = live["scorecard"]
    verified = latest_verified(enterprise, reference_year)
    figures = {
        "firm": {"name_zh": enterprise.name_zh, "name_en": enterprise.name_en, "uscc": enterprise.uscc},
        "scheme": {"id": scheme.pk, "name": scheme.name},
        "scorecard": {
            **{key: scorecard[key] for key in SCORECARD_FIGURES},
            "components": [{key: c[key] for key in COMPONENT_FIGURES} for c in scorecard["components"]],
        },
        "verified": None
        if verified is None
        else {
            "total": str(verified.verified_total),
            "stage": verified.verified_stage,
            "decided_at": verified.decided_at.isoformat() if verified.decided_at else None,
            "round": verified.round.name if verified.round_id else None,
        },
    }
    for _attempt in range(3):  # 80 random bits: a clash is practically impossible, but never a 500
        try:
            with transaction.atomic():
                return IssuedReport.objects.create(
                    code=codes.new_code(),
                    enterprise=enterprise,
                    reference_year=reference_year,
                    figures=figures,
                    issued_by=actor,
                )
        except IntegrityError:
            continue
    raise ReportError(_("No free verification code was found; try again."))
