"""Open data: published rounds, their scheme, tiers and results (no authentication, cacheable)."""

from django.db.models import Max
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema

from api.http import cacheable
from api.pagination import keyset_page
from api.schemas import ERRORS, ResultPage, RoundDetail, RoundPage
from rewards import exports, selectors
from rewards.models import RewardRound

router = Router(tags=["open data"])
CURRENCY = "CNY"  # budgets, caps and awards are in CNY (DESIGN section 4)


class PageQuery(Schema):
    after: str | None = None
    limit: int | None = None


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _summary(reward_round: RewardRound) -> dict:
    return {
        "id": reward_round.pk,
        "name": reward_round.name,
        "reference_year": reward_round.reference_year,
        "published_at": reward_round.published_at,
        "currency": CURRENCY,
        "budget": _money(reward_round.budget),
        "url": reverse("api-v1:round_detail", args=[reward_round.pk]),
        "results_url": reverse("api-v1:round_results", args=[reward_round.pk]),
    }


@router.get("/rounds", response={200: RoundPage, **ERRORS}, url_name="round_list", auth=None)
def round_list(request: HttpRequest, page: Query[PageQuery]):
    """Published rounds, newest first."""
    rounds = selectors.published_rounds()
    rows, cursor = keyset_page(rounds, fields=["-id"], after=page.after, limit=page.limit, key=lambda r: [r.pk])
    latest = rounds.aggregate(latest=Max("published_at"))["latest"]
    return cacheable(request, {"items": [_summary(r) for r in rows], "next": cursor}, latest)


@router.get("/rounds/{round_id}", response={200: RoundDetail, **ERRORS}, url_name="round_detail", auth=None)
def round_detail(request: HttpRequest, round_id: int):
    """A published round: budget and totals, eligibility rules, scoring scheme and tiers."""
    reward_round = get_object_or_404(selectors.published_rounds().select_related("scheme"), pk=round_id)
    totals = selectors.award_totals(reward_round)
    scheme = reward_round.scheme
    data = _summary(reward_round) | {
        "ranked_firms": reward_round.rankings.count(),
        "awards": totals["n"],
        "awarded": _money(totals["awarded"]),
        "requested": _money(totals["requested"] or 0),
        "unallocated": _money(totals["unallocated"]),
        "eligibility": {
            "min_stage": reward_round.min_stage,
            "min_foreign_revenue": _money(reward_round.min_foreign_revenue),
            "sme_only": reward_round.sme_only,
            "registration_types": list(reward_round.registration_types),
            "eligible_expense_categories": list(reward_round.eligible_expense_categories),
        },
        "scheme": {
            "name": scheme.name,
            "weights": scheme.weights,
            "caps": scheme.caps,
            "neighbouring": scheme.neighbouring,
        },
        "tiers": [
            {
                "position": tier.position,
                "name": tier.name,
                "top_share": None if tier.top_share is None else f"{tier.top_share:.4f}",
                "top_rank": tier.top_rank,
                "rate": f"{tier.rate:.4f}",
                "cap": _money(tier.cap),
            }
            for tier in reward_round.tiers.order_by("position")
        ],
    }
    return cacheable(request, data, reward_round.published_at)


@router.get("/rounds/{round_id}/results", response={200: ResultPage, **ERRORS}, url_name="round_results", auth=None)
def round_results(request: HttpRequest, round_id: int, page: Query[PageQuery]):
    """The columns of results.csv, page by page in its order (rank, then enterprise id); awards in CNY."""
    reward_round = get_object_or_404(selectors.published_rounds(), pk=round_id)
    rows, cursor = keyset_page(
        selectors.result_values(reward_round),
        fields=["rank", "enterprise_id"],
        after=page.after,
        limit=page.limit,
        key=lambda row: [row[0], row[-1]],
    )
    items = [dict(zip(exports.RESULT_COLUMNS, exports.result_row(row), strict=True), currency=CURRENCY) for row in rows]
    return cacheable(request, {"round": reward_round.pk, "items": items, "next": cursor}, reward_round.published_at)
