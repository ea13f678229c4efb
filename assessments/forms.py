from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import ModelChoiceField
from core.validators import validate_record_year


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


class AssignForm(forms.Form):
    assessments = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    officer = forms.ModelChoiceField(
        label=_("officer"), queryset=User.objects.none(), required=False, empty_label=_("nobody (unassign)")
    )

    def __init__(self, *args, queue=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessments"].queryset = queue
        self.fields["officer"].queryset = officers
