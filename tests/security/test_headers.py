"""Security headers on every page type, and templates free of inline script (issue 12, point 9)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.rewards.test_views import ranked_round

pytestmark = pytest.mark.django_db


def assert_headers(response, what: str) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", what
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, what
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'", what
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", what
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", what
    assert "camera=()" in response["Permissions-Policy"], what
    assert response["X-Content-Type-Options"] == "nosniff", what


def test_every_page_type_has_the_headers(roles, firm_a, administrator):
    reward_round = ranked_round(administrator, totals=("70",))
    pages = [
        ("anonymous", reverse("rewards:results", args=[reward_round.pk]), 200),
        ("anonymous", reverse("login"), 200),
        ("member_a", reverse("enterprises:overview", args=[firm_a.pk]), 200),
        ("officer", reverse("review:queue"), 200),
        ("administrator", reverse("rewards:manage_list"), 200),
        ("administrator", "/admin/", 200),
        ("anonymous", "/no-such-page/", 404),
        ("member_a", reverse("enterprises:overview", args=[firm_a.pk + 1000]), 404),
        ("member_a", reverse("review:queue"), 403),
        ("anonymous", reverse("accounts:users") + "?q=%00", 400),
        ("anonymous", f"/rounds/{reward_round.pk}/results.csv", 200),
    ]
    for role, url, status in pages:
        response = roles[role].get(url)
        assert response.status_code == status, (role, url)
        assert_headers(response, url)


@override_settings(REQUEST_BODY_MAX_BYTES=10)
def test_the_413_page_has_the_headers(roles):
    response = roles["anonymous"].post(reverse("login"), {"username": "x" * 50})
    assert response.status_code == 413
    assert_headers(response, "413")


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT, STYLE_ATTRIBUTE):
            offenders += [f"{path.name}: {match.group(0)}" for match in pattern.finditer(text)]
    assert offenders == []
