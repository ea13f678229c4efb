import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.formatting import format_date, format_money
from core.money import MONEY
from core.plausibility import FIRST_YEAR, MAX_VALIDITY_YEARS, latest_expiry
from core.validators import (
    validate_event_year,
    validate_founding_date,
    validate_past_date,
    validate_record_year,
)
from enterprises.storage import private_storage
from enterprises.validators import (
    PCT_NUMBER,
    validate_office_codes,
    validate_pct_number,
    validate_uscc,
    validate_wo_number,
)
from reference.currencies import validate_currency

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
ANNUAL_YEAR_VALIDATORS = [validate_record_year]
EVENT_YEAR_VALIDATORS = [validate_event_year]
PAST_DATE_VALIDATORS = [validate_past_date]

# China's 2011 SME classification for industry: large = both thresholds met.
SME_EMPLOYEE_LIMIT = 1000
SME_REVENUE_LIMIT_CNY = Decimal("400000000")


def is_sme(*, employees: int, revenue_cny: Decimal) -> bool:
    """Large only with both >= 1,000 employees and >= 400 M CNY revenue; every other firm is an SME."""
    return not (employees >= SME_EMPLOYEE_LIMIT and revenue_cny >= SME_REVENUE_LIMIT_CNY)


class RegistrationType(models.TextChoices):
    STATE_OWNED = "state_owned", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    PRIVATE = "private", _("Private")
    LIMITED_LIABILITY = "llc", _("Limited liability company")
    JOINT_STOCK = "joint_stock", _("Joint-stock company")
    JOINT_VENTURE = "joint_venture", _("Sino-foreign joint venture")
    WHOLLY_FOREIGN = "wholly_foreign", _("Wholly foreign-owned")
    HMT = "hmt", _("Hong Kong/Macau/Taiwan-invested")


FOREIGN_INVESTED = frozenset({RegistrationType.JOINT_VENTURE, RegistrationType.WHOLLY_FOREIGN, RegistrationType.HMT})


class IndustryGroup(models.TextChoices):
    ELECTRONIC_INFORMATION = "electronic_information", _("Electronic information")
    BIOPHARMACEUTICAL = "biopharmaceutical", _("Biopharmaceutical")
    AEROSPACE = "aerospace", _("Aerospace")
    NEW_MATERIALS = "new_materials", _("New materials")
    NEW_ENERGY = "new_energy", _("New energy")
    HIGH_TECH_SERVICES = "high_tech_services", _("High-tech services")
    ADVANCED_MANUFACTURING = "advanced_manufacturing", _("Advanced manufacturing")
    OTHER = "other", _("Other")


class Enterprise(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    registration_type = models.CharField(_("registration type"), max_length=20, choices=RegistrationType.choices)
    industry_group = models.CharField(_("industry group"), max_length=30, choices=IndustryGroup.choices)
    founded = models.DateField(_("founding date"), null=True, blank=True, validators=[validate_founding_date])
    province = models.CharField(_("home province"), max_length=50, default="北京")
    city = models.CharField(_("home city"), max_length=50, default="北京")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name_zh"]
        indexes = [models.Index(fields=["industry_group"]), models.Index(fields=["registration_type"])]

    def __str__(self) -> str:
        return self.name_zh if not self.name_en else f"{self.name_zh} ({self.name_en})"

    @property
    def is_foreign_invested(self) -> bool:
        return self.registration_type in FOREIGN_INVESTED

    def clean(self) -> None:
        if self.uscc:
            self.uscc = self.uscc.strip().upper()


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique_user_enterprise")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise} ({self.get_role_display()})"


class Invitation(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.enterprise}"


class DomesticScope(models.TextChoices):
    LOCAL = "local", _("Local (home province only)")
    NATIONAL = "national", _("National")


class FirmRecord(models.Model):
    """Something a firm records about itself; evidence files can be attached to it."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    evidence = GenericRelation("enterprises.EvidenceFile")

    class Meta:
        abstract = True


class AnnualReport(FirmRecord):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=ANNUAL_YEAR_VALIDATORS)
    currency = models.CharField(_("currency"), max_length=3, default="CNY", validators=[validate_currency])
    revenue_total = models.DecimalField(_("revenue, total"), validators=NON_NEGATIVE, **MONEY)
    revenue_foreign = models.DecimalField(_("revenue, foreign"), validators=NON_NEGATIVE, **MONEY)
    assets_total = models.DecimalField(_("assets, total"), validators=NON_NEGATIVE, **MONEY)
    assets_foreign = models.DecimalField(_("assets, foreign"), validators=NON_NEGATIVE, **MONEY)
    employees_total = models.PositiveIntegerField(_("employees, total"))
    employees_foreign = models.PositiveIntegerField(_("employees, abroad"))
    imports_total = models.DecimalField(_("imports, total"), validators=NON_NEGATIVE, **MONEY)
    domestic_scope = models.CharField(
        _("domestic sales scope"), max_length=10, choices=DomesticScope.choices, default=DomesticScope.NATIONAL
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="annual_report_unique_enterprise_year"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="annual_report_year_from_1980"),
            models.CheckConstraint(
                condition=Q(revenue_foreign__lte=F("revenue_total")), name="annual_report_revenue_foreign_le_total"
            ),
            models.CheckConstraint(
                condition=Q(assets_foreign__lte=F("assets_total")), name="annual_report_assets_foreign_le_total"
            ),
            models.CheckConstraint(
                condition=Q(employees_foreign__lte=F("employees_total")),
                name="annual_report_employees_foreign_le_total",
            ),
            models.CheckConstraint(
                condition=Q(
                    revenue_foreign__gte=0,
                    revenue_total__gte=0,
                    assets_foreign__gte=0,
                    assets_total__gte=0,
                    imports_total__gte=0,
                ),
                name="annual_report_amounts_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    def clean(self) -> None:
        errors = {}
        for part, label in (("revenue", _("revenue")), ("assets", _("assets")), ("employees", _("employees"))):
            total, foreign = getattr(self, f"{part}_total"), getattr(self, f"{part}_foreign")
            if total is not None and foreign is not None and foreign > total:
                errors[f"{part}_foreign"] = _("Foreign %(what)s cannot exceed total %(what)s.") % {"what": label}
        if errors:
            raise ValidationError(errors)


class ExportChannel(models.TextChoices):
    DIRECT = "direct", _("Direct export")
    AGENT = "agent", _("Through an independent agent or distributor")
    SUBSIDIARY = "subsidiary", _("Through an own foreign sales entity")


class ExportRecord(FirmRecord):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="export_records")
    year = models.PositiveSmallIntegerField(_("year"), validators=ANNUAL_YEAR_VALIDATORS)
    destination = CountryField(_("destination"))
    channel = models.CharField(_("channel"), max_length=12, choices=ExportChannel.choices)
    currency = models.CharField(_("currency"), max_length=3, default="CNY", validators=[validate_currency])
    value = models.DecimalField(_("value"), validators=NON_NEGATIVE, **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-year", "destination", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "destination", "channel"],
                name="export_record_unique_per_market_channel",
                violation_error_message=_(
                    "This firm already has an export record for this year, destination and channel."
                ),
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="export_record_value_non_negative"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="export_record_year_from_1980"),
        ]
        indexes = [models.Index(fields=["year", "destination"])]

    def __str__(self) -> str:
        return f"{self.year} {self.destination} {self.get_channel_display()}: {format_money(self.value, self.currency)}"


class EstablishmentKind(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative office")
    SALES = "sales", _("Sales")
    SERVICE = "service", _("Service")
    RND = "rnd", _("R&D")
    MANUFACTURING = "manufacturing", _("Manufacturing")


class EstablishmentQuerySet(models.QuerySet):
    def active_at(self, day: date) -> "EstablishmentQuerySet":
        """Opened on or before `day` and not closed by then: one closed on `day` is no longer active.

        The scoring engine asks the same of a snapshot's plain data (`assessments.scoring.Establishment.active_on`).
        """
        return self.filter(Q(opened__lte=day), Q(closed__isnull=True) | Q(closed__gt=day))


class Establishment(FirmRecord):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="establishments")
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=EstablishmentKind.choices)
    ownership_pct = models.DecimalField(
        _("ownership %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    opened = models.DateField(_("opened"), validators=PAST_DATE_VALIDATORS)
    closed = models.DateField(_("closed"), null=True, blank=True, validators=PAST_DATE_VALIDATORS)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    history = HistoricalRecords()

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["-opened"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "country", "city", "kind", "opened"],
                name="establishment_unique",
                violation_error_message=_("This firm already has this establishment."),
            ),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(closed__gte=F("opened")), name="establishment_closed_after_opened"
            ),
            models.CheckConstraint(
                condition=Q(ownership_pct__gt=0, ownership_pct__lte=100), name="establishment_ownership_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.city}, {self.country.name}"

    @property
    def year(self) -> int:
        return self.opened.year

    def clean(self) -> None:
        if self.opened and self.closed and self.closed < self.opened:
            raise ValidationError({"closed": _("The closing date cannot be before the opening date.")})


class PctApplication(FirmRecord):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="pct_applications")
    number = models.CharField(_("international application number"), max_length=18, validators=[validate_pct_number])
    filed = models.DateField(_("international filing date"), validators=PAST_DATE_VALIDATORS)
    title = models.CharField(_("title"), max_length=300)
    publication_number = models.CharField(
        _("publication number"), max_length=15, blank=True, validators=[validate_wo_number]
    )
    national_phase = models.JSONField(
        _("national/regional phase entries"), default=list, blank=True, validators=[validate_office_codes]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("PCT application")
        verbose_name_plural = _("PCT applications")
        ordering = ["-filed"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "number"],
                name="pct_application_unique_number",
                violation_error_message=_("This firm already has this PCT application."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def year(self) -> int:
        return self.filed.year

    def clean(self) -> None:
        match = PCT_NUMBER.match(self.number or "")
        if match and self.filed and int(match["year"]) != self.filed.year:
            raise ValidationError(
                {
                    "number": _("The year in the number (%(number_year)s) must equal the filing year (%(filed_year)s).")
                    % {"number_year": match["year"], "filed_year": self.filed.year}
                }
            )


class CertificationScheme(models.TextChoices):
    CE = "CE", "CE"
    FDA_510K = "FDA_510K", "FDA 510(k)"
    UL = "UL", "UL"
    ISO_9001 = "ISO_9001", "ISO 9001"
    ISO_13485 = "ISO_13485", "ISO 13485"
    ISO_14001 = "ISO_14001", "ISO 14001"
    ISO_27001 = "ISO_27001", "ISO/IEC 27001"
    CMMI = "CMMI", "CMMI"
    GMP_EU = "GMP_EU", "GMP-EU"
    OTHER = "other", _("Other")


class Certification(FirmRecord):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="certifications")
    scheme = models.CharField(_("scheme"), max_length=12, choices=CertificationScheme.choices)
    scheme_other = models.CharField(_("scheme name (if other)"), max_length=100, blank=True)
    number = models.CharField(_("certificate number"), max_length=100)
    issuer = models.CharField(_("issuer"), max_length=200)
    target_market = CountryField(_("target market"), blank=True)
    issued = models.DateField(_("issued"), validators=PAST_DATE_VALIDATORS)
    expires = models.DateField(_("expires"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-issued"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scheme", "number"],
                name="certification_unique_number",
                violation_error_message=_("This firm already has this certificate."),
            ),
            models.CheckConstraint(
                condition=Q(expires__isnull=True) | Q(expires__gte=F("issued")),
                name="certification_expires_after_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_label} {self.number}"

    @property
    def scheme_label(self) -> str:
        return self.scheme_other if self.scheme == CertificationScheme.OTHER else self.get_scheme_display()

    @property
    def scheme_key(self) -> str:
        """Distinct schemes are counted by this key; 'other' schemes by their name."""
        return f"other:{self.scheme_other.strip().lower()}" if self.scheme == CertificationScheme.OTHER else self.scheme

    @property
    def year(self) -> int:
        return self.issued.year

    def clean(self) -> None:
        errors = {}
        if self.issued and self.expires:
            if self.expires < self.issued:
                errors["expires"] = _("The expiry date cannot be before the issue date.")
            elif self.expires > latest_expiry(self.issued):
                errors["expires"] = _("The expiry date cannot be more than %(years)d years after the issue date.") % {
                    "years": MAX_VALIDITY_YEARS
                }
        if self.scheme == CertificationScheme.OTHER and not self.scheme_other.strip():
            errors["scheme_other"] = _("Name the scheme.")
        if errors:
            raise ValidationError(errors)


class Publication(FirmRecord):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="publications")
    title = models.CharField(_("title"), max_length=300)
    venue = models.CharField(_("venue"), max_length=200)
    country = CountryField(_("country"))
    year = models.PositiveSmallIntegerField(_("year"), validators=EVENT_YEAR_VALIDATORS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication abroad")
        verbose_name_plural = _("publications abroad")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "title", "venue", "year"],
                name="publication_unique",
                violation_error_message=_("This firm already has this publication."),
            ),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="publication_year_from_1980"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.venue}, {self.year})"


class ExpenseCategory(models.TextChoices):
    PATENT_FEES = "patent_fees", _("PCT and foreign patent fees")
    CERTIFICATION = "certification", _("Certification")
    ESTABLISHMENT = "establishment", _("Establishment set-up")
    EXHIBITION = "exhibition", _("Exhibition/conference")
    TRAINING = "training", _("Training")
    MARKET_RESEARCH = "market_research", _("Market research")
    SERVICES = "services", _("Legal/tax/consulting service")


class Expense(FirmRecord):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="expenses")
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY", validators=[validate_currency])
    amount = models.DecimalField(_("amount"), validators=NON_NEGATIVE, **MONEY)
    date = models.DateField(_("date"), validators=PAST_DATE_VALIDATORS)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "category", "date", "amount", "currency", "provider"],
                name="expense_unique",
                violation_error_message=_("This firm already recorded this expense."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="expense_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {format_date(self.date)}: {format_money(self.amount, self.currency)}"

    @property
    def year(self) -> int:
        return self.date.year


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    return f"evidence/{instance.enterprise_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """A proof attached to any firm record; stored privately under a random name."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="evidence_files")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=evidence_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=10 * 1024 * 1024), name="evidence_file_max_10mb"),
        ]

    def __str__(self) -> str:
        return self.original_name
