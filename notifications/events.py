"""Who is told about what, and in which words (built inside the recipient's language)."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments.models import Assessment, AssessmentStatus, AssessmentTransition
from core.formatting import format_amount, format_datetime
from enterprises.models import Enterprise, Membership
from notifications.models import NotificationKind
from notifications.services import notifications_send
from rewards.models import Award, Ranking, RewardRound


def members_of(enterprise_ids) -> QuerySet[User]:
    return User.objects.filter(memberships__enterprise__in=enterprise_ids, is_active=True).distinct()


def assessment_event(*, assessment_id: int, status: str) -> int:
    assessment = Assessment.objects.select_related("enterprise", "round", "reviewer").get(pk=assessment_id)
    member_url = reverse("assessments:detail", args=[assessment.enterprise_id, assessment.pk])
    members = members_of([assessment.enterprise_id])
    comment = (
        AssessmentTransition.objects.filter(assessment=assessment, to_status=status)
        .order_by("-pk")
        .values_list("comment", flat=True)
        .first()
        or ""
    )
    if status == AssessmentStatus.SUBMITTED:
        # The assigned officer only; unassigned work waits in the review queue that every officer watches.
        if assessment.reviewer is None:
            return 0
        snapshot = assessment.current_snapshot
        return notifications_send(
            recipients=[assessment.reviewer],
            kind=NotificationKind.ASSESSMENT_SUBMITTED,
            url=reverse("review:detail", args=[assessment.pk]),
            message=lambda: (
                _("Assessment submitted: %(a)s") % {"a": assessment},
                _("%(a)s was submitted (version %(v)s) with a self-reported total of %(t)s.")
                % {"a": assessment, "v": snapshot.version, "t": snapshot.scorecard["total"]},
            ),
        )
    if status == AssessmentStatus.RETURNED:
        kind, message = (
            NotificationKind.ASSESSMENT_RETURNED,
            lambda: (
                _("Assessment returned for correction: %(a)s") % {"a": assessment},
                _("An officer returned %(a)s for correction:\n\n%(c)s") % {"a": assessment, "c": comment},
            ),
        )
    elif status == AssessmentStatus.VERIFIED:
        kind, message = (
            NotificationKind.ASSESSMENT_VERIFIED,
            lambda: (
                _("Assessment verified: %(a)s") % {"a": assessment},
                _("%(a)s was verified with a total of %(t)s.") % {"a": assessment, "t": assessment.verified_total},
            ),
        )
    elif status == AssessmentStatus.REJECTED:
        kind, message = (
            NotificationKind.ASSESSMENT_REJECTED,
            lambda: (
                _("Assessment rejected: %(a)s") % {"a": assessment},
                _("An officer rejected %(a)s:\n\n%(c)s") % {"a": assessment, "c": comment},
            ),
        )
    else:
        return 0
    return notifications_send(recipients=members, kind=kind, url=member_url, message=message)


def eligible_firms(reward_round: RewardRound) -> QuerySet[Enterprise]:
    """Firms the round's rules admit judging by their latest verified assessment (one query with subqueries).

    Without a rule on stage, foreign revenue or size, every firm of an admitted registration type qualifies.
    """
    firms = Enterprise.objects.all()
    if reward_round.registration_types:
        firms = firms.filter(registration_type__in=reward_round.registration_types)
    if not (reward_round.min_stage or reward_round.min_foreign_revenue or reward_round.sme_only):
        return firms
    latest = Assessment.objects.filter(enterprise=OuterRef("pk"), status=AssessmentStatus.VERIFIED).order_by(
        "-reference_year", "-decided_at", "-pk"
    )
    firms = firms.annotate(
        last_stage=Subquery(latest.values("verified_stage")[:1]),
        last_foreign=Subquery(latest.values("verified_foreign_revenue")[:1]),
        last_sme=Subquery(latest.values("verified_is_sme")[:1]),
    ).filter(last_stage__isnull=False)
    rules = Q()
    if reward_round.min_stage:
        rules &= Q(last_stage__gte=reward_round.min_stage)
    if reward_round.min_foreign_revenue:
        rules &= Q(last_foreign__gte=reward_round.min_foreign_revenue)
    if reward_round.sme_only:
        rules &= Q(last_sme=True)
    return firms.filter(rules)


def round_opened(*, round_id: int) -> int:
    reward_round = RewardRound.objects.get(pk=round_id)
    recipients = members_of(eligible_firms(reward_round).values("pk"))
    closes = timezone.localtime(reward_round.submission_closes)
    return notifications_send(
        recipients=recipients,
        kind=NotificationKind.ROUND_OPENED,
        url=reverse("enterprises:list"),
        message=lambda: (
            _("Reward round open: %(r)s") % {"r": reward_round.name},
            _("The reward round %(r)s (reference year %(y)s) accepts assessments until %(d)s.")
            % {"r": reward_round.name, "y": reward_round.reference_year, "d": format_datetime(closes)},
        ),
    )


def round_published(*, round_id: int) -> int:
    """Each participating firm's members get its rank and award; firms not ranked are told so."""
    reward_round = RewardRound.objects.get(pk=round_id)
    rankings = {row.enterprise_id: row for row in Ranking.objects.filter(round=reward_round)}
    awards = dict(Award.objects.filter(round=reward_round).values_list("enterprise_id", "amount"))
    participants = (
        Assessment.objects.filter(round=reward_round).exclude(status=AssessmentStatus.DRAFT).values("enterprise_id")
    )
    by_firm: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(enterprise__in=participants, user__is_active=True).select_related("user")
    for membership in memberships:
        by_firm.setdefault(membership.enterprise_id, []).append(membership.user)
    url = reverse("rewards:results", args=[reward_round.pk])
    sent = 0
    for firm_id, members in by_firm.items():
        ranking, award = rankings.get(firm_id), awards.get(firm_id)

        def message(ranking=ranking, award=award):
            subject = _("Results published: %(r)s") % {"r": reward_round.name}
            if ranking is None:
                return subject, _("The results of %(r)s are published. Your firm is not ranked in this round.") % {
                    "r": reward_round.name
                }
            return subject, _(
                "The results of %(r)s are published. Your firm ranks %(rank)s with a verified total of %(t)s; "
                "award: %(award)s CNY."
            ) % {"r": reward_round.name, "rank": ranking.rank, "t": ranking.total, "award": format_amount(award or 0)}

        sent += notifications_send(recipients=members, kind=NotificationKind.ROUND_PUBLISHED, url=url, message=message)
    return sent
