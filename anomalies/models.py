from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise

COMMENT_MAX_LENGTH = 2000


class Rule(models.TextChoices):
    """DESIGN section 8. FSTS above 1 is the same fact as foreign revenue above total revenue, so it is one rule
    (FOREIGN_REVENUE); FATA and FETE are rules of their own."""

    FOREIGN_REVENUE = "foreign_revenue", _("Foreign revenue above total revenue (FSTS above 1)")
    EXPORTS_ABOVE_REVENUE = "exports_revenue", _("Exports above total revenue")
    EXPORT_GROWTH = "export_growth", _("Exports grew more than tenfold in a year")
    FATA = "fata", _("Foreign assets above total assets (FATA above 1)")
    FETE = "fete", _("Employees abroad above total employees (FETE above 1)")
    SHARED_EVIDENCE = "shared_evidence", _("Evidence file also used by another firm")
    ESTABLISHMENT_DATES = "establishment_dates", _("Establishment closed before it opened")
    STAGE_GAP = "stage_gap", _("Self-reported stage two or more above the verified stage")


class Explanation(models.Model):
    """An officer's explanation of one anomaly, found again by its key (rule, firm, year, record; record 0 when
    the anomaly is not about one record) each time the anomalies are computed."""

    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("firm"))
    year = models.PositiveSmallIntegerField(_("year"))
    record_id = models.PositiveBigIntegerField(_("record"), default=0)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("explained by")
    )
    explained_at = models.DateTimeField(_("explained"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anomaly explanation")
        verbose_name_plural = _("anomaly explanations")
        ordering = ["-explained_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "enterprise", "year", "record_id"], name="anomaly_explanation_unique_key"
            ),
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="anomaly_explanation_rule_valid"),
            models.CheckConstraint(condition=~Q(comment=""), name="anomaly_explanation_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.enterprise_id} {self.year} #{self.record_id}"


class Finding(models.Model):
    """An anomaly detected by the last check of its firm (see anomalies.services.findings_refresh): the list
    page and the CSV read these rows, so they cost the same at 100 or 20,000 firms."""

    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("firm"))
    year = models.PositiveSmallIntegerField(_("year"))
    record_id = models.PositiveBigIntegerField(_("record"), default=0)
    #: the figures of the reason (e.g. foreign and total revenue), in `currency` when they are amounts
    a = models.DecimalField(max_digits=24, decimal_places=2, null=True)
    b = models.DecimalField(max_digits=24, decimal_places=2, null=True)
    currency = models.CharField(max_length=3, blank=True)
    detected_at = models.DateTimeField(_("detected"))

    class Meta:
        verbose_name = _("detected anomaly")
        verbose_name_plural = _("detected anomalies")
        ordering = ["-year", "enterprise__name_zh", "rule", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "enterprise", "year", "record_id"], name="finding_unique_key"),
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="finding_rule_valid"),
        ]
        indexes = [models.Index(fields=["year", "rule"]), models.Index(fields=["rule", "year"])]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.enterprise_id} {self.year} #{self.record_id}"


class ZoneCheck(models.Model):
    """One check of every firm (after a bulk import, an exchange-rate change, or on demand)."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    findings = models.PositiveIntegerField(_("anomalies found"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("zone check")
        verbose_name_plural = _("zone checks")
        ordering = ["-finished_at"]
        constraints = [models.CheckConstraint(condition=Q(finished_at__gte=F("started_at")), name="zone_check_order")]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}: {self.findings}"
