import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import TokenScope
from core.forms import DateInput

MAX_VALID_DAYS = 365
DEFAULT_VALID_DAYS = 90


def _default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=DEFAULT_VALID_DAYS)


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100, help_text=_("What uses the token, e.g. “ERP export sync”."))
    scope = forms.ChoiceField(
        label=_("scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=_("Read: read data your account can read. Read and write: also change your firms' records."),
    )
    expires = forms.DateField(
        label=_("valid until"),
        initial=_default_expiry,
        widget=DateInput(),
        help_text=_("At most one year from today; the token stops working after this day."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Name the token."), code="blank")
        return name

    def clean_expires(self) -> datetime.date:
        expires = self.cleaned_data["expires"]
        today = timezone.localdate()
        if expires <= today:
            raise forms.ValidationError(_("The token must stay valid after today."), code="past")
        if expires > today + datetime.timedelta(days=MAX_VALID_DAYS):
            raise forms.ValidationError(_("At most one year from today."), code="too_long")
        return expires

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day, in the site's time zone."""
        day_after = self.cleaned_data["expires"] + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))
