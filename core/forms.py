"""Form helpers every app uses: a service's ValidationError on the form, the browser's date inputs, and model
choice fields read with one plain query."""

from django import forms
from django.core.exceptions import ValidationError


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and needs ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a model choice field read with one plain query. Django's own iterator reads them with
    QuerySet.iterator(), which on PostgreSQL opens a server-side cursor (DECLARE ... WITH HOLD, FETCH, CLOSE: three
    round trips to the database) for what is a short list of rounds or officers."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for short lists (see ListedChoiceIterator)."""

    iterator = ListedChoiceIterator
