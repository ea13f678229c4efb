from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import officer_required
from accounts.selectors import officers
from assessments import report, scoring, selectors, services, workflow
from assessments.errors import UnjudgedItems, WorkflowError
from assessments.filters import ReviewQueueFilter
from assessments.forms import (
    AssessmentCreateForm,
    AssignForm,
    DecisionForm,
    ItemReviewForm,
    VerifyRemainingForm,
)
from assessments.models import Assessment, AssessmentStatus, SizeBand, size_band_for
from assessments.permissions import evidence_visible_to, inline_evidence
from assessments.snapshots import SECTIONS, evidence_ids, revenue_cny
from core.forms import add_validation_error
from core.plausibility import latest_record_year
from enterprises.evidence import INLINE_TYPES
from enterprises.models import Enterprise, IndustryGroup
from enterprises.shortcuts import firm_or_404, year_or_latest
from providers.selectors import providers_for_next_step

PAGE_SIZE = 25


def _report_context(scorecard: dict | None, year: int | None = None) -> dict:
    if not scorecard:
        return {}
    stage, geography = scorecard["stage"], scorecard["geography"]
    return {
        "scorecard": scorecard,
        "components": report.explain(scorecard, year),
        "stage_ladder": report.ladder(report.STAGES, stage),
        "geography_ladder": report.ladder(report.GEOGRAPHY, geography),
        "next_stage": report.NEXT_STAGE[stage],
        "next_geography": report.NEXT_GEOGRAPHY[geography],
        "providers": providers_for_next_step(stage=stage, markets=list(scorecard["markets"]))[:6],
    }


@login_required
def assessment_list(request, enterprise_id: int):
    firm = firm_or_404(request, enterprise_id)
    rounds = selectors.rounds_open_for_submission()
    form = AssessmentCreateForm(
        request.POST or None, open_rounds=rounds, initial={"reference_year": latest_record_year(timezone.localdate())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                enterprise=firm,
                reference_year=form.cleaned_data["reference_year"],
                actor=request.user,
                reward_round=form.cleaned_data["round"],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Assessment created as a draft. Check it, then submit it."))
            return redirect("assessments:detail", firm.pk, assessment.pk)
    assessments = selectors.assessments_for_firm(request.user, firm).order_by("-reference_year", "-created_at")
    context = {
        "firm": firm,
        "form": form,
        "rounds": rounds,
        "page": Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page")),
        "trend": selectors.trend(firm),
    }
    return render(request, "assessments/list.html", context)


@login_required
def assessment_detail(request, enterprise_id: int, pk: int):
    firm = firm_or_404(request, enterprise_id)
    assessment = get_object_or_404(selectors.assessments_for_firm(request.user, firm), pk=pk)
    snapshot = assessment.current_snapshot
    preview = None
    if snapshot is None:
        preview = _live_scorecard(firm, assessment.reference_year, assessment.scheme.to_engine())
    scorecard = assessment.verified_scorecard or (snapshot.scorecard if snapshot else preview.get("scorecard"))
    percentile, peers = selectors.percentile(assessment)
    actions = workflow.actions_for(assessment.status, workflow.MEMBER)
    submission_problem = assessment.round.submission_problem() if assessment.round_id else None
    if submission_problem and workflow.Action.SUBMIT in actions:
        actions.remove(workflow.Action.SUBMIT)
    context = {
        "submission_problem": submission_problem if assessment.status != AssessmentStatus.VERIFIED else None,
        "self_assessment": _self_assessment_instead(request, firm, assessment, submission_problem),
        "firm": firm,
        "assessment": assessment,
        "snapshot": snapshot,
        "preview_error": (preview or {}).get("error"),
        "actions": actions,
        "transitions": assessment.transitions.select_related("actor"),
        "last_transition": assessment.transitions.order_by("-at", "-pk").first(),
        "item_reviews": {r.item_key: r for r in snapshot.item_reviews.all()} if snapshot else {},
        "items": _items(snapshot.data) if snapshot else [],
        "percentile": percentile,
        "peers": peers,
        "min_peers": selectors.MIN_PEERS,
        "is_verified_view": bool(assessment.verified_scorecard),
        **_report_context(scorecard, assessment.reference_year),
    }
    return render(request, "assessments/detail.html", context)


def _self_assessment_instead(request, firm: Enterprise, assessment: Assessment, problem: str | None) -> dict | None:
    """For a round assessment that can no longer be submitted: the firm's self-assessment of the same year
    (existing, or to be created) so that its work is not lost."""
    if not problem or assessment.status not in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        return None
    existing = (
        selectors.assessments_for_firm(request.user, firm)
        .filter(reference_year=assessment.reference_year, round__isnull=True)
        .first()
    )
    return {"year": assessment.reference_year, "existing": existing}


def _live_scorecard(firm: Enterprise, year: int, scheme: scoring.Scheme) -> dict:
    return selectors.live_scorecard(firm, year, scheme)


@login_required
def maturity_report(request, enterprise_id: int):
    """A live preview from the firm's current records, with the trend of its submitted assessments."""
    firm = firm_or_404(request, enterprise_id)
    year = year_or_latest(request, firm)
    live = _live_scorecard(firm, year, services.default_scheme().to_engine())
    latest = (
        selectors.assessments_for_firm(request.user, firm)
        .filter(reference_year=year, verified_total__isnull=False)
        .order_by("-decided_at")
        .first()
    )
    percentile, peers = selectors.percentile(latest) if latest else (None, 0)
    context = {
        "firm": firm,
        "year": year,
        "years": list(range(date.today().year, 2007, -1)),
        "error": live.get("error"),
        "trend": selectors.trend(firm),
        "percentile": percentile,
        "peers": peers,
        "min_peers": selectors.MIN_PEERS,
        "latest_verified": latest,
        **_report_context(live.get("scorecard"), year),
        **_peer_comparison(firm, year, live, latest),
    }
    return render(request, "assessments/maturity.html", context)


def _peer_comparison(firm: Enterprise, year: int, live: dict, latest: Assessment | None) -> dict:
    """The chart of the live subscores against the peers' medians. The peer group is the latest verified
    assessment's (as for the percentile), else the one the live figures would fall in."""
    if "scorecard" not in live:
        return {}
    if latest is not None:
        group = {"industry_group": latest.industry_group, "size_band": latest.size_band}
    else:
        group = {"industry_group": firm.industry_group, "size_band": size_band_for(revenue_cny(live["data"]))}
    medians, count = selectors.peer_medians(reference_year=year, enterprise_id=firm.pk, **group)
    return {
        "peer_chart": report.peer_chart(live["scorecard"], medians),
        "peer_rows": report.peer_rows(live["scorecard"], medians),
        "peer_count": count,
        "peer_group": {
            "industry_group": dict(IndustryGroup.choices).get(group["industry_group"], "—"),
            "size_band": dict(SizeBand.choices).get(group["size_band"], "—"),
        },
    }


@login_required
@require_POST
def assessment_submit(request, enterprise_id: int, pk: int):
    firm = firm_or_404(request, enterprise_id)
    assessment = get_object_or_404(selectors.assessments_for_firm(request.user, firm), pk=pk)
    try:
        services.assessment_submit(assessment_id=assessment.pk, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Submitted. An officer will review it; you will get an email."))
    return redirect("assessments:detail", firm.pk, assessment.pk)


@login_required
@require_POST
def assessment_delete(request, enterprise_id: int, pk: int):
    firm = firm_or_404(request, enterprise_id)
    assessment = get_object_or_404(selectors.assessments_for_firm(request.user, firm), pk=pk)
    try:
        services.assessment_delete(assessment_id=assessment.pk, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("assessments:detail", firm.pk, assessment.pk)
    messages.success(request, _("Draft deleted."))
    return redirect("assessments:list", firm.pk)


def _items(data: dict, inline: dict[int, str] | None = None) -> list[dict]:
    """The snapshot's items in display order, each with its evidence files; with `inline` (id → MIME type of
    the files a browser may show), each file that has one says how it is previewed (`pdf` or `image`)."""
    evidence = data.get("evidence", {})
    inline = inline or {}
    items = []
    for section in SECTIONS:
        for item in data.get(section, []):
            key = f"{section}:{item['id']}"
            files = [{**file, "preview": _preview_kind(inline.get(file["id"]))} for file in evidence.get(key, [])]
            items.append(
                {
                    "key": key,
                    "section": section,
                    "data": item,
                    "evidence": files,
                    "previews": [file for file in files if file["preview"]],
                    "label": report.SECTION_LABELS[section],
                    "summary": report.summarize(section, item),
                }
            )
    return items


def _preview_kind(mime_type: str | None) -> str:
    if mime_type is None:
        return ""
    return "pdf" if mime_type == "application/pdf" else "image"


@officer_required
def review_queue(request):
    staff = officers()
    filters = ReviewQueueFilter(request.GET, queryset=selectors.officer_queue(request.user), request=request)
    assign = AssignForm(request.POST or None, queue=selectors.officer_queue(request.user), officers=staff)
    if request.method == "POST" and assign.is_valid():
        try:
            changed = services.assessment_assign(
                assessment_ids=[a.pk for a in assign.cleaned_data["assessments"]],
                officer=assign.cleaned_data["officer"],
                actor=request.user,
            )
        except WorkflowError as error:
            assign.add_error(None, str(error))
        except ValidationError as error:
            add_validation_error(assign, error)
        else:
            messages.success(request, _("%(count)s assessments assigned.") % {"count": changed})
            return redirect(request.get_full_path())
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "assign": assign,
        "officers": staff,
        "status_tabs": filters.status_tabs(selectors.status_counts(filters.status_scope)),
        "headers": filters.headers(),
    }
    return render(request, "assessments/queue.html", context)


def _reviewable(request, pk: int) -> Assessment:
    return get_object_or_404(selectors.officer_queue(request.user).select_related("scheme"), pk=pk)


def _decision_context(assessment: Assessment, snapshot) -> dict:
    """What the review page's decision card offers in the assessment's state (htmx refreshes it per verdict)."""
    reward_round = assessment.round
    frozen = reward_round.frozen_reason() if reward_round and reward_round.decisions_frozen else ""
    unjudged = selectors.unjudged_item_keys(snapshot)
    return {
        "assessment": assessment,
        "frozen": frozen,
        "can_review": not frozen and workflow.allowed(assessment.status, workflow.Action.REVIEW_ITEM),
        "unjudged": len(unjudged),
        "first_unjudged": unjudged[0] if unjudged else "",
    }


@officer_required
def review_detail(request, pk: int):
    assessment = _reviewable(request, pk)
    snapshot = assessment.current_snapshot
    reviews = {r.item_key: r for r in snapshot.item_reviews.select_related("reviewer")} if snapshot else {}
    inline = inline_evidence(request.user, evidence_ids(snapshot.data)) if snapshot else {}
    context = {
        "snapshot": snapshot,
        "items": _items(snapshot.data, inline) if snapshot else [],
        "reviews": reviews,
        "decision": DecisionForm(),
        "transitions": assessment.transitions.select_related("actor"),
        "older_snapshots": assessment.snapshots.exclude(pk=snapshot.pk).order_by("-version") if snapshot else [],
        **_decision_context(assessment, snapshot),
        **_report_context(
            assessment.verified_scorecard or (snapshot.scorecard if snapshot else None), assessment.reference_year
        ),
    }
    return render(request, "assessments/review.html", context)


@officer_required
@require_POST
def review_item(request, pk: int):
    assessment = _reviewable(request, pk)
    form = ItemReviewForm(request.POST)
    review = error = None
    if form.is_valid():
        try:
            review = services.item_review_set(
                assessment_id=assessment.pk,
                item_key=form.cleaned_data["item_key"],
                verified=form.cleaned_data["verified"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except WorkflowError as refused:
            error = str(refused)
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
    else:
        error = _("Choose verified or not verified.")
    if request.htmx:
        # htmx swaps this fragment into the item's row: answer with the fragment, never a redirect to a full page.
        key = review.item_key if review else request.POST.get("item_key", "")
        snapshot = assessment.current_snapshot
        if review is None and snapshot:
            review = snapshot.item_reviews.filter(item_key=key).first()
        assessment.refresh_from_db(fields=["status"])
        context = {
            **_decision_context(assessment, snapshot),
            "review": review,
            "key": key,
            "error": error,
            "decision": DecisionForm(),
            "oob": True,
        }
        return render(request, "assessments/_item_verdict.html", context)
    if error:
        messages.error(request, error)
    return redirect("review:detail", assessment.pk)


@officer_required
@require_POST
def review_decide(request, pk: int):
    assessment = _reviewable(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("review:detail", assessment.pk)
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    service = {
        "return": services.assessment_return,
        "verify": services.assessment_verify,
        "reject": services.assessment_reject,
    }[action]
    try:
        service(assessment_id=assessment.pk, actor=request.user, comment=comment)
    except UnjudgedItems as error:
        anchor = f"verdict-{slugify(error.first_key)}"
        messages.error(request, format_html('{} <a href="#{}">{}</a>', str(error), anchor, _("Go to the first one.")))
        return redirect(reverse("review:detail", args=[assessment.pk]) + f"#{anchor}")
    except WorkflowError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = {"return": _("Returned to the firm for correction."), "verify": _("Verified."), "reject": _("Rejected.")}
        messages.success(request, done[action])
    return redirect("review:detail", assessment.pk)


@officer_required
@require_POST
def review_verify_remaining(request, pk: int):
    assessment = _reviewable(request, pk)
    form = VerifyRemainingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Confirm how many items you mark verified."))
        return redirect("review:detail", assessment.pk)
    try:
        count = services.item_reviews_verify_remaining(
            assessment_id=assessment.pk, expected=form.cleaned_data["expected"], actor=request.user
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s remaining item marked verified. You can verify the assessment now.",
                "%(count)s remaining items marked verified. You can verify the assessment now.",
                count,
            )
            % {"count": count},
        )
    return redirect("review:detail", assessment.pk)


#: The preview's own Content-Security-Policy, instead of the site's. `sandbox` gives the document a unique origin
#: with no scripts, forms, pop-ups or plugins of its own, and `default-src 'none'` lets it load nothing: a file that
#: is not what its type says cannot act as the site. Only the site's own pages may frame it. Chromium's image
#: viewer styles the picture inline (`style-src 'unsafe-inline'`: styles cannot run code); `img-src 'self'` serves
#: viewers that load the picture as an image of their own document. Chromium's PDF viewer runs in its own
#: extension frame, outside this document's sandbox, and still renders (tests/browser/test_review.py).
PREVIEW_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"


def _evidence_response(evidence, *, inline: bool) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=evidence.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_download(request, evidence_id: int):
    evidence = get_object_or_404(evidence_visible_to(request.user), pk=evidence_id)
    return _evidence_response(evidence, inline=False)


@login_required
def evidence_preview(request, evidence_id: int):
    """The file shown in the browser (the review page frames it), with the download's access rule. Only the
    types in `INLINE_TYPES` (checked by content at upload) are shown inline; any other answers as a download."""
    evidence = get_object_or_404(evidence_visible_to(request.user), pk=evidence_id)
    if evidence.mime_type not in INLINE_TYPES:
        return _evidence_response(evidence, inline=False)
    response = _evidence_response(evidence, inline=True)
    # Headers set here are kept by django-csp's and Django's clickjacking middleware: the site's own policy
    # (and X-Frame-Options: DENY) stays on every other answer.
    response["Content-Security-Policy"] = PREVIEW_POLICY
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
