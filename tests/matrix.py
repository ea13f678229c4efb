"""URL x role matrices: the expected answer of each role, and the check of one response."""

from django.urls import reverse

from tests.conftest import ROLE_NAMES

LOGIN = "login"


def expect(anonymous, member_a, member_b, officer, administrator) -> dict:
    return dict(zip(ROLE_NAMES, (anonymous, member_a, member_b, officer, administrator), strict=True))


def check(response, expected, role, url) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {url}: {response.status_code}"
        assert response.url.startswith(reverse("login") + "?next="), f"{role} {url}: {response.url}"
    elif isinstance(expected, tuple):
        status, target = expected
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        assert response.url.startswith(target), f"{role} {url}: {response.url}"
    else:
        assert response.status_code == expected, f"{role} {url}: {response.status_code}"
