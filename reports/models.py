"""A maturity report issued as a PDF, kept with its figures so that anyone holding its code can check it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise


class IssuedReport(models.Model):
    """The figures a PDF states, frozen when it was issued; the PDF is always rendered from them.

    `code` is 80 random bits (16 characters of Crockford's base 32): unguessable, short enough to type
    from paper. The firm may be deleted later; the report stays verifiable (its figures name the firm)."""

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, related_name="issued_reports", verbose_name=_("firm")
    )
    reference_year = models.PositiveSmallIntegerField(_("reference year"))
    figures = models.JSONField(_("figures"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "-issued_at"])]

    def __str__(self) -> str:
        return f"{self.figures['firm']['name_zh']} {self.reference_year} ({self.display_code})"

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed: `ABCD-EFGH-JKMN-PQRS`."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
