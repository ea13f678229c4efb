"""An issued report's stored figures as the PDF and the verification page show them, in the reader's language."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from assessments.report import COMPONENT_LABELS, GEOGRAPHY, STAGES
from reports.models import IssuedReport


def _label(rungs, value: int) -> str:
    return next((str(label) for rung, label, _help in rungs if rung == value), "")


def report_context(issued: IssuedReport, verify_url: str | None = None) -> dict:
    figures = issued.figures
    scorecard = figures["scorecard"]
    verified = figures.get("verified")
    if verified and verified.get("decided_at"):
        verified = {**verified, "decided_at": datetime.fromisoformat(verified["decided_at"])}
    return {
        "issued": issued,
        "firm": figures["firm"],
        "scheme": figures["scheme"],
        "scorecard": scorecard,
        "stage_label": _label(STAGES, scorecard["stage"]),
        "geography_label": _label(GEOGRAPHY, scorecard["geography"]),
        "components": [
            {**component, "label": COMPONENT_LABELS.get(component["key"], component["key"])}
            for component in scorecard["components"]
        ],
        "verified": verified,
        "verify_url": verify_url,
        "methodology_url": settings.SITE_URL.rstrip("/") + reverse("reports:methodology"),
    }
