"""Times the officers' anomalies page on the configured database (DESIGN section 6: constant queries).

    python manage.py benchmark_anomalies [--firms 20000] [--repeat 5] [--add 40]

Runs on whatever data is loaded (seed it first: DEBUG=1 python manage.py seed_demo --firms N --reset). In one
transaction rolled back at the end it adds `--add` anomalies of three kinds (exports above revenue, a
self-reported stage far above the verified one, one evidence file shared by two firms), checks every firm
(timed), then fetches the page through the test client as a temporary officer and prints the median server
time and the query count; likewise a filtered page, the CSV, and one firm's re-check after a change.
"""

import statistics
import time
import uuid
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts import roles
from accounts.models import User
from anomalies import services
from anomalies.models import Finding
from assessments.models import Assessment, AssessmentStatus
from core.benchmarks import Rollback, milliseconds
from enterprises.models import AnnualReport, Enterprise, EvidenceFile, ExportChannel, ExportRecord


class Command(BaseCommand):
    help = "Times the anomalies page (server time, query count) on this database; writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--firms", type=int, help="the number of firms expected in the database")
        parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up (default 5)")
        parser.add_argument("--add", type=int, default=40, help="anomalies of each kind to add (default 40)")

    def handle(self, *args, firms=None, repeat=5, add=40, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        count = Enterprise.objects.count()
        if firms is not None and count != firms:
            raise CommandError(
                f"The database holds {count:,} firms, not {firms:,}. Seed it first: "
                f"DEBUG=1 python manage.py seed_demo --firms {firms} --reset"
            )
        self.stdout.write(f"Database: {connection.vendor} ({connection.settings_dict.get('NAME')})")
        self.stdout.write(
            f"Firms: {count:,} · annual reports: {AnnualReport.objects.count():,} · "
            f"export records: {ExportRecord.objects.count():,} · evidence files: {EvidenceFile.objects.count():,}"
        )
        try:
            with transaction.atomic():
                self._add_anomalies(add)
                started = time.perf_counter()
                found = services.findings_refresh()
                self.stdout.write(
                    f"Check of every firm: {milliseconds(time.perf_counter() - started)} · {found:,} anomalies"
                )
                self._pages(repeat)
                raise Rollback
        except Rollback:
            pass

    def _add_anomalies(self, add: int) -> None:
        reports = list(AnnualReport.objects.order_by("enterprise_id", "-year").distinct()[:add])
        ExportRecord.objects.bulk_create(
            ExportRecord(
                enterprise_id=r.enterprise_id,
                year=r.year,
                destination="AQ",
                channel=ExportChannel.DIRECT,
                currency=r.currency,
                value=r.revenue_total + Decimal("1000000"),
            )
            for r in reports
        )
        verified = Assessment.objects.filter(status=AssessmentStatus.VERIFIED, verified_stage__lte=2)
        ids = list(verified.order_by("pk").values_list("pk", flat=True)[:add])
        Assessment.objects.filter(pk__in=ids).update(self_stage=F("verified_stage") + 2)
        files = list(EvidenceFile.objects.order_by("enterprise_id", "pk"))
        pair = [f for f in files if f.enterprise_id != files[0].enterprise_id][:1] + files[:1] if files else []
        if len(pair) == 2:
            EvidenceFile.objects.filter(pk=pair[0].pk).update(sha256=pair[1].sha256)
        self.stdout.write(
            f"Added: {len(reports)} exports above revenue, {len(ids)} stage gaps, {len(pair) // 2} shared file(s)"
        )

    def _time(self, client: Client, url: str, repeat: int) -> tuple[list[float], int, int]:
        timings, queries, size = [], 0, 0
        for run in range(repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise CommandError(f"GET {url} answered {response.status_code}.")
            if run:  # the first run warms caches up
                timings.append(elapsed)
            queries, size = len(captured), len(response.content)
        return timings, queries, size

    def _pages(self, repeat: int) -> None:
        officer = User.objects.create(username=f"benchmark-{uuid.uuid4().hex[:12]}", is_active=True)
        officer.groups.add(Group.objects.get_or_create(name=roles.OFFICER)[0])
        client = Client()
        client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
        exports = Finding.objects.filter(rule="exports_revenue").order_by("-year")
        year = exports.values_list("year", flat=True).first() or 2014
        page = reverse("anomalies:list")
        urls = {
            "page": page,
            "filtered page": f"{page}?status=all&rule=exports_revenue&year={year}&page=2",
            "CSV": reverse("anomalies:csv"),
        }
        self.stdout.write(f"Anomalies pages as an officer, {repeat} run(s) after a warm-up:")
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            for name, url in urls.items():
                timings, queries, size = self._time(client, url, repeat)
                self.stdout.write(
                    f"  {name:<14} GET {url}\n"
                    f"  {'':<14} server time: median {milliseconds(statistics.median(timings))} "
                    f"(min {milliseconds(min(timings))}, max {milliseconds(max(timings))}) · {queries} queries · "
                    f"{size / 1024:,.0f} KiB"
                )
        firm = Enterprise.objects.order_by("pk").first()
        if firm is not None:
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                services.findings_refresh(enterprise_ids=[firm.pk])
                timings.append(time.perf_counter() - started)
            self.stdout.write(f"Re-check of one firm after a change: median {milliseconds(statistics.median(timings))}")
