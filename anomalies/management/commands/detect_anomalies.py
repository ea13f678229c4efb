"""Checks every firm and stores its anomalies (after loading data in bulk, e.g. seed_demo, or from cron)."""

import time

from django.core.management.base import BaseCommand

from anomalies import services


class Command(BaseCommand):
    help = "Detects the anomalies of every firm (DESIGN section 8) and stores them for the officers' list."

    def handle(self, *args, **options):
        started = time.perf_counter()
        found = services.findings_refresh()
        self.stdout.write(f"{found:,} anomalies stored in {(time.perf_counter() - started) * 1000:,.0f} ms.")
