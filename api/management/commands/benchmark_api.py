"""Time the API on the configured database; everything is rolled back.

    python manage.py benchmark_api [--firms 20000] [--rows 1000] [--requests 50] [--seed 1]

- results: a published round of N firms (made with benchmark_ranking's helpers, ranked and published by the
  services), then `--requests` GETs of `/api/v1/rounds/<id>/results?limit=1000` walking the pages with their
  cursors; prints requests per second and the median and p95 server time (target: p95 ≤ 50 ms).
- upsert: a firm with a write token PUTs `--rows` export records (`/api/v1/firms/<id>/exports`): created,
  sent again unchanged, then changed; each `--repeat` times in a savepoint rolled back (target: ≤ 1 s).

The requests go through Django's test client in this process (middleware, authentication, rate limits off),
so the times are server times without network.
"""

import datetime
import json
import statistics
import time
import warnings

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from api.services import token_create
from core.benchmarks import Rollback
from core.db import analyze
from enterprises.models import Enterprise, MemberRole, Membership
from rewards import services
from rewards.management.commands import benchmark_ranking

RESULTS_PAGE = 1000
RESULTS_TARGET_MS = 50
UPSERT_TARGET_S = 1.0
COUNTRIES = ["US", "DE", "JP", "GB", "FR", "KR", "SG", "AU", "CA", "IT", "NL", "BR", "IN", "RU", "HK", "TW", "MO"]
CHANNELS = ["direct", "agent", "subsidiary"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


class Command(BaseCommand):
    help = "Time the results endpoint (round of N firms) and a 1,000-row export upsert through the API (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--firms", type=int, default=20_000)
        parser.add_argument("--rows", type=int, default=1000)
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, firms: int, rows: int, requests: int, repeat: int, seed: int, **options):
        if min(firms, rows, requests, repeat) < 1:
            raise CommandError("--firms, --rows, --requests and --repeat must be at least 1.")
        if rows > 1000:
            raise CommandError("--rows: at most 1000 (the API's limit per request).")
        plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        lines: list[str] = []
        overrides = {
            "ALLOWED_HOSTS": ["*"],
            "STORAGES": {**settings.STORAGES, "staticfiles": plain},
            "API_RATE_LIMIT_TOKEN": "0/60",
            "API_RATE_LIMIT_ADDRESS": "0/60",
        }
        with override_settings(**overrides), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at")
            try:
                with transaction.atomic():
                    lines += self._results(firms, requests, seed)
                    lines += self._upsert(rows, repeat)
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write(f"{connection.vendor}: API benchmark (rolled back)")
        for line in lines:
            self.stdout.write(line)

    # ------------------------------------------------------------------------------------------- results

    def _results(self, firms: int, requests: int, seed: int) -> list[str]:
        import random

        helper = benchmark_ranking.Command()
        helper.random = random.Random(seed)
        admin = User.objects.create(
            username=f"benchmark-api-admin-{timezone.now().timestamp()}", is_superuser=True, is_staff=True
        )
        start = time.perf_counter()
        reward_round = helper._round("API benchmark", helper._firms(firms))
        analyze(Enterprise)  # as the bulk import and seed_demo do after writing firms in bulk
        services.round_rank(round_id=reward_round.pk, actor=admin)
        services.round_publish(round_id=reward_round.pk, actor=admin)
        setup = time.perf_counter() - start
        client = Client(SERVER_NAME="localhost")
        base = f"/api/v1/rounds/{reward_round.pk}/results?limit={RESULTS_PAGE}"
        client.get(base, secure=True)  # warm up
        times, cursor, pages_seen = [], None, set()
        for _ in range(requests):
            url = base + (f"&after={cursor}" if cursor else "")
            began = time.perf_counter()
            response = client.get(url, secure=True)
            times.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            data = json.loads(response.content)
            pages_seen.add(cursor)
            cursor = data["next"]  # walks the pages, then starts again at the first one
        p95 = percentile(times, 0.95) * 1000
        return [
            f"  setup: {firms} firms ranked and published                  {setup:8.2f} s",
            f"  GET results, {RESULTS_PAGE} rows a page, {requests} requests over {len(pages_seen)} pages:",
            f"    requests per second                                   {len(times) / sum(times):8.1f}",
            f"    median                                                {statistics.median(times) * 1000:8.1f} ms",
            f"    p95                                                   {p95:8.1f} ms"
            f"  (target <= {RESULTS_TARGET_MS} ms: {'met' if p95 <= RESULTS_TARGET_MS else 'MISSED'})",
        ]

    # -------------------------------------------------------------------------------------------- upsert

    def _upsert(self, rows: int, repeat: int) -> list[str]:
        user = User.objects.create(username=f"benchmark-api-member-{timezone.now().timestamp()}")
        firm = Enterprise.objects.create(
            name_zh="接口基准测试有限公司",
            uscc=benchmark_ranking.benchmark_uscc(79_999_999),
            registration_type="llc",
            industry_group="other",
        )
        Membership.objects.create(user=user, enterprise=firm, role=MemberRole.OWNER)
        _token, secret = token_create(
            user=user, name="benchmark", scope="write", expires_at=timezone.now() + datetime.timedelta(days=1)
        )
        client = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
        url = f"/api/v1/firms/{firm.pk}/exports"
        records = [
            {
                "year": 2000 + i // (len(COUNTRIES) * len(CHANNELS)) % 100,
                "destination": COUNTRIES[i % len(COUNTRIES)],
                "channel": CHANNELS[i // len(COUNTRIES) % len(CHANNELS)],
                "currency": "USD",
                "value": f"{1000 + i}.50",
            }
            for i in range(rows)
        ]
        changed = [{**record, "value": f"{2000 + i}.25"} for i, record in enumerate(records)]

        def put(payload: list[dict], expect: str) -> float:
            body = json.dumps({"records": payload})
            began = time.perf_counter()
            response = client.put(url, body, content_type="application/json", secure=True)
            elapsed = time.perf_counter() - began
            if response.status_code != 200 or json.loads(response.content)[expect] != len(payload):
                raise CommandError(f"PUT {url} answered {response.status_code}: {response.content[:300]!r}")
            return elapsed

        timings: dict[str, list[float]] = {"created": [], "unchanged": [], "updated": []}
        for _ in range(repeat):
            try:
                with transaction.atomic():
                    timings["created"].append(put(records, "created"))
                    timings["unchanged"].append(put(records, "unchanged"))
                    timings["updated"].append(put(changed, "updated"))
                    raise Rollback
            except Rollback:
                pass
        lines = [f"  PUT {rows} export records (median / p95 of {repeat}):"]
        for action, values in timings.items():
            p95 = percentile(values, 0.95)
            verdict = "met" if p95 <= UPSERT_TARGET_S else "MISSED"
            lines.append(
                f"    {action:<10} {statistics.median(values):6.3f} s / {p95:6.3f} s"
                f"  ({rows / statistics.median(values):7.0f} rows/s; target <= {UPSERT_TARGET_S:.0f} s: {verdict})"
            )
        return lines
