"""The firm overview (what is recorded, what is missing), record lists (pagination, constant queries) and the
audit history (who changed what, old → new)."""

import datetime
from decimal import Decimal

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import AnnualReport, Certification, Expense, ExportRecord
from enterprises.records import RECORD_KINDS
from enterprises.selectors import record_counts
from tests.conftest import client_for
from tests.enterprises.test_forms import VALID
from tests.enterprises.test_permissions_matrix import RECORD_FACTORIES
from tests.factories import (
    AnnualReportFactory,
    CertificationFactory,
    EstablishmentFactory,
    EvidenceFileFactory,
    ExpenseFactory,
    ExportRecordFactory,
    MembershipFactory,
    PctApplicationFactory,
    PublicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Every list page, whatever the row count: session, user, role groups, firm, count, page (+ slack for
# middleware/context processors other apps may add). An N+1 would need 25 more at 60 rows.
LIST_QUERY_BOUND = 8
OVERVIEW_QUERY_BOUND = 9  # session, user, firm, default year, record counts (one query), report, groups, lists
HISTORY_QUERY_BOUND = 16


def overview(client, firm, year=None):
    url = reverse("enterprises:overview", args=[firm.pk])
    return client.get(url, {"year": year} if year is not None else {})


def make_records(firm, kind: str, count: int):
    extra = {"year": factory.Iterator(range(2050, 1950, -1))} if kind == "annual-reports" else {}
    records = RECORD_FACTORIES[kind].create_batch(count, enterprise=firm, **extra)
    for record in records[:2]:
        EvidenceFileFactory(record=record)
    return records


# --- Overview -----------------------------------------------------------------------------------------------


def test_overview_shows_what_is_recorded_and_what_is_missing(client_a, firm_a, firm_b):
    report = AnnualReportFactory(enterprise=firm_a, year=2014)
    EvidenceFileFactory(record=report)
    with_evidence = ExportRecordFactory(enterprise=firm_a, year=2014, destination="US", value=Decimal("900"))
    EvidenceFileFactory(record=with_evidence)
    EvidenceFileFactory(record=with_evidence)  # two files, still one record with evidence
    ExportRecordFactory(enterprise=firm_a, year=2014, destination="DE", value=Decimal("500"))
    ExportRecordFactory(enterprise=firm_a, year=2013, destination="JP")
    EstablishmentFactory(enterprise=firm_a, country="DE", city="Hamburg", opened=datetime.date(2014, 2, 1))
    EstablishmentFactory(
        enterprise=firm_a,
        country="FR",
        city="Lyon",
        opened=datetime.date(2010, 1, 1),
        closed=datetime.date(2014, 12, 31),
    )  # closed on 31 December: not active then
    PctApplicationFactory(enterprise=firm_b, filed=datetime.date(2014, 1, 1))  # another firm's: not counted

    response = overview(client_a, firm_a, 2014)
    assert response.status_code == 200
    rows = {row["kind"].slug: row for row in response.context["rows"]}
    assert set(rows) == set(RECORD_KINDS)
    assert (rows["annual-reports"]["total"], rows["annual-reports"]["without_evidence"]) == (1, 0)
    assert (rows["exports"]["total"], rows["exports"]["without_evidence"]) == (2, 1)
    assert (rows["establishments"]["total"], rows["establishments"]["without_evidence"]) == (1, 1)
    assert rows["pct-applications"]["total"] == 0
    assert response.context["report"] == report
    missing = [str(item) for item in response.context["missing"]]
    assert missing == ["evidence for 1 Export records", "evidence for 1 Foreign establishments"]
    assert [e.destination.code for e in response.context["recent_exports"]] == ["US", "DE"]
    assert [e.city for e in response.context["active_establishments"]] == ["Hamburg"]
    html = response.content.decode()
    assert "Still missing" in html
    assert "evidence for 1 Export records" in html


def test_record_counts_of_every_kind_on_the_year_boundaries(firm_a, firm_b):
    """Date kinds count a record of 1 January and of 31 December, not one a day outside the year; evidence counts
    for its own record only (not another kind's record with the same id)."""
    AnnualReportFactory(enterprise=firm_a, year=2014)
    AnnualReportFactory(enterprise=firm_a, year=2013)
    ExportRecordFactory(enterprise=firm_a, year=2014)
    ExportRecordFactory(enterprise=firm_b, year=2014)
    first, last = datetime.date(2014, 1, 1), datetime.date(2014, 12, 31)
    outside = (datetime.date(2013, 12, 31), datetime.date(2015, 1, 1))
    dated = {
        "establishments": (EstablishmentFactory, "opened"),
        "pct-applications": (PctApplicationFactory, "filed"),
        "certifications": (CertificationFactory, "issued"),
        "expenses": (ExpenseFactory, "date"),
    }
    for factory_class, field in dated.values():
        for day in (first, last, *outside):
            factory_class(enterprise=firm_a, **{field: day})
        factory_class(enterprise=firm_b, **{field: first})
    PublicationFactory(enterprise=firm_a, year=2014)
    PublicationFactory(enterprise=firm_a, year=2015)
    expense = Expense.objects.filter(enterprise=firm_a, date=last).get()
    EvidenceFileFactory(record=expense)
    EvidenceFileFactory(record=expense)
    certification = Certification.objects.filter(enterprise=firm_a, issued=first).get()
    EvidenceFileFactory(record=certification)

    counts = record_counts(firm_a, 2014)

    assert counts == {
        "annual-reports": {"total": 1, "without_evidence": 1},
        "exports": {"total": 1, "without_evidence": 1},
        "establishments": {"total": 2, "without_evidence": 2},
        "pct-applications": {"total": 2, "without_evidence": 2},
        "certifications": {"total": 2, "without_evidence": 1},
        "publications": {"total": 1, "without_evidence": 1},
        "expenses": {"total": 2, "without_evidence": 1},
    }
    assert record_counts(firm_a, 2000) == {slug: {"total": 0, "without_evidence": 0} for slug in RECORD_KINDS}


def test_overview_for_an_empty_year_lists_the_report_and_exports_as_missing(client_a, firm_a):
    AnnualReportFactory(enterprise=firm_a, year=2014)
    response = overview(client_a, firm_a, 2012)
    missing = [str(item) for item in response.context["missing"]]
    assert missing == ["the annual report for 2012", "export records for 2012"]
    assert response.context["report"] is None
    assert "No annual report for this year." in response.content.decode()


def test_overview_complete_year(client_a, firm_a):
    for record in (
        AnnualReportFactory(enterprise=firm_a, year=2014),
        ExportRecordFactory(enterprise=firm_a, year=2014),
    ):
        EvidenceFileFactory(record=record)
    response = overview(client_a, firm_a, 2014)
    assert response.context["missing"] == []
    assert "Everything for 2014 is recorded, with evidence." in response.content.decode()


def test_overview_defaults_to_the_latest_annual_report(client_a, firm_a):
    AnnualReportFactory(enterprise=firm_a, year=2012)
    AnnualReportFactory(enterprise=firm_a, year=2013)
    assert overview(client_a, firm_a).context["year"] == 2013


def test_overview_without_reports_defaults_to_last_year(client_a, firm_a):
    assert overview(client_a, firm_a).context["year"] == datetime.date.today().year - 1


@pytest.mark.parametrize("year", ["abc", "99999", "0", "-5", "²", "2014.5", "99999999999999999999999", " "])
def test_overview_ignores_a_bad_year(client_a, firm_a, year):
    AnnualReportFactory(enterprise=firm_a, year=2013)
    response = overview(client_a, firm_a, year)
    assert response.status_code == 200
    assert response.context["year"] == 2013


def test_overview_never_defaults_to_a_future_year(client_a, firm_a):
    """A report stored for a year not yet over (before the plausibility rule) is not the default year."""
    this_year = timezone.localdate().year
    AnnualReportFactory(enterprise=firm_a, year=2013)
    AnnualReportFactory(enterprise=firm_a, year=this_year + 5)
    AnnualReportFactory(enterprise=firm_a, year=this_year)
    assert overview(client_a, firm_a).context["year"] == 2013
    assert overview(client_a, firm_a, str(this_year + 1)).context["year"] == 2013
    assert overview(client_a, firm_a, "1979").context["year"] == 2013
    assert overview(client_a, firm_a, str(this_year)).context["year"] == this_year
    assert overview(client_a, firm_a, "1980").context["year"] == 1980


@pytest.mark.parametrize("count", [3, 60])
def test_overview_constant_queries(client_a, firm_a, count, django_assert_max_num_queries):
    for kind in RECORD_KINDS:
        make_records(firm_a, kind, count)
    with django_assert_max_num_queries(OVERVIEW_QUERY_BOUND):
        assert overview(client_a, firm_a, 2014).status_code == 200


# --- Record lists -------------------------------------------------------------------------------------------


def list_url(firm, kind):
    return reverse("enterprises:record_list", args=[firm.pk, kind])


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
@pytest.mark.parametrize("count", [3, 60])
def test_list_constant_queries(client_a, firm_a, firm_b, kind, count, django_assert_max_num_queries):
    make_records(firm_a, kind, count)
    make_records(firm_b, kind, 3)
    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = client_a.get(list_url(firm_a, kind))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 25)
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_list_query_count_does_not_grow(client_a, firm_a, kind):
    make_records(firm_a, kind, 3)
    with CaptureQueriesContext(connection) as few:
        client_a.get(list_url(firm_a, kind))
    RECORD_FACTORIES[kind].create_batch(
        30, enterprise=firm_a, **({"year": factory.Iterator(range(2011, 1981, -1))} if kind == "annual-reports" else {})
    )
    with CaptureQueriesContext(connection) as many:
        client_a.get(list_url(firm_a, kind))
    assert len(many) == len(few)


def test_list_paginates_by_25(client_a, firm_a):
    make_records(firm_a, "publications", 60)
    pages = [client_a.get(list_url(firm_a, "publications"), {"page": n}).context["page"] for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [25, 25, 10]
    assert pages[0].paginator.num_pages == 3
    seen = [record.pk for page in pages for record in page]
    assert len(set(seen)) == 60  # no row twice, none skipped
    html = client_a.get(list_url(firm_a, "publications"), {"page": 2}).content.decode()
    assert "page=1" in html and "page=3" in html
    # A page out of range or not a number shows a valid page.
    assert client_a.get(list_url(firm_a, "publications"), {"page": 99}).context["page"].number == 3
    assert client_a.get(list_url(firm_a, "publications"), {"page": "x"}).context["page"].number == 1


def test_list_filters_by_year_and_only_shows_own_firm(client_a, firm_a, firm_b):
    ExportRecordFactory(enterprise=firm_a, year=2014, destination="US")
    ExportRecordFactory(enterprise=firm_a, year=2013, destination="US")
    ExportRecordFactory(enterprise=firm_b, year=2014, destination="US")
    response = client_a.get(list_url(firm_a, "exports"), {"year": "2014"})
    records = list(response.context["page"])
    assert [(r.enterprise_id, r.year) for r in records] == [(firm_a.pk, 2014)]
    assert len(client_a.get(list_url(firm_a, "exports")).context["page"]) == 2


def test_list_filters_date_kinds_by_year(client_a, firm_a):
    EstablishmentFactory(enterprise=firm_a, opened=datetime.date(2012, 5, 1))
    EstablishmentFactory(enterprise=firm_a, opened=datetime.date(2014, 5, 1))
    response = client_a.get(list_url(firm_a, "establishments"), {"year": "2012"})
    assert [r.opened.year for r in response.context["page"]] == [2012]


@pytest.mark.parametrize("kind", ["exports", "establishments", "expenses"])
@pytest.mark.parametrize("year", ["²", "99999", "0", "-1", "abc", "99999999999999999999999"])
def test_list_ignores_a_bad_year(client_a, firm_a, kind, year):
    make_records(firm_a, kind, 2)
    response = client_a.get(list_url(firm_a, kind), {"year": year})
    assert response.status_code == 200
    assert len(response.context["page"]) == 2


def test_list_shows_columns(client_a, firm_a):
    ExportRecordFactory(enterprise=firm_a, destination="DE", channel="agent", value=Decimal("1234.50"))
    html = client_a.get(list_url(firm_a, "exports")).content.decode()
    assert "<td>Germany</td>" in html
    assert "Through an independent agent or distributor" in html
    assert "1,234.50\u00a0CNY" in html  # the amount with its currency, grouped


def test_list_shows_country_names_in_the_page_language_and_nothing_for_no_country(client_a, firm_a):
    ExportRecordFactory(enterprise=firm_a, destination="DE")
    CertificationFactory(enterprise=firm_a, target_market="")
    CertificationFactory(enterprise=firm_a, target_market="US")
    chinese = client_a.get(list_url(firm_a, "exports"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<td>德国</td>" in chinese
    certifications = client_a.get(list_url(firm_a, "certifications")).content.decode()
    assert "<td>United States of America</td>" in certifications
    assert "<td></td>" in certifications  # the certificate without a target market


# --- Audit history ------------------------------------------------------------------------------------------


def test_create_and_edit_record_history_user_and_values(client_a, member_a, firm_a, administrator):
    url = reverse("enterprises:record_create", args=[firm_a.pk, "annual-reports"])
    assert client_a.post(url, VALID["annual-reports"]).status_code == 302
    report = AnnualReport.objects.get(enterprise=firm_a)
    created = report.history.get()
    assert (created.history_type, created.history_user) == ("+", member_a)

    editor = MembershipFactory(enterprise=firm_a, user=UserFactory(username="editor_a"), role="editor").user
    edit_url = reverse("enterprises:record_edit", args=[firm_a.pk, "annual-reports", report.pk])
    data = {**VALID["annual-reports"], "revenue_foreign": "13000000", "employees_foreign": "15"}
    assert client_for(editor).post(edit_url, data).status_code == 302
    changed = report.history.order_by("-history_id").first()
    assert (changed.history_type, changed.history_user) == ("~", editor)

    response = client_for(administrator).get(reverse("enterprises:history", args=[firm_a.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    change = next(e for e in entries if e["action"] == "~" and e["what"] == "annual report")
    assert change["who"] == editor
    assert {(str(c["field"]), str(c["old"]), str(c["new"])) for c in change["changes"]} == {
        ("revenue, foreign", "12,000,000.00", "13,000,000.00"),  # as the pages show amounts
        ("employees, abroad", "12", "15"),
    }
    creation = next(e for e in entries if e["action"] == "+" and e["what"] == "annual report")
    assert creation["who"] == member_a
    html = response.content.decode()
    assert "12,000,000.00 → 13,000,000.00" in html
    assert "12 → 15" in html
    assert "editor_a" in html and "member_a" in html


def test_history_records_deletes_evidence_and_firm_changes(client_a, member_a, firm_a, administrator, pdf_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    record = ExportRecordFactory(enterprise=firm_a)
    upload_url = reverse("enterprises:evidence_upload", args=[firm_a.pk, "exports", record.pk])
    client_a.post(upload_url, {"file": SimpleUploadedFile("customs.pdf", pdf_bytes)})
    client_a.post(reverse("enterprises:record_delete", args=[firm_a.pk, "exports", record.pk]))
    assert not ExportRecord.objects.exists()
    edit = {
        "name_zh": firm_a.name_zh,
        "name_en": "Alpha Tech Ltd",
        "uscc": firm_a.uscc,
        "registration_type": "llc",
        "industry_group": "aerospace",
        "founded": "2005-06-01",
        "province": "北京",
        "city": "北京",
    }
    assert client_a.post(reverse("enterprises:edit", args=[firm_a.pk]), edit).status_code == 302

    entries = client_for(administrator).get(reverse("enterprises:history", args=[firm_a.pk])).context["entries"]
    actions = {(e["what"], e["action"]) for e in entries}
    assert {("export record", "-"), ("evidence file", "+"), ("evidence file", "-"), ("enterprise", "~")} <= actions
    firm_change = next(e for e in entries if e["what"] == "enterprise" and e["action"] == "~")
    assert firm_change["who"] == member_a
    assert {str(c["field"]) for c in firm_change["changes"]} == {"name (English)", "industry group"}
    assert all(e["who"] == member_a for e in entries if e["what"] == "evidence file")
    assert next(e for e in entries if e["what"] == "export record" and e["action"] == "-")["who"] == member_a


def test_history_shows_only_this_firm(firm_a, firm_b, administrator):
    ExportRecordFactory(enterprise=firm_a, destination="US")
    ExportRecordFactory(enterprise=firm_b, destination="JP")
    entries = client_for(administrator).get(reverse("enterprises:history", args=[firm_a.pk])).context["entries"]
    exports = [e for e in entries if e["what"] == "export record"]
    assert len(exports) == 1
    assert " US " in f" {exports[0]['object']} "


@pytest.mark.parametrize("count", [3, 60])
def test_history_constant_queries(firm_a, administrator, count, django_assert_max_num_queries):
    for kind in RECORD_KINDS:
        make_records(firm_a, kind, count)
    for user in UserFactory.create_batch(count):
        MembershipFactory(enterprise=firm_a, user=user, role="editor")
    client = client_for(administrator)
    with django_assert_max_num_queries(HISTORY_QUERY_BOUND):
        response = client.get(reverse("enterprises:history", args=[firm_a.pk]))
    assert response.status_code == 200
    # one creation per record and membership, two evidence files per kind, the firm itself
    assert len(response.context["entries"]) == min(300, count * (len(RECORD_KINDS) + 1) + 2 * len(RECORD_KINDS) + 1)
