from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    FIRMS = "firms", _("Firms")
    ANNUAL_REPORTS = "annual_reports", _("Annual reports")
    EXPORT_RECORDS = "export_records", _("Export records")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    APPLIED = "applied", _("Applied")
    CHECKED = "checked", _("Checked (dry run)")
    REJECTED = "rejected", _("Rejected: nothing written")
    FAILED = "failed", _("Failed: nothing written")


#: a batch a worker has still to finish (a large upload, imported in the background)
PENDING = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportBatch(models.Model):
    """One upload: who imported which file, what it did (or would have done), and its error report.

    A large upload is imported by a worker: the batch is QUEUED, then RUNNING while the worker writes its progress
    (`processed` of `total` steps, each row counting once when read and once when validated), then ends like any
    other batch, or FAILED with the error in `message`.
    """

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
    processed = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: the error of the last failed attempt of a background import (technical text, for the record)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    @property
    def percent(self) -> int | None:
        """How far a pending batch is, 0-100; None while no measure exists (waiting, reading or writing)."""
        if not self.pending:
            return 100
        if not self.total or self.stage == "writing":
            return None
        return min(self.processed, self.total) * 100 // self.total

    @property
    def stage(self) -> str:
        """What a pending batch is doing: waiting, reading (the file), checking (the rows) or writing (them)."""
        if self.status == ImportStatus.QUEUED:
            return "waiting"
        if not self.total:
            return "reading"
        if self.processed < self.total or self.dry_run:  # a dry run ends with its check
            return "checking"
        return "writing"


class ImportUpload(models.Model):
    """The file of a batch imported in the background, in the database every worker reads; deleted when the batch
    ends, whatever the outcome."""

    batch = models.OneToOneField(ImportBatch, on_delete=models.CASCADE, primary_key=True, related_name="upload")
    data = models.BinaryField()

    class Meta:
        verbose_name = _("import upload")
        verbose_name_plural = _("import uploads")

    def __str__(self) -> str:
        return str(self.batch_id)
