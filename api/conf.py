"""API settings: Django settings win (tests override them), else the environment, else the defaults."""

import os

from django.conf import settings

DEFAULTS = {
    # "<requests>/<seconds>" fixed windows; "0/60" switches a limit off
    "API_RATE_LIMIT_TOKEN": "600/60",
    "API_RATE_LIMIT_ADDRESS": "300/60",
    "API_PAGE_SIZE": "100",
    "API_MAX_PAGE_SIZE": "1000",
    "API_MAX_UPSERT_ROWS": "1000",
    "API_CACHE_MAX_AGE": "300",
}


def setting(name: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name) or DEFAULTS[name])


def int_setting(name: str) -> int:
    return int(setting(name))


def rate(name: str) -> tuple[int, int]:
    """(requests, window seconds) of a rate setting such as "600/60"."""
    count, _, seconds = setting(name).partition("/")
    return int(count), int(seconds or 60)
