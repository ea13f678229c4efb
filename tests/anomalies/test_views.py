"""Anomaly pages: every URL x every role, explaining (service and view), the CSV, the review page's card,
the re-check after changes, and a constant number of queries."""

import csv
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anomalies import selectors, services
from anomalies.models import COMMENT_MAX_LENGTH, Explanation, Finding, Rule, ZoneCheck
from reference.models import ExchangeRate
from tests.anomalies.helpers import exports, report, verified_assessment
from tests.conftest import ROLE_NAMES, client_for
from tests.factories import EnterpriseFactory, MembershipFactory
from tests.matrix import LOGIN, check, check_pages, expect

pytestmark = pytest.mark.django_db

LIST = "/anomalies/"


def explain_url(assessment) -> str:
    return (
        f"/anomalies/{Rule.STAGE_GAP}/{assessment.enterprise_id}/{assessment.reference_year}/{assessment.pk}/explain/"
    )


@pytest.fixture
def world(firm_a, firm_b, role_users):
    gap = verified_assessment(firm_a, self_stage=4, verified_stage=1)
    services.findings_refresh()
    return SimpleNamespace(
        gap=gap,
        users=role_users,
    )


def get_pages(w) -> dict:
    staff = expect(LOGIN, 403, 403, 200, 200)
    return {
        LIST: staff,
        f"{LIST}?status=explained&rule=fata&year=2014&q=Alpha&page=3": staff,
        f"{LIST}?year=abc&rule=nonsense&page=x": staff,  # bad filters: the default list, never a 500
        f"{LIST}anomalies.csv": staff,
        f"{LIST}anomalies.csv?status=all&rule=stage_gap": staff,
        f"{LIST}check/": expect(LOGIN, 403, 403, 405, 405),
        explain_url(w.gap): staff,
        f"/anomalies/{Rule.FATA}/{w.gap.enterprise_id}/2014/{w.gap.pk}/explain/": expect(LOGIN, 403, 403, 404, 404),
        f"/anomalies/bogus/{w.gap.enterprise_id}/2014/{w.gap.pk}/explain/": expect(LOGIN, 403, 403, 404, 404),
        f"/anomalies/stage_gap/{10**20}/{10**20}/{10**20}/explain/": expect(LOGIN, 403, 403, 404, 404),
    }


def matrix_urls(w):
    return list(get_pages(w))


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_get_pages_by_role(role, world):
    check_pages(client_for(world.users.get(role)), get_pages(world), role)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_post_pages_by_role(role, world):
    client = client_for(world.users.get(role))
    expected = expect(LOGIN, 403, 403, 302, 302)[role]
    check(client.post(f"{LIST}check/"), expected, role, "check")
    check(client.post(explain_url(world.gap), {"comment": "Checked."}), expected, role, "explain")
    assert Explanation.objects.exists() == (expected == 302)


def test_an_officer_member_of_the_firm_cannot_explain_it(world, officer):
    MembershipFactory(enterprise=world.gap.enterprise, user=officer)
    client = client_for(officer)
    assert client.get(explain_url(world.gap)).status_code == 404
    assert client.post(explain_url(world.gap), {"comment": "Mine."}).status_code == 404
    assert str(world.gap.enterprise.uscc) not in client.get(LIST).content.decode()
    with pytest.raises(ValidationError):
        services.anomaly_explain(
            rule=Rule.STAGE_GAP,
            enterprise_id=world.gap.enterprise_id,
            year=2014,
            record_id=world.gap.pk,
            actor=officer,
            comment="Mine.",
        )


def _explain(w, actor, comment):
    return services.anomaly_explain(
        rule=Rule.STAGE_GAP,
        enterprise_id=w.gap.enterprise_id,
        year=w.gap.reference_year,
        record_id=w.gap.pk,
        actor=actor,
        comment=comment,
    )


def test_explain_service(world, officer, administrator, member_a):
    for comment, field in (("", "comment"), ("   ", "comment"), ("x" * (COMMENT_MAX_LENGTH + 1), "comment")):
        with pytest.raises(ValidationError) as error:
            _explain(world, officer, comment)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError):
        _explain(world, member_a, "I am not an officer.")
    with pytest.raises(ValidationError, match="no longer detected"):
        services.anomaly_explain(
            rule=Rule.FETE, enterprise_id=world.gap.enterprise_id, year=2014, record_id=1, actor=officer, comment="x"
        )
    assert not Explanation.objects.exists()
    first = _explain(world, officer, "  Confirmed with the firm: the 2014 snapshot missed its subsidiary.  ")
    assert first.comment == "Confirmed with the firm: the 2014 snapshot missed its subsidiary."
    assert first.explained_by == officer and first.explained_at is not None
    assert first.history.count() == 1
    second = _explain(world, administrator, "Re-checked.")
    assert second.pk == first.pk and second.explained_by == administrator
    assert [h.comment for h in second.history.order_by("history_date")] == [first.comment, "Re-checked."]
    assert [h.explained_by for h in second.history.order_by("history_date")] == [officer, administrator]


def test_explain_view(world, officer):
    client = client_for(officer)
    page = client.get(LIST).content.decode()
    assert "self-reported stage 4, verified stage 1" in page and explain_url(world.gap) in page
    response = client.post(explain_url(world.gap), {"comment": "  "})
    assert response.status_code == 400 and response.context["form"].errors["comment"]
    response = client.post(explain_url(world.gap), {"comment": "x" * (COMMENT_MAX_LENGTH + 1)})
    assert response.status_code == 400 and response.context["form"].errors["comment"]
    assert not Explanation.objects.exists()
    response = client.post(
        explain_url(world.gap), {"comment": "Checked the evidence.", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == LIST
    assert Explanation.objects.get().comment == "Checked the evidence."
    assert explain_url(world.gap) not in client.get(LIST).content.decode()  # left the open list
    explained = client.get(f"{LIST}?status=explained").content.decode()
    assert explain_url(world.gap) in explained and "Explained" in explained
    page = client.get(explain_url(world.gap)).content.decode()
    assert "Checked the evidence." in page and 'id="explanation-history"' in page
    review = f"/review/{world.gap.pk}/"
    response = client.post(explain_url(world.gap), {"comment": "Again.", "next": review})
    assert response.url == review


def test_rule_counts_filters_and_pagination(officer):
    for _ in range(3):
        verified_assessment(EnterpriseFactory(), self_stage=3, verified_stage=1)
    establishment_firm = EnterpriseFactory(name_en="Gamma Optics")
    report(establishment_firm, revenue_total=Decimal("10"), revenue_foreign=Decimal("20"))
    services.findings_refresh()
    client = client_for(officer)
    response = client.get(LIST)
    counts = dict((rule.value, count) for rule, count in response.context["counts"])
    assert counts[Rule.STAGE_GAP] == 3 and counts[Rule.FOREIGN_REVENUE] == 1 and counts[Rule.FATA] == 0
    assert response.context["page"].paginator.count == 4
    response = client.get(f"{LIST}?rule={Rule.STAGE_GAP}")
    assert response.context["page"].paginator.count == 3
    response = client.get(f"{LIST}?q=gamma")
    assert [a.rule for a in response.context["page"]] == [Rule.FOREIGN_REVENUE]
    response = client.get(f"{LIST}?page=99")  # past the end: the last page
    assert response.status_code == 200 and response.context["page"].number == 1
    paged = selectors.anomaly_page(user=officer, filters=selectors.AnomalyFilters(), page_number=2, page_size=3)
    assert paged.number == 2 and len(paged.object_list) == 1


def test_csv_lists_the_anomalies_and_neutralises_formulas(officer):
    firm = EnterpriseFactory(name_zh='=HYPERLINK("http://evil.example")', name_en="")
    gap = verified_assessment(firm, self_stage=4, verified_stage=2)
    services.findings_refresh()
    response = client_for(officer).get(f"{LIST}anomalies.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="anomalies.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["rule", "firm", "uscc", "year", "record", "reason", "status", "link"]
    assert rows[1][:7] == [
        "stage_gap",
        '\'=HYPERLINK("http://evil.example")',
        firm.uscc,
        "2014",
        str(gap.pk),
        "self-reported stage 4, verified stage 2",
        "open",
    ]
    assert rows[1][7].endswith(f"/review/{gap.pk}/")


def test_review_page_shows_the_firms_open_anomalies(officer, firm_a, member_a):
    from tests.workflow_helpers import records_for, submitted

    records_for(firm_a)
    exports(firm_a, 2014, "90000000", destination="US")  # above the 50 M revenue
    assessment = submitted(firm_a, member_a)
    page = client_for(officer).get(f"/review/{assessment.pk}/").content.decode()
    assert 'id="firm-anomalies"' in page
    assert "exports 93,000,000.00 CNY above total revenue 50,000,000.00 CNY" in page
    assert f"/anomalies/{Rule.EXPORTS_ABOVE_REVENUE}/{firm_a.pk}/2014/" in page
    assert f"?next=/review/{assessment.pk}/" in page.replace("%2F", "/")


def test_changes_recheck_the_firm(django_capture_on_commit_callbacks, officer, firm_a):
    with django_capture_on_commit_callbacks(execute=True):
        report(firm_a, 2014)
        record = exports(firm_a, 2014, "60000000")
    assert list(Finding.objects.values_list("rule", flat=True)) == [Rule.EXPORTS_ABOVE_REVENUE]
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    assert not Finding.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        exports(firm_a, 2014, "10", currency="USD", destination="US")
        ExchangeRate.objects.create(currency="USD", year=2014, cny_per_unit=Decimal("6000000"))
    assert ZoneCheck.objects.count() >= 1
    assert list(Finding.objects.values_list("rule", flat=True)) == [Rule.EXPORTS_ABOVE_REVENUE]


def test_the_check_button_checks_every_firm(officer, firm_a):
    verified_assessment(firm_a, self_stage=4, verified_stage=2)
    assert not Finding.objects.exists()
    response = client_for(officer).post(f"{LIST}check/", follow=True)
    assert "Every firm checked: 1 anomalies." in response.content.decode()
    assert ZoneCheck.objects.get().requested_by == officer


def _zone(size: int) -> None:
    for n in range(size):
        firm = EnterpriseFactory()
        verified_assessment(firm, self_stage=4, verified_stage=1)
        report(firm, 2014, revenue_total=Decimal("100"), revenue_foreign=Decimal("10"))
        exports(firm, 2014, "1000")
        exports(firm, 2013, "1", destination="US")
        if n % 2:
            from tests.anomalies.helpers import reversed_establishment

            reversed_establishment(firm)
    services.findings_refresh()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_constant_number_of_queries(officer, django_assert_max_num_queries):
    client = client_for(officer)
    urls = [LIST, f"{LIST}?status=all&year=2014&q=9&page=2", f"{LIST}anomalies.csv"]
    counts = {}
    for size in (3, 30):
        _zone(size)
        client.get(LIST)  # session warm-up
        counts[size] = [_queries(client, url) for url in urls]
        with django_assert_max_num_queries(10):
            response = client.get(LIST)
        assert response.context["page"].paginator.count == (3 * 3 + 1 if size == 3 else 33 * 3 + 1 + 15)
    assert counts[3] == counts[30]


def test_detection_stored_equals_live(officer):
    _zone(5)
    live = selectors._run(user=officer, filters=selectors.AnomalyFilters()).rows
    stored = selectors.anomalies_all(user=officer, filters=selectors.AnomalyFilters())
    assert {a.key for a in live} == {a.key for a in stored} and len(stored) == 5 * 3 + 2


@pytest.mark.django_db(transaction=True)
def test_two_officers_explaining_at_once_leave_one_explanation():
    from tests.factories import OfficerFactory
    from tests.workflow_helpers import race

    firm = EnterpriseFactory()
    gap = verified_assessment(firm, self_stage=4, verified_stage=1)
    first, second = OfficerFactory(), OfficerFactory()
    key = {"rule": Rule.STAGE_GAP, "enterprise_id": firm.pk, "year": 2014, "record_id": gap.pk}
    outcomes = race(
        lambda: services.anomaly_explain(**key, actor=first, comment="First."),
        lambda: services.anomaly_explain(**key, actor=second, comment="Second."),
    )
    assert [error for _result, error in outcomes] == [None, None], outcomes
    explanation = Explanation.objects.get()
    assert explanation.history.count() == 2 and explanation.comment in {"First.", "Second."}
