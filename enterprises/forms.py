from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from enterprises.models import (
    AnnualReport,
    Certification,
    Enterprise,
    Establishment,
    Expense,
    ExportRecord,
    MemberRole,
    PctApplication,
    Publication,
)
from enterprises.validators import OFFICE_CODE
from reference.currencies import CURRENCY_CHOICES


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name_zh",
            "name_en",
            "uscc",
            "registration_type",
            "industry_group",
            "founded",
            "province",
            "city",
        ]
        widgets = {"founded": DateInput()}

    def clean_uscc(self) -> str:
        return self.cleaned_data["uscc"].strip().upper()


class EnterpriseRecordForm(forms.ModelForm):
    """A firm record form: the firm comes from the URL, and duplicates within it are field errors."""

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        for name, field in self.fields.items():
            if name == "currency":
                field.widget = forms.Select(choices=CURRENCY_CHOICES)

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("enterprise")
        return exclusions


class AnnualReportForm(EnterpriseRecordForm):
    class Meta:
        model = AnnualReport
        fields = [
            "year",
            "currency",
            "revenue_total",
            "revenue_foreign",
            "assets_total",
            "assets_foreign",
            "employees_total",
            "employees_foreign",
            "imports_total",
            "domestic_scope",
        ]


class ExportRecordForm(EnterpriseRecordForm):
    class Meta:
        model = ExportRecord
        fields = ["year", "destination", "channel", "currency", "value"]


class EstablishmentForm(EnterpriseRecordForm):
    class Meta:
        model = Establishment
        fields = ["country", "city", "kind", "ownership_pct", "opened", "closed", "employees"]
        widgets = {"opened": DateInput(), "closed": DateInput()}


class OfficeCodesField(forms.CharField):
    """National/regional phase entries typed as 'US, EP, JP'."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        codes = [part.strip().upper() for part in text.replace(";", ",").split(",") if part.strip()]
        bad = [code for code in codes if not OFFICE_CODE.match(code)]
        if bad:
            raise forms.ValidationError(
                _("Not a two-letter office code: %(codes)s."), params={"codes": ", ".join(bad)}, code="office_codes"
            )
        if len(set(codes)) != len(codes):
            raise forms.ValidationError(_("Each office only once."), code="office_codes_repeated")
        return codes


class PctApplicationForm(EnterpriseRecordForm):
    national_phase = OfficeCodesField(
        label=_("national/regional phase entries"), required=False, help_text=_("Office codes, e.g. US, EP, JP.")
    )

    class Meta:
        model = PctApplication
        fields = ["number", "filed", "title", "publication_number", "national_phase"]
        widgets = {"filed": DateInput()}
        help_texts = {"number": _("PCT/CCYYYY/NNNNNN"), "publication_number": _("WO YYYY/NNNNNN (optional)")}

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean_publication_number(self) -> str:
        return self.cleaned_data["publication_number"].strip().upper()


class CertificationForm(EnterpriseRecordForm):
    class Meta:
        model = Certification
        fields = ["scheme", "scheme_other", "number", "issuer", "target_market", "issued", "expires"]
        widgets = {"issued": DateInput(), "expires": DateInput()}


class PublicationForm(EnterpriseRecordForm):
    class Meta:
        model = Publication
        fields = ["title", "venue", "country", "year"]


class ExpenseForm(EnterpriseRecordForm):
    class Meta:
        model = Expense
        fields = ["category", "description", "currency", "amount", "date", "provider"]
        widgets = {"date": DateInput()}


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("evidence file"), help_text=_("PDF, PNG, JPEG, XLSX or DOCX, at most 10 MB."))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("email address"))
    role = forms.ChoiceField(label=_("role"), choices=MemberRole.choices, initial=MemberRole.EDITOR)
