"""Firm members: their firms, and the firm's records of every kind (read; write with a write token)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, create_model

from api import conf
from api.auth import require_write, token_auth, token_of, user_of
from api.errors import ApiError
from api.pagination import keyset_page
from api.records import API_KINDS, ApiKind, record_delete, records_upsert, serialize
from api.schemas import ERRORS, FirmPage, Page
from enterprises.models import Enterprise, Membership
from enterprises.selectors import enterprises_for, records_for

router = Router(tags=["firm records"], auth=token_auth)


class PageQuery(Schema):
    after: str | None = None
    limit: int | None = None


class RecordQuery(PageQuery):
    year: int | None = None


class UpsertItem(Schema):
    index: int
    action: str
    id: int | None


class UpsertResult(Schema):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    items: list[UpsertItem]


def firm_of(request: HttpRequest, firm_id: int) -> Enterprise:
    """The firm if the token's user is a member (as the site's pages: another firm is 404)."""
    firm = enterprises_for(user_of(request)).filter(pk=firm_id).first()
    if firm is None:
        raise ApiError(404, _("Not found."))
    return firm


@router.get("/firms", response={200: FirmPage, **ERRORS}, url_name="firm_list")
def firm_list(request: HttpRequest, page: Query[PageQuery]):
    """The firms the token's user is a member of."""
    memberships = Membership.objects.filter(user=user_of(request)).select_related("enterprise")
    rows, cursor = keyset_page(
        memberships, fields=["enterprise_id"], after=page.after, limit=page.limit, key=lambda m: [m.enterprise_id]
    )
    items = [
        {
            "id": m.enterprise_id,
            "name_zh": m.enterprise.name_zh,
            "name_en": m.enterprise.name_en,
            "uscc": m.enterprise.uscc,
            "role": m.role,
        }
        for m in rows
    ]
    return {"items": items, "next": cursor}


def _register(kind: ApiKind) -> None:
    path = f"/firms/{{firm_id}}/{kind.slug}"
    noun = str(kind.record.model._meta.verbose_name_plural)
    page_schema = create_model(f"{kind.model.__name__}Page", __base__=Page, items=(list[kind.output_schema], ...))
    batch_schema = create_model(
        f"{kind.model.__name__}Batch",
        __base__=Schema,
        records=(list[kind.input_schema], Field(..., description=f"At most {conf.DEFAULTS['API_MAX_UPSERT_ROWS']}")),
        dry_run=(bool, Field(False, description="Validate and report, write nothing.")),
    )

    def list_records(request: HttpRequest, firm_id: int, query: Query[RecordQuery]):
        firm = firm_of(request, firm_id)
        records = records_for(firm, kind.model)
        if query.year is not None:
            records = records.filter(**{kind.record.year_lookup: query.year})
        rows, cursor = keyset_page(records, fields=["id"], after=query.after, limit=query.limit, key=lambda r: [r.pk])
        return {"items": [serialize(kind, record) for record in rows], "next": cursor}

    def get_record(request: HttpRequest, firm_id: int, record_id: int):
        firm = firm_of(request, firm_id)
        record = records_for(firm, kind.model).filter(pk=record_id).first()
        if record is None:
            raise ApiError(404, _("Not found."))
        return serialize(kind, record)

    def upsert_records(request: HttpRequest, firm_id: int, batch: batch_schema):
        firm = firm_of(request, firm_id)
        require_write(request)
        maximum = conf.int_setting("API_MAX_UPSERT_ROWS")
        if not batch.records:
            raise ApiError(422, _("Send at least one record."), "records")
        if len(batch.records) > maximum:
            raise ApiError(422, _("At most %(max)d records per request.") % {"max": maximum}, "records")
        rows = [record.model_dump(exclude_unset=True) for record in batch.records]
        result = records_upsert(
            kind=kind, enterprise=firm, rows=rows, user=user_of(request), token=token_of(request), dry_run=batch.dry_run
        )
        return result.__dict__

    def delete_record(request: HttpRequest, firm_id: int, record_id: int):
        firm = firm_of(request, firm_id)
        require_write(request)
        record = kind.model.objects.filter(enterprise=firm, pk=record_id).first()
        if record is None:
            raise ApiError(404, _("Not found."))
        record_delete(record=record, token=token_of(request))
        return Status(204, None)

    name = kind.name
    router.add_api_operation(
        path,
        ["GET"],
        list_records,
        response={200: page_schema, **ERRORS},
        url_name=f"{name}_list",
        operation_id=f"list_{name}",
        summary=f"List the firm's {noun}",
    )
    router.add_api_operation(
        path,
        ["PUT"],
        upsert_records,
        response={200: UpsertResult, **ERRORS},
        url_name=f"{name}_upsert",
        operation_id=f"upsert_{name}",
        summary=f"Create or update {noun} (keyed by {', '.join(kind.key)})",
        description=(
            f"Idempotent: a record with the same {', '.join(kind.key)} is updated, an equal one is left alone. "
            "All records or none are written; `dry_run` validates without writing. Needs a write token."
        ),
    )
    router.add_api_operation(
        f"{path}/{{record_id}}",
        ["GET"],
        get_record,
        response={200: kind.output_schema, **ERRORS},
        url_name=f"{name}_detail",
        operation_id=f"get_{name}",
        summary=f"One of the firm's {noun}",
    )
    router.add_api_operation(
        f"{path}/{{record_id}}",
        ["DELETE"],
        delete_record,
        response={204: None, **ERRORS},
        url_name=f"{name}_delete",
        operation_id=f"delete_{name}",
        summary=f"Delete one of the firm's {noun} (and its evidence files). Needs a write token.",
    )


for _kind in API_KINDS.values():
    _register(_kind)
