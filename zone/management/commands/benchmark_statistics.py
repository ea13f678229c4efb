"""Times the zone statistics page on the configured database: server time and query count of the page
rendered through the Django test client with a (temporary) officer logged in, and the raw SQL time of each
of its firm-level aggregations. Runs against whatever data is there, e.g. after
`DEBUG=1 python manage.py seed_demo --firms 20000 --reset`; writes nothing (everything it creates, the
officer and the session, is rolled back)."""

import statistics
import time
import uuid

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts import roles
from accounts.models import User
from core.benchmarks import Rollback, milliseconds
from enterprises.models import AnnualReport, Enterprise, ExportRecord, PctApplication
from zone import selectors
from zone.forms import CURRENCIES, StatisticsFilters


class Command(BaseCommand):
    help = "Times the statistics page (server time, query count) and its raw SQL aggregations on this database."

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
        self.stdout.write(f"Database: {connection.vendor} ({settings_dict.get('NAME')})")
        self.stdout.write(
            f"Firms: {count:,} · annual reports: {AnnualReport.objects.count():,} · "
            f"export records: {ExportRecord.objects.count():,} · PCT applications: {PctApplication.objects.count():,}"
        )
        try:
            with transaction.atomic():
                self._page(currency, repeat)
                raise Rollback
        except Rollback:
            pass
        self._sql(currency, repeat, explain)

    def _page(self, currency: str, repeat: int) -> None:
        officer = User.objects.create(username=f"benchmark-{uuid.uuid4().hex[:12]}", is_active=True)
        officer.groups.add(Group.objects.get_or_create(name=roles.OFFICER)[0])
        client = Client()
        client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("zone:statistics")
        timings, queries, size = [], 0, 0
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            for run in range(repeat + 1):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, {"currency": currency}, secure=True)
                    elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise CommandError(f"GET {url} answered {response.status_code}.")
                if run:  # the first run warms caches up
                    timings.append(elapsed)
                queries, size = len(captured), len(response.content)
        self.stdout.write(
            f"Statistics page (GET {url}?currency={currency} as an officer), {repeat} run(s) after a warm-up:\n"
            f"  server time: median {milliseconds(statistics.median(timings))} "
            f"(min {milliseconds(min(timings))}, max {milliseconds(max(timings))}) · {queries} queries · "
            f"{size / 1024:,.0f} KiB HTML"
        )

    def _sql(self, currency: str, repeat: int, explain: bool) -> None:
        filters = StatisticsFilters(currency=currency)
        year = selectors.default_year(filters)
        rates = selectors.exchange_rates()
        self.stdout.write(f"Raw SQL of the page's aggregations (breakdown year {year}), median of {repeat}:")
        total = 0.0
        for name, queryset in selectors.page_aggregations(filters, year, rates).items():
            sql, params = queryset.query.sql_with_params()
            timings, rows = [], 0
            with connection.cursor() as cursor:
                for _ in range(repeat):
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    rows = len(cursor.fetchall())
                    timings.append(time.perf_counter() - started)
            median = statistics.median(timings)
            total += median
            self.stdout.write(f"  {name:<24} {milliseconds(median):>12}  ({rows:,} grouped rows)")
            if explain:
                options = {"analyze": True} if connection.vendor == "postgresql" else {}
                self.stdout.write("    " + queryset.explain(**options).replace("\n", "\n    "))
        self.stdout.write(f"  {'all aggregations':<24} {milliseconds(total):>12}")
