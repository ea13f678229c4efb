"""Personal access tokens: only a hash is stored, and a token stops working when revoked, expired or its
user deactivated; scopes; rate limits per token and per address."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from api import tokens
from api.models import PersonalAccessToken
from api.selectors import token_authenticate
from api.services import token_create, token_revoke
from tests.api.conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


def test_only_a_sha256_of_the_token_is_stored(member_a):
    token, secret = token_create(
        user=member_a, name="ERP", scope="read", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert secret.startswith(f"zpat_{token.prefix}_") and len(secret) > 50
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = PersonalAccessToken.objects.filter(pk=token.pk).values()[0]
    assert secret not in {str(value) for value in stored.values()}
    assert str(token) == f"ERP ({token.prefix}…)"


def test_two_tokens_never_share_a_prefix_or_secret(member_a):
    secrets = {make_token(member_a) for _ in range(20)}
    assert len(secrets) == 20
    assert len({tokens.prefix_of(secret) for secret in secrets}) == 20


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer zpat_nothing",
        "Bearer zpat_0123456789ab_wrong",
        "Token {secret}",
        "Bearer {secret}x",
        "Basic bWVtYmVyX2E6cGFzcw==",
    ],
)
def test_missing_or_wrong_credentials_are_401(member_a, header):
    secret = make_token(member_a)
    client = ApiClient()
    headers = {"HTTP_AUTHORIZATION": header.format(secret=secret)} if header else {}
    response = client.get("/api/v1/firms", **headers)
    assert response.status_code == 401
    assert response.json()["field"] is None and "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_revoked_token_is_401(member_a):
    secret = make_token(member_a)
    assert ApiClient(secret).get("/api/v1/firms").status_code == 200
    token_revoke(token=PersonalAccessToken.objects.get(prefix=tokens.prefix_of(secret)))
    assert ApiClient(secret).get("/api/v1/firms").status_code == 401


def test_expired_token_is_401(member_a):
    secret = make_token(member_a)
    past = timezone.now() - datetime.timedelta(seconds=1)
    PersonalAccessToken.objects.filter(prefix=tokens.prefix_of(secret)).update(
        created_at=past - datetime.timedelta(days=1), expires_at=past
    )
    assert ApiClient(secret).get("/api/v1/firms").status_code == 401


def test_inactive_user_token_is_401(member_a):
    secret = make_token(member_a)
    member_a.is_active = False
    member_a.save()
    assert ApiClient(secret).get("/api/v1/firms").status_code == 401


def test_last_used_is_recorded_to_the_minute(member_a, django_assert_num_queries):
    secret = make_token(member_a)
    token = token_authenticate(secret)
    first = token.last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only: used a moment ago
        assert token_authenticate(secret).last_used_at == first


def test_a_token_acts_with_its_users_current_rights(firm_a, member_a, officer):
    """An officer's token reads statistics; once the officer is no longer one, it does not."""
    secret = make_token(officer)
    assert ApiClient(secret).get("/api/v1/review/queue").status_code == 200
    officer.groups.clear()
    assert ApiClient(secret).get("/api/v1/review/queue").status_code == 403


def test_rate_limit_per_token_answers_429_with_retry_after(member_a, settings):
    settings.API_RATE_LIMIT_TOKEN = "3/60"
    client = ApiClient(make_token(member_a))
    assert [client.get("/api/v1/firms").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/firms")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert response.json() == {"detail": response.json()["detail"], "field": None}
    # another token of the same user has its own counter
    assert ApiClient(make_token(member_a)).get("/api/v1/firms").status_code == 200


def test_rate_limit_per_address_covers_open_data(db, settings):
    settings.API_RATE_LIMIT_ADDRESS = "2/60"
    client = ApiClient()
    assert [client.get("/api/v1/rounds").status_code for _ in range(3)] == [200, 200, 429]
    other = ApiClient()
    assert other.get("/api/v1/rounds", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_rate_limits_can_be_switched_off(member_a, settings):
    settings.API_RATE_LIMIT_TOKEN = "0/60"
    settings.API_RATE_LIMIT_ADDRESS = "0/60"
    client = ApiClient(make_token(member_a))
    assert {client.get("/api/v1/firms").status_code for _ in range(5)} == {200}


def test_the_review_queue_is_officer_queue(rounds, officer, administrator, member_a, firm_a):
    """Every assessment past draft (here: the rounds' verified ones), paged by id, with filters."""
    from assessments.selectors import officer_queue

    client = ApiClient(make_token(officer))
    data = client.get("/api/v1/review/queue?limit=3").json()
    expected = list(officer_queue(officer).order_by("id").values_list("id", flat=True))
    assert len(expected) > 3
    ids = [item["id"] for item in data["items"]]
    ids += [item["id"] for item in client.get(f"/api/v1/review/queue?after={data['next']}&limit=100").json()["items"]]
    assert ids == expected
    first = client.get(f"/api/v1/review/queue?round={rounds.published.pk}").json()["items"]
    assert {item["round_id"] for item in first} == {rounds.published.pk}
    assert client.get("/api/v1/review/queue?status=draft").json()["items"] == []
    assert client.get("/api/v1/review/queue?status=nonsense").status_code == 400


def test_guessing_tokens_is_limited_per_address(db, settings):
    settings.API_RATE_LIMIT_ADDRESS = "3/60"
    client = ApiClient("zpat_0123456789ab_guess")
    assert [client.get("/api/v1/firms").status_code for _ in range(4)] == [401, 401, 401, 429]
    assert int(client.get("/api/v1/firms")["Retry-After"]) >= 1


def test_a_request_counts_once_against_the_address(member_a, settings):
    settings.API_RATE_LIMIT_ADDRESS = "2/60"
    client = ApiClient(make_token(member_a))
    assert [client.get("/api/v1/firms").status_code for _ in range(3)] == [200, 200, 429]
