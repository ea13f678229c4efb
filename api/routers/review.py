"""Officers' review queue, as the review page scopes it (assessments.selectors.officer_queue)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.auth import require_officer, token_auth, user_of
from api.pagination import keyset_page
from api.schemas import ERRORS, QueuePage
from assessments.models import AssessmentStatus
from assessments.selectors import officer_queue

router = Router(tags=["review"], auth=token_auth)


class QueueQuery(Schema):
    after: str | None = None
    limit: int | None = None
    status: AssessmentStatus | None = None
    round: int | None = None
    reference_year: int | None = None


def _decimal(value) -> str | None:
    return None if value is None else f"{value:.2f}"


@router.get("/review/queue", response={200: QueuePage, **ERRORS}, url_name="review_queue")
def review_queue(request: HttpRequest, query: Query[QueueQuery]):
    """Every assessment past draft except those of the officer's own firms, oldest first (by id)."""
    require_officer(request)
    queue = officer_queue(user_of(request))
    if query.status:
        queue = queue.filter(status=query.status)
    if query.round is not None:
        queue = queue.filter(round_id=query.round)
    if query.reference_year is not None:
        queue = queue.filter(reference_year=query.reference_year)
    rows, cursor = keyset_page(queue, fields=["id"], after=query.after, limit=query.limit, key=lambda a: [a.pk])
    items = [
        {
            "id": a.pk,
            "enterprise_id": a.enterprise_id,
            "enterprise": a.enterprise.name_zh,
            "uscc": a.enterprise.uscc,
            "reference_year": a.reference_year,
            "round_id": a.round_id,
            "round": a.round.name if a.round else None,
            "status": a.status,
            "submitted_at": a.submitted_at,
            "reviewer": a.reviewer.username if a.reviewer else None,
            "self_total": _decimal(a.self_total),
            "self_stage": a.self_stage,
            "verified_total": _decimal(a.verified_total),
            "verified_stage": a.verified_stage,
        }
        for a in rows
    ]
    return {"items": items, "next": cursor}
