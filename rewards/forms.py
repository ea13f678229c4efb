from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.glossary import abbreviate
from assessments.report import COMPONENT_LABELS
from assessments.scoring import COMPONENT_KEYS
from core.forms import DateInput, DateTimeInput
from core.money import MONEY
from enterprises.models import ExpenseCategory, RegistrationType
from rewards.models import RewardRound


class RewardRoundForm(forms.ModelForm):
    registration_types = forms.MultipleChoiceField(
        label=_("registration types"),
        choices=RegistrationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every registration type is eligible."),
    )
    eligible_expense_categories = forms.MultipleChoiceField(
        label=_("eligible expense categories"),
        choices=ExpenseCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RewardRound
        fields = [
            "name",
            "reference_year",
            "submission_opens",
            "submission_closes",
            "review_deadline",
            "budget",
            "scheme",
            "min_stage",
            "min_foreign_revenue",
            "sme_only",
            "registration_types",
            "eligible_expense_categories",
        ]
        widgets = {
            "submission_opens": DateTimeInput(),
            "submission_closes": DateTimeInput(),
            "review_deadline": DateInput(),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("submission_opens"), data.get("submission_closes")
        if opens and closes and closes <= opens:
            self.add_error("submission_closes", _("The window must close after it opens."))
        deadline = data.get("review_deadline")
        if deadline and closes and deadline < closes.date():
            self.add_error("review_deadline", _("The review deadline must not be before the window closes."))
        return data


class TierForm(forms.Form):
    name = forms.CharField(label=_("tier"), max_length=50)
    bound = forms.ChoiceField(
        label=_("bound"), choices=[("share", _("top share (%)")), ("rank", _("top rank"))], initial="share"
    )
    value = forms.DecimalField(label=_("value"), min_value=Decimal("0.01"), max_digits=9, decimal_places=2)
    rate = forms.DecimalField(
        label=_("compensation rate (%)"), min_value=Decimal("0.01"), max_value=Decimal("100"), decimal_places=2
    )
    cap = forms.DecimalField(label=_("cap per firm (CNY)"), min_value=Decimal("0.01"), decimal_places=2, required=False)

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if data.get("bound") == "share" and value is not None and value > 100:
            self.add_error("value", _("A share is at most 100%."))
        if data.get("bound") == "rank" and value is not None and value != value.to_integral_value():
            self.add_error("value", _("A rank is a whole number."))
        return data

    def tier_fields(self) -> dict:
        data = self.cleaned_data
        share = data["value"] / 100 if data["bound"] == "share" else None
        return {
            "name": data["name"],
            "top_share": share.quantize(Decimal("0.0001")) if share is not None else None,
            "top_rank": int(data["value"]) if data["bound"] == "rank" else None,
            "rate": (data["rate"] / 100).quantize(Decimal("0.0001")),
            "cap": data.get("cap"),
        }


class BaseTierFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # the table's column headers name the fields; a screen reader also needs the row ("Tier 2: value"),
        # and the row "Add a tier" copies from the empty form is a new tier
        for field in form.fields.values():
            if index is None:
                field.label = _("New tier: %(field)s") % {"field": field.label}
            else:
                field.label = _("Tier %(number)s: %(field)s") % {"number": index + 1, "field": field.label}

    def clean(self):
        if any(self.errors):
            return
        names = [f.cleaned_data["name"] for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not names:
            raise forms.ValidationError(_("Add at least one tier."))
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Each tier needs its own name."))

    def tiers(self) -> list[dict]:
        return [f.tier_fields() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


TierFormSet = forms.formset_factory(TierForm, formset=BaseTierFormSet, extra=1, can_delete=True, max_num=10)


def _plain(value: Decimal) -> str:
    """12.5000 → "12.5", 100.0000 → "100" (no exponent)."""
    return format(value.normalize(), "f")


def tier_initial(reward_round: RewardRound) -> list[dict]:
    return [
        {
            "name": t.name,
            "bound": "share" if t.top_share is not None else "rank",
            "value": _plain(t.top_share * 100) if t.top_share is not None else t.top_rank,
            "rate": _plain(t.rate * 100),
            "cap": t.cap,
        }
        for t in reward_round.tiers.order_by("position")
    ]


class SimulationForm(forms.Form):
    budget = forms.DecimalField(label=_("budget (CNY)"), min_value=Decimal("0"), **MONEY)
    change_weights = forms.BooleanField(label=_("change the weights"), required=False)

    def __init__(self, *args, weights: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for key in COMPONENT_KEYS:
            self.fields[f"weight_{key}"] = forms.DecimalField(
                label=abbreviate(_("weight: %(component)s") % {"component": COMPONENT_LABELS[key]}),
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                decimal_places=2,
                initial=(weights or {}).get(key),
                required=False,
            )

    def clean(self):
        data = super().clean()
        if data.get("change_weights"):
            weights = [data.get(f"weight_{key}") for key in COMPONENT_KEYS]
            if any(w is None for w in weights):
                raise forms.ValidationError(_("Give every weight."))
            if sum(weights) != 100:
                raise forms.ValidationError(_("The weights must sum to 100 (now %(sum)s).") % {"sum": sum(weights)})
        return data

    def weights(self) -> dict[str, Decimal] | None:
        if not self.cleaned_data.get("change_weights"):
            return None
        return {key: self.cleaned_data[f"weight_{key}"] for key in COMPONENT_KEYS}
