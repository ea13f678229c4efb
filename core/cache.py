"""The cache the API's rate limits count in, from CACHE_URL."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def cache_settings(url: str) -> dict:
    """No URL: a cache per process (one server process, tests). redis://host:port/db: one cache every gunicorn
    worker and host shares, so a limit of N requests a minute is N for the site, not N per process."""
    if not url:
        return LOCAL
    if urlsplit(url).scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, rediss:// or unix://, not {url.split(':')[0]}:")
