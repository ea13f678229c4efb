from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments import scoring
from core.money import MONEY
from core.validators import validate_event_year
from enterprises.models import Enterprise, EvidenceFile, IndustryGroup


class ScoringScheme(models.Model):
    """Weights, caps and the neighbouring set of DESIGN section 3; frozen once an assessment used it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    weights = models.JSONField(_("weights"))
    caps = models.JSONField(_("caps"))
    neighbouring = models.JSONField(_("neighbouring markets"))
    is_default = models.BooleanField(_("default scheme"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="scoring_scheme_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def to_engine(self) -> scoring.Scheme:
        return scoring.Scheme.from_dict({"weights": self.weights, "caps": self.caps, "neighbouring": self.neighbouring})

    def clean(self) -> None:
        try:
            self.to_engine()
        except scoring.SchemeError as error:
            raise ValidationError({"weights": str(error)}) from error

    @property
    def is_used(self) -> bool:
        return self.assessments.exists() or self.reward_rounds.exclude(status="draft").exists()


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class SizeBand(models.TextChoices):
    UNDER_20M = "lt20m", _("< 20 M CNY")
    UNDER_200M = "20m-200m", _("20-200 M CNY")
    UNDER_1B = "200m-1b", _("200 M-1 B CNY")
    OVER_1B = "ge1b", _("≥ 1 B CNY")


#: upper bounds (exclusive) of the revenue bands in CNY; revenue at or above the last is SizeBand.OVER_1B
SIZE_BAND_BOUNDS: tuple[tuple[str, Decimal], ...] = (
    (SizeBand.UNDER_20M.value, Decimal("20000000")),
    (SizeBand.UNDER_200M.value, Decimal("200000000")),
    (SizeBand.UNDER_1B.value, Decimal("1000000000")),
)


def size_band_for(revenue_cny: Decimal | None) -> str:
    """The band of a year's revenue in CNY; an unknown revenue counts as the smallest band."""
    if revenue_cny is None:
        return SizeBand.UNDER_20M
    return next((band for band, bound in SIZE_BAND_BOUNDS if revenue_cny < bound), SizeBand.OVER_1B)


class Assessment(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="assessments")
    reference_year = models.PositiveSmallIntegerField(_("reference year"), validators=[validate_event_year])
    round = models.ForeignKey(
        "rewards.RewardRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("reward round"),
    )
    scheme = models.ForeignKey(ScoringScheme, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_assessments",
        verbose_name=_("assigned officer"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Denormalised from the current snapshot so queues, peers and rankings are plain SQL.
    industry_group = models.CharField(max_length=30, choices=IndustryGroup.choices, blank=True)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices, blank=True)
    self_total = models.DecimalField(_("self-reported total"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_stage = models.PositiveSmallIntegerField(_("self-reported stage"), null=True, blank=True)
    verified_total = models.DecimalField(_("verified total"), max_digits=5, decimal_places=2, null=True, blank=True)
    verified_stage = models.PositiveSmallIntegerField(_("verified stage"), null=True, blank=True)
    verified_scorecard = models.JSONField(_("verified scorecard"), null=True, blank=True)
    # Eligibility and claim inputs of the verified items, so ranking a round is plain SQL.
    verified_foreign_revenue = models.DecimalField(null=True, blank=True, **MONEY)
    verified_is_sme = models.BooleanField(null=True, blank=True)
    verified_expenses = models.JSONField(null=True, blank=True, help_text="category → verified CNY in the year")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-reference_year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "round"],
                condition=Q(round__isnull=False),
                name="assessment_one_per_round",
                violation_error_message=_("This firm already has an assessment in this round."),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "reference_year"],
                condition=Q(round__isnull=True),
                name="assessment_one_self_assessment_per_year",
                violation_error_message=_("This firm already has a self-assessment for this year."),
            ),
            models.CheckConstraint(
                condition=Q(verified_total__isnull=True) | Q(status="verified"),
                name="assessment_verified_total_only_when_verified",
            ),
            # What a ranking's one foreign key refers to (rewards.0007): its assessment, round and firm agree.
            models.UniqueConstraint(fields=["id", "round", "enterprise"], name="assessment_round_firm_key"),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["round", "status", "verified_total"]),
            models.Index(fields=["reference_year", "industry_group", "size_band", "status"]),
            # the statistics: "a verified assessment for the year" and each firm's counted assessments of a year
            models.Index(fields=["reference_year", "status"]),
        ]

    def __str__(self) -> str:
        label = self.round.name if self.round_id else _("self-assessment")
        return f"{self.enterprise.name_zh} {self.reference_year} ({label})"

    @property
    def current_snapshot(self) -> "AssessmentSnapshot | None":
        return self.snapshots.order_by("-version").first()


class AssessmentSnapshot(models.Model):
    """What was submitted: frozen records, their CNY amounts, and the self-reported scorecard."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveSmallIntegerField()
    data = models.JSONField()
    scorecard = models.JSONField()
    evidence_files = models.ManyToManyField(EvidenceFile, related_name="snapshots", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment snapshot")
        verbose_name_plural = _("assessment snapshots")
        ordering = ["assessment", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="assessment_snapshot_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} v{self.version}"


class ItemReview(models.Model):
    """An officer's verdict on one item of a snapshot (e.g. `exports:12`)."""

    snapshot = models.ForeignKey(AssessmentSnapshot, on_delete=models.CASCADE, related_name="item_reviews")
    item_key = models.CharField(max_length=60)
    verified = models.BooleanField(_("verified"))
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item review")
        verbose_name_plural = _("item reviews")
        constraints = [models.UniqueConstraint(fields=["snapshot", "item_key"], name="item_review_unique_item")]

    def __str__(self) -> str:
        return f"{self.item_key}: {'✓' if self.verified else '✗'}"


class AssessmentTransition(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(max_length=10, choices=AssessmentStatus.choices)
    to_status = models.CharField(max_length=10, choices=AssessmentStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment transition")
        verbose_name_plural = _("assessment transitions")
        ordering = ["assessment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.from_status} → {self.to_status}"
