"""The kinds of firm record, one registry so that list/create/edit/delete views and tests share them."""

import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from core.formatting import format_date, format_money
from enterprises import forms
from enterprises.models import (
    AnnualReport,
    Certification,
    Establishment,
    Expense,
    ExportRecord,
    PctApplication,
    Publication,
)


@dataclass(frozen=True)
class RecordKind:
    slug: str
    model: type[models.Model]
    form_class: type[forms.EnterpriseRecordForm]
    title: str
    #: the list's columns; an amount shows its currency, so the currency has no column of its own
    columns: tuple[str, ...]
    #: the ORM lookup that gives a record's year, for year filters and the overview
    year_lookup: str

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name

    def column_labels(self) -> list[str]:
        return [self.model._meta.get_field(name).verbose_name for name in self.columns]


RECORD_KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in (
        RecordKind(
            "annual-reports",
            AnnualReport,
            forms.AnnualReportForm,
            _("Annual reports"),
            ("year", "revenue_total", "revenue_foreign", "employees_total", "employees_foreign"),
            "year",
        ),
        RecordKind(
            "exports",
            ExportRecord,
            forms.ExportRecordForm,
            _("Export records"),
            ("year", "destination", "channel", "value"),
            "year",
        ),
        RecordKind(
            "establishments",
            Establishment,
            forms.EstablishmentForm,
            _("Foreign establishments"),
            ("country", "city", "kind", "ownership_pct", "opened", "closed"),
            "opened__year",
        ),
        RecordKind(
            "pct-applications",
            PctApplication,
            forms.PctApplicationForm,
            _("PCT applications"),
            ("number", "filed", "title", "publication_number"),
            "filed__year",
        ),
        RecordKind(
            "certifications",
            Certification,
            forms.CertificationForm,
            _("Certifications"),
            ("scheme", "number", "issuer", "target_market", "issued", "expires"),
            "issued__year",
        ),
        RecordKind(
            "publications",
            Publication,
            forms.PublicationForm,
            _("Publications abroad"),
            ("title", "venue", "country", "year"),
            "year",
        ),
        RecordKind(
            "expenses",
            Expense,
            forms.ExpenseForm,
            _("Expenses"),
            ("date", "category", "amount", "provider"),
            "date__year",
        ),
    )
}

KIND_FOR_MODEL = {kind.model: kind for kind in RECORD_KINDS.values()}

#: the amounts of records, each in its record's `currency`
MONEY_FIELDS = frozenset(
    {"revenue_total", "revenue_foreign", "assets_total", "assets_foreign", "imports_total", "value", "amount"}
)


def display_value(record: models.Model, name: str):
    """A field's value as people read it: choice labels, country names, lists joined, amounts with their
    currency ("28,900,000.00 USD"), dates in the language's short format; years stay plain (2014)."""
    value = getattr(record, name)
    if isinstance(value, Country):
        # The country's own name, a dictionary lookup: get_<field>_display() would build and translate the list
        # of every country for each cell (about 1 ms each, most of a record list's time).
        return value.name
    labels = _choice_labels(type(record), name)
    if labels is not None:
        # get_<field>_display() builds the dictionary of the field's choices for each cell
        value = force_str(labels.get(value, value), strings_only=True)
    if isinstance(value, list):
        return ", ".join(value)
    if value is not None and name in MONEY_FIELDS:
        return format_money(value, record.currency)
    if isinstance(value, datetime.date):
        return format_date(value)
    return value


@functools.cache
def _choice_labels(model: type[models.Model], name: str) -> dict | None:
    """A field's choices as value → label (lazy: translated when shown), or None for a field without choices."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not getattr(field, "choices", None) or isinstance(field, CountryField):
        return None
    return dict(field.flatchoices)
