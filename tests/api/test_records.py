"""Firm records through the API: the site's form rules, idempotent upserts by the bulk import's keys,
dry runs, history with the token's name, and access as on the site's pages."""

from decimal import Decimal

import pytest
from django.apps import apps

from api.records import API_KINDS, _raw, bind_form, upsert_key
from enterprises.records import RECORD_KINDS
from tests.api.conftest import ApiClient, make_token
from tests.api.kinds import BAD, OTHER_KEY, VALID
from tests.enterprises.test_permissions_matrix import RECORD_FACTORIES

pytestmark = pytest.mark.django_db

DECIMALS = {"value", "amount", "ownership_pct", "imports_total"} | {
    f"{part}_{which}" for part in ("revenue", "assets") for which in ("total", "foreign")
}


def url(firm, slug: str, record_id: int | None = None) -> str:
    return f"/api/v1/firms/{firm.pk}/{slug}" + (f"/{record_id}" if record_id else "")


def model(slug: str):
    return RECORD_KINDS[slug].model


def history_count(slug: str) -> int:
    return model(slug).history.count()


def test_every_kind_has_test_data():
    assert set(VALID) == set(BAD) == set(RECORD_KINDS) == set(API_KINDS)


def test_upsert_keys_are_the_bulk_imports_and_else_the_unique_constraints():
    assert upsert_key(apps.get_model("enterprises", "AnnualReport")) == ("year",)
    assert upsert_key(apps.get_model("enterprises", "ExportRecord")) == ("year", "destination", "channel")
    assert upsert_key(apps.get_model("enterprises", "PctApplication")) == ("number",)
    assert upsert_key(apps.get_model("enterprises", "Establishment")) == ("country", "city", "kind", "opened")


@pytest.mark.parametrize("slug", list(RECORD_KINDS))
def test_create_read_and_idempotent_upsert(slug, firm_a, member_a, api_roles):
    client = api_roles["member_a"]
    response = client.put(url(firm_a, slug), {"records": [VALID[slug]]})
    assert response.status_code == 200, response.content
    result = response.json()
    assert (result["created"], result["updated"], result["unchanged"], result["dry_run"]) == (1, 0, 0, False)
    record_id = result["items"][0]["id"]
    record = model(slug).objects.get(pk=record_id, enterprise=firm_a)

    detail = client.get(url(firm_a, slug, record_id)).json()
    for name, value in VALID[slug].items():
        expected = f"{Decimal(value):.2f}" if name in DECIMALS else value
        assert detail[name] == expected, name
    assert client.get(url(firm_a, slug)).json()["items"][0]["id"] == record.pk

    histories = history_count(slug)
    again = client.put(url(firm_a, slug), {"records": [VALID[slug]]}).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert again["items"] == [{"index": 0, "action": "unchanged", "id": record.pk}]
    assert history_count(slug) == histories  # nothing written


@pytest.mark.parametrize("slug", list(RECORD_KINDS))
def test_history_names_the_user_and_the_token(slug, firm_a, member_a):
    client = ApiClient(make_token(member_a, name="ERP sync"))
    record_id = client.put(url(firm_a, slug), {"records": [VALID[slug]]}).json()["items"][0]["id"]
    row = model(slug).history.get(id=record_id, history_type="+")
    assert row.history_user == member_a
    assert "ERP sync" in row.history_change_reason


def test_update_by_key_changes_only_what_differs(firm_a, member_a, api_roles):
    client = api_roles["member_a"]
    first = client.put(url(firm_a, "exports"), {"records": [VALID["exports"]]}).json()["items"][0]["id"]
    changed = {"year": 2014, "destination": "US", "channel": "agent", "value": "2000000"}  # currency left out: kept
    result = client.put(url(firm_a, "exports"), {"records": [changed]}).json()
    assert result["items"] == [{"index": 0, "action": "updated", "id": first}]
    record = model("exports").objects.get(pk=first)
    assert (str(record.value), record.currency) == ("2000000.00", "USD")
    update = model("exports").history.filter(id=first, history_type="~").get()
    assert update.history_user == member_a and "member_a token" in update.history_change_reason


def test_a_new_record_takes_the_blank_forms_initial_values(firm_a, api_roles):
    record = {"year": 2013, "destination": "JP", "channel": "direct", "value": "10"}  # no currency
    result = api_roles["member_a"].put(url(firm_a, "exports"), {"records": [record]}).json()
    assert model("exports").objects.get(pk=result["items"][0]["id"]).currency == "CNY"


def test_dry_run_reports_and_writes_nothing(firm_a, api_roles):
    client = api_roles["member_a"]
    client.put(url(firm_a, "exports"), {"records": [VALID["exports"]]})
    rows = [
        {**VALID["exports"], "value": "5"},
        {**VALID["exports"], "destination": "JP"},
        {**VALID["exports"], "destination": "DE"},
    ]
    before = history_count("exports")
    result = client.put(url(firm_a, "exports"), {"records": rows, "dry_run": True}).json()
    assert (result["dry_run"], result["created"], result["updated"], result["unchanged"]) == (True, 2, 1, 0)
    assert [item["action"] for item in result["items"]] == ["updated", "created", "created"]
    assert model("exports").objects.filter(enterprise=firm_a).count() == 1
    assert str(model("exports").objects.get(enterprise=firm_a).value) == "1000000.00"
    assert history_count("exports") == before


@pytest.mark.parametrize(
    ("slug", "changes", "field"), [(slug, changes, field) for slug, cases in BAD.items() for changes, field in cases]
)
def test_bad_input_names_the_field_and_writes_nothing(slug, changes, field, firm_a, api_roles):
    good = VALID[slug]
    second = {**good, **OTHER_KEY[slug], **changes}  # another key than the good row's: only the change is wrong
    response = api_roles["member_a"].put(url(firm_a, slug), {"records": [good, second]})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == f"records[1].{field}", body
    assert body["detail"]
    assert model(slug).objects.filter(enterprise=firm_a).count() == 0
    assert history_count(slug) == 0


@pytest.mark.parametrize("slug", list(RECORD_KINDS))
def test_every_error_of_a_batch_is_listed(slug, firm_a, api_roles):
    (changes_1, field_1), (changes_2, field_2) = BAD[slug][0], BAD[slug][1]
    rows = [{**VALID[slug], **changes_1}, {**VALID[slug], **OTHER_KEY[slug], **changes_2}]
    body = api_roles["member_a"].put(url(firm_a, slug), {"records": rows}).json()
    assert [error["field"] for error in body["errors"]] == [f"records[0].{field_1}", f"records[1].{field_2}"]
    assert body["field"] == f"records[0].{field_1}"


def test_a_missing_required_field_is_named(firm_a, api_roles):
    response = api_roles["member_a"].put(url(firm_a, "exports"), {"records": [{"year": 2014, "destination": "US"}]})
    assert response.status_code == 422
    assert response.json()["field"] in ("records[0].channel", "records[0].value")


def test_the_same_key_twice_in_a_batch_is_refused(firm_a, api_roles):
    rows = [VALID["exports"], {**VALID["exports"], "value": "2"}]
    response = api_roles["member_a"].put(url(firm_a, "exports"), {"records": rows})
    assert response.status_code == 422
    assert response.json()["field"] == "records[1]"
    assert model("exports").objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"records": []}, 422, "records"),
        ({}, 422, "records"),
        ({"records": "nope"}, 422, "records"),
        ({"records": [VALID["exports"]], "dry_run": "perhaps"}, 422, "dry_run"),
        ({"records": [{**VALID["exports"], "unknown": 1}]}, 200, None),  # unknown keys are ignored
    ],
)
def test_bad_batches(payload, status, field, firm_a, api_roles):
    response = api_roles["member_a"].put(url(firm_a, "exports"), payload)
    assert response.status_code == status, response.content
    if field:
        assert response.json()["field"] == field


def test_too_many_records(firm_a, api_roles, settings):
    settings.API_MAX_UPSERT_ROWS = 2
    rows = [{**VALID["exports"], "year": 2010 + i} for i in range(3)]
    response = api_roles["member_a"].put(url(firm_a, "exports"), {"records": rows})
    assert response.status_code == 422 and response.json()["field"] == "records"


def test_malformed_json_is_400(firm_a, api_roles):
    client = api_roles["member_a"]
    response = client.client.put(
        url(firm_a, "exports"),
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {client.token}",
    )
    assert response.status_code == 400
    assert response.json()["field"] is None


def test_read_token_cannot_write(firm_a, read_client):
    response = read_client.put(url(firm_a, "exports"), {"records": [VALID["exports"]]})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert model("exports").objects.count() == 0
    assert read_client.get(url(firm_a, "exports")).status_code == 200


@pytest.mark.parametrize("slug", list(RECORD_KINDS))
def test_delete_with_history(slug, firm_a, member_a, api_roles):
    record = RECORD_FACTORIES[slug](enterprise=firm_a)
    response = api_roles["member_a"].delete(url(firm_a, slug, record.pk))
    assert response.status_code == 204
    assert not model(slug).objects.filter(pk=record.pk).exists()
    row = model(slug).history.get(id=record.pk, history_type="-")
    assert row.history_user == member_a and "member_a token" in row.history_change_reason


def test_another_firms_record_through_ones_own_firm_is_404(firm_a, firm_b, api_roles):
    record_b = RECORD_FACTORIES["exports"](enterprise=firm_b)
    client = api_roles["member_a"]
    assert client.get(url(firm_a, "exports", record_b.pk)).status_code == 404
    assert client.delete(url(firm_a, "exports", record_b.pk)).status_code == 404
    assert model("exports").objects.filter(pk=record_b.pk).exists()


def test_list_filters_by_year_and_pages(firm_a, api_roles):
    for year in (2012, 2013, 2014):
        for destination in ("US", "DE"):
            RECORD_FACTORIES["exports"](enterprise=firm_a, year=year, destination=destination)
    client = api_roles["member_a"]
    assert len(client.get(url(firm_a, "exports") + "?year=2013").json()["items"]) == 2
    seen, cursor = [], None
    while True:
        page = client.get(url(firm_a, "exports") + "?limit=4" + (f"&after={cursor}" if cursor else "")).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == sorted(model("exports").objects.filter(enterprise=firm_a).values_list("pk", flat=True))


def test_firms_lists_only_ones_own(firm_a, firm_b, api_roles):
    data = api_roles["member_a"].get("/api/v1/firms").json()
    assert [(item["id"], item["role"]) for item in data["items"]] == [(firm_a.pk, "owner")]
    assert api_roles["officer"].get("/api/v1/firms").json()["items"] == []


@pytest.mark.parametrize(
    ("slug", "changes"),
    [(slug, {}) for slug in VALID] + [(slug, changes) for slug, cases in BAD.items() for changes, _field in cases],
)
def test_the_api_form_and_the_sites_form_give_the_same_verdict(slug, changes, firm_a):
    """One set of rules: the API's form (cached choices, batch-level constraints) agrees with the page's form."""
    payload = {**VALID[slug], **changes}
    site_form = RECORD_KINDS[slug].form_class(data={k: _raw(v) for k, v in payload.items()}, enterprise=firm_a)
    api_form = bind_form(API_KINDS[slug], firm_a, None, payload)
    assert api_form.is_valid() == site_form.is_valid()
    assert api_form.errors == site_form.errors


def test_a_concurrent_write_is_409_and_writes_nothing(firm_a, api_roles, monkeypatch):
    from django.db import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("api.records.bulk_create_with_history", clash)
    response = api_roles["member_a"].put(url(firm_a, "exports"), {"records": [VALID["exports"]]})
    assert response.status_code == 409
    assert response.json()["field"] is None and "retry" in response.json()["detail"]
    assert model("exports").objects.count() == 0
