"""Authentication by personal access token, and the rate limits (fixed windows counted in Django's cache)."""

import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import Throttled
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from accounts.models import User
from api import conf
from api.errors import ApiError
from api.models import PersonalAccessToken
from api.selectors import token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request then acts as the token's user."""

    openapi_description = "A personal access token, created under Account › API tokens."

    def authenticate(self, request: HttpRequest, token: str) -> PersonalAccessToken | None:
        address = AddressThrottle()
        if not address.allow_request(request):  # before the lookup: guessing tokens is limited too
            raise Throttled(wait=address.wait())
        found = token_authenticate(token)
        if found is not None:
            request.user = found.user  # history rows and selectors see the token's user
            request.api_token = found
        return found


token_auth = TokenAuth()


def token_of(request: HttpRequest) -> PersonalAccessToken:
    return request.auth


def user_of(request: HttpRequest) -> User:
    return request.auth.user


def require_write(request: HttpRequest) -> None:
    if not token_of(request).can_write:
        raise ApiError(403, _("This token is read-only: create a token with the write scope."))


def require_officer(request: HttpRequest) -> None:
    if not user_of(request).is_officer:
        raise ApiError(403, _("Only officers and administrators can read this."))


class FixedWindowThrottle(BaseThrottle):
    """At most N requests per window and key; `cache.add` + `incr` are atomic in shared caches."""

    setting = ""
    scope = ""

    def key(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        verdicts = request.__dict__.setdefault("_api_rate_verdicts", {})
        if self.scope in verdicts:  # counted once per request (authentication may have asked already)
            self.retry_after = verdicts[self.scope][1]
            return verdicts[self.scope][0]
        allowed = self._count(request)
        verdicts[self.scope] = (allowed, getattr(self, "retry_after", 1))
        return allowed

    def _count(self, request: HttpRequest) -> bool:
        limit, window = conf.rate(self.setting)
        ident = self.key(request)
        if limit <= 0 or ident is None:
            return True
        now = time.time()
        start = int(now // window) * window
        self.retry_after = max(1, int(start + window - now) + 1)
        cache_key = f"api-rate:{self.scope}:{ident}:{start}"
        cache.add(cache_key, 0, timeout=window + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
        return count <= limit

    def wait(self) -> float:
        return float(self.retry_after)


class AddressThrottle(FixedWindowThrottle):
    setting = "API_RATE_LIMIT_ADDRESS"
    scope = "address"

    def key(self, request: HttpRequest) -> str | None:
        return request.META.get("REMOTE_ADDR") or "unknown"


class TokenThrottle(FixedWindowThrottle):
    setting = "API_RATE_LIMIT_TOKEN"
    scope = "token"

    def key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        return str(token.pk) if isinstance(token, PersonalAccessToken) else None
