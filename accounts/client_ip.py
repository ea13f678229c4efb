"""The client's address for the log-in lock-out (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For, the client is the entry that many
places from the right; anything further left was written by the client and is never trusted. With 0 (the
default) the header is ignored and REMOTE_ADDR is the client.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[max(len(forwarded) - count, 0)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
