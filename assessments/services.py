"""Assessment workflow writes. Each is one transaction holding a row lock on the assessment."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from assessments import scoring, workflow
from assessments.errors import UnjudgedItems, WorkflowError
from assessments.models import (
    Assessment,
    AssessmentSnapshot,
    AssessmentStatus,
    AssessmentTransition,
    ItemReview,
    ScoringScheme,
    size_band_for,
)
from assessments.selectors import unjudged_item_keys
from assessments.signals import assessment_notified
from assessments.snapshots import (
    build_snapshot,
    evidence_ids,
    item_keys,
    revenue_cny,
    score_snapshot,
    verified_expenses_by_category,
    verified_firm_figures,
)
from enterprises.models import Enterprise
from enterprises.selectors import is_member
from reference.rates import MissingExchangeRate
from reference.selectors import rate_table


def default_scheme() -> ScoringScheme:
    """The scheme self-assessments use (created by a data migration; recreated if it was removed)."""
    scheme = ScoringScheme.objects.filter(is_default=True).first()
    if scheme is None:
        scheme, _created = ScoringScheme.objects.get_or_create(
            name="Default", defaults={**scoring.DEFAULT_SCHEME.to_dict(), "is_default": True}
        )
    return scheme


def submission_fields(data: dict[str, Any], scorecard: dict[str, Any]) -> dict[str, Any]:
    """What a submission stores on its assessment, from the frozen snapshot `data` and its self-reported
    `scorecard` (the status and the time are the caller's)."""
    return {
        "self_total": Decimal(scorecard["total"]),
        "self_stage": scorecard["stage"],
        "size_band": size_band_for(revenue_cny(data)),
        "industry_group": data["enterprise"]["industry_group"],
    }


def verification_fields(data: dict[str, Any], verified: set[str], scorecard: dict[str, Any]) -> dict[str, Any]:
    """What a verification stores on its assessment: the `scorecard` of the snapshot `data` counting only the
    `verified` items, and the verified figures the reward rounds rank and pay by."""
    foreign_revenue, is_sme = verified_firm_figures(data, verified)
    return {
        "verified_scorecard": scorecard,
        "verified_total": Decimal(scorecard["total"]),
        "verified_stage": scorecard["stage"],
        "verified_foreign_revenue": foreign_revenue,
        "verified_is_sme": is_sme,
        "verified_expenses": verified_expenses_by_category(data, verified),
    }


def _store(assessment: Assessment, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(assessment, name, value)


def _locked(assessment_id: int) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment_id)


def _locked_round(assessment: Assessment):
    """The assessment's round, row-locked so that closing or ranking it cannot interleave with this action."""
    if assessment.round_id is None:
        return None
    rounds = Assessment._meta.get_field("round").related_model.objects
    return rounds.select_for_update().get(pk=assessment.round_id)


def _check_round_accepts_submissions(reward_round) -> None:
    problem = reward_round.submission_problem()
    if problem:
        raise WorkflowError(problem)


def _check(assessment: Assessment, action: str, actor: User) -> None:
    if not workflow.allowed(assessment.status, action):
        raise WorkflowError(
            _("This assessment is %(status)s: “%(action)s” is no longer possible.")
            % {"status": assessment.get_status_display().lower(), "action": workflow.Action(action).label}
        )
    role = workflow.actor_role(assessment.status, action)
    if role == workflow.MEMBER and not is_member(actor, assessment.enterprise_id):
        raise WorkflowError(_("Only members of the firm can do this."))
    if role == workflow.OFFICER:
        if not actor.is_officer:
            raise WorkflowError(_("Only officers can do this."))
        if is_member(actor, assessment.enterprise_id):
            raise WorkflowError(_("You are a member of this firm and cannot review its assessment."))
        reward_round = _locked_round(assessment)
        if reward_round is not None and reward_round.decisions_frozen:
            raise WorkflowError(reward_round.frozen_reason())


def _log(assessment: Assessment, action: str, from_status: str, actor: User, comment: str = "") -> None:
    AssessmentTransition.objects.create(
        assessment=assessment,
        action=action,
        from_status=from_status,
        to_status=assessment.status,
        actor=actor,
        comment=comment,
    )


def _notify(assessment: Assessment) -> None:
    """Announce the step once the transaction has committed; the notifications app writes each recipient's text
    in that recipient's language and emails it in a background task.

    robust: a failure to queue is logged and never turns the committed step into an error page.
    """
    event = {"assessment_id": assessment.pk, "status": assessment.status}
    transaction.on_commit(lambda: assessment_notified.send(sender=Assessment, **event), robust=True)


@transaction.atomic
def assessment_create(*, enterprise: Enterprise, reference_year: int, actor: User, reward_round=None) -> Assessment:
    if not is_member(actor, enterprise.pk):
        raise WorkflowError(_("Only members of the firm can do this."))
    if reward_round is not None:
        reward_round = type(reward_round).objects.select_for_update().get(pk=reward_round.pk)
        _check_round_accepts_submissions(reward_round)
        reference_year = reward_round.reference_year
    assessment = Assessment(
        enterprise=enterprise,
        reference_year=reference_year,
        round=reward_round,
        created_by=actor,
        scheme=reward_round.scheme if reward_round else default_scheme(),
        industry_group=enterprise.industry_group,
    )
    assessment.full_clean()
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as error:  # the same assessment created by a double submit in between
        assessment.full_clean()
        raise ValidationError(_("This assessment was just created; reload the page.")) from error
    return assessment


@transaction.atomic
def assessment_delete(*, assessment_id: int, actor: User) -> None:
    assessment = _locked(assessment_id)
    _check(assessment, workflow.Action.DELETE, actor)
    assessment.delete()


@transaction.atomic
def assessment_submit(*, assessment_id: int, actor: User) -> Assessment:
    """Freeze the firm's records as a new snapshot with its self-reported scorecard."""
    assessment = _locked(assessment_id)
    _check(assessment, workflow.Action.SUBMIT, actor)
    if assessment.round_id:
        _check_round_accepts_submissions(_locked_round(assessment))
    enterprise = assessment.enterprise
    year = assessment.reference_year
    try:
        data = build_snapshot(enterprise, year, rate_table([year]))
    except MissingExchangeRate as error:
        raise WorkflowError(str(error) + " " + _("Ask an administrator to add it.")) from error
    if not data["annual_report"]:
        raise WorkflowError(_("Record the annual report for %(year)s before submitting.") % {"year": year})
    scorecard = score_snapshot(data, assessment.scheme.to_engine())
    version = assessment.snapshots.count() + 1
    snapshot = AssessmentSnapshot.objects.create(
        assessment=assessment, version=version, data=data, scorecard=scorecard, submitted_by=actor
    )
    snapshot.evidence_files.set(evidence_ids(data))
    from_status = assessment.status
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    stored = submission_fields(data, scorecard)
    _store(assessment, stored)
    assessment.save(update_fields=["status", "submitted_at", *stored])
    _log(assessment, workflow.Action.SUBMIT, from_status, actor)
    _notify(assessment)
    return assessment


@transaction.atomic
def assessment_assign(*, assessment_ids: list[int], officer: User | None, actor: User) -> int:
    """Assign (or unassign, with None) an officer to submitted assessments; returns how many changed.

    All or nothing: one assessment the workflow table refuses (not submitted, or the actor is a member of
    its firm) refuses the whole batch with a WorkflowError.
    """
    if not actor.is_officer:
        raise WorkflowError(_("Only officers can do this."))
    if officer is not None and not officer.is_officer:
        raise ValidationError({"officer": _("Only officers can be assigned.")})
    changed = 0
    for assessment in Assessment.objects.select_for_update().filter(pk__in=assessment_ids).order_by("pk"):
        # The workflow table decides, as for every other action: all or nothing for a batch.
        _check(assessment, workflow.Action.ASSIGN, actor)
        if officer is not None and is_member(officer, assessment.enterprise_id):
            raise ValidationError(
                {
                    "officer": _("%(officer)s is a member of %(firm)s and cannot review it.")
                    % {"officer": officer, "firm": assessment.enterprise.name_zh}
                }
            )
        assessment.reviewer = officer
        assessment._history_user = actor  # who assigned, in the audit history (also outside a request)
        assessment.save(update_fields=["reviewer"])
        changed += 1
    return changed


@transaction.atomic
def item_review_set(*, assessment_id: int, item_key: str, verified: bool, comment: str, actor: User) -> ItemReview:
    assessment = _locked(assessment_id)
    _check(assessment, workflow.Action.REVIEW_ITEM, actor)
    snapshot = assessment.current_snapshot
    if item_key not in item_keys(snapshot.data):
        raise ValidationError({"item_key": _("This item is not part of the submitted snapshot.")})
    review, _created = ItemReview.objects.update_or_create(
        snapshot=snapshot,
        item_key=item_key,
        defaults={"verified": verified, "comment": comment.strip(), "reviewer": actor},
    )
    return review


@transaction.atomic
def item_reviews_verify_remaining(*, assessment_id: int, expected: int, actor: User) -> int:
    """Record “verified” by `actor` for every item still without a verdict; returns how many.

    `expected` is the count the officer confirmed: if other verdicts landed in between, nothing is written.
    """
    assessment = _locked(assessment_id)
    _check(assessment, workflow.Action.VERIFY_REMAINING, actor)
    snapshot = assessment.current_snapshot
    remaining = unjudged_item_keys(snapshot)
    if not remaining:
        raise WorkflowError(_("Every item already has a verdict."))
    if len(remaining) != expected:
        raise WorkflowError(
            _("%(count)s items are without a verdict now, not %(expected)s: look at them again before confirming.")
            % {"count": len(remaining), "expected": expected}
        )
    bulk_create_with_history(
        [ItemReview(snapshot=snapshot, item_key=key, verified=True, reviewer=actor) for key in remaining],
        ItemReview,
        default_user=actor,
    )
    _log(
        assessment,
        workflow.Action.VERIFY_REMAINING,
        assessment.status,
        actor,
        ngettext(
            "%(count)s remaining item marked verified.", "%(count)s remaining items marked verified.", len(remaining)
        )
        % {"count": len(remaining)},
    )
    return len(remaining)


def _decide(assessment_id: int, action: str, actor: User, comment: str) -> tuple[Assessment, str]:
    assessment = _locked(assessment_id)
    _check(assessment, action, actor)
    if action in workflow.COMMENT_REQUIRED and not comment.strip():
        raise ValidationError({"comment": _("Say what the firm must correct, or why it is rejected.")})
    from_status = assessment.status
    assessment.status = workflow.target(from_status, action)
    if assessment.reviewer_id is None:
        assessment.reviewer = actor
    return assessment, from_status


@transaction.atomic
def assessment_return(*, assessment_id: int, actor: User, comment: str) -> Assessment:
    assessment, from_status = _decide(assessment_id, workflow.Action.RETURN, actor, comment)
    assessment.save(update_fields=["status", "reviewer"])
    _log(assessment, workflow.Action.RETURN, from_status, actor, comment)
    _notify(assessment)
    return assessment


@transaction.atomic
def assessment_reject(*, assessment_id: int, actor: User, comment: str) -> Assessment:
    assessment, from_status = _decide(assessment_id, workflow.Action.REJECT, actor, comment)
    assessment.decided_at = timezone.now()
    assessment.save(update_fields=["status", "reviewer", "decided_at"])
    _log(assessment, workflow.Action.REJECT, from_status, actor, comment)
    _notify(assessment)
    return assessment


@transaction.atomic
def assessment_verify(*, assessment_id: int, actor: User, comment: str = "") -> Assessment:
    """Score the snapshot again counting only the items the officer verified; refused while any item has no
    verdict, so a verified score never comes from unjudged items."""
    assessment, from_status = _decide(assessment_id, workflow.Action.VERIFY, actor, comment)
    snapshot = assessment.current_snapshot
    unjudged = unjudged_item_keys(snapshot)
    if unjudged:
        raise UnjudgedItems(
            ngettext(
                "%(count)s item has no verdict yet. Judge it, or verify all remaining items at once.",
                "%(count)s items have no verdict yet. Judge each of them, or verify all remaining items at once.",
                len(unjudged),
            )
            % {"count": len(unjudged)},
            count=len(unjudged),
            first_key=unjudged[0],
        )
    verified = set(snapshot.item_reviews.filter(verified=True).values_list("item_key", flat=True))
    scorecard = score_snapshot(snapshot.data, assessment.scheme.to_engine(), verified)
    stored = verification_fields(snapshot.data, verified, scorecard)
    _store(assessment, stored)
    assessment.decided_at = timezone.now()
    assessment.save(update_fields=["status", "reviewer", "decided_at", *stored])
    _log(assessment, workflow.Action.VERIFY, from_status, actor, comment)
    _notify(assessment)
    return assessment
