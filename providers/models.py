from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords


class ProviderCategory(models.TextChoices):
    LAW = "law", _("Law")
    TAX = "tax", _("Tax")
    ACCOUNTING = "accounting", _("Accounting")
    CONSULTING = "consulting", _("Consulting")
    PATENT_AGENCY = "patent_agency", _("Patent agency")
    CERTIFICATION = "certification", _("Certification body")
    MARKET_RESEARCH = "market_research", _("Market research")
    EXHIBITIONS = "exhibitions", _("Exhibitions")
    HR = "hr", _("Human resources")


LANGUAGE_CHOICES = [
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("pt", _("Portuguese")),
]


def validate_languages(value) -> None:
    known = {code for code, _label in LANGUAGE_CHOICES}
    if not isinstance(value, list) or not all(isinstance(code, str) and code in known for code in value):
        raise ValidationError(
            _("Choose languages from the list: %(codes)s."),
            code="languages",
            params={"codes": ", ".join(sorted(known))},
        )


class ServiceProvider(models.Model):
    """An intermediary (the paper's service platform): law, tax, patents, certification, market research..."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=ProviderCategory.choices)
    countries = CountryField(_("countries served"), multiple=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_languages])
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("listed"), default=True, help_text=_("Unlisted providers are hidden from firms and from suggestions.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def language_labels(self) -> list[str]:
        labels = dict(LANGUAGE_CHOICES)
        return [str(labels.get(code, code)) for code in self.languages]
