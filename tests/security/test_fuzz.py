"""Control characters are refused with 400 (issue 12, point 8), and a bounded fuzz over every page of the
URL resolver (Django admin aside), for every role: random GET parameters, and random values in every field
of the page's POST forms, never answer 500."""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulkimport.models import ImportBatch
from providers.models import ServiceProvider
from tests.factories import AnnualReportFactory, EvidenceFileFactory, ExportRecordFactory, InvitationFactory
from tests.matrix import site_patterns
from tests.rewards.test_views import ranked_round
from tests.workflow_helpers import YEAR, submitted

pytestmark = pytest.mark.django_db

KNOWN_PARAMETERS = ["q", "page", "year", "kind", "all", "archived", "dry_run", "email", "next", "currency", "region"]
CONTROL = "".join(chr(c) for c in [*range(0x20), 0x7F])


@pytest.mark.parametrize("value", ["a\x00b", "\x01", "x\x1by", "\x7f"])
def test_control_characters_in_a_search_are_400(roles, value):
    response = roles["administrator"].get(reverse("accounts:users"), {"q": value})
    assert response.status_code == 400 and "control characters" in response.content.decode()
    assert roles["anonymous"].get(reverse("rewards:public_list"), {value: "1"}).status_code == 400


def test_tabs_and_line_breaks_are_not_refused(roles):
    assert roles["administrator"].get(reverse("accounts:users"), {"q": "a\tb"}).status_code == 200


def test_nul_in_a_posted_form_is_400(roles, firm_a):
    response = roles["member_a"].post(reverse("enterprises:edit", args=[firm_a.pk]), {"name_zh": "甲\x00"})
    assert response.status_code == 400


def every_url(world) -> list[str]:
    """Every named URL, its arguments taken from the world's objects."""
    by_namespace_pk = {
        "assessments": world.assessment.pk,
        "review": world.assessment.pk,
        "rewards": world.round.pk,
        "providers": world.provider.pk,
        "bulkimport": world.batch.pk,
        "enterprises": world.record.pk,
    }
    urls = set()
    for name, _route, pattern in site_patterns():
        if name is None:
            continue
        namespace = name.partition(":")[0] if ":" in name else ""
        if namespace.startswith("api-") or name == "api_not_found":
            continue  # the JSON API has its own matrix and bad-input tests (tests/api)
        values = {
            "enterprise_id": world.firm.pk,
            "pk": by_namespace_pk.get(namespace, 1),
            "kind": "firms" if namespace == "bulkimport" else "exports",
            "fmt": "csv",
            "table": "ownership",
            "action": "close",
            "evidence_id": world.evidence.pk,
            "token": world.invitation.token if namespace == "invitations" else "bad:token",
            "uidb64": "MQ",
            "rule": "foreign_revenue",
            "year": 2014,
            "record_id": 1,
            "code": "ABCD-EFGH-JKMN-PQRS",
        }
        kwargs = {key: values[key] for key in pattern.pattern.converters}
        urls.add(reverse(name, kwargs=kwargs))
    return sorted(urls)


@pytest.fixture
def world(roles, firm_a, member_a, administrator):
    AnnualReportFactory(enterprise=firm_a, year=YEAR)
    record = ExportRecordFactory(enterprise=firm_a)

    class World:
        pass

    world = World()
    world.firm = firm_a
    world.record = record
    world.evidence = EvidenceFileFactory(record=record)
    world.assessment = submitted(firm_a, member_a)
    world.round = ranked_round(administrator, totals=("70",))
    world.provider = ServiceProvider.objects.create(name="Fuzz law firm", category="law")
    world.batch = ImportBatch.objects.create(kind="firms", file_name="a.csv", dry_run=True, status="rejected")
    world.invitation = InvitationFactory(enterprise=firm_a)
    world.roles = roles
    return world


texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(CONTROL), max_size=12)


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True
    )


def field_names(html: str, method: str) -> list[str]:
    names = []
    for form in re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S | re.I):
        form_method = (re.search(r'method="(\w+)"', form) or re.search("()", "")).group(1).lower() or "get"
        if form_method == method:
            names += re.findall(r'name="([^"]+)"', form)
    return sorted(set(names) - {"csrfmiddlewaretoken"})


def fuzz_get(client, url: str, role: str, names: list[str]) -> None:
    @fuzz_settings(2)
    @given(params=st.dictionaries(st.sampled_from(names) | texts, texts, max_size=4))
    def get_page(params):
        assert client.get(url, params).status_code < 500, (role, url, params)

    get_page()


def fuzz_post(client, url: str, role: str, names: list[str]) -> None:
    @fuzz_settings(2)
    @given(data=st.fixed_dictionaries({name: texts for name in names}))
    def post_form(data):
        assert client.post(url, data).status_code < 500, (role, url, data)

    post_form()


def test_no_page_answers_500_to_fuzzed_parameters(world):
    urls = every_url(world)
    assert len(urls) > 40
    for role, client in world.roles.items():
        for url in urls:
            first = client.get(url)
            assert first.status_code < 500, (role, url)
            html = (
                first.content.decode(errors="replace") if first.get("Content-Type", "").startswith("text/html") else ""
            )
            names = sorted(set(KNOWN_PARAMETERS + field_names(html, "get")))

            fuzz_get(client, url, role, names)


def test_no_form_answers_500_to_fuzzed_fields(world):
    for role in ("member_a", "officer", "administrator"):
        client = world.roles[role]
        for url in every_url(world):
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            names = field_names(response.content.decode(errors="replace"), "post")
            if not names or url.endswith(("/delete/", "/logout/")):
                continue

            fuzz_post(client, url, role, names)
