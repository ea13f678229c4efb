"""Request limits and checks (issue 12). Request bodies: refuse an over-size body before anything reads it.

`RequestBodyLimitMiddleware` (placed before CsrfViewMiddleware, which would read the body) compares
Content-Length with the limit of the URL class: evidence uploads and the bulk import allow files, every
other URL a small form. `BodyLimitUploadHandler` (first upload handler) enforces the same limit while a
multipart body is parsed, so nothing beyond it is ever spooled to memory or temporary disk. Under WSGI a body
without Content-Length (chunked) is read as empty by Django; the proxy's `client_max_body_size` bounds it.
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

UPLOAD_URL_LIMITS = {
    "enterprises:evidence_upload": "EVIDENCE_BODY_MAX_BYTES",
    "bulkimport:upload": "IMPORT_BODY_MAX_BYTES",
}


class BodyTooLarge(RequestDataTooBig):
    pass


def body_limit(path_info: str) -> int:
    try:
        view_name = resolve(path_info).view_name
    except Resolver404:
        view_name = ""
    setting = UPLOAD_URL_LIMITS.get(view_name)
    return getattr(settings, setting) if setting else settings.REQUEST_BODY_MAX_BYTES


def too_large_response(request, limit: int):
    from django.http import HttpResponse

    content = render_to_string("413.html", {"limit": limit}, request=None)
    response = HttpResponse(content, status=413)
    response["Connection"] = "close"
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request.path_info)
        request.body_limit = limit
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads an unparsable length as an empty body
        if length > limit:
            return too_large_response(request, limit)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 - parse now, with the limit, so an over-size part answers 413
            except BodyTooLarge:
                return too_large_response(request, limit)
        return self.get_response(request)


class BodyLimitUploadHandler(FileUploadHandler):
    """Counts the bytes of every uploaded file part; beyond the URL's limit the parse stops (413)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = getattr(self.request, "body_limit", settings.REQUEST_BODY_MAX_BYTES)
        self.received = 0
        if content_length > self.limit:
            raise BodyTooLarge("Request body exceeds the limit of this URL.")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise BodyTooLarge("Uploaded files exceed the limit of this URL.")
        return raw_data

    def file_complete(self, file_size):
        return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ControlCharactersMiddleware:
    """Query parameters (names and values) with control characters, and form fields with NUL, answer 400:
    no page takes them, and PostgreSQL refuses NUL in text (a 500 otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(CONTROL_CHARACTERS.search(key + "".join(values)) for key, values in request.GET.lists()):
            return bad_characters_response()
        form = request.method == "POST" and request.content_type in FORM_TYPES
        if form and any("\x00" in key + "".join(values) for key, values in request.POST.lists()):
            return bad_characters_response()
        return self.get_response(request)


def bad_characters_response():
    from django.http import HttpResponseBadRequest

    return HttpResponseBadRequest(render_to_string("400_characters.html"))


class PermissionsPolicyMiddleware:
    """Browser features the site never uses are switched off for it (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
