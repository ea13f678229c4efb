"""Every page of every role (demo.pages, what `benchmark_pages` times) answers, with a bounded number of queries that
does not grow with the number of firms: the same count on a demo of 10 firms and of 40."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_countries import countries

from accounts.models import User
from anomalies.services import findings_refresh
from assessments import services as assessment_services
from bulkimport.services import import_file
from demo.pages import ADMINISTRATOR, ANONYMOUS, FIRM, OFFICER, pages_by_role
from enterprises.records import RECORD_KINDS
from enterprises.selectors import enterprises_for
from tests.bulkimport.helpers import csv_bytes, export_row
from tests.conftest import client_for
from tests.factories import ExportRecordFactory

pytestmark = pytest.mark.django_db

#: the most queries each page may make (REQUIRE_2FA off in tests: officers' pages make one more in production)
SIGNED_IN = {"notifications": 4, "profile": 4, "tokens": 4, "password change": 3, "providers": 5, "provider": 4}
PUBLIC = {"rounds": 4, "round results": 8, "results.csv": 4, "results.xlsx": 4}
RECORD_PAGES = {"list": 6, "new": 4, "detail": 7, "edit": 5, "delete": 6}
BOUNDS = {
    FIRM: {
        "home": 4,
        "firm list": 4,
        "firm register": 3,
        "firm overview": 9,
        "firm edit": 4,
        "firm members": 7,
        **{f"{kind} {page}": bound for kind in RECORD_KINDS for page, bound in RECORD_PAGES.items()},
        "assessments": 9,
        "maturity report": 19,  # + the peers' medians
        "assessment (verified)": 17,
        "assessment (draft)": 20,
        "evidence download": 4,
        **SIGNED_IN,
        **PUBLIC,
    },
    OFFICER: {
        "review queue": 9,  # + the status counts
        "review queue (submitted, by score)": 9,
        "review (submitted)": 15,  # + the inline previews' evidence types
        "review (verified)": 15,
        "statistics": 14,  # + the statistics token before and after computing (zone.freshness)
        "trade.csv": 7,
        "anomalies": 10,
        "anomalies.csv": 7,
        "import": 5,
        "import template": 3,
        "import batch": 4,
        "anomaly explain": 9,
        **SIGNED_IN,
    },
    ADMINISTRATOR: {
        "rounds manage": 5,
        "round new": 4,
        "round manage (open)": 10,
        "round simulate (open)": 5,
        "round manage (published)": 11,
        "users": 8,
        "user new": 3,
        "provider new": 3,
        "admin index": 4,
        "admin firms": 5,
        "admin assessments": 7,
        "firm history": 14,
        "admin firm": 7,  # the membership rows join their user and firm
    },
    ANONYMOUS: {"log-in": 0, "landing": 0, "rounds": 1, "round results": 5, "results.csv": 2, "results.xlsx": 2},
}


def _seed(firms: int) -> dict[str, dict[str, int]]:
    """Seed `firms` firms, add what the demo lacks (a draft, an import batch, an anomaly), count each page's queries."""
    call_command("seed_demo", firms=firms, reset=True, stdout=StringIO())
    firm_user, officer = User.objects.get(username="firm1"), User.objects.get(username="officer")
    firm = enterprises_for(firm_user).order_by("pk").first()
    assessed = set(firm.assessments.filter(round__isnull=True).values_list("reference_year", flat=True))
    year = max(set(range(2009, 2014)) - assessed)
    assessment_services.assessment_create(enterprise=firm, reference_year=year, actor=firm_user)
    enterprise = firm.uscc
    import_file(
        kind="export_records",
        data=csv_bytes(["uscc", "year", "destination", "channel", "currency", "value"], [export_row(enterprise)]),
        file_name="exports.csv",
        actor=officer,
        dry_run=True,
    )
    other = enterprises_for(User.objects.get(username="firm2")).order_by("pk").first()
    report = other.annual_reports.order_by("-year").first()
    taken = set(other.export_records.filter(year=report.year, channel="direct").values_list("destination", flat=True))
    destination = next(c.code for c in countries if c.code not in taken)  # the factory sequence may hit a seeded one
    ExportRecordFactory(
        enterprise=other,
        year=report.year,
        destination=destination,
        channel="direct",
        currency=report.currency,
        value=report.revenue_total * 2,
    )
    findings_refresh(enterprise_ids=[other.pk])  # an anomaly (exports above revenue) to explain
    clients = {
        FIRM: client_for(firm_user),
        OFFICER: client_for(officer),
        ADMINISTRATOR: client_for(User.objects.get(username="admin")),
        ANONYMOUS: client_for(None),
    }
    counts = {}
    for role, pages in pages_by_role(firm, officer).items():
        for page in pages:
            _get(clients[role], page.url)  # process-wide caches (content types, ...) warm up first
            with CaptureQueriesContext(connection) as captured:
                response = _get(clients[role], page.url)
            assert response.status_code == page.status, f"{role} {page.name} {page.url}: {response.status_code}"
            counts.setdefault(role, {})[page.name] = len(captured)
    return counts


def _get(client, url: str):
    response = client.get(url, secure=True)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def test_every_page_has_bounded_queries_that_do_not_grow_with_the_firms(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it (queries are captured either way)
    small, large = _seed(10), _seed(40)
    grew = {
        f"{role} {name}": (count, large[role].get(name))
        for role, pages in small.items()
        for name, count in pages.items()
        if large[role].get(name) != count
    }
    assert not grew, f"queries at 10 firms and at 40: {grew}"
    over = {
        f"{role} {name}": count
        for role, pages in large.items()
        for name, count in pages.items()
        if count > BOUNDS[role].get(name, 0)
    }
    assert not over, f"pages over their bound (a new page needs its bound in BOUNDS): {over}"
    # every page of the list was visited: the demo has an object for each
    assert {role: set(pages) for role, pages in large.items()} == {role: set(b) for role, b in BOUNDS.items()}
