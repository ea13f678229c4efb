from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_event_year
from reports import codes


class IssueReportForm(forms.Form):
    year = forms.IntegerField(label=_("reference year"), validators=[validate_event_year], widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("verification code"),
        max_length=codes.MAX_INPUT,
        help_text=_("As printed on the report, e.g. ABCD-EFGH-JKMN-PQRS."),
    )
