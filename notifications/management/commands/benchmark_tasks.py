"""Throughput of one database task worker, and the time of a submission while the mail server is slow.

Writes to the configured database (a throw-away firm and user, tasks on a queue of its own) and removes all of
it at the end: run it on a development or staging database, not while real workers share the queue.
"""

import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from assessments.models import Assessment
from assessments.services import assessment_create
from core.emails import send_email
from core.tasks import noop
from enterprises.models import (
    AnnualReport,
    DomesticScope,
    Enterprise,
    IndustryGroup,
    MemberRole,
    Membership,
    RegistrationType,
)
from enterprises.validators import build_uscc

QUEUE = "benchmark"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", QUEUE]}}


class Command(BaseCommand):
    help = "Print tasks/second of one db worker and the submit request time with a slowed mail server."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tasks", type=int, default=300, help="tasks per measurement (default 300)")
        parser.add_argument("--submissions", type=int, default=5, help="submissions to time (default 5)")
        parser.add_argument("--mail-delay", type=float, default=5.0, help="seconds the mail server takes (default 5)")

    def handle(self, *, tasks: int, submissions: int, mail_delay: float, **options) -> None:
        with override_settings(TASKS=DATABASE_QUEUE, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            rate = self.throughput(lambda: noop.using(queue_name=QUEUE).enqueue(), tasks)
            self.stdout.write(f"empty task: {rate:.0f} tasks/s (one worker, {tasks} tasks)")
            email = send_email.using(queue_name=QUEUE)
            rate = self.throughput(lambda: email.enqueue(to=["x@example.org"], subject="Benchmark", body="."), tasks)
            self.stdout.write(f"email task (locmem backend): {rate:.0f} tasks/s (one worker, {tasks} tasks)")
        for delay in (0, mail_delay):
            with override_settings(
                TASKS=DATABASE_QUEUE,
                EMAIL_BACKEND="core.mail_backends.SlowEmailBackend",
                EMAIL_SLOW_SECONDS=delay,
                ALLOWED_HOSTS=["testserver"],
            ):
                times = self.submissions(submissions)
            self.stdout.write(
                f"submit request, mail server taking {delay:g} s: median {statistics.median(times):.0f} ms, "
                f"max {max(times):.0f} ms ({len(times)} submissions)"
            )

    def throughput(self, enqueue, count: int) -> float:
        for _ in range(count):
            enqueue()
        worker = Worker(
            queue_names=[QUEUE],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="benchmark",
            excluded_queue_names=[],
        )
        started = time.perf_counter()
        worker.run()
        elapsed = time.perf_counter() - started
        DBTaskResult.objects.filter(queue_name=QUEUE).delete()
        return count / elapsed

    def submissions(self, count: int) -> list[float]:
        started_at = timezone.now()
        suffix = get_random_string(8)
        with transaction.atomic():
            user = User.objects.create_user(f"benchmark-{suffix}", f"benchmark-{suffix}@example.org", None)
            serial = f"{int(time.time()) % 10**8:08d}"
            firm = Enterprise.objects.create(
                name_zh=f"基准测试公司{suffix}",
                name_en=f"Benchmark {suffix}",
                uscc=build_uscc("110108", serial),
                registration_type=RegistrationType.LIMITED_LIABILITY,
                industry_group=IndustryGroup.ELECTRONIC_INFORMATION,
                founded=timezone.localdate().replace(year=2005),
                province="北京",
                city="北京",
            )
            Membership.objects.create(user=user, enterprise=firm, role=MemberRole.OWNER)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        times = []
        try:
            for year in range(2014 - count + 1, 2015):
                AnnualReport.objects.create(
                    enterprise=firm,
                    year=year,
                    currency="CNY",
                    revenue_total=Decimal("50000000"),
                    revenue_foreign=Decimal("12000000"),
                    assets_total=Decimal("80000000"),
                    assets_foreign=Decimal("5000000"),
                    employees_total=200,
                    employees_foreign=12,
                    imports_total=Decimal("3000000"),
                    domestic_scope=DomesticScope.NATIONAL,
                )
                assessment = assessment_create(enterprise=firm, reference_year=year, actor=user)
                url = reverse("assessments:submit", args=[firm.pk, assessment.pk])
                started = time.perf_counter()
                response = client.post(url, secure=True)
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 302:
                    raise RuntimeError(f"submission answered {response.status_code}")
        finally:
            DBTaskResult.objects.filter(
                enqueued_at__gte=started_at,
                args_kwargs__kwargs__assessment_id__in=list(
                    Assessment.objects.filter(enterprise=firm).values_list("pk", flat=True)
                ),
            ).delete()
            Assessment.objects.filter(enterprise=firm).delete()
            firm.delete()
            user.delete()
        return times
