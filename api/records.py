"""Firm records through the API: the kinds, their upsert keys, their JSON shapes, and the upsert service.

One set of rules: every row is validated by the site's own ModelForm of its kind (enterprises.forms, found
through enterprises.records) with the model's validation; only per-row costs are moved to the batch (see
`_api_form_class`). The API maps JSON to the form's data and back. Upsert keys are the bulk import's
(bulkimport.kinds) where it imports the kind, else the kind's unique constraint within the firm.
"""

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext as _
from django_countries.fields import CountryField
from ninja import Schema
from pydantic import Field, create_model
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from api.errors import ApiError
from api.models import PersonalAccessToken
from bulkimport.kinds import KINDS
from bulkimport.services import _bulk_update as bulk_update_rows
from enterprises import services as enterprise_services
from enterprises.forms import OfficeCodesField
from enterprises.models import Enterprise
from enterprises.records import RECORD_KINDS, RecordKind

WRITE_BATCH_SIZE = 1000


def upsert_key(model: type[models.Model]) -> tuple[str, ...]:
    for spec in KINDS.values():
        if spec.model is model and spec.references_firm:
            return tuple(name for name in spec.key if name != "uscc")
    for constraint in model._meta.constraints:
        unique = isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
        if unique and "enterprise" in constraint.fields:
            return tuple(name for name in constraint.fields if name != "enterprise")
    raise LookupError(f"{model.__name__} has no upsert key")


def _choice_values(form_field: forms.Field) -> list[str]:
    return [str(value) for value, _label in form_field.choices if value != ""]


def _input_type(name: str, form_field: forms.Field, model_field: models.Field):
    """JSON type of a form field in requests; the form still decides what is valid."""
    if isinstance(form_field, OfficeCodesField):
        return list[str]
    if isinstance(form_field, forms.DecimalField):  # before IntegerField: Django's DecimalField extends it
        return Decimal
    if isinstance(form_field, forms.IntegerField):
        return int
    if isinstance(form_field, forms.DateField):
        return datetime.date
    if isinstance(form_field, forms.ChoiceField) and len(_choice_values(form_field)) <= 20:
        return Literal[tuple(_choice_values(form_field))]
    return str


def _output_type(name: str, form_field: forms.Field, model_field: models.Field):
    if isinstance(form_field, OfficeCodesField):
        return list[str]
    if isinstance(form_field, forms.IntegerField) and not isinstance(form_field, forms.DecimalField):
        base = int
    elif isinstance(form_field, forms.DateField):
        base = datetime.date
    else:
        base = str  # decimals are strings (two decimals for money), countries are codes ("" when none)
    return base | None if model_field.null else base


@dataclass(frozen=True)
class ApiKind:
    record: RecordKind
    key: tuple[str, ...]
    fields: tuple[str, ...]
    input_schema: type[Schema]
    output_schema: type[Schema]
    form_class: type[forms.ModelForm]

    @property
    def slug(self) -> str:
        return self.record.slug

    @property
    def model(self) -> type[models.Model]:
        return self.record.model

    @property
    def name(self) -> str:
        return self.slug.replace("-", "_")


def _api_form_class(kind: RecordKind) -> type[forms.ModelForm]:
    """The site's form of the kind, with two per-row costs moved out (the rules stay the form's and model's):

    - a country is checked against a copy of the same django-countries list made once, instead of the
      lazy list sorted by translated name on every check (and not a second time by the model field);
    - constraints are not queried row by row (a query per constraint and row): each unique constraint is
      the kind's upsert key, which `records_upsert` checks once per batch; each check constraint is
      mirrored by the fields' validators or the model's clean(), which still run (tests/api/kinds.py has a
      bad case for every one); and the database checks all of them on writing.
    """
    countries = [
        name for name in kind.form_class.base_fields if isinstance(kind.model._meta.get_field(name), CountryField)
    ]

    class ApiRecordForm(kind.form_class):
        def __init__(self, *args, enterprise: Enterprise, **kwargs):
            # EnterpriseRecordForm.__init__ sets the firm and gives `currency` a <select> of ~180 options
            # (2 ms a form, for the browser only): the API sets the firm and keeps the plain widget.
            forms.ModelForm.__init__(self, *args, **kwargs)
            self.instance.enterprise = enterprise

        def _get_validation_exclusions(self):
            return super()._get_validation_exclusions() | {"enterprise", *countries}

        def _post_clean(self):
            self.instance.validate_constraints = _constraints_checked_per_batch
            try:
                super()._post_clean()
            finally:
                del self.instance.validate_constraints

    base_fields = copy.deepcopy(kind.form_class.base_fields)
    for name in countries:  # the same codes; labels are not needed to check a code
        codes = [str(value) for value, _label in base_fields[name].choices]
        base_fields[name].choices = FixedChoices((code, code) for code in codes)
        base_fields[name].valid_value = frozenset(codes).__contains__  # a set lookup, not a walk of 250
    ApiRecordForm.base_fields = SharedFields(base_fields)
    ApiRecordForm.__name__ = f"Api{kind.form_class.__name__}"
    return ApiRecordForm


class SharedFields(dict):
    """Form fields every form of a batch shares: a form deep-copies its fields (about a millisecond) so that
    a view may change them per request; the API's forms never change theirs."""

    def __deepcopy__(self, memo):
        return dict(self)


class FixedChoices(BaseChoiceIterator):
    """Choices computed once and shared by every copy of the field (forms deep-copy their fields)."""

    def __init__(self, pairs):
        self.pairs = tuple(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _constraints_checked_per_batch(exclude=None) -> None:
    return None


def _schema_name(kind: RecordKind, suffix: str) -> str:
    return kind.model.__name__ + suffix


def _api_kind(kind: RecordKind) -> ApiKind:
    form_fields = kind.form_class.base_fields
    meta = kind.model._meta
    key = upsert_key(kind.model)
    inputs, outputs = {}, {"id": (int, ...)}
    for name, form_field in form_fields.items():
        model_field = meta.get_field(name)
        described = f"{form_field.label}" + (" (upsert key)" if name in key else "")
        inputs[name] = (_input_type(name, form_field, model_field) | None, Field(None, description=str(described)))
        outputs[name] = (_output_type(name, form_field, model_field), ...)
    outputs |= {
        "evidence_files": (int, ...),
        "created_at": (datetime.datetime, ...),
        "updated_at": (datetime.datetime, ...),
    }
    input_schema = create_model(_schema_name(kind, "In"), __base__=Schema, **inputs)
    output_schema = create_model(_schema_name(kind, "Out"), __base__=Schema, **outputs)
    return ApiKind(kind, key, tuple(form_fields), input_schema, output_schema, _api_form_class(kind))


API_KINDS: dict[str, ApiKind] = {slug: _api_kind(kind) for slug, kind in RECORD_KINDS.items()}


# --- JSON ↔ form data ------------------------------------------------------------------------------------


def _raw(value: Any) -> Any:
    """A JSON value (or a model's current value) as the form's data: what a browser would send."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def serialize(kind: ApiKind, record: models.Model) -> dict:
    data: dict[str, Any] = {"id": record.pk}
    for name in kind.fields:
        value = getattr(record, name)
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        elif hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
            value = value.code or ""
        data[name] = value
    data["evidence_files"] = getattr(record, "evidence_count", 0)
    data["created_at"], data["updated_at"] = record.created_at, record.updated_at
    return data


def bind_form(kind: ApiKind, enterprise: Enterprise, instance: models.Model | None, payload: dict) -> forms.ModelForm:
    """The kind's form bound to the payload; a field the payload leaves out keeps the record's current
    value, or for a new record the value the blank form starts with (e.g. currency CNY)."""
    form = kind.form_class(data={}, enterprise=enterprise, instance=instance)
    data = {}
    for name, form_field in form.fields.items():
        if name in payload:
            value = payload[name]
        else:
            value = form.get_initial_for_field(form_field, name)
            if isinstance(form_field, OfficeCodesField):
                value = form_field.prepare_value(value)
        data[name] = _raw(value)
    form.data = data
    return form


def _cleaned_key(kind: ApiKind, form: forms.ModelForm) -> tuple | None:
    """The upsert key as the form cleaned it, or None when a key field is invalid (the form says why)."""
    cleaned = getattr(form, "cleaned_data", {})
    if any(name not in cleaned for name in kind.key):
        return None
    return tuple(_normal(cleaned[name]) for name in kind.key)


def _normal(value: Any) -> Any:
    if hasattr(value, "code") and hasattr(value, "name"):
        return value.code or ""
    return value


def _stored_key(kind: ApiKind, record: models.Model) -> tuple:
    return tuple(_normal(getattr(record, name)) for name in kind.key)


# --- the upsert ------------------------------------------------------------------------------------------


@dataclass
class UpsertResult:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    items: list[dict] = field(default_factory=list)


def _form_errors(index: int, form: forms.ModelForm) -> list[dict]:
    errors = []
    for name, messages in form.errors.items():
        where = f"records[{index}]" if name == NON_FIELD_ERRORS else f"records[{index}].{name}"
        errors.extend({"detail": str(message), "field": where} for message in messages)
    return errors


def change_reason(token: PersonalAccessToken) -> str:
    return _("API, token “%(name)s”") % {"name": token.name}


def records_upsert(
    *,
    kind: ApiKind,
    enterprise: Enterprise,
    rows: list[dict],
    user: User,
    token: PersonalAccessToken,
    dry_run: bool,
) -> UpsertResult:
    """Create or update the firm's records of one kind, keyed by `kind.key`: all rows or none.

    Raises ApiError 422 naming every bad row and field; equal rows are left untouched (no history row).
    """
    with transaction.atomic():
        model = kind.model
        stored = {
            _stored_key(kind, record): record
            for record in model.objects.select_for_update().filter(enterprise=enterprise)
        }
        result = UpsertResult(dry_run=dry_run)
        errors: list[dict] = []
        seen: dict[tuple, int] = {}
        creates, updates = [], {}
        names = [model._meta.get_field(name).attname for name in kind.fields]
        every_field = set(kind.fields)
        for index, payload in enumerate(rows):
            form = bind_form(kind, enterprise, None, payload)
            valid = form.is_valid()
            key = _cleaned_key(kind, form)
            if key is not None and key in seen:
                errors.append(
                    {
                        "detail": _("Same %(key)s as records[%(other)d]: send each record once.")
                        % {"key": ", ".join(kind.key), "other": seen[key]},
                        "field": f"records[{index}]",
                    }
                )
                continue
            if key is not None:
                seen[key] = index
            existing = stored.get(key) if key is not None else None
            before = {name: getattr(existing, name) for name in names} if existing is not None else None
            if existing is not None and not every_field <= payload.keys():
                form = bind_form(kind, enterprise, existing, payload)  # what is left out keeps its stored value
                valid = form.is_valid()
            if not valid:
                errors.extend(_form_errors(index, form))
                continue
            record = form.instance
            if existing is None:
                creates.append(record)
                result.items.append({"index": index, "action": "created", "id": None})
                continue
            record.pk, record.created_at = existing.pk, existing.created_at
            changed = frozenset(name for name in names if getattr(record, name) != before[name])
            if changed:
                updates.setdefault(changed, []).append(record)
                result.items.append({"index": index, "action": "updated", "id": record.pk})
            else:
                result.unchanged += 1
                result.items.append({"index": index, "action": "unchanged", "id": record.pk})
        if errors:
            raise ApiError(422, errors[0]["detail"], errors[0]["field"], errors)
        result.created = len(creates)
        result.updated = sum(len(objs) for objs in updates.values())
        if dry_run:
            return result
        _write(model, creates, updates, user=user, reason=change_reason(token))
        ids = iter(record.pk for record in creates)
        for item in result.items:
            if item["action"] == "created":
                item["id"] = next(ids)
        return result


def _write(model, creates: list, updates: dict, *, user: User, reason: str) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            if creates:
                bulk_create_with_history(
                    creates,
                    model,
                    batch_size=WRITE_BATCH_SIZE,
                    default_user=user,
                    default_change_reason=reason,
                    default_date=now,
                )
            for changed, objs in updates.items():
                names = [*sorted(changed), "updated_at"]
                for obj in objs:
                    obj.updated_at = now
                # the bulk import's UPDATE … FROM (VALUES …): one statement per batch, not a CASE per row
                bulk_update_rows(model, objs, names)
                bulk_update_with_history(
                    objs,
                    model,
                    [],  # the rows are written above: history rows only
                    batch_size=WRITE_BATCH_SIZE,
                    default_user=user,
                    default_change_reason=reason,
                    default_date=now,
                )
    except IntegrityError as error:
        raise ApiError(
            409, _("Someone saved the same records at the same time: nothing was written; retry.")
        ) from error


def record_delete(*, record: models.Model, token: PersonalAccessToken) -> None:
    """The site's deletion (evidence files included), with the token named in the history."""
    record._change_reason = change_reason(token)
    enterprise_services.record_delete(record=record)
