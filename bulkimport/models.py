from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    FIRMS = "firms", _("Firms")
    ANNUAL_REPORTS = "annual_reports", _("Annual reports")
    EXPORT_RECORDS = "export_records", _("Export records")


class ImportStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CHECKED = "checked", _("Checked (dry run)")
    REJECTED = "rejected", _("Rejected: nothing written")


class ImportBatch(models.Model):
    """One upload: who imported which file, what it did (or would have done), and its error report."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    dry_run = models.BooleanField(_("dry run"))
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    #: [[row or null, column, reason], ...]: the whole error report (downloadable as CSV)
    errors = models.JSONField(_("error report"), default=list, blank=True)
    #: the first changes (old → new), as shown after the import
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
