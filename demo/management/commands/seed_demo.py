"""`manage.py seed_demo [--firms N] [--seed S] [--reset]`: demo accounts and a calibrated firm population.

Runs only with DEBUG on. Without --reset it refuses when firms or demo accounts exist (it never mixes
demo data into existing data); --reset first deletes every firm with all its records and evidence files,
the demo accounts (never a superuser) and the exchange rates seed_demo created. Everything happens in
one transaction: on any error nothing is left behind. See demo.population for how the figures are drawn and
calibrated, demo.calibration for the targets.
"""

import contextlib
import os
import random
import time
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, models, transaction
from django.test.utils import override_settings

from accounts import roles
from accounts.models import User
from accounts.services import staff_user_create
from anomalies.services import findings_refresh
from core.db import analyze, copy_insert
from demo import calibration as cal
from demo.assessments import seed_assessments_and_round
from demo.evidence import evidence_file
from demo.instances import enterprise_of, firm_rows
from demo.plan import FirmPlan
from demo.population import MIN_FIRMS, plan_population
from demo.providers import seed_providers
from enterprises.models import (
    AnnualReport,
    Certification,
    Enterprise,
    Establishment,
    EvidenceFile,
    Expense,
    ExportRecord,
    Invitation,
    MemberRole,
    Membership,
    PctApplication,
    Publication,
)
from reference.models import ExchangeRate
from reference.selectors import rate_table
from zone import totals

PASSWORD = "demo"
FIRM_ACCOUNTS = ("firm1", "firm2")
DEMO_USERNAMES = ("admin", "officer", *FIRM_ACCOUNTS)
RECORD_MODELS = (AnnualReport, ExportRecord, Establishment, PctApplication, Certification, Publication, Expense)
CHUNK = 2000  # firms written per round of bulk inserts
BATCH = 2000


class Command(BaseCommand):
    help = (
        "Create demo accounts (password 'demo') and N firms with 2009-2014 data calibrated to the paper's "
        "Table 1 (DEBUG only). Refuses when firms or demo accounts exist, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--firms", type=int, default=2000, help="number of firms (default 2000, at least 10)")
        parser.add_argument("--seed", type=int, default=2014, help="random seed: same seed and N, same data")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete all firms, their records and evidence, the demo accounts and the demo exchange rates first",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="seed only when the database holds no firm; otherwise just print the accounts",
        )

    def handle(self, *args, firms: int, seed: int, reset: bool, if_empty: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo writes made-up data and runs only with DEBUG on (DEBUG=1). "
                "Refusing: this looks like a production configuration."
            )
        if if_empty and not reset and Enterprise.objects.exists():
            self.stdout.write("The database already holds firms: nothing seeded (use --reset to start again).")
            self.print_accounts(None, {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)})
            return
        if firms < MIN_FIRMS:
            raise CommandError(f"--firms must be at least {MIN_FIRMS}.")
        self.started = time.monotonic()
        written_files: list[str] = []
        try:
            with transaction.atomic():
                if reset:
                    self.reset()
                else:
                    self.refuse_if_data_exists()
                with self.totals_rebuilt_after():
                    rates = self.ensure_exchange_rates()
                    plan = plan_population(rng=random.Random(seed), n_firms=firms, rates=rates, progress=self.progress)
                    accounts = self.create_accounts()
                    enterprises = self.write_population(plan)
                    self.write_memberships_and_evidence(plan, enterprises, accounts, written_files)
                    self.progress(f"service providers: {seed_providers()}")
                    seed_assessments_and_round(
                        rng=random.Random(f"assessments:{seed}"),
                        enterprises=enterprises,
                        accounts=accounts,
                        stdout=self.stdout,
                    )
                    analyze(*_filled_tables())
                self.progress(f"anomalies: {findings_refresh()} found by checking every firm")
        except Exception:
            _remove_files(written_files)
            raise
        self.progress(f"done: {firms} firms, seed {seed}")
        self.print_accounts(plan, accounts)

    # --- steps -----------------------------------------------------------------------------------------

    def progress(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {message}")
        self.stdout.flush()

    @contextlib.contextmanager
    def totals_rebuilt_after(self):
        """Write without the zone totals' triggers, then put them back and compute every total once.

        The triggers add each insert statement's rows to the totals, joining them with the firms and annual
        reports written so far; one rebuild from the finished tables is cheaper. Nothing reads the totals
        meanwhile. Both steps are in the seed's transaction: a failed seed rolls back to the triggers."""
        totals.uninstall(connection)
        yield
        totals.install(connection)
        self.progress("zone totals computed from the records")

    def refuse_if_data_exists(self) -> None:
        firms = Enterprise.objects.count()
        users = list(
            User.objects.filter(username__in=DEMO_USERNAMES, is_superuser=False).values_list("username", flat=True)
        )
        if firms or users:
            found = ", ".join(filter(None, [f"{firms} firms" if firms else "", *users]))
            raise CommandError(
                f"The database already holds demo data ({found}). Run again with --reset to "
                "delete all firms with their records and evidence, and the demo accounts, first."
            )

    def reset(self) -> None:
        """Delete every firm (and what hangs on it), the demo accounts and seed_demo's exchange rates.

        Firm records are removed with plain DELETE statements (hundreds of thousands of rows); the wipe
        of demo data writes no audit-history rows, as the bulk inserts of seed_demo write none."""
        names = list(EvidenceFile.objects.values_list("file", flat=True))
        fast = (EvidenceFile, *RECORD_MODELS, Invitation, Membership)
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            _delete_protecting(Enterprise, Enterprise.objects.all())
            records = sum(_delete_all(model, fast) for model in fast)
            firms = Enterprise.objects.all().delete()[1].get(Enterprise._meta.label, 0)
            User.objects.filter(username__in=DEMO_USERNAMES, is_superuser=False).delete()
            ExchangeRate.objects.filter(source=cal.RATE_SOURCE).delete()
        transaction.on_commit(lambda: _remove_files(names))
        self.progress(f"reset: deleted {firms} firms, {records} records, memberships and evidence files")

    def ensure_exchange_rates(self):
        existing = set(ExchangeRate.objects.values_list("currency", "year"))
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(currency=currency, year=year, cny_per_unit=rate, source=cal.RATE_SOURCE)
                for currency, by_year in cal.RATES.items()
                for year, rate in by_year.items()
                if (currency, year) not in existing
            ]
        )
        return rate_table(list(cal.YEARS))  # rates already kept by an administrator win

    def create_accounts(self) -> dict[str, User]:
        """The four demo users with the password "demo" (set directly: it fails the password validators).
        A superuser already called like a demo account is kept as it is."""
        existing = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}  # superusers only
        password = make_password(PASSWORD)  # hashed once for all four: a slow hasher costs ~0.5 s a hash
        accounts = {}
        for username, role, first, last in (
            ("admin", roles.ADMINISTRATOR, "Demo", "Administrator"),
            ("officer", roles.OFFICER, "Demo", "Officer"),
            ("firm1", None, "Wei", "Li"),
            ("firm2", None, "Fang", "Wang"),
        ):
            user = existing.get(username)
            if user is None:
                fields = {
                    "username": username,
                    "email": f"{username}@example.org",
                    "password": None,
                    "first_name": first,
                    "last_name": last,
                }
                user = staff_user_create(role=role, **fields) if role else User.objects.create_user(**fields)
                user.password = password
                user.save(update_fields=["password"])
            accounts[username] = user
        return accounts

    def write_population(self, plan: list[FirmPlan]) -> list[Enterprise]:
        enterprises: list[Enterprise] = []
        rows = 0
        for start in range(0, len(plan), CHUNK):
            chunk = plan[start : start + CHUNK]
            saved = Enterprise.objects.bulk_create([enterprise_of(f) for f in chunk], batch_size=BATCH)
            by_model = defaultdict(list)
            for firm, enterprise in zip(chunk, saved, strict=True):
                for model, objects in firm_rows(firm, enterprise).items():
                    by_model[model].extend(objects)
            for model in RECORD_MODELS:
                copy_insert(model, by_model[model])
                rows += len(by_model[model])
            enterprises.extend(saved)
            self.progress(f"firms {len(enterprises)}/{len(plan)} written, {rows} records")
        return enterprises

    def write_memberships_and_evidence(self, plan, enterprises, accounts, written_files: list[str]) -> None:
        """firm1 and firm2 own the showcase firms; every record of those two carries a PDF evidence file."""
        evidence = []
        for firm, enterprise in zip(plan, enterprises, strict=True):
            if not firm.account:
                continue
            user = accounts[firm.account]
            Membership.objects.create(user=user, enterprise=enterprise, role=MemberRole.OWNER)
            for model in RECORD_MODELS:
                content_type = ContentType.objects.get_for_model(model)
                for record in model.objects.filter(enterprise=enterprise).order_by("pk"):
                    item = evidence_file(record, enterprise, content_type, user)
                    written_files.append(item.file.name)
                    evidence.append(item)
        EvidenceFile.objects.bulk_create(evidence, batch_size=BATCH)
        self.progress(f"evidence: {len(evidence)} PDF files for {', '.join(FIRM_ACCOUNTS)}")

    def print_accounts(self, plan, accounts) -> None:
        firms = {f.account: f.name_en for f in plan or [] if f.account}
        firms |= (
            {
                m.user.username: m.enterprise.name_en
                for m in Membership.objects.filter(user__username__in=FIRM_ACCOUNTS).select_related(
                    "user", "enterprise"
                )
            }
            if plan is None
            else {}
        )
        lines = [
            (
                "admin",
                "administrator",
                "manage reward rounds, users, reference data and providers; everything an officer can",
            ),
            ("officer", "officer", "review submitted assessments; rankings, anomalies and zone statistics"),
            *(
                (
                    name,
                    f"owner of {firms.get(name, '?')}",
                    "record firm data and evidence, see the maturity report, submit assessments",
                )
                for name in FIRM_ACCOUNTS
            ),
        ]
        header = ("username", "role", "can")
        width_user, width_role = (max(len(row[i]) for row in (header, *lines)) for i in (0, 1))
        self.stdout.write(f"\nDemo accounts (password: {PASSWORD})")
        for username, role, can in (header, *lines):
            superuser = username in accounts and accounts[username].is_superuser
            note = "  (an existing superuser: left unchanged)" if superuser else ""
            self.stdout.write(f"  {username:<{width_user}}  {role:<{width_role}}  {can}{note}")
        if settings.REQUIRE_2FA:
            self.stdout.write("Two-factor authentication is required: admin and officer enrol an app at first log-in.")
        else:
            self.stdout.write(
                "Two-factor authentication is relaxed for the demo (REQUIRE_2FA is off, the default with DEBUG): "
                "admin and officer log in with the password only; REQUIRE_2FA=1 requires it."
            )


def _delete_protecting(model: type[models.Model], rows: models.QuerySet) -> None:
    """Delete the rows that PROTECT (or RESTRICT) `rows` from deletion, theirs first (assessments, awards...)."""
    for rel in model._meta.related_objects:
        if rel.on_delete in (models.PROTECT, models.RESTRICT):
            blocking = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": rows})
            _delete_protecting(rel.related_model, blocking)
            blocking.delete()


def _delete_all(model: type[models.Model], handled: tuple) -> int:
    """Every row of `model`: one DELETE statement unless rows of other models point at it."""
    pointing = [
        rel
        for rel in model._meta.related_objects
        if rel.on_delete is not models.DO_NOTHING and rel.related_model not in handled
    ]
    if pointing:
        return model._base_manager.all().delete()[0]
    # QuerySet._raw_delete: Django's own fast path (no per-row signals); 400,000 rows in seconds.
    return model._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)


def _filled_tables() -> list[type[models.Model]]:
    """Every table of the apps the seed writes to (firms, their records, assessments, rounds)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "enterprises", "assessments", "rewards", "providers"}
    ]


def _remove_files(names: list[str]) -> None:
    """Delete stored evidence files, and the per-firm folders they leave empty."""
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
    for folder in sorted({os.path.dirname(name) for name in names}):
        with contextlib.suppress(OSError, NotImplementedError):  # not empty, gone, or not on a file system
            os.rmdir(storage.path(folder))
