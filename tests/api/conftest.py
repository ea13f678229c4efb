"""API fixtures: a write token and a read token for every role of tests/conftest.py, and a JSON client."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api.services import token_create
from tests.rewards.test_views import ranked_round


class ApiClient:
    """Calls the API with a bearer token (or none), JSON in and out."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def call(self, method: str, url: str, data=None, **headers):
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        kwargs = {"content_type": "application/json"} if data is not None else {}
        if data is not None:
            kwargs["data"] = json.dumps(data, default=str)
        return getattr(self.client, method.lower())(url, **kwargs, **headers)

    def get(self, url: str, **headers):
        return self.call("GET", url, **headers)

    def put(self, url: str, data, **headers):
        return self.call("PUT", url, data, **headers)

    def delete(self, url: str, **headers):
        return self.call("DELETE", url, **headers)


def make_token(user, scope: str = "write", name: str = "test token") -> str:
    _token, secret = token_create(
        user=user, name=name, scope=scope, expires_at=timezone.now() + datetime.timedelta(days=30)
    )
    return secret


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_roles(role_users):
    """Role → ApiClient with a write token (anonymous: no token)."""
    return {
        role: ApiClient(make_token(user, name=f"{role} token")) if user else ApiClient()
        for role, user in role_users.items()
    }


@pytest.fixture
def read_client(member_a):
    return ApiClient(make_token(member_a, scope="read", name="read only"))


@pytest.fixture
def published(administrator):
    return ranked_round(administrator, name="Published", totals=("70", "60", "60", "50"))


@pytest.fixture
def unpublished(administrator):
    return ranked_round(administrator, name="Ranked only", publish=False)


@pytest.fixture
def rounds(published, unpublished):
    return SimpleNamespace(published=published, unpublished=unpublished)


from tests.zone.conftest import zone  # noqa: E402, F401 (the statistics fixture, shared with tests/zone)
