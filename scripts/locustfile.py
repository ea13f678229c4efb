"""The load test's visitors (run by scripts/loadtest, which prepares LOADTEST_PLAN with manage.py prepare_loadtest).

70 % firm members (their overview, record lists, maturity report, assessments), 15 % officers (review queue,
review pages, statistics), 15 % anonymous visitors (published results and their downloads, the log-in page).
Members and officers log in through the real log-in form (CSRF token from the page; officers then enter a
backup code), browse a visit of 10-30 pages with 1 s of think time, log out and log in again. Requests are named
by page, not URL, so the figures are per page. The site runs with production settings on plain HTTP on the
loopback: its cookies are marked Secure, which the client accepts there (as a browser behind the TLS proxy would).
"""

import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from itertools import count

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115 - read once at start
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIRM_USERS, OFFICERS = count(), count()
VISIT_PAGES = (10, 30)


class LoopbackPolicy(DefaultCookiePolicy):
    """Send the site's Secure cookies over plain HTTP to 127.0.0.1 (the load test has no TLS proxy in front)."""

    def return_ok_secure(self, cookie, request):
        return True


class Visitor(FastHttpUser):
    abstract = True
    wait_time = constant(1)

    def on_start(self):
        self.client.cookiejar.set_policy(LoopbackPolicy())
        self.pages_left = 0

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
        return response

    def csrf_token(self, url: str, name: str) -> str:
        response = self.page(url, name)
        match = CSRF.search(response.text or "")
        return match.group(1) if match else ""


class Member(Visitor):
    abstract = True

    def submit(self, url: str, page: str, data: dict) -> None:
        """Post the form of `url` (its CSRF token read from the page first); success is a redirect."""
        data = {**data, "csrfmiddlewaretoken": self.csrf_token(url, f"{page} page")}
        name = f"{page} (submit)"
        with self.client.post(url, data=data, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}")

    def log_in(self, account: dict) -> None:
        self.submit("/accounts/login/", "log-in", {"username": account["username"], "password": account["password"]})

    def log_out(self) -> None:
        token = self.csrf_token("/notifications/", "notifications")
        data = {"csrfmiddlewaretoken": token}
        self.client.post("/accounts/logout/", data=data, name="log-out", allow_redirects=False)

    def visit(self) -> None:
        """Count the pages of this visit; at its end log out and in again (a new session)."""
        if self.pages_left <= 0:
            if getattr(self, "logged_in", False):
                self.log_out()
            self.log_in(self.account)
            self.logged_in = True
            self.pages_left = random.randint(*VISIT_PAGES)
        self.pages_left -= 1


class FirmMember(Member):
    weight = 70

    def on_start(self):
        super().on_start()
        self.account = PLAN["firm_users"][next(FIRM_USERS) % len(PLAN["firm_users"])]
        self.firm = f"/firms/{self.account['firm']}/"

    @task(4)
    def overview(self):
        self.visit()
        self.page(self.firm, "firm overview")

    @task(4)
    def records(self):
        self.visit()
        kind = random.choice(PLAN["record_kinds"])
        self.page(f"{self.firm}{kind}/", f"{kind} list")

    @task(2)
    def maturity_report(self):
        self.visit()
        self.page(f"{self.firm}maturity/", "maturity report")

    @task(2)
    def assessments(self):
        self.visit()
        self.page(f"{self.firm}assessments/", "assessments")
        if self.account["assessments"]:
            pk = random.choice(self.account["assessments"])
            self.page(f"{self.firm}assessments/{pk}/", "assessment")


class Officer(Member):
    weight = 15

    def on_start(self):
        super().on_start()
        self.account = PLAN["officers"][next(OFFICERS) % len(PLAN["officers"])]

    def log_in(self, account: dict) -> None:
        super().log_in(account)
        code = account["codes"].pop()  # single use; officers sharing an account share its list
        self.submit("/accounts/second-factor/", "second factor", {"token": code, "next": "/review/"})

    @task(4)
    def queue(self):
        self.visit()
        status = random.choice(["", "?status=submitted", "?status=verified&sort=-score"])
        self.page(f"/review/{status}", "review queue")

    @task(4)
    def review(self):
        self.visit()
        self.page(f"/review/{random.choice(PLAN['review'])}/", "review page")

    @task(1)
    def statistics(self):
        self.visit()
        self.page("/statistics/", "statistics")


class Anonymous(Visitor):
    weight = 15

    @task(3)
    def rounds(self):
        self.page("/rounds/", "rounds")

    @task(3)
    def results(self):
        if PLAN["published_rounds"]:
            self.page(f"/rounds/{random.choice(PLAN['published_rounds'])}/", "round results")

    @task(1)
    def downloads(self):
        if PLAN["published_rounds"]:
            pk = random.choice(PLAN["published_rounds"])
            self.page(f"/rounds/{pk}/results.csv", "results.csv")
            self.page(f"/rounds/{pk}/results.xlsx", "results.xlsx")

    @task(1)
    def login_page(self):
        self.page("/accounts/login/", "log-in page")


#: the report's order: the framework floor first, then each role's pages
FLOOR = "log-in page"


@events.quitting.add_listener
def report(environment, **_kwargs) -> None:
    """p50/p95/p99 and errors per page (since every visitor arrived), as a Markdown table, to LOADTEST_REPORT."""
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda entry: (entry.name != FLOOR, entry.name))
    lines = [
        f"{stats.total.num_requests:,} requests in {stats.total.last_request_timestamp - stats.total.start_time:.0f} s "
        f"({stats.total.total_rps:.1f}/s) after ramp-up, {stats.total.num_failures} errors",
        "",
        "| page | requests | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for entry in [*rows, stats.total]:
        name = {FLOOR: f"{FLOOR} (framework floor)", "Aggregated": "all pages"}.get(entry.name, entry.name)
        percentiles = [entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)]
        lines.append(
            f"| {name} | {entry.num_requests:,} | {percentiles[0]:.0f} | {percentiles[1]:.0f} | {percentiles[2]:.0f} "
            f"| {entry.num_failures} |"
        )
    errors = sorted(environment.stats.errors.values(), key=lambda error: -error.occurrences)
    lines += [f"error: {error.name}: {error.error} ({error.occurrences}×)" for error in errors[:10]]
    with open(os.environ["LOADTEST_REPORT"], "w") as out:
        out.write("\n".join(lines) + "\n")
