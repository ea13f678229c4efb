from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationKind


class ProfileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of emails and notifications"), choices=settings.LANGUAGES)
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an email when"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        fields = ["language", "email_kinds"]


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    class Meta:
        fields = ["notification"]
