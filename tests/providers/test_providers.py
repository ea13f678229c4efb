"""Service-provider directory: URL and role, filters, pagination at constant queries, forms, suggestions."""

from operator import attrgetter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from providers.models import LANGUAGE_CHOICES, ProviderCategory, ServiceProvider
from providers.selectors import providers_for_next_step
from tests.conftest import ROLE_NAMES, client_for
from tests.matrix import LOGIN, check, expect, get, to

pytestmark = pytest.mark.django_db


def provider(name: str, category: str = ProviderCategory.LAW, countries=("DE",), languages=("en",), **extra):
    return ServiceProvider.objects.create(
        name=name, category=category, countries=list(countries), languages=list(languages), **extra
    )


@pytest.fixture
def listed(db):
    return provider(
        "Kanzlei Müller",
        countries=["DE", "AT"],
        languages=["de", "en"],
        contact_email="info@mueller.example",
        website="https://mueller.example",
    )


@pytest.fixture
def unlisted(db):
    return provider("Old Agency", ProviderCategory.TAX, is_active=False)


VALID = {
    "name": "Tokyo Patent Partners",
    "category": "patent_agency",
    "countries": ["JP", "US"],
    "languages": ["ja", "en"],
    "contact_name": "Sato",
    "contact_email": "sato@tpp.example",
    "phone": "+81 3 1234 5678",
    "website": "https://tpp.example",
    "description": "PCT national phase in Japan.",
    "is_active": "on",
}


READ = expect(LOGIN, 200, 200, 200, 200)
WRITE = expect(LOGIN, 403, 403, 403, 200)
LISTED = attrgetter("pk")  # the provider `listed`
PAGES = {
    "list": get(to("providers:list"), READ),
    "detail": get(to("providers:detail", LISTED), READ),
    "create": get(to("providers:create"), WRITE),
    "update": get(to("providers:update", LISTED), WRITE),
    "delete": get(to("providers:delete", LISTED), WRITE),
}


def matrix_urls(world):
    return [page.url(world) for page in PAGES.values()]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_url_role_matrix(roles, listed, role):
    for name, page in PAGES.items():
        page.check(roles[role], listed, role, name)


@pytest.mark.parametrize("role", ["anonymous", "member_a", "officer"])
def test_writes_refused_change_nothing(roles, listed, role):
    client = roles[role]
    refused = WRITE[role]
    check(client.post(reverse("providers:create"), VALID), refused, role, "create")
    check(
        client.post(reverse("providers:update", args=[listed.pk]), {**VALID, "name": "Hacked"}), refused, role, "edit"
    )
    check(client.post(reverse("providers:delete", args=[listed.pk])), refused, role, "delete")
    listed.refresh_from_db()
    assert listed.name == "Kanzlei Müller" and listed.is_active
    assert ServiceProvider.objects.count() == 1


@pytest.mark.parametrize(("role", "status"), [("member_a", 404), ("officer", 404), ("administrator", 200)])
def test_unlisted_provider_only_for_administrators(roles, unlisted, role, status):
    assert roles[role].get(reverse("providers:detail", args=[unlisted.pk])).status_code == status
    listing = roles[role].get(reverse("providers:list")).content.decode()
    assert ("Old Agency" in listing) == (role == "administrator")


def test_administrator_creates_edits_and_unlists(administrator):
    client = client_for(administrator)
    response = client.post(reverse("providers:create"), VALID)
    created = ServiceProvider.objects.get()
    assert response.status_code == 302 and response.url == reverse("providers:detail", args=[created.pk])
    assert [c.code for c in created.countries] == ["JP", "US"] and created.languages == ["en", "ja"]
    assert created.history.get().history_user == administrator
    detail = client.get(response.url).content.decode()
    assert "Japanese" in detail and "Japan" in detail and "sato@tpp.example" in detail

    client.post(reverse("providers:update", args=[created.pk]), {**VALID, "countries": ["KR"], "languages": ["ko"]})
    created.refresh_from_db()
    assert [c.code for c in created.countries] == ["KR"] and created.languages == ["ko"]

    response = client.post(reverse("providers:delete", args=[created.pk]))
    assert response.status_code == 302
    created.refresh_from_db()
    assert not created.is_active
    assert created.history.count() == 3 and created.history.latest().history_user == administrator


BAD_INPUT = [
    ({"name": ""}, "name"),
    ({"category": "astrology"}, "category"),
    ({"countries": ["XX"]}, "countries"),
    ({"languages": ["tlh"]}, "languages"),
    ({"contact_email": "not-an-email"}, "contact_email"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"name": "x" * 201}, "name"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT, ids=[f for _c, f in BAD_INPUT])
def test_bad_input_gives_field_errors_and_writes_nothing(administrator, change, field):
    response = client_for(administrator).post(reverse("providers:create"), {**VALID, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ServiceProvider.objects.count() == 0


def test_duplicate_name_is_a_field_error(administrator, listed):
    response = client_for(administrator).post(reverse("providers:create"), {**VALID, "name": "Kanzlei Müller"})
    assert "name" in response.context["form"].errors
    assert ServiceProvider.objects.count() == 1


def test_edit_with_bad_input_keeps_the_stored_provider(administrator, listed):
    response = client_for(administrator).post(
        reverse("providers:update", args=[listed.pk]), {**VALID, "contact_email": "nope"}
    )
    assert "contact_email" in response.context["form"].errors
    listed.refresh_from_db()
    assert listed.name == "Kanzlei Müller"


def names(response) -> list[str]:
    return [p.name for p in response.context["page"]]


def test_filters(member_a):
    provider("Berlin Law", ProviderCategory.LAW, ["DE"], ["de"])
    provider("Paris Tax", ProviderCategory.TAX, ["FR", "BE"], ["fr", "en"])
    provider("Tokyo Tax", ProviderCategory.TAX, ["JP"], ["ja"])
    provider("Seoul HR", ProviderCategory.HR, ["KR", "DE"], ["ko", "en"])
    provider("Hidden Tax", ProviderCategory.TAX, ["FR"], ["fr"], is_active=False)
    client = client_for(member_a)
    url = reverse("providers:list")
    assert names(client.get(url)) == ["Berlin Law", "Paris Tax", "Seoul HR", "Tokyo Tax"]
    assert names(client.get(url, {"category": "tax"})) == ["Paris Tax", "Tokyo Tax"]
    assert names(client.get(url, {"country": "DE"})) == ["Berlin Law", "Seoul HR"]
    assert names(client.get(url, {"country": "BE"})) == ["Paris Tax"]
    assert names(client.get(url, {"language": "en"})) == ["Paris Tax", "Seoul HR"]
    assert names(client.get(url, {"category": "tax", "language": "fr", "country": "FR"})) == ["Paris Tax"]
    assert names(client.get(url, {"q": "tokyo"})) == ["Tokyo Tax"]
    response = client.get(url, {"country": "ZZ"})
    assert response.status_code == 200 and "country" in response.context["filter"].form.errors


def test_list_query_count_is_constant_and_paginated(member_a):
    def queries() -> int:
        client = client_for(member_a)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("providers:list"), {"category": "law", "page": 2})
        assert response.status_code == 200
        return len(captured)

    for i in range(30):
        provider(f"Law firm {i:03d}", countries=["DE", "US", "JP"], languages=["en", "de"])
    few = queries()
    for i in range(30, 120):
        provider(f"Law firm {i:03d}", countries=["FR"], languages=["fr", "en", "zh"])
    assert queries() == few
    page = client_for(member_a).get(reverse("providers:list"), {"page": 2}).context["page"]
    assert page.paginator.count == 120 and len(page.object_list) == 25


def test_list_and_detail_show_languages_labels(member_a, listed):
    content = client_for(member_a).get(reverse("providers:list")).content.decode()
    assert "German, English" in content


# --- suggestions for the maturity report -----------------------------------------------------------------


def test_next_step_suggestions_prefer_the_firms_markets():
    provider("A-Law everywhere", ProviderCategory.LAW, ["BR"])
    provider("B-Tax Germany", ProviderCategory.TAX, ["DE"])
    provider("C-HR Germany and US", ProviderCategory.HR, ["DE", "US"])
    provider("D-Law US", ProviderCategory.LAW, ["US"])
    provider("E-Patents US", ProviderCategory.PATENT_AGENCY, ["US", "DE"])  # wrong category for stage 2
    provider("F-Law inactive", ProviderCategory.LAW, ["DE", "US"], is_active=False)
    provider("G-Accounting", ProviderCategory.ACCOUNTING, [])
    suggested = [p.name for p in providers_for_next_step(stage=2, markets=["US", "DE"])]
    # stage 2 → law, tax, accounting, hr, consulting; most markets covered first, then category order, name
    assert suggested == ["C-HR Germany and US", "D-Law US", "B-Tax Germany", "A-Law everywhere", "G-Accounting"]


def test_next_step_suggestions_by_stage():
    provider("Fair organiser", ProviderCategory.EXHIBITIONS, ["DE"])
    provider("Patent office", ProviderCategory.PATENT_AGENCY, ["DE"])
    assert [p.name for p in providers_for_next_step(stage=0, markets=[])] == ["Fair organiser"]
    assert [p.name for p in providers_for_next_step(stage=4, markets=["DE"])] == ["Patent office"]
    assert providers_for_next_step(stage=9, markets=["DE"]) == []


def test_next_step_covering_providers_win_even_beyond_the_candidate_cap(django_assert_num_queries):
    ServiceProvider.objects.bulk_create(
        [ServiceProvider(name=f"AAA law {i:03d}", category="law", countries=["BR"]) for i in range(250)]
    )
    provider("ZZZ law Germany", ProviderCategory.LAW, ["DE"])
    with django_assert_num_queries(1):
        suggested = providers_for_next_step(stage=3, markets=["DE"])
    assert suggested[0].name == "ZZZ law Germany"


def test_language_choices_are_the_form_choices(administrator):
    form = client_for(administrator).get(reverse("providers:create")).context["form"]
    assert list(form.fields["languages"].choices) == list(LANGUAGE_CHOICES)
