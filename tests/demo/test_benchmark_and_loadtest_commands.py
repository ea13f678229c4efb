"""benchmark_pages (times every page, writes nothing) and prepare_loadtest (the load test's accounts and URLs)."""

import json
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.models import User
from enterprises.models import Enterprise, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo", firms=10, stdout=StringIO())
    settings.DEBUG = False


def test_benchmark_pages_prints_every_chosen_page_and_writes_nothing(demo):
    counts = (User.objects.count(), Session.objects.count(), StaticDevice.objects.count())
    out = StringIO()
    call_command("benchmark_pages", "--repeat", "1", "--role", "firm", "--role", "officer", stdout=out)
    text = out.getvalue()
    assert "Firms: 10" in text and "DEBUG off" in text and "reference loop" in text
    assert "median" in text and "queries" in text
    for name in ("firm overview", "exports list", "maturity report", "assessments", "review queue", "statistics"):
        assert f"  {name} " in text
    assert "expected" not in text  # every page answered what it should
    assert "round new" not in text  # administrators' pages were not chosen
    assert (User.objects.count(), Session.objects.count(), StaticDevice.objects.count()) == counts


def test_benchmark_pages_filters_pages_and_profiles_one(demo):
    out = StringIO()
    call_command("benchmark_pages", "--repeat", "1", "--role", "firm", "--page", "exports", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "ms" in line and "≤" in line]
    assert lines and all("exports" in line for line in lines)
    out = StringIO()
    call_command("benchmark_pages", "--repeat", "2", "--role", "firm", "--profile", "firm overview", stdout=out)
    assert "firm overview (/firms/" in out.getvalue() and "function calls" in out.getvalue()


def test_benchmark_pages_needs_the_demo_accounts(db):
    with pytest.raises(CommandError, match=r"No user admin, firm1, officer in this database: seed it first"):
        call_command("benchmark_pages", "--repeat", "1", stdout=StringIO())


def test_prepare_loadtest_writes_accounts_that_log_in_through_the_forms(demo, tmp_path, settings):
    settings.REQUIRE_2FA = True
    plan_file = tmp_path / "plan.json"
    call_command(
        "prepare_loadtest", "--firms", "10", "--firm-users", "3", "--officers", "2", "--codes", "4",
        "--out", str(plan_file), stdout=StringIO(),
    )  # fmt: skip
    plan = json.loads(plan_file.read_text())
    firms = [account["firm"] for account in plan["firm_users"]]
    assert len(set(firms)) == 3 and plan["firm_users"][0]["assessments"]  # firms with assessments come first
    assert [len(account["codes"]) for account in plan["officers"]] == [4, 4]
    assert plan["review"] and plan["published_rounds"] and "exports" in plan["record_kinds"]

    member = plan["firm_users"][0]
    client = Client()
    response = client.post(reverse("login"), {"username": member["username"], "password": member["password"]})
    assert response.status_code == 302
    assert client.get(f"/firms/{member['firm']}/").status_code == 200

    officer = plan["officers"][0]
    client = Client()
    client.post(reverse("login"), {"username": officer["username"], "password": officer["password"]})
    assert client.get(reverse("review:queue")).status_code == 302  # the second factor first
    response = client.post(reverse("accounts:otp_verify"), {"token": officer["codes"][0], "next": "/review/"})
    assert response.status_code == 302 and response.url == "/review/"
    assert client.get(reverse("review:queue")).status_code == 200


def test_prepare_loadtest_is_idempotent_and_changes_the_password(demo, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for out in (first, second):
        call_command("prepare_loadtest", "--firm-users", "3", "--officers", "1", "--out", str(out), stdout=StringIO())
    old, new = json.loads(first.read_text()), json.loads(second.read_text())
    assert User.objects.filter(username__startswith="loadtest-").count() == 4
    assert Membership.objects.filter(user__username__startswith="loadtest-").count() == 3
    assert StaticDevice.objects.filter(user__username__startswith="loadtest-").count() == 1
    assert old["firm_users"][0]["password"] != new["firm_users"][0]["password"]
    assert not User.objects.get(username="loadtest-firm-001").check_password(old["firm_users"][0]["password"])


def test_prepare_loadtest_refuses_another_firm_count(demo, tmp_path):
    with pytest.raises(CommandError, match=r"holds 10 firms, not 20,000\. Seed it first"):
        call_command("prepare_loadtest", "--firms", "20000", "--out", str(tmp_path / "plan.json"), stdout=StringIO())
    assert Enterprise.objects.count() == 10 and not (tmp_path / "plan.json").exists()
