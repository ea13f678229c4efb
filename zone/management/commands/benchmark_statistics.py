"""Times the zone statistics page and every download on the configured database: server time and query
count of each, fetched through the Django test client with a (temporary) officer logged in, and the raw SQL
time of each of the page's aggregations (`--explain` prints their plans). Runs against whatever data is
there, e.g. after `DEBUG=1 python manage.py seed_demo --firms 20000 --reset`; writes nothing (everything it
creates, the officer and the session, is rolled back). Prints the machine's load average before and after:
the figures are only comparable between runs on an equally quiet machine."""

import statistics
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts import roles
from accounts.models import User
from core.benchmarks import Rollback, machine_load, milliseconds
from core.cache import LOCAL
from enterprises.models import AnnualReport, Enterprise, ExportRecord, PctApplication
from zone import exports, freshness, selectors
from zone.forms import CURRENCIES, StatisticsFilters

NATIONAL_SCALE = 100_000  # firms from which the national-scale target applies
PAGE_TARGET = 0.300  # seconds, park scale (20,000 firms)
PAGE_TARGET_NATIONAL = 2.0  # seconds, national scale (200,000 firms)
PAGE_TO_SQL_TARGET = 1.5  # page time / raw SQL time of its aggregations
STAGE_COUNTS_TARGET = 0.050
CSV_TARGET = 0.150  # every CSV but stages.csv (which, like the workbook, must not take longer than the page)


@dataclass(frozen=True)
class Timing:
    median: float
    low: float
    high: float
    queries: int
    size: int
    sql: float  # median Σ of the time Django measured executing the response's queries


class Command(BaseCommand):
    help = (
        "Times the statistics page, its CSV and XLSX downloads (server time, query count) and the raw SQL "
        "of its aggregations on this database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--firms",
            type=int,
            help="the number of firms expected in the database; stops when it holds another number "
            "(seed it first: DEBUG=1 python manage.py seed_demo --firms N --reset)",
        )
        parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up (default 5)")
        parser.add_argument("--currency", choices=CURRENCIES, default="USD")
        parser.add_argument("--explain", action="store_true", help="print the query plan of each aggregation")

    def handle(self, *args, firms=None, repeat=5, currency="USD", explain=False, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        count = Enterprise.objects.count()
        if firms is not None and count != firms:
            raise CommandError(
                f"The database holds {count:,} firms, not {firms:,}. Seed it first: "
                f"DEBUG=1 python manage.py seed_demo --firms {firms} --reset"
            )
        settings_dict = connection.settings_dict
        self.stdout.write(f"Database: {connection.vendor} ({settings_dict.get('NAME')}) · {machine_load()}")
        self.stdout.write(
            f"Firms: {count:,} · annual reports: {AnnualReport.objects.count():,} · "
            f"export records: {ExportRecord.objects.count():,} · PCT applications: {PctApplication.objects.count():,}"
        )
        try:
            with transaction.atomic():
                page, cached, downloads = self._pages(currency, repeat)
                raise Rollback
        except Rollback:
            pass
        sql = self._sql(currency, repeat, explain)
        self._targets(count, page, cached, downloads, sql)
        self.stdout.write(f"Afterwards: {machine_load()}")

    # ------------------------------------------------------------------------------------------ pages

    def _pages(self, currency: str, repeat: int) -> tuple[Timing, Timing, dict[str, Timing]]:
        officer = User.objects.create(username=f"benchmark-{uuid.uuid4().hex[:12]}", is_active=True)
        officer.groups.add(Group.objects.get_or_create(name=roles.OFFICER)[0])
        client = Client()
        client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
        query = {"currency": currency}
        downloads = {"trade.csv": reverse("zone:trade_csv")}
        downloads |= {f"{table}.csv": reverse("zone:breakdown_csv", args=[table]) for table in exports.BREAKDOWN_TABLES}
        downloads["statistics.xlsx"] = reverse("zone:workbook_xlsx")
        # The figures go to a cache of this process only, emptied at will (a shared Redis would be flushed whole).
        own_cache = {**settings.CACHES, freshness.CACHE: {**LOCAL, "LOCATION": "benchmark-statistics"}}
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, CACHES=own_cache):
            url = reverse("zone:statistics")
            page = self._time(client, url, query, repeat, before=caches[freshness.CACHE].clear)
            cached = self._time(client, url, query, repeat)
            floor = self._time(client, reverse("healthz"), {}, repeat)
            self.stdout.write(
                f"Statistics page (GET {url}?currency={currency} as an officer), {repeat} run(s) after a warm-up:\n"
                f"  figures computed (the first view after a write, the cache emptied before each run):\n"
                f"    server time: median {milliseconds(page.median)} "
                f"(min {milliseconds(page.low)}, max {milliseconds(page.high)}) · {page.queries} queries · "
                f"{page.size / 1024:,.0f} KiB HTML\n"
                f"    of which executing its {page.queries} queries {milliseconds(page.sql)}, the rest (Python, "
                f"templates, middleware) {milliseconds(page.median - page.sql)}\n"
                f"  figures from the cache (every other view: no write since, zone.freshness):\n"
                f"    server time: median {milliseconds(cached.median)} "
                f"(min {milliseconds(cached.low)}, max {milliseconds(cached.high)}) · {cached.queries} queries\n"
                f"  the framework's floor, GET /healthz: {milliseconds(floor.median)}"
            )
            self.stdout.write(f"Downloads (same filters), median of {repeat} after a warm-up:")
            timings = {}
            for name, download_url in downloads.items():
                timing = timings[name] = self._time(client, download_url, query, repeat)
                self.stdout.write(
                    f"  {name:<24} {milliseconds(timing.median):>12}  (min {milliseconds(timing.low)}, "
                    f"max {milliseconds(timing.high)}) · {timing.queries} queries · {timing.size:,} bytes"
                )
        return page, cached, timings

    def _time(self, client: Client, url: str, query: dict, repeat: int, before=None) -> Timing:
        timings, sql, queries, size = [], [], 0, 0
        for run in range(repeat + 1):
            if before is not None:
                before()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, query, secure=True)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise CommandError(f"GET {url} answered {response.status_code}.")
            if run:  # the first run warms caches up
                timings.append(elapsed)
                sql.append(sum(float(executed["time"]) for executed in captured.captured_queries))
            queries, size = len(captured), len(response.content)
        return Timing(statistics.median(timings), min(timings), max(timings), queries, size, statistics.median(sql))

    # ------------------------------------------------------------------------------------------ raw SQL

    def _sql(self, currency: str, repeat: int, explain: bool) -> dict[str, float]:
        filters = StatisticsFilters(currency=currency)
        year = selectors.default_year(filters)
        self.stdout.write(f"Raw SQL of the page's aggregations (breakdown year {year}), median of {repeat}:")
        medians = {}
        for name, aggregation in selectors.page_aggregations(filters, year).items():
            sql, params = aggregation.sql, aggregation.params
            timings, rows = [], 0
            with connection.cursor() as cursor:
                for _ in range(repeat):
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    rows = len(cursor.fetchall())
                    timings.append(time.perf_counter() - started)
            medians[name] = statistics.median(timings)
            self.stdout.write(f"  {name:<24} {milliseconds(medians[name]):>12}  ({rows:,} grouped rows)")
            if explain:
                self.stdout.write("    " + aggregation.explain().replace("\n", "\n    "))
        self.stdout.write(f"  {'all aggregations':<24} {milliseconds(sum(medians.values())):>12}")
        return medians

    # ------------------------------------------------------------------------------------------ targets

    def _targets(
        self, firms: int, page: Timing, cached: Timing, downloads: dict[str, Timing], sql: dict[str, float]
    ) -> None:
        raw = sum(sql.values())
        ratio = cached.median / raw if raw else float("inf")
        computed_ratio = page.median / raw if raw else float("inf")
        national = firms >= NATIONAL_SCALE
        page_target = PAGE_TARGET_NATIONAL if national else PAGE_TARGET
        slowest_csv = max(
            (timing.median, name) for name, timing in downloads.items() if name not in ("stages.csv", "statistics.xlsx")
        )
        checks = [
            (f"page ≤ {milliseconds(page_target)}, figures computed", page.median <= page_target),
            (
                f"page ≤ {PAGE_TO_SQL_TARGET}× its raw SQL ({ratio:.2f}× with the figures from the cache; "
                f"{computed_ratio:.2f}× computed)",
                ratio <= PAGE_TO_SQL_TARGET,
            ),
        ]
        if not national:
            checks += [
                (
                    f"stage_counts ≤ {milliseconds(STAGE_COUNTS_TARGET)}",
                    sql.get("stage_counts", 0) <= STAGE_COUNTS_TARGET,
                ),
                (
                    "stages.csv and statistics.xlsx ≤ the page (figures computed)",
                    max(downloads["stages.csv"].median, downloads["statistics.xlsx"].median) <= page.median,
                ),
                (
                    f"every other CSV ≤ {milliseconds(CSV_TARGET)} (slowest: {slowest_csv[1]})",
                    slowest_csv[0] <= CSV_TARGET,
                ),
            ]
        scale = "national scale (200,000 firms)" if national else "park scale (20,000 firms)"
        self.stdout.write(f"Targets at {scale}:")
        for label, met in checks:
            self.stdout.write(f"  {label}: {'met' if met else 'MISSED'}")
