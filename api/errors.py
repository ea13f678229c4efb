"""Every error answers `{"detail": "...", "field": "..." | null}` whatever raised it; a 400 or 422 for
bad input also lists every problem in `errors` (objects of the same shape), the first one repeated above."""

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError


class ApiError(Exception):
    def __init__(self, status: int, detail: str, field: str | None = None, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.field, self.errors = status, detail, field, errors


def body(detail: str, field: str | None = None, errors: list[dict] | None = None) -> dict:
    data = {"detail": str(detail), "field": field}
    if errors:
        data["errors"] = errors
    return data


def location(loc) -> str | None:
    """ninja's ("body", "batch", "records", 3, "year") → "records[3].year"; ("query", "limit") → "limit"."""
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path") else list(loc)
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # the view's parameter name
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


def _validation(api: NinjaAPI, request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [body(error.get("msg", ""), location(error.get("loc", ()))) for error in exc.errors]
    sources = {(error.get("loc") or ("body",))[0] for error in exc.errors}
    first = errors[0] if errors else body(_("Invalid request."))
    status = 404 if "path" in sources else 422 if "body" in sources else 400
    return api.create_response(
        request, body(first["detail"], first["field"], errors if len(errors) > 1 else None), status=status
    )


def _api_error(api: NinjaAPI, request: HttpRequest, exc: ApiError) -> HttpResponse:
    errors = exc.errors or ([body(exc.detail, exc.field)] if exc.status in (400, 422) else None)
    return api.create_response(request, body(exc.detail, exc.field, errors), status=exc.status)


def _http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = api.create_response(
            request,
            body(_("Authentication required: send a valid token as “Authorization: Bearer <token>”.")),
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if isinstance(exc, Throttled):
        response = api.create_response(request, body(_("Too many requests: slow down and retry later.")), status=429)
        if exc.wait is not None:
            response["Retry-After"] = str(math.ceil(exc.wait))
        return response
    if isinstance(exc, AuthorizationError):
        return api.create_response(request, body(_("You do not have permission to do this.")), status=403)
    if exc.status_code == 400:
        return api.create_response(request, body(_("The request body is not valid JSON.")), status=400)
    return api.create_response(request, body(str(exc)), status=exc.status_code)


def _not_found(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, body(_("Not found.")), status=404)


def _forbidden(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, body(_("You do not have permission to do this.")), status=403)


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, lambda request, exc: _validation(api, request, exc))
    api.add_exception_handler(ApiError, lambda request, exc: _api_error(api, request, exc))
    api.add_exception_handler(HttpError, lambda request, exc: _http_error(api, request, exc))
    api.add_exception_handler(Http404, lambda request, exc: _not_found(api, request, exc))
    api.add_exception_handler(PermissionDenied, lambda request, exc: _forbidden(api, request, exc))
