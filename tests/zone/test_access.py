"""Every statistics URL x every role (DESIGN §6): officers and administrators only."""

import pytest
from django.urls import reverse

from tests.conftest import ROLE_NAMES
from tests.matrix import LOGIN, check, expect
from zone.exports import BREAKDOWN_TABLES

pytestmark = pytest.mark.django_db

URLS = [
    reverse("zone:statistics"),
    reverse("zone:trade_csv"),
    reverse("zone:trade_csv") + "?currency=CNY",
    reverse("zone:workbook_xlsx"),
    *[reverse("zone:breakdown_csv", args=[slug]) for slug in BREAKDOWN_TABLES],
]
EXPECTED = expect(LOGIN, 403, 403, 200, 200)


def matrix_urls(world):
    return URLS


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_url_by_role(zone, roles, role, url):
    check(roles[role].get(url), EXPECTED[role], role, url)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_bad_currency_is_never_shown_to_outsiders(zone, roles, role):
    """Access is checked before the parameters: outsiders get the login redirect or 403, never a 400."""
    response = roles[role].get(reverse("zone:trade_csv"), {"currency": "EUR"})
    assert response.status_code == {"anonymous": 302, "member_a": 403, "member_b": 403}.get(role, 400)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_statistics_are_read_only(zone, roles, method):
    response = getattr(roles["officer"], method)(reverse("zone:trade_csv"))
    assert response.status_code == 405
