"""Time ranking a reward round of N verified firms on the configured database; everything is rolled back.

    python manage.py benchmark_ranking [--firms 20000] [--repeat 5] [--small 100] [--seed 1]

Creates (bulk, in chunks: no list of N model objects) a closed round with N verified assessments of N new
firms, then prints:

- the time of `rewards.services.round_rank` (first ranking, and the median of re-rankings) and the peak
  resident memory of the process (before the ranking and after it),
- the time of the equivalent raw SQL, `INSERT INTO rewards_ranking ... SELECT ... RANK() OVER (ORDER BY
  verified_total DESC)` over the same rows (each run in a savepoint rolled back), and of the plain SELECT
  window query for reference, and the ratio ranking / raw insert,
- on PostgreSQL, the time of the ranking's deferred foreign-key checks, which its commit would add (the setup's
  own checks are run first, so they are not counted),
- the number of queries of the public results page and of the administrator's round management page
  with `--small` firms and with N firms (they must be equal).

Everything runs in one transaction rolled back at the end, so the pages see the data in the same
connection and nothing is left behind. Works with DEBUG off (the pages are fetched with the test client).
"""

import datetime
import random
import statistics
import time
import warnings
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import User
from assessments.models import Assessment, AssessmentStatus, SizeBand
from assessments.services import default_scheme
from core.benchmarks import Rollback, machine_load, peak_rss_mb
from enterprises.models import Enterprise, ExpenseCategory, IndustryGroup, RegistrationType
from enterprises.validators import build_uscc
from rewards import services
from rewards.models import Award, Ranking, RewardRound, RoundStatus, RoundTier
from rewards.selectors import eligible_assessments

TARGET_SECONDS = 1.0  # park scale (20,000 firms)
TARGET_SECONDS_NATIONAL = 10.0  # national scale (200,000 firms)
NATIONAL_SCALE = 100_000
TARGET_RATIO = 2.0
TARGET_PEAK_MB = 500
CHUNK = 5000  # firms and assessments written per bulk insert
CATEGORIES = [
    ExpenseCategory.EXHIBITION,
    ExpenseCategory.PATENT_FEES,
    ExpenseCategory.CERTIFICATION,
    ExpenseCategory.MARKET_RESEARCH,
]


def benchmark_uscc(serial: int) -> str:
    """A valid USCC in a region code no real firm uses (999998)."""
    return build_uscc("999998", f"{serial % 10**8:08d}")


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


class Command(BaseCommand):
    help = "Time ranking a round of N verified firms against the raw SQL, and count page queries (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--firms", type=int, default=20_000)
        parser.add_argument("--repeat", type=int, default=5, help="runs of each timed query (median reported)")
        parser.add_argument("--small", type=int, default=100, help="firms of the small round for the query counts")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, firms: int, repeat: int, small: int, seed: int, **options):
        if firms < 1 or repeat < 1 or small < 1:
            raise CommandError("--firms, --repeat and --small must be at least 1.")
        small = min(small, firms)
        self.random = random.Random(seed)
        vacuumed = self._vacuum()
        self.load = machine_load()
        lines: list[str] = []
        try:
            with transaction.atomic():
                lines = self._run(firms, repeat, small)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"{connection.vendor}: reward round of {firms} verified firms (rolled back)")
        self.stdout.write(f"  before: {self.load}; afterwards: {machine_load()}")
        if vacuumed:
            self.stdout.write(f"  first VACUUM ANALYZE of {', '.join(vacuumed)} (earlier runs left dead rows)")
        for line in lines:
            self.stdout.write(line)

    # ------------------------------------------------------------------------------------------------ run

    def _run(self, firms: int, repeat: int, small: int) -> list[str]:
        admin = User.objects.create(
            username=f"benchmark-admin-{timezone.now().timestamp()}", is_superuser=True, is_staff=True, is_active=True
        )
        start = time.perf_counter()
        enterprises = self._firms(firms)
        big = self._round("Benchmark", enterprises)
        small_round = self._round("Benchmark (small)", enterprises[:small])
        self._check_constraints_now()
        setup = time.perf_counter() - start
        setup_peak = peak_rss_mb()
        lines = [
            f"  setup (bulk create {firms} firms, {firms + small} assessments) {setup:8.3f} s  "
            f"(peak memory so far {setup_peak:,.0f} MB)"
        ]

        # Like with like: each run ranks the closed round in a savepoint rolled back afterwards, alternating
        # with the raw INSERT (same rows, same table state, same dead-tuple load), medians of `repeat` runs.
        rank_times, insert_times, select_times = [], [], []
        for _ in range(repeat):
            rank_times.append(self._in_savepoint(lambda: services.round_rank(round_id=big.pk, actor=admin)))
            insert_times.append(self._raw_insert(big))
            select_times.append(self._raw_select(big))
        rank_time, insert_time = statistics.median(rank_times), statistics.median(insert_times)
        again = self._in_savepoint(lambda: [services.round_rank(round_id=big.pk, actor=admin) for _ in range(2)])
        checks = self._commit_checks(big, admin)
        ratio = rank_time / insert_time if insert_time else float("inf")
        services.round_rank(round_id=big.pk, actor=admin)
        peak = peak_rss_mb()
        ranked = Ranking.objects.filter(round=big).count()
        awards = Award.objects.filter(round=big).count()
        target = TARGET_SECONDS_NATIONAL if firms >= NATIONAL_SCALE else TARGET_SECONDS
        lines += [
            f"  round_rank (median of {repeat})                {rank_time:8.3f} s  "
            f"({ranked} rankings, {awards} awards)",
            f"  round_rank, first run (no rolled-back rows yet) {rank_times[0]:8.3f} s",
            f"  round_rank, then ranking again (both)      {again:8.3f} s",
            f"  raw INSERT ... SELECT RANK() OVER (median) {insert_time:8.3f} s",
            f"  raw SELECT RANK() OVER, fetched (median)   {statistics.median(select_times):8.3f} s  (reference)",
            f"  ratio round_rank / raw INSERT              {ratio:8.2f} x",
            *(
                [
                    f"  then its foreign-key checks (at commit)   {checks:8.3f} s  (SET CONSTRAINTS ALL IMMEDIATE: "
                    f"what committing the ranking adds; the figures above are rolled back before it)"
                ]
                if checks is not None
                else []
            ),
            f"  peak memory of the process                 {peak:8,.0f} MB  "
            f"(+{peak - setup_peak:,.0f} MB over the setup's peak while ranking)",
            f"  target ranking <= {target:.0f} s: {'met' if rank_time <= target else 'MISSED'};"
            f" within {TARGET_RATIO:.0f}x of the raw INSERT: {'met' if ratio <= TARGET_RATIO else 'MISSED'};"
            f" peak memory <= {TARGET_PEAK_MB} MB: {'met' if peak <= TARGET_PEAK_MB else 'MISSED'}",
        ]

        services.round_rank(round_id=small_round.pk, actor=admin)
        for reward_round in (small_round, big):
            services.round_publish(round_id=reward_round.pk, actor=admin)
        counts = self._page_queries(admin, small_round, big)
        for page, (at_small, at_big) in counts.items():
            verdict = "equal" if at_small == at_big else "DIFFERENT"
            lines.append(
                f"  queries, {page:<28} {at_small:3d} at {small} firms, {at_big:3d} at {firms} firms: {verdict}"
            )
        return lines

    def _vacuum(self) -> list[str]:
        """PostgreSQL: VACUUM ANALYZE the tables a run writes. Every run is rolled back, which leaves its rows
        behind as dead tuples until a vacuum: without this, each run would time the bloat of the ones before."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return []
        tables = [model._meta.db_table for model in (Enterprise, Assessment, Ranking, Award)]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        return tables

    # ------------------------------------------------------------------------------------------------ data

    def _firms(self, n: int) -> list[int]:
        """N new firms, inserted CHUNK at a time; returns their ids (a list of ints, not of model objects)."""
        groups, types = list(IndustryGroup.values), list(RegistrationType.values)
        ids: list[int] = []
        for start in range(0, n, CHUNK):
            rows = [
                Enterprise(
                    name_zh=f"基准测试科技有限公司{i}",
                    name_en=f"Benchmark Technology {i}",
                    uscc=benchmark_uscc(80_000_000 + i),
                    registration_type=types[i % len(types)],
                    industry_group=groups[i % len(groups)],
                )
                for i in range(start, min(n, start + CHUNK))
            ]
            Enterprise.objects.bulk_create(rows)
            if rows[0].pk is None:  # backends that return no ids from bulk_create
                by_uscc = dict(Enterprise.objects.filter(uscc__in=[r.uscc for r in rows]).values_list("uscc", "pk"))
                ids += [by_uscc[row.uscc] for row in rows]
            else:
                ids += [row.pk for row in rows]
        return ids

    def _round(self, name: str, enterprises: list[int]) -> RewardRound:
        now = timezone.now()
        scheme = default_scheme()
        reward_round = RewardRound.objects.create(
            name=name,
            reference_year=2014,
            submission_opens=now - datetime.timedelta(days=60),
            submission_closes=now - datetime.timedelta(days=1),
            review_deadline=now.date(),
            budget=Decimal("50000000.00"),
            scheme=scheme,
            status=RoundStatus.CLOSED,
            eligible_expense_categories=[
                ExpenseCategory.EXHIBITION,
                ExpenseCategory.PATENT_FEES,
                ExpenseCategory.CERTIFICATION,
            ],
        )
        RoundTier.objects.bulk_create(
            [
                RoundTier(
                    round=reward_round,
                    position=1,
                    name="A",
                    top_share=Decimal("0.1"),
                    rate=Decimal("0.5"),
                    cap=Decimal("500000"),
                ),
                RoundTier(
                    round=reward_round,
                    position=2,
                    name="B",
                    top_share=Decimal("0.3"),
                    rate=Decimal("0.3"),
                    cap=Decimal("300000"),
                ),
                RoundTier(
                    round=reward_round,
                    position=3,
                    name="C",
                    top_share=Decimal("0.6"),
                    rate=Decimal("0.2"),
                    cap=Decimal("100000"),
                ),
            ]
        )
        groups = list(IndustryGroup.values)
        for start in range(0, len(enterprises), CHUNK):
            Assessment.objects.bulk_create(
                [
                    self._verified(reward_round, firm, groups[i % len(groups)])
                    for i, firm in enumerate(enterprises[start : start + CHUNK], start)
                ]
            )
        return reward_round

    def _verified(self, reward_round: RewardRound, firm: int, industry_group: str) -> Assessment:
        """A verified assessment with a random total (2 decimals, ties likely), stage and expenses in CNY."""
        rnd, now = self.random, timezone.now()
        total, stage = Decimal(rnd.randint(0, 10000)) / 100, rnd.randint(0, 4)
        expenses = {
            category: str(Decimal(rnd.randint(0, 5 * 10**7)) / 100)
            for category in rnd.sample(CATEGORIES, rnd.randint(0, len(CATEGORIES)))
        }
        return Assessment(
            enterprise_id=firm,
            reference_year=reward_round.reference_year,
            round=reward_round,
            scheme_id=reward_round.scheme_id,
            status=AssessmentStatus.VERIFIED,
            submitted_at=now - datetime.timedelta(days=30),
            decided_at=now,
            industry_group=industry_group,
            size_band=SizeBand.UNDER_200M,
            self_total=total,
            self_stage=stage,
            verified_total=total,
            verified_stage=stage,
            verified_foreign_revenue=Decimal(rnd.randint(0, 10**8)),
            verified_is_sme=rnd.random() < 0.9,
            verified_expenses=expenses,
        )

    # ------------------------------------------------------------------------------------------ raw SQL

    def _window_source(self, reward_round: RewardRound) -> tuple[str, list]:
        """The eligible rows exactly as round_rank selects them (same WHERE), as SQL."""
        eligible = eligible_assessments(reward_round).order_by().values("id", "enterprise_id", "verified_total")
        return eligible.query.sql_with_params()

    def _in_savepoint(self, call) -> float:
        """Seconds `call` takes, its writes rolled back."""
        try:
            with transaction.atomic():
                elapsed = _seconds(call)
                raise Rollback
        except Rollback:
            pass
        return elapsed

    def _check_constraints_now(self) -> None:
        """PostgreSQL: run the setup's deferred foreign-key checks now, so that the ranking's own checks are
        timed alone below (they would otherwise wait for the first SET CONSTRAINTS ALL IMMEDIATE)."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _commit_checks(self, reward_round: RewardRound, admin: User) -> float | None:
        """PostgreSQL: seconds of the deferred foreign-key checks of a ranking, which a commit would run."""
        if connection.vendor != "postgresql":
            return None
        try:
            with transaction.atomic():
                services.round_rank(round_id=reward_round.pk, actor=admin)
                with connection.cursor() as cursor:
                    elapsed = _seconds(lambda: cursor.execute("SET CONSTRAINTS ALL IMMEDIATE"))
                raise Rollback
        except Rollback:
            pass
        return elapsed

    def _raw_insert(self, reward_round: RewardRound) -> float:
        """INSERT ... SELECT RANK() OVER into the round itself, in a savepoint rolled back: the same rows into the
        same keys as round_rank, so both meet the same index entries of the runs rolled back before them (a
        fresh round's keys would meet none, and time an easier insert than any ranking after the first)."""
        source, params = self._window_source(reward_round)
        sql = (
            f"INSERT INTO {Ranking._meta.db_table} (round_id, assessment_id, enterprise_id, rank, total, tier) "
            f"SELECT %s, e.id, e.enterprise_id, RANK() OVER (ORDER BY e.verified_total DESC), e.verified_total, '' "
            f"FROM ({source}) e"
        )
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    start = time.perf_counter()
                    cursor.execute(sql, (reward_round.pk, *params))
                    elapsed = time.perf_counter() - start
                raise Rollback
        except Rollback:
            pass
        return elapsed

    def _raw_select(self, reward_round: RewardRound) -> float:
        source, params = self._window_source(reward_round)
        sql = f"SELECT e.id, RANK() OVER (ORDER BY e.verified_total DESC) FROM ({source}) e"
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(sql, params)
            while cursor.fetchmany(CHUNK):  # fetched and dropped: the reference adds no memory of its own
                pass
            return time.perf_counter() - start

    # -------------------------------------------------------------------------------------------- pages

    def _page_queries(self, admin: User, small_round: RewardRound, big: RewardRound) -> dict[str, tuple[int, int]]:
        plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        static = {**settings.STORAGES, "staticfiles": plain}
        pages = {"public results page": "/rounds/{pk}/", "round management page": "/rounds/manage/{pk}/"}
        counts = {}
        # DEBUG off: any host, no manifest needed for {% static %}; requests are made as HTTPS.
        with override_settings(ALLOWED_HOSTS=["*"], STORAGES=static), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: collectstatic not run
            anonymous, administrator = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
            administrator.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
            for label, url in pages.items():
                client = administrator if "manage" in url else anonymous
                measured = []
                for reward_round in (small_round, big):
                    path = url.format(pk=reward_round.pk)
                    client.get(path, secure=True)  # warm caches (content types, session)
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(path, secure=True)
                    if response.status_code != 200:
                        raise CommandError(f"{path} answered {response.status_code}")
                    measured.append(len(queries))
                counts[label] = tuple(measured)
        return counts
