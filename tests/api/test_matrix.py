"""Every API operation × every role (DESIGN §6, as on the site's pages): open data for everybody; officers'
data for officers and administrators (403 for firm members); a firm's records for its members only (404
for everybody else); anonymous calls to token endpoints 401. A coverage test lists the operations."""

import json
from types import SimpleNamespace

import pytest

from api.api import api
from enterprises.records import RECORD_KINDS
from tests.api.kinds import VALID
from tests.enterprises.test_permissions_matrix import RECORD_FACTORIES
from tests.matrix import expect

pytestmark = pytest.mark.django_db

EVERYONE = expect(200, 200, 200, 200, 200)
OFFICERS = expect(401, 403, 403, 200, 200)
SIGNED_IN = expect(401, 200, 200, 200, 200)
NOBODY = expect(404, 404, 404, 404, 404)


def firm_a_only(ok: int = 200) -> dict:
    return expect(401, ok, 404, 404, 404)


@pytest.fixture
def world(rounds, firm_a, firm_b, member_a, officer):
    """The rounds' verified assessments fill the review queue; firm A has one record of every kind."""
    records_a = {slug: factory(enterprise=firm_a) for slug, factory in RECORD_FACTORIES.items()}
    return SimpleNamespace(rounds=rounds, firm_a=firm_a, firm_b=firm_b, records_a=records_a)


OPERATIONS = {
    ("GET", "/api/v1/openapi.json"): [(lambda w: "/api/v1/openapi.json", None, EVERYONE)],
    ("GET", "/api/v1/docs"): [(lambda w: "/api/v1/docs", None, EVERYONE)],
    ("GET", "/api/v1/rounds"): [(lambda w: "/api/v1/rounds", None, EVERYONE)],
    ("GET", "/api/v1/rounds/{round_id}"): [
        (lambda w: f"/api/v1/rounds/{w.rounds.published.pk}", None, EVERYONE),
        (lambda w: f"/api/v1/rounds/{w.rounds.unpublished.pk}", None, NOBODY),
    ],
    ("GET", "/api/v1/rounds/{round_id}/results"): [
        (lambda w: f"/api/v1/rounds/{w.rounds.published.pk}/results", None, EVERYONE),
        (lambda w: f"/api/v1/rounds/{w.rounds.unpublished.pk}/results", None, NOBODY),
    ],
    ("GET", "/api/v1/statistics/{table}"): [
        (lambda w, t=table: f"/api/v1/statistics/{t}", None, OFFICERS)
        for table in ("trade", "ownership", "size_bands", "industries", "destinations", "stages", "pct")
    ],
    ("GET", "/api/v1/review/queue"): [(lambda w: "/api/v1/review/queue", None, OFFICERS)],
    ("GET", "/api/v1/firms"): [(lambda w: "/api/v1/firms", None, SIGNED_IN)],
}
for _slug in RECORD_KINDS:
    _base = f"/api/v1/firms/{{firm_id}}/{_slug}"
    OPERATIONS[("GET", _base)] = [
        (lambda w, s=_slug: f"/api/v1/firms/{w.firm_a.pk}/{s}", None, firm_a_only()),
        (lambda w, s=_slug: f"/api/v1/firms/999999/{s}", None, expect(401, 404, 404, 404, 404)),
    ]
    OPERATIONS[("PUT", _base)] = [
        (lambda w, s=_slug: f"/api/v1/firms/{w.firm_a.pk}/{s}", {"records": [VALID[_slug]]}, firm_a_only()),
    ]
    OPERATIONS[("GET", _base + "/{record_id}")] = [
        (lambda w, s=_slug: f"/api/v1/firms/{w.firm_a.pk}/{s}/{w.records_a[s].pk}", None, firm_a_only()),
        (
            lambda w, s=_slug: f"/api/v1/firms/{w.firm_b.pk}/{s}/{w.records_a[s].pk}",
            None,
            expect(401, 404, 404, 404, 404),
        ),
    ]
    OPERATIONS[("DELETE", _base + "/{record_id}")] = [
        (lambda w, s=_slug: f"/api/v1/firms/{w.firm_a.pk}/{s}/{w.records_a[s].pk}", None, firm_a_only(204)),
    ]

CASES = [(method, path, i) for (method, path), cases in OPERATIONS.items() for i in range(len(cases))]


def matrix_urls(w):
    return [build_url(w) for cases in OPERATIONS.values() for build_url, _payload, _expected in cases]


def test_the_matrix_covers_every_operation_of_the_api():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    operations |= {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")}
    assert operations == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path", "case"), CASES, ids=[f"{m} {p} #{i}" for m, p, i in CASES])
def test_operation_by_role(world, api_roles, method, path, case):
    build_url, payload, expected = OPERATIONS[(method, path)][case]
    url = build_url(world)
    # members other than A first: a write that wrongly succeeded would show in A's answer too
    for role in ("anonymous", "member_b", "officer", "administrator", "member_a"):
        response = api_roles[role].call(method, url, payload)
        assert response.status_code == expected[role], f"{role} {method} {url}: {response.status_code}"
        if response.status_code >= 400:
            body = json.loads(response.content)
            assert set(body) >= {"detail", "field"}, body
        if response.status_code == 401:
            assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_no_administrator_action_is_reachable_through_the_api():
    """Rounds are read-only in the API: every write operation is a firm-record one."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    writes = {path for path, item in schema["paths"].items() if set(item) - {"get"}}
    assert writes and all(path.startswith("/api/v1/firms/{firm_id}/") for path in writes)
