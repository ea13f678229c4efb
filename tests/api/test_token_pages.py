"""The token pages under the user's account: list, create (the secret shown once), revoke; bad input;
and the pages in the site's URL × role matrix."""

import datetime
from operator import attrgetter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import PersonalAccessToken
from tests.api.conftest import ApiClient, make_token
from tests.conftest import ROLE_NAMES, client_for
from tests.matrix import LOGIN, expect, get, post, to

pytestmark = pytest.mark.django_db

LIST = reverse("api_tokens:list")


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def create(client, **data):
    return client.post(LIST, {"name": "ERP sync", "scope": "write", "expires": in_days(30)} | data)


def test_create_shows_the_secret_once_and_it_works(member_a, firm_a):
    client = client_for(member_a)
    response = create(client)
    assert response.status_code == 200
    token = PersonalAccessToken.objects.get(user=member_a)
    secret = response.context["created"]["secret"]
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert (token.name, token.scope) == ("ERP sync", "write")
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + datetime.timedelta(days=31)
    # shown once: the list never shows it again
    listing = client.get(LIST).content.decode()
    assert secret not in listing and "ERP sync" in listing and token.prefix in listing
    assert ApiClient(secret).get(f"/api/v1/firms/{firm_a.pk}/exports").status_code == 200


def test_scope_read_creates_a_read_only_token(member_a, firm_a):
    response = create(client_for(member_a), scope="read")
    secret = response.context["created"]["secret"]
    assert ApiClient(secret).put(f"/api/v1/firms/{firm_a.pk}/exports", {"records": []}).status_code == 403


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"scope": "admin"}, "scope"),
        ({"scope": ""}, "scope"),
        ({"expires": ""}, "expires"),
        ({"expires": "someday"}, "expires"),
        ({"expires": in_days(0)}, "expires"),
        ({"expires": in_days(-3)}, "expires"),
        ({"expires": in_days(366)}, "expires"),
    ],
)
def test_bad_input_is_a_form_error_and_creates_nothing(member_a, data, field):
    response = create(client_for(member_a), **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["created"] is None
    assert not PersonalAccessToken.objects.exists()


def test_a_year_is_the_longest_validity(member_a):
    create(client_for(member_a), expires=in_days(365))
    assert PersonalAccessToken.objects.filter(user=member_a).count() == 1


def test_revoke(member_a):
    client = client_for(member_a)
    secret = create(client).context["created"]["secret"]
    token = PersonalAccessToken.objects.get(user=member_a)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302 and response.url == LIST
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(secret).get("/api/v1/firms").status_code == 401
    assert "revoked" in client.get(LIST).content.decode()


def test_expired_tokens_are_listed_as_expired(member_a):
    make_token(member_a, name="Old")
    past = timezone.now() - datetime.timedelta(days=1)
    PersonalAccessToken.objects.update(created_at=past - datetime.timedelta(days=1), expires_at=past)
    assert "expired" in client_for(member_a).get(LIST).content.decode()


def test_nobody_sees_or_revokes_anothers_tokens(member_a, member_b):
    make_token(member_a, name="A's token")
    token = PersonalAccessToken.objects.get(user=member_a)
    client_b = client_for(member_b)
    assert "A&#x27;s token" not in client_b.get(LIST).content.decode()
    assert client_b.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# The pages in the site's URL × role matrix -------------------------------------------------------------------


REVOKE = to("api_tokens:revoke", attrgetter("pk"))  # of member A's token
PAGES = {
    "api_tokens:list": get(lambda t: LIST, expect(LOGIN, 200, 200, 200, 200)),
    "api_tokens:list (create)": post(
        lambda t: LIST,
        expect(LOGIN, 200, 200, 200, 200),
        lambda t: {"name": "n", "scope": "read", "expires": in_days(10)},
    ),
    "api_tokens:revoke": post(REVOKE, expect(LOGIN, (302, LIST), 404, 404, 404)),
    "api_tokens:revoke (GET)": get(REVOKE, expect(LOGIN, 405, 405, 405, 405)),
    "api_not_found": get(lambda t: "/api/v2/", expect(404, 404, 404, 404, 404)),
    "api-v1:api-root": get(lambda t: "/api/v1/", expect(404, 404, 404, 404, 404)),
}


def matrix_urls(token):
    return [page.url(token) for page in PAGES.values()]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_token_pages_by_role(roles, member_a, page, role):
    make_token(member_a, name="A's token")
    token = PersonalAccessToken.objects.get(user=member_a)
    PAGES[page].check(roles[role], token, role, page)


def test_the_account_menu_links_to_the_tokens_page(member_a):
    """Seen: the tokens page could only be reached by typing its address."""
    client = Client()
    client.force_login(member_a)
    page = client.get(reverse("profile")).content.decode()
    assert f'href="{reverse("api_tokens:list")}"' in page
