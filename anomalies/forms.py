import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anomalies.models import COMMENT_MAX_LENGTH, Explanation, Rule
from anomalies.selectors import AnomalyFilters, Status
from core.validators import validate_event_year


class AnomalyFilter(django_filters.FilterSet):
    """Declares and validates the list's filters; anomalies.selectors applies them in SQL (the list is a UNION
    of one query per rule, not one model's queryset)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (Status.OPEN, pgettext_lazy("an anomaly not yet explained", "Open")),
            (Status.EXPLAINED, _("Explained")),
            (Status.ALL, _("All")),
        ],
        empty_label=None,
        method="keep",
    )
    rule = django_filters.ChoiceFilter(label=_("Rule"), choices=Rule.choices, empty_label=_("Any rule"), method="keep")
    year = django_filters.NumberFilter(label=_("Year"), validators=[validate_event_year], method="keep")
    q = django_filters.CharFilter(label=_("Firm name or USCC"), max_length=100, method="keep")

    class Meta:
        model = Explanation
        fields = ["status", "rule", "year", "q"]

    def keep(self, queryset, name, value):
        return queryset

    def filters_or_default(self) -> AnomalyFilters:
        if not self.form.is_valid():
            return AnomalyFilters()
        data = self.form.cleaned_data
        return AnomalyFilters(
            rule=data.get("rule") or "",
            year=int(data["year"]) if data.get("year") is not None else None,
            search=data.get("q") or "",
            status=data.get("status") or Status.OPEN,
        )


class ExplanationForm(forms.ModelForm):
    comment = forms.CharField(
        label=_("Explanation"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the figures are right after all, or what was done about them."),
    )

    class Meta:
        model = Explanation
        fields = ["comment"]
