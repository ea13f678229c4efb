from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessments.models import AssessmentStatus
from assessments.selectors import reward_rounds
from core.forms import ModelChoiceField
from core.validators import validate_record_year
from enterprises.models import IndustryGroup


class AssessmentCreateForm(forms.Form):
    reference_year = forms.IntegerField(label=_("reference year"), validators=[validate_record_year])
    round = ModelChoiceField(
        label=_("reward round"),
        queryset=None,
        required=False,
        empty_label=_("none: a self-assessment"),
        help_text=_("Submitting to a round takes the round's reference year."),
    )

    def __init__(self, *args, open_rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = open_rounds


class ItemReviewForm(forms.Form):
    item_key = forms.CharField(max_length=60, widget=forms.HiddenInput)
    verified = forms.TypedChoiceField(
        label=_("verdict"), choices=[("1", _("Verified")), ("0", _("Not verified"))], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("return", _("Return for correction")), ("verify", _("Verify")), ("reject", _("Reject"))]
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in {"return", "reject"} and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what the firm must correct, or why it is rejected."))
        return data


class VerifyRemainingForm(forms.Form):
    """The number of items the officer saw in the confirmation: the service refuses if it changed since."""

    expected = forms.IntegerField(min_value=1, max_value=100_000)


class QueueFilterForm(forms.Form):
    round = ModelChoiceField(label=_("round"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("all but draft"))] + [c for c in AssessmentStatus.choices if c[0] != AssessmentStatus.DRAFT],
    )
    industry_group = forms.ChoiceField(
        label=_("industry group"), required=False, choices=[("", _("all")), *IndustryGroup.choices]
    )
    stage = forms.TypedChoiceField(
        label=_("stage"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("all"))] + [(i, str(i)) for i in range(5)],
    )
    reviewer = forms.ModelChoiceField(label=_("assigned officer"), queryset=User.objects.none(), required=False)
    sort = forms.ChoiceField(
        label=_("sort"),
        required=False,
        choices=[
            ("submitted", _("submission date")),
            ("-submitted", _("newest first")),
            ("-score", _("score, highest first")),
            ("score", _("score, lowest first")),
        ],
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = reward_rounds().all()
        if officers is not None:
            self.fields["reviewer"].queryset = officers


class AssignForm(forms.Form):
    assessments = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    officer = forms.ModelChoiceField(
        label=_("officer"), queryset=User.objects.none(), required=False, empty_label=_("nobody (unassign)")
    )

    def __init__(self, *args, queue=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessments"].queryset = queue
        self.fields["officer"].queryset = officers
