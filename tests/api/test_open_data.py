"""Open data: published rounds, their scheme and tiers, and results with exactly results.csv's figures."""

import csv
import io

import pytest
from django.urls import reverse

from rewards.models import Ranking
from tests.api.conftest import ApiClient
from tests.rewards.test_views import ranked_round

pytestmark = pytest.mark.django_db


def all_pages(client: ApiClient, url: str, limit: int) -> list[dict]:
    items, cursor = [], None
    while True:
        response = client.get(f"{url}?limit={limit}" + (f"&after={cursor}" if cursor else ""))
        assert response.status_code == 200, response.content
        data = response.json()
        items += data["items"]
        cursor = data["next"]
        if cursor is None:
            return items


def test_published_rounds_only(rounds):
    data = ApiClient().get("/api/v1/rounds").json()
    assert [item["id"] for item in data["items"]] == [rounds.published.pk]
    assert data["items"][0]["budget"] == "1000000.00" and data["items"][0]["currency"] == "CNY"
    assert data["next"] is None
    for url in (f"/api/v1/rounds/{rounds.unpublished.pk}", f"/api/v1/rounds/{rounds.unpublished.pk}/results"):
        response = ApiClient().get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "field": None}


def test_round_detail_has_scheme_tiers_and_totals(rounds):
    data = ApiClient().get(f"/api/v1/rounds/{rounds.published.pk}").json()
    assert data["scheme"]["name"] == rounds.published.scheme.name
    assert data["scheme"]["weights"] == rounds.published.scheme.weights
    assert [(t["name"], t["top_share"], t["rate"], t["cap"]) for t in data["tiers"]] == [
        ("A", "0.1000", "0.5000", None),
        ("B", "0.5000", "0.3000", "200000.00"),
    ]
    assert data["ranked_firms"] == 4
    assert data["eligibility"]["min_foreign_revenue"] == "0.00"
    assert data["published_at"].startswith(rounds.published.published_at.astimezone().strftime("%Y")[:4])


@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_results_equal_results_csv_at_any_page_size(rounds, limit):
    url = f"/api/v1/rounds/{rounds.published.pk}/results"
    items = all_pages(ApiClient(), url, limit)
    csv_text = ApiClient().client.get(reverse("rewards:results_csv", args=[rounds.published.pk])).content.decode()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert len(rows) == 4
    assert [{k: str(v) for k, v in item.items() if k != "currency"} for item in items] == rows
    assert {item["currency"] for item in items} == {"CNY"}


def test_results_of_a_larger_round_with_ties_page_by_page(administrator):
    reward_round = ranked_round(administrator, totals=[str(50 + i % 7) for i in range(45)])
    url = f"/api/v1/rounds/{reward_round.pk}/results"
    items = all_pages(ApiClient(), url, 10)
    expected = list(
        Ranking.objects.filter(round=reward_round)
        .order_by("rank", "enterprise_id")
        .values_list("rank", "enterprise__uscc")
    )
    assert [(item["rank"], item["uscc"]) for item in items] == expected


def test_cursor_is_stable_when_rows_are_added_before_it(rounds):
    """Keyset pagination: a cursor points after a (rank, firm) key, not at an offset."""
    url = f"/api/v1/rounds/{rounds.published.pk}/results"
    first = ApiClient().get(f"{url}?limit=2").json()
    Ranking.objects.filter(round=rounds.published, rank=1).delete()  # a row before the cursor disappears
    second = ApiClient().get(f"{url}?limit=2&after={first['next']}").json()
    assert [item["rank"] for item in first["items"]] == [1, 2]
    assert [item["rank"] for item in second["items"]] == [2, 4]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("after=not-a-cursor", "after"),
        ("after=WzFd", "after"),  # [1]: a cursor of another list
        ("after=eyJhIjoxfQ", "after"),  # {"a":1}
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("limit=x", "limit"),
    ],
)
def test_bad_pagination_is_400_naming_the_parameter(rounds, query, field):
    response = ApiClient().get(f"/api/v1/rounds/{rounds.published.pk}/results?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and body["detail"]


@pytest.mark.parametrize("path", ["", "/results", "/results?limit=2"])
def test_etag_last_modified_and_304(rounds, path):
    url = f"/api/v1/rounds/{rounds.published.pk}{path}"
    response = ApiClient().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    etag, last_modified = response["ETag"], response["Last-Modified"]
    again = ApiClient().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert ApiClient().get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert ApiClient().get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_round_list_is_cacheable_and_changes_with_a_new_publication(rounds, administrator):
    first = ApiClient().get("/api/v1/rounds")
    assert ApiClient().get("/api/v1/rounds", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    ranked_round(administrator, name="Another")
    assert ApiClient().get("/api/v1/rounds", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_open_data_needs_no_token_but_accepts_one(rounds, api_roles):
    for client in api_roles.values():
        assert client.get(f"/api/v1/rounds/{rounds.published.pk}/results").status_code == 200


def test_json_404_for_unknown_api_addresses():
    response = ApiClient().get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "field": None}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("post", "/api/v1/rounds", "GET"), ("delete", "/api/v1/rounds/1/results", "GET")],
)
def test_wrong_method_is_405_in_the_api_error_shape(method, path, allowed):
    """Seen: ninja answered 405 with the text "Method not allowed", unlike every other API error."""
    response = ApiClient().call(method, path)
    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert response.json() == {
        "detail": f"The method {method.upper()} is not allowed here; use {allowed}.",
        "field": None,
    }
