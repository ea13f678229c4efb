"""The API's rate limits count in the cache of CACHE_URL: with Redis, every process and host counts together."""

import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from core.cache import LOCAL, cache_settings
from tests.api.conftest import ApiClient

REDIS = "redis://127.0.0.1:6379/15"


def test_cache_settings_from_the_url():
    assert cache_settings("") == LOCAL
    assert cache_settings(REDIS) == {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://127.0.0.1:11211")


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    prefix = uuid.uuid4().hex
    settings.CACHES = {"default": {**cache_settings(REDIS), "KEY_PREFIX": prefix}}
    yield redis.Redis.from_url(REDIS), prefix
    caches["default"].clear()


def test_a_fresh_process_sees_the_count_of_the_others(db, settings, redis_cache):
    """Seen: with the per-process default, 4 gunicorn workers allowed 4 times the limit."""
    settings.API_RATE_LIMIT_ADDRESS = "2/60"
    client = ApiClient()
    assert [client.get("/api/v1/rounds").status_code for _ in range(2)] == [200, 200]
    server, prefix = redis_cache
    assert server.keys(f"{prefix}:*api-rate*"), "the counter is not in the shared server"
    caches.close_all()
    del caches["default"]  # what a new worker process starts with: its own connection, no local state
    assert client.get("/api/v1/rounds").status_code == 429
