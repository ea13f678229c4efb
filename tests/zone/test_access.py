"""Every statistics URL x every role (DESIGN §6): officers and administrators only."""

import pytest
from django.urls import resolve, reverse

from tests.conftest import ROLE_NAMES
from zone import urls as zone_urls
from zone.exports import BREAKDOWN_TABLES

pytestmark = pytest.mark.django_db

URLS = [
    reverse("zone:statistics"),
    reverse("zone:trade_csv"),
    reverse("zone:trade_csv") + "?currency=CNY",
    reverse("zone:workbook_xlsx"),
    *[reverse("zone:breakdown_csv", args=[slug]) for slug in BREAKDOWN_TABLES],
]
EXPECTED = {"anonymous": "login", "member_a": 403, "member_b": 403, "officer": 200, "administrator": 200}


def test_the_matrix_covers_every_role_and_every_zone_url():
    assert set(EXPECTED) == set(ROLE_NAMES)
    covered = {resolve(url.split("?")[0]).url_name for url in URLS}
    assert covered == {pattern.name for pattern in zone_urls.urlpatterns}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_url_by_role(zone, roles, role, url):
    response = roles[role].get(url)
    expected = EXPECTED[role]
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_bad_currency_is_never_shown_to_outsiders(zone, roles, role):
    """Access is checked before the parameters: outsiders get the login redirect or 403, never a 400."""
    response = roles[role].get(reverse("zone:trade_csv"), {"currency": "EUR"})
    assert response.status_code == {"anonymous": 302, "member_a": 403, "member_b": 403}.get(role, 400)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_statistics_are_read_only(zone, roles, method):
    response = getattr(roles["officer"], method)(reverse("zone:trade_csv"))
    assert response.status_code == 405
