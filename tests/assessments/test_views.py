"""Assessment pages (DESIGN §6): every URL of assessments/urls.py and review_urls.py x every role, the htmx
item review, and the maturity report. The review queue's own behaviour is in test_review_queue.py."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from assessments import report, services
from assessments.models import Assessment, AssessmentStatus, ItemReview
from assessments.snapshots import item_keys
from enterprises.models import IndustryGroup
from rewards.models import RoundStatus
from tests.conftest import ROLE_NAMES, client_for
from tests.factories import AnnualReportFactory, EstablishmentFactory, ExportRecordFactory, OfficerFactory
from tests.matrix import LOGIN, check_pages, expect, post
from tests.workflow_helpers import YEAR, make_round, records_for, submitted, verified_row, verify_all

pytestmark = pytest.mark.django_db

S = AssessmentStatus
VERIFY = {"action": "verify"}


@pytest.fixture
def world(firm_a, firm_b, member_a, member_b, role_users):
    records_for(firm_a)
    records_for(firm_b)
    AnnualReportFactory(enterprise=firm_a, year=YEAR - 1)
    a_submitted = submitted(firm_a, member_a)
    a_draft = services.assessment_create(enterprise=firm_a, reference_year=YEAR - 1, actor=member_a)
    b_submitted = submitted(firm_b, member_b)
    return SimpleNamespace(
        firm_a=firm_a,
        firm_b=firm_b,
        a_submitted=a_submitted,
        a_draft=a_draft,
        b_submitted=b_submitted,
        users=role_users,
    )


def get_pages(w) -> dict:
    a, b = w.firm_a.pk, w.firm_b.pk
    own = expect(LOGIN, 200, 404, 404, 404)
    other = expect(LOGIN, 404, 200, 404, 404)
    review = expect(LOGIN, 403, 403, 200, 200)
    return {
        f"/firms/{a}/assessments/": own,
        f"/firms/{a}/assessments/{w.a_submitted.pk}/": own,
        f"/firms/{a}/assessments/{w.a_draft.pk}/": own,
        f"/firms/{a}/maturity/": own,
        f"/firms/{a}/maturity/?year={YEAR}": own,
        f"/firms/{b}/assessments/": other,
        f"/firms/{b}/assessments/{w.b_submitted.pk}/": other,
        f"/firms/{b}/maturity/": other,
        # firm B's assessment under firm A's URL, and the reverse: nobody sees it there
        f"/firms/{a}/assessments/{w.b_submitted.pk}/": expect(LOGIN, 404, 404, 404, 404),
        f"/firms/{b}/assessments/{w.a_submitted.pk}/": expect(LOGIN, 404, 404, 404, 404),
        "/review/": review,
        f"/review/?status=submitted&sort=-score&industry_group={IndustryGroup.ELECTRONIC_INFORMATION}": review,
        "/review/?q=%E7%94%B2&status=all&sort=-firm&page=2": review,
        f"/review/{w.a_submitted.pk}/": review,
        f"/review/{w.b_submitted.pk}/": review,
        # officers never see drafts
        f"/review/{w.a_draft.pk}/": expect(LOGIN, 403, 403, 404, 404),
    }


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_get_pages_by_role(role, world):
    check_pages(client_for(world.users.get(role)), get_pages(world), role)


#: a refused request must change nothing
POSTS = [
    post(lambda w: f"/firms/{w.firm_a.pk}/assessments/{w.a_draft.pk}/submit/", expect(LOGIN, 302, 404, 404, 404)),
    post(lambda w: f"/firms/{w.firm_a.pk}/assessments/{w.a_draft.pk}/delete/", expect(LOGIN, 302, 404, 404, 404)),
    post(lambda w: f"/firms/{w.firm_b.pk}/assessments/{w.a_draft.pk}/delete/", expect(LOGIN, 404, 404, 404, 404)),
    post(
        lambda w: f"/review/{w.a_submitted.pk}/items/",
        expect(LOGIN, 403, 403, 302, 302),
        lambda w: {"item_key": item_keys(w.a_submitted.current_snapshot.data)[0], "verified": "1"},
    ),
    post(lambda w: f"/review/{w.a_submitted.pk}/decide/", expect(LOGIN, 403, 403, 302, 302), lambda w: VERIFY),
    post(lambda w: f"/review/{w.a_draft.pk}/decide/", expect(LOGIN, 403, 403, 404, 404), lambda w: VERIFY),
    post(
        lambda w: "/review/",
        expect(LOGIN, 403, 403, 302, 302),
        lambda w: {"assessments": [w.a_submitted.pk], "officer": ""},
    ),
    post(
        lambda w: f"/review/{w.b_submitted.pk}/verify-remaining/",
        expect(LOGIN, 403, 403, 302, 302),
        lambda w: {"expected": len(item_keys(w.b_submitted.current_snapshot.data))},
    ),
    post(
        lambda w: f"/review/{w.a_draft.pk}/verify-remaining/",
        expect(LOGIN, 403, 403, 404, 404),
        lambda w: {"expected": 1},
    ),
]


def matrix_urls(w):
    return [*get_pages(w), *(request.url(w) for request in POSTS)]


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("case", range(len(POSTS)))
def test_post_urls_by_role(role, case, world):
    request = POSTS[case]
    before = list(Assessment.objects.order_by("pk").values_list("pk", "status", "reviewer_id"))
    reviews = ItemReview.objects.count()
    request.check(client_for(world.users.get(role)), world, role, request.url(world))
    if request.expected[role] != 302:
        assert list(Assessment.objects.order_by("pk").values_list("pk", "status", "reviewer_id")) == before
        assert ItemReview.objects.count() == reviews


@pytest.mark.parametrize(
    "url",
    [
        "/firms/{a}/assessments/{d}/submit/",
        "/review/{s}/decide/",
        "/review/{s}/items/",
        "/review/{s}/verify-remaining/",
    ],
)
def test_post_only_urls_refuse_get(url, world):
    path = url.format(a=world.firm_a.pk, d=world.a_draft.pk, s=world.a_submitted.pk)
    client = client_for(world.users["member_a"] if "firms" in path else world.users["officer"])
    assert client.get(path).status_code == 405


def test_member_submits_and_deletes_through_the_pages(world):
    client = client_for(world.users["member_a"])
    a = world.firm_a.pk
    response = client.post(f"/firms/{a}/assessments/{world.a_draft.pk}/submit/", follow=True)
    assert response.status_code == 200
    assert Assessment.objects.get(pk=world.a_draft.pk).status == S.SUBMITTED
    # a second submit is refused with the service's message, not a 500
    response = client.post(f"/firms/{a}/assessments/{world.a_draft.pk}/submit/", follow=True)
    assert "no longer possible" in response.content.decode()
    response = client.post(f"/firms/{a}/assessments/{world.a_submitted.pk}/delete/", follow=True)
    assert "no longer possible" in response.content.decode()
    assert Assessment.objects.filter(pk=world.a_submitted.pk).exists()


def test_create_form_errors_write_nothing(world):
    client = client_for(world.users["member_a"])
    url = f"/firms/{world.firm_a.pk}/assessments/"
    count = Assessment.objects.count()
    bad = ({"reference_year": "abc"}, {"reference_year": "1800"}, {"reference_year": str(YEAR), "round": "999999"})
    for data in bad:
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    # a second self-assessment of the same year: a form error, not an IntegrityError
    response = client.post(url, {"reference_year": str(YEAR)})
    assert response.status_code == 200
    assert "already has a self-assessment" in response.content.decode()
    assert Assessment.objects.count() == count


def test_create_in_an_open_round(world):
    reward_round = make_round()
    Assessment.objects.filter(pk=world.a_draft.pk).delete()
    client = client_for(world.users["member_a"])
    url = f"/firms/{world.firm_a.pk}/assessments/"
    response = client.post(url, {"reference_year": "2001", "round": reward_round.pk})
    assert response.status_code == 302
    created = Assessment.objects.get(round=reward_round)
    assert created.reference_year == reward_round.reference_year
    # a round that is not open is not even offered
    closed = make_round(name="Closed", status=RoundStatus.CLOSED)
    response = client.post(f"/firms/{world.firm_a.pk}/assessments/", {"reference_year": YEAR, "round": closed.pk})
    assert "round" in response.context["form"].errors


@pytest.mark.parametrize("year", ["this year", "next year", "1979"])
def test_self_assessment_years_from_1980_to_the_last_completed_year(world, year):
    today = timezone.localdate()
    year = {"this year": today.year, "next year": today.year + 1}.get(year, year)
    client = client_for(world.users["member_a"])
    count = Assessment.objects.count()
    response = client.post(f"/firms/{world.firm_a.pk}/assessments/", {"reference_year": str(year)})
    assert response.status_code == 200
    assert response.context["form"].errors["reference_year"] == [f"Enter a year from 1980 to {today.year - 1}."]
    assert Assessment.objects.count() == count
    assert response.context["form"].initial["reference_year"] == today.year - 1


def test_a_round_for_the_current_year_takes_assessments(world):
    this_year = timezone.localdate().year
    reward_round = make_round(reference_year=this_year)
    client = client_for(world.users["member_a"])
    response = client.post(
        f"/firms/{world.firm_a.pk}/assessments/", {"reference_year": "2014", "round": reward_round.pk}
    )
    assert response.status_code == 302
    assert Assessment.objects.get(round=reward_round).reference_year == this_year


# ------------------------------------------------------------------------------------- item review


def test_htmx_item_review_returns_the_partial(world, officer):
    client = client_for(officer)
    key = item_keys(world.a_submitted.current_snapshot.data)[0]
    response = client.post(
        f"/review/{world.a_submitted.pk}/items/",
        {"item_key": key, "verified": "0", "comment": "blurry scan"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "assessments/_item_verdict.html"
    html = response.content.decode()
    assert "<html" not in html and "not verified" in html and "blurry scan" in html
    review = ItemReview.objects.get(item_key=key)
    assert (review.verified, review.comment, review.reviewer) == (False, "blurry scan", officer)

    # an unknown item: the fragment with the error, never a redirect htmx would swap a whole page into
    response = client.post(
        f"/review/{world.a_submitted.pk}/items/", {"item_key": "exports:0", "verified": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "not part of the submitted snapshot" in response.content.decode()


def test_htmx_item_review_of_a_decided_assessment(world, officer):
    client = client_for(officer)
    key = item_keys(world.a_submitted.current_snapshot.data)[0]
    client.post(f"/review/{world.a_submitted.pk}/decide/", {"action": "reject", "comment": "Forged invoices."})
    response = client.post(
        f"/review/{world.a_submitted.pk}/items/", {"item_key": key, "verified": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "no longer possible" in html and "<form" not in html
    assert not ItemReview.objects.exists()


def test_plain_item_review_redirects_to_the_review_page(world, officer):
    key = item_keys(world.a_submitted.current_snapshot.data)[0]
    response = client_for(officer).post(f"/review/{world.a_submitted.pk}/items/", {"item_key": key, "verified": "1"})
    assert response.status_code == 302 and response.url == f"/review/{world.a_submitted.pk}/"


def test_review_decision_form_errors_and_success(world, officer):
    client = client_for(officer)
    url = f"/review/{world.a_submitted.pk}/decide/"
    response = client.post(url, {"action": "return", "comment": " "}, follow=True)
    assert "Say what the firm must correct" in response.content.decode()
    assert Assessment.objects.get(pk=world.a_submitted.pk).status == S.SUBMITTED
    response = client.post(url, {"action": "explode"}, follow=True)
    assert response.status_code == 200
    response = client.post(url, {"action": "return", "comment": "Upload the contract."}, follow=True)
    assert Assessment.objects.get(pk=world.a_submitted.pk).status == S.RETURNED
    assert "Upload the contract." in response.content.decode()
    # the firm sees the officer's comment
    page = client_for(world.users["member_a"]).get(f"/firms/{world.firm_a.pk}/assessments/{world.a_submitted.pk}/")
    assert "Upload the contract." in page.content.decode()


def test_an_officer_member_of_the_firm_cannot_decide_through_the_page(world):
    insider = OfficerFactory(username="insider2")
    world.firm_a.memberships.create(user=insider, role="editor")
    response = client_for(insider).post(f"/review/{world.a_submitted.pk}/decide/", {"action": "verify"}, follow=True)
    assert response.status_code == 404  # the firm's assessments are not in the insider's queue at all
    assert client_for(insider).get(f"/review/{world.a_submitted.pk}/").status_code == 404
    assert Assessment.objects.get(pk=world.a_submitted.pk).status == S.SUBMITTED


# ---------------------------------------------------------------------------------- maturity report


def _maturity(client, firm, **params):
    response = client.get(f"/firms/{firm.pk}/maturity/", params)
    assert response.status_code == 200
    return response


def test_maturity_report_with_data_shows_the_next_rung(world):
    response = _maturity(client_for(world.users["member_a"]), world.firm_a, year=YEAR)
    assert response.context["scorecard"]["stage"] == 3
    html = response.content.decode()
    assert str(report.NEXT_STAGE[3]) in html
    assert str(report.NEXT_STAGE[2]) not in html
    assert str(report.NEXT_GEOGRAPHY[4]) in html  # DE is beyond the neighbouring markets


@pytest.mark.parametrize(
    ("setup", "stage"),
    [
        ("nothing", 0),
        ("direct", 1),
        ("agent", 2),
        ("manufacturing", 4),
    ],
)
def test_next_rung_text_matches_the_stage(setup, stage, firm_a, member_a):
    AnnualReportFactory(enterprise=firm_a, year=YEAR)
    if setup in ("direct", "agent"):
        ExportRecordFactory(enterprise=firm_a, year=YEAR, destination="US", channel=setup)
    if setup == "manufacturing":
        EstablishmentFactory(enterprise=firm_a, country="VN", kind="manufacturing")
    response = _maturity(client_for(member_a), firm_a, year=YEAR)
    assert response.context["scorecard"]["stage"] == stage
    assert response.context["next_stage"] == report.NEXT_STAGE[stage]
    assert str(report.NEXT_STAGE[stage]) in response.content.decode()


@pytest.mark.parametrize("year", ["", str(YEAR), "abc", "99999", "0", "-5", "1850"])
def test_maturity_report_for_a_firm_without_data(year, firm_a, member_a):
    response = _maturity(client_for(member_a), firm_a, year=year)
    assert response.context["scorecard"]["stage"] == 0
    assert str(report.NEXT_STAGE[0]) in response.content.decode()


def test_maturity_report_with_a_missing_rate_shows_the_error(firm_a, member_a):
    AnnualReportFactory(enterprise=firm_a, year=YEAR, currency="EUR")
    response = _maturity(client_for(member_a), firm_a, year=YEAR)
    assert "No exchange rate for EUR in 2014" in response.content.decode()


def test_draft_detail_with_a_missing_rate_is_no_500(world):
    AnnualReportFactory(enterprise=world.firm_a, year=YEAR - 2, currency="EUR")
    draft = services.assessment_create(enterprise=world.firm_a, reference_year=YEAR - 2, actor=world.users["member_a"])
    response = client_for(world.users["member_a"]).get(f"/firms/{world.firm_a.pk}/assessments/{draft.pk}/")
    assert response.status_code == 200
    assert "No exchange rate for EUR" in response.content.decode()


def test_maturity_report_shows_the_verified_percentile(world, officer):
    verify_all(Assessment.objects.get(pk=world.a_submitted.pk), officer)
    for i in range(5):
        verified_row(None, total=str(5 + i))
    html = _maturity(client_for(world.users["member_a"]), world.firm_a, year=YEAR).content.decode()
    assert "among 5 verified firms" in html
