"""The statistics filters (GET parameters shared by the page and every download)."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import validate_event_year
from enterprises.models import FOREIGN_INVESTED, IndustryGroup, RegistrationType
from reference.regions import region_label

CURRENCIES = ("USD", "CNY")
DEFAULT_CURRENCY = "USD"
DEFAULT_REGION = "Beijing"

# Registration-type filter: the two groups of the paper, then every single type.
DOMESTIC = "domestic"
FOREIGN = "foreign"
REGISTRATION_FILTER_CHOICES = [
    ("", _("All registration types")),
    (DOMESTIC, _("Domestic (all types)")),
    (FOREIGN, _("Foreign-invested (all types)")),
    *RegistrationType.choices,
]


@dataclass(frozen=True)
class StatisticsFilters:
    currency: str = DEFAULT_CURRENCY
    year_from: int | None = None
    year_to: int | None = None
    year: int | None = None  # the breakdowns' year; None = the latest year with data
    region: str = ""
    industry: str = ""
    registration_type: str = ""

    def enterprise_q(self, prefix: str = "enterprise__") -> Q:
        """The industry and registration-type filters, on the enterprise reached through `prefix`."""
        q = Q()
        if self.industry:
            q &= Q(**{f"{prefix}industry_group": self.industry})
        if self.registration_type == DOMESTIC:
            q &= ~Q(**{f"{prefix}registration_type__in": sorted(FOREIGN_INVESTED)})
        elif self.registration_type == FOREIGN:
            q &= Q(**{f"{prefix}registration_type__in": sorted(FOREIGN_INVESTED)})
        elif self.registration_type:
            q &= Q(**{f"{prefix}registration_type": self.registration_type})
        return q


class StatisticsFilterForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), required=False)
    year_from = forms.IntegerField(label=_("From year"), required=False, validators=[validate_event_year])
    year_to = forms.IntegerField(label=_("To year"), required=False, validators=[validate_event_year])
    year = forms.IntegerField(label=_("Breakdown year"), required=False, validators=[validate_event_year])
    region = forms.ChoiceField(label=_("Compare with region"), required=False)
    industry = forms.ChoiceField(
        label=_("Industry group"), required=False, choices=[("", _("All industry groups")), *IndustryGroup.choices]
    )
    registration_type = forms.ChoiceField(
        label=_("Registration type"), required=False, choices=REGISTRATION_FILTER_CHOICES
    )

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = regions
        self.fields["region"].choices = [(name, region_label(name)) for name in regions]
        self.currency_choices = CURRENCIES

    def clean_currency(self) -> str:
        value = self.cleaned_data.get("currency") or DEFAULT_CURRENCY
        if value not in CURRENCIES:
            raise forms.ValidationError(
                _("Unsupported currency “%(value)s”: use USD or CNY."), code="currency", params={"value": value}
            )
        return value

    def clean_region(self) -> str:
        return self.cleaned_data.get("region") or self.default_region()

    def default_region(self) -> str:
        if DEFAULT_REGION in self.regions:
            return DEFAULT_REGION
        return self.regions[0] if self.regions else ""

    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", _("The last year cannot be before the first year."))
        return cleaned

    def filters(self) -> StatisticsFilters:
        """The filters from the valid fields; an invalid field falls back to its default."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        data["currency"] = data.get("currency") or DEFAULT_CURRENCY
        data["region"] = data.get("region") or self.default_region()
        return StatisticsFilters(**{key: value for key, value in data.items() if value is not None})

    def error_text(self) -> str:
        """One line per error, for plain-text 400 answers of the downloads."""
        lines = []
        for field, errors in self.errors.items():
            label = self.fields[field].label if field in self.fields else ""
            lines.extend(f"{field} ({label}): {error}" if label else str(error) for error in errors)
        return "\n".join(lines)
