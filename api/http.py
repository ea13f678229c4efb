"""JSON responses of public data: a strong ETag of the body, Last-Modified, public caching, and 304."""

import functools
import hashlib
import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _

from api import conf


def dumps(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(data, status: int = 200) -> HttpResponse:
    return HttpResponse(dumps(data), status=status, content_type="application/json; charset=utf-8")


def json_method_not_allowed(view):
    """The API's 405 in the API's error shape (ninja answers it as plain text), keeping its Allow header."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response["Allow"]
        detail = _("The method %(method)s is not allowed here; use %(allowed)s.")
        response = json_response(
            {"detail": detail % {"method": request.method, "allowed": allowed}, "field": None}, 405
        )
        response["Allow"] = allowed
        return response

    return wrapped


def cacheable(request: HttpRequest, data, last_modified: datetime | None) -> HttpResponse:
    content = dumps(data)
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=conf.int_setting("API_CACHE_MAX_AGE"))
    return response
