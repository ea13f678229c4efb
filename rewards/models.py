from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, ScoringScheme
from core.formatting import format_datetime
from core.money import MONEY
from core.validators import validate_event_year, validate_planned_date
from enterprises.models import Enterprise


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    RANKED = "ranked", _("Ranked")
    PUBLISHED = "published", _("Published")


class RewardRoundQuerySet(models.QuerySet):
    def open_for_submission(self) -> "RewardRoundQuerySet":
        """Rounds a firm can submit to right now, the one closing first first."""
        now = timezone.now()
        return self.filter(
            status=RoundStatus.OPEN, submission_opens__lte=now, submission_closes__gte=now, archived_at__isnull=True
        ).order_by("submission_closes")


class RewardRound(models.Model):
    name = models.CharField(_("name"), max_length=200)
    reference_year = models.PositiveSmallIntegerField(_("reference year"), validators=[validate_event_year])
    submission_opens = models.DateTimeField(_("submissions open"), validators=[validate_planned_date])
    submission_closes = models.DateTimeField(_("submissions close"), validators=[validate_planned_date])
    review_deadline = models.DateField(_("review deadline"), validators=[validate_planned_date])
    budget = models.DecimalField(_("budget (CNY)"), validators=[MinValueValidator(Decimal("0"))], **MONEY)
    scheme = models.ForeignKey(
        ScoringScheme, on_delete=models.PROTECT, related_name="reward_rounds", verbose_name=_("scoring scheme")
    )
    min_stage = models.PositiveSmallIntegerField(_("minimum stage"), default=0, validators=[MaxValueValidator(4)])
    min_foreign_revenue = models.DecimalField(
        _("minimum foreign revenue (CNY)"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    sme_only = models.BooleanField(_("SMEs only"), default=False)
    registration_types = models.JSONField(_("registration types (empty: all)"), default=list, blank=True)
    eligible_expense_categories = models.JSONField(_("eligible expense categories"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    ranked_at = models.DateTimeField(_("ranked"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    ranked_inputs = models.CharField(
        max_length=64, blank=True, help_text="fingerprint of the rules, tiers and decisions the ranking was made from"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RewardRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("reward round")
        verbose_name_plural = _("reward rounds")
        ordering = ["-reference_year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_closes__gt=models.F("submission_opens")), name="reward_round_window_order"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="reward_round_budget_non_negative"),
            models.CheckConstraint(condition=Q(min_stage__lte=4), name="reward_round_min_stage_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def decisions_frozen(self) -> bool:
        """Ranked: the decisions on its assessments wait for a re-opening; published: frozen for good."""
        return self.status in (RoundStatus.RANKED, RoundStatus.PUBLISHED)

    def frozen_reason(self) -> str:
        if self.status == RoundStatus.PUBLISHED:
            return gettext("The round “%(round)s” is published: its decisions are final.") % {"round": self.name}
        return gettext(
            "The round “%(round)s” is ranked: its decisions are frozen. An administrator can re-open it for ranking."
        ) % {"round": self.name}

    def submission_problem(self, now=None) -> str | None:
        """Why a firm cannot submit to this round now, or None when it can."""
        now = now or timezone.now()
        if self.status != RoundStatus.OPEN:
            return gettext("The round “%(round)s” is not open for submissions.") % {"round": self.name}
        if now < self.submission_opens:
            return gettext("The round “%(round)s” opens for submissions on %(when)s.") % {
                "round": self.name,
                "when": format_datetime(self.submission_opens),
            }
        if now > self.submission_closes:
            return gettext("The submission window of “%(round)s” closed on %(when)s.") % {
                "round": self.name,
                "when": format_datetime(self.submission_closes),
            }
        return None


class RoundTier(models.Model):
    """Ordered best first; a cumulative bound: top share of ranked firms, or top rank."""

    round = models.ForeignKey(RewardRound, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=50)
    top_share = models.DecimalField(
        _("top share"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    top_rank = models.PositiveIntegerField(_("top rank"), null=True, blank=True, validators=[MinValueValidator(1)])
    rate = models.DecimalField(
        _("compensation rate"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    cap = models.DecimalField(_("cap per firm (CNY)"), null=True, blank=True, **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="round_tier_unique_position"),
            models.UniqueConstraint(fields=["round", "name"], name="round_tier_unique_name"),
            models.CheckConstraint(
                condition=(Q(top_share__isnull=False) & Q(top_rank__isnull=True))
                | (Q(top_share__isnull=True) & Q(top_rank__isnull=False)),
                name="round_tier_exactly_one_bound",
            ),
            models.CheckConstraint(condition=Q(rate__gt=0) & Q(rate__lte=1), name="round_tier_rate_range"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gt=0), name="round_tier_cap_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Ranking(models.Model):
    """Frozen when a round is ranked; never changes once the round is published.

    On PostgreSQL one composite foreign key, (assessment, round, enterprise) to the assessment's
    (id, round, enterprise), stands for the three single ones (rewards.0007): it also holds the ranking to its
    assessment's round and firm, and a ranking of 200,000 firms commits with one key check per row, not
    three. The ORM keeps the relations (and on_delete) as before.
    """

    # no index of its own: (round, enterprise) and (round, rank, enterprise) start with it, and every index
    # costs a write per firm when a round of 200,000 is ranked
    round = models.ForeignKey(
        RewardRound, on_delete=models.CASCADE, related_name="rankings", db_index=False, db_constraint=False
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="rankings", db_constraint=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="rankings", db_constraint=False)
    rank = models.PositiveIntegerField(_("rank"))
    total = models.DecimalField(_("verified total"), max_digits=5, decimal_places=2)
    tier = models.CharField(_("tier"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        ordering = ["round", "rank", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "enterprise"], name="ranking_unique_enterprise"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="ranking_rank_positive"),
            # what an award's one foreign key refers to (rewards.0007)
            models.UniqueConstraint(fields=["id", "round", "enterprise"], name="ranking_round_firm_key"),
        ]
        # the results pages (site and API) read a round in (rank, firm) order, page by page
        indexes = [models.Index(fields=["round", "rank", "enterprise"], name="ranking_round_rank_firm")]

    def __str__(self) -> str:
        return f"{self.round} #{self.rank} {self.enterprise_id}"


class Award(models.Model):
    """On PostgreSQL one composite foreign key, (ranking, round, enterprise) to the ranking's (id, round,
    enterprise), stands for the three single ones, as for Ranking."""

    ranking = models.OneToOneField(Ranking, on_delete=models.CASCADE, related_name="award", db_constraint=False)
    round = models.ForeignKey(
        RewardRound, on_delete=models.CASCADE, related_name="awards", db_index=False, db_constraint=False
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="awards", db_constraint=False)
    claim_cny = models.DecimalField(_("claim (CNY)"), **MONEY)
    request = models.DecimalField(_("request (CNY)"), **MONEY)
    amount = models.DecimalField(_("award (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["round", "enterprise"], name="award_unique_enterprise"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=models.F("request")), name="award_within_request"
            ),
            models.CheckConstraint(condition=Q(request__gte=0) & Q(claim_cny__gte=0), name="award_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.enterprise_id} {self.amount}"


class RoundEvent(models.Model):
    """The round's own history: every state change, who made it, and what the administrator confirmed."""

    round = models.ForeignKey(RewardRound, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(max_length=10, choices=RoundStatus.choices)
    to_status = models.CharField(max_length=10, choices=RoundStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        ordering = ["round", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.action} {self.from_status} → {self.to_status}"


class RankingRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Ranking")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RankingRun(models.Model):
    """A ranking of a large round (more than RANKING_BACKGROUND_ASSESSMENTS verified assessments) that an
    administrator asked for and a worker runs; the round page follows it. At most one is pending per round."""

    PENDING = (RankingRunStatus.QUEUED, RankingRunStatus.RUNNING)

    round = models.ForeignKey(RewardRound, on_delete=models.CASCADE, related_name="ranking_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    exclude_undecided = models.BooleanField(_("without the undecided assessments"), default=False)
    assessments = models.PositiveIntegerField(_("verified assessments"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=RankingRunStatus.choices, default=RankingRunStatus.QUEUED
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: why the ranking was refused or failed (a refusal is translated; an error is technical text)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(status__in=["queued", "running"]), name="ranking_run_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.status} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING
