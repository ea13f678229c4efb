from django import forms
from django.utils.translation import gettext_lazy as _

from providers.models import LANGUAGE_CHOICES, ServiceProvider


class ServiceProviderForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = ServiceProvider
        fields = [
            "name",
            "category",
            "countries",
            "languages",
            "contact_name",
            "contact_email",
            "phone",
            "website",
            "description",
            "is_active",
        ]
        widgets = {
            "countries": forms.SelectMultiple(attrs={"size": 10}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"countries": _("Hold Ctrl (⌘ on a Mac) to choose several.")}

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_languages(self) -> list[str]:
        chosen = set(self.cleaned_data["languages"])
        return [code for code, _label in LANGUAGE_CHOICES if code in chosen]
