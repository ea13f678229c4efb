"""Token strings: `zpat_<prefix>_<secret>`. The prefix is public (shown in lists, used for lookup); the
whole string is hashed with SHA-256, and only the hash is stored."""

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "zpat_"
PREFIX_BYTES = 6  # 12 hex characters
SECRET_BYTES = 32  # 256 bits


def generate() -> tuple[str, str]:
    """(token, prefix): a new random token and its public prefix."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}", prefix


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(token: str) -> str | None:
    """The lookup prefix of a well-formed token string, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not sep or len(prefix) != PREFIX_BYTES * 2 or not secret:
        return None
    return prefix


def matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)
