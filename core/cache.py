"""The caches, from CACHE_URL: the default one (the API's rate limits count in it) and the statistics page's
figures (`zone.freshness`)."""

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


def statistics_cache_settings(url: str) -> dict:
    """The statistics page's figures: in the same Redis as the default cache (every worker reuses what one has
    computed), else per process; at most a few hundred entries of some 30 KiB each. Entries are never stale
    (their key holds the database's statistics token), so the timeout only bounds how long unused ones stay."""
    timeout = {"TIMEOUT": 24 * 3600}
    if not url:
        return {**LOCAL, **timeout, "LOCATION": "statistics", "OPTIONS": {"MAX_ENTRIES": 200}}
    return {**cache_settings(url), **timeout, "KEY_PREFIX": "statistics"}
