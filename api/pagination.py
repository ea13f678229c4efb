"""Keyset pagination: `?after=<cursor>&limit=n`. A cursor is the sort key of the last row sent, encoded
(base64 of JSON): the next page is `WHERE key > cursor ORDER BY key LIMIT n+1`, so pages stay stable and
cheap however many rows there are and however many are added in between."""

import base64
import binascii
import json
from collections.abc import Callable, Sequence

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from api import conf
from api.errors import ApiError


def encode(values: Sequence) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, size: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size or not all(isinstance(v, int) for v in values):
        raise ApiError(400, _("This cursor is not valid: use the “next” value of a previous page."), "after")
    return values


def page_limit(limit: int | None) -> int:
    maximum = conf.int_setting("API_MAX_PAGE_SIZE")
    if limit is None:
        return min(conf.int_setting("API_PAGE_SIZE"), maximum)
    if not 1 <= limit <= maximum:
        raise ApiError(400, _("limit must be between 1 and %(max)d.") % {"max": maximum}, "limit")
    return limit


def after_q(fields: Sequence[str], values: Sequence[int]) -> Q:
    """Rows strictly after `values` in the order of `fields` ("-name": descending), lexicographically."""
    names = [field.lstrip("-") for field in fields]
    q = Q()
    for i, field in enumerate(fields):
        beyond = "lt" if field.startswith("-") else "gt"
        equal = {name: value for name, value in zip(names[:i], values[:i], strict=True)}
        q |= Q(**{f"{names[i]}__{beyond}": values[i]}, **equal)
    # the same rows; the bound on the first field lets the database start an index range scan there
    first = "lte" if fields[0].startswith("-") else "gte"
    return Q(**{f"{names[0]}__{first}": values[0]}) & q


def keyset_page(
    queryset: QuerySet, *, fields: Sequence[str], after: str | None, limit: int | None, key: Callable[[object], list]
) -> tuple[list, str | None]:
    """One page of `queryset` ordered by `fields` (unique together) and the cursor of the next page."""
    size = page_limit(limit)
    if after:
        queryset = queryset.filter(after_q(fields, decode(after, len(fields))))
    rows = list(queryset.order_by(*fields)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (encode(key(rows[-1])) if more and rows else None)
