"""`manage.py benchmark_pages`: server time and query count of every page of each role on the configured database.

Each page is requested through the Django test client (no network, no gunicorn): one warm-up, then --repeat
timed requests without recording queries (median and fastest wall time, the server time; and the median CPU
time of this process, which excludes the database's own work and moves less when other work loads the
machine), then one more request that counts the queries. Run it with production settings (`DEBUG=0`; a
missing SECRET_KEY is generated for the run): with DEBUG on Django records every query and renders templates
in debug mode, which inflates the figures. The users are the demo accounts (`seed_demo`):
`firm1` (or --firm-user) for the firm's pages, `officer`, `admin`; officers and administrators carry a verified
second factor, as in production. Nothing is written: everything (sessions, the second-factor devices) is rolled
back. --profile NAME prints the cProfile of one page.
"""

import cProfile
import io
import os
import pstats
import secrets
import statistics
import time

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.models import User
from core.benchmarks import Rollback, reference_loop_ms
from demo.pages import ADMINISTRATOR, ANONYMOUS, FIRM, OFFICER, Page, pages_by_role
from enterprises.models import Enterprise, ExportRecord
from enterprises.selectors import enterprises_for

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ROLES = (FIRM, OFFICER, ADMINISTRATOR, ANONYMOUS)


class Command(BaseCommand):
    help = "Times every page of each role (server time through the test client, query count) on this database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=9, help="timed requests per page after a warm-up (9)")
        parser.add_argument("--role", choices=ROLES, action="append", help="only these roles (repeatable)")
        parser.add_argument("--page", action="append", help="only pages whose name contains this (repeatable)")
        parser.add_argument("--firm-user", default="firm1", help="the firm member whose pages are timed (firm1)")
        parser.add_argument("--profile", metavar="NAME", help="print the cProfile of the page named exactly NAME")
        parser.add_argument(
            "--sort", choices=["cumulative", "tottime"], default="cumulative", help="the profile's order (cumulative)"
        )

    def handle(
        self, *args, repeat=9, role=None, page=None, firm_user="firm1", profile=None, sort="cumulative", **options
    ):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        self._header()
        try:
            settings.SECRET_KEY  # noqa: B018 - reading an empty key raises
        except ImproperlyConfigured:
            settings.SECRET_KEY = secrets.token_urlsafe(50)  # sessions are signed; for this process only
        overrides = {"ALLOWED_HOSTS": ["testserver"], "SECURE_SSL_REDIRECT": False}
        if not settings.DEBUG and not _manifest_exists():
            self.stdout.write("No static manifest (collectstatic not run): static URLs use the plain storage.")
            overrides["STORAGES"] = {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        over = 0
        try:
            with override_settings(**overrides), transaction.atomic():
                clients, pages = self._clients_and_pages(firm_user)
                for name in role or ROLES:
                    chosen = [p for p in pages[name] if not page or any(part in p.name for part in page)]
                    if profile:
                        chosen = [p for p in chosen if p.name == profile]
                        for item in chosen:
                            self._profile(clients[name], item, repeat, sort)
                        continue
                    over += self._role(name, clients[name], chosen, repeat)
                raise Rollback
        except Rollback:
            pass
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(f"\nLoad average after: {load}. Pages over their target: {over}.")

    def _header(self) -> None:
        self.stdout.write(f"Database: {connection.vendor} ({connection.settings_dict.get('NAME')})")
        self.stdout.write(
            f"Firms: {Enterprise.objects.count():,} · export records: {ExportRecord.objects.count():,} · "
            f"CPUs: {os.cpu_count()} · load average: {', '.join(f'{v:.2f}' for v in os.getloadavg())} · "
            f"reference loop {reference_loop_ms():.0f} ms"
        )
        if settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG is on: every query is recorded and templates render in debug mode, so these figures "
                    "are higher than production's. Run with DEBUG=0 SECRET_KEY=... for production-like figures."
                )
            )
        else:
            self.stdout.write("Settings: DEBUG off (production), queries counted in one extra request per page.")

    def _clients_and_pages(self, firm_username: str) -> tuple[dict[str, Client], dict[str, list[Page]]]:
        users = {FIRM: firm_username, OFFICER: "officer", ADMINISTRATOR: "admin"}
        found = {user.username: user for user in User.objects.filter(username__in=users.values())}
        missing = sorted(set(users.values()) - set(found))
        if missing:
            raise CommandError(
                f"No user {', '.join(missing)} in this database: seed it first "
                "(DEBUG=1 python manage.py seed_demo --firms 20000 --reset)."
            )
        firm = enterprises_for(found[firm_username]).order_by("pk").first()
        if firm is None:
            raise CommandError(f"{firm_username} is no firm's member.")
        clients = {ANONYMOUS: Client()}
        for role, username in users.items():
            clients[role] = _signed_in(found[username], second_factor=role != FIRM)
        return clients, pages_by_role(firm, found["officer"])

    def _role(self, role: str, client: Client, pages: list[Page], repeat: int) -> int:
        self.stdout.write(f"\n{role}")
        self.stdout.write(
            f"  {'page':<38} {'median':>9} {'fastest':>9} {'cpu':>9} {'queries':>8} {'status':>7}  target"
        )
        over = 0
        for item in pages:
            timings, cpu, status = [], [], None
            for run in range(repeat + 1):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(item.url, secure=True)
                _consume(response)
                elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
                status = response.status_code
                if run:  # the first request warms caches up
                    timings.append(elapsed * 1000)
                    cpu.append(elapsed_cpu * 1000)
            with CaptureQueriesContext(connection) as captured:
                _consume(client.get(item.url, secure=True))
            median = statistics.median(timings)
            verdict = "ok" if median <= item.target_ms else "OVER"
            if status != item.status:
                verdict = f"expected {item.status}"
            over += verdict != "ok"
            self.stdout.write(
                f"  {item.name:<38} {median:>6.1f} ms {min(timings):>6.1f} ms {statistics.median(cpu):>6.1f} ms "
                f"{len(captured):>8} {status:>7}  "
                f"≤ {item.target_ms} ms {verdict}"
            )
        return over

    def _profile(self, client: Client, item: Page, repeat: int, sort: str) -> None:
        _consume(client.get(item.url, secure=True))
        profiler = cProfile.Profile()
        profiler.enable()
        for _run in range(repeat):
            _consume(client.get(item.url, secure=True))
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(40)
        self.stdout.write(f"\n{item.name} ({item.url}), {repeat} requests\n{out.getvalue()}")


def _signed_in(user: User, *, second_factor: bool) -> Client:
    """A client logged in as `user`; with `second_factor`, its session verified by a (rolled-back) device."""
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    if second_factor:
        device = StaticDevice.objects.create(user=user, name="benchmark", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _consume(response) -> None:
    """Streams (files, CSV) are produced while read: read them, so their time counts (the test client closes
    them at the end without closing the database connection, which would end the rolled-back transaction)."""
    if response.streaming:
        for _chunk in response.streaming_content:
            pass


def _manifest_exists() -> bool:
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    return manifest is None or (settings.STATIC_ROOT / manifest).exists()
