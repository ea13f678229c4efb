"""Time the import service on the configured database with N generated rows; everything is rolled back.

    python manage.py benchmark_import [--rows 20000] [--kind export_records] [--firms 1000]

Runs three imports of the same size in one throwaway transaction: new rows (create), the same rows again
(unchanged: nothing written) and the rows with changed values (update), plus CSV parsing of the file.
"""

import csv
import io
import resource
import time
import tracemalloc
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bulkimport.models import ImportKind
from bulkimport.parsing import read_table
from bulkimport.services import import_run, sha256_hex
from core.benchmarks import Rollback, machine_load
from core.plausibility import FIRST_YEAR, latest_record_year
from enterprises.models import Enterprise, ExportChannel, IndustryGroup, RegistrationType
from enterprises.validators import build_uscc

DESTINATIONS = [
    "US",
    "DE",
    "JP",
    "GB",
    "FR",
    "KR",
    "SG",
    "AU",
    "CA",
    "IT",
    "NL",
    "BR",
    "IN",
    "RU",
    "HK",
    "TW",
    "MO",
    "ES",
    "SE",
    "CH",
    "MY",
    "TH",
    "VN",
    "ID",
    "AE",
    "SA",
    "ZA",
    "MX",
    "PL",
    "TR",
]
CHANNELS = list(ExportChannel.values)
YEARS = list(range(2009, 2015))


def benchmark_uscc(serial: int) -> str:
    """A valid USCC in a region code no real Beijing firm uses (999999)."""
    return build_uscc("999999", f"{serial % 10**8:08d}")


class Command(BaseCommand):
    help = "Time a bulk import of N generated rows on the configured database (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=20_000)
        parser.add_argument("--kind", choices=ImportKind.values, default=ImportKind.EXPORT_RECORDS)
        parser.add_argument("--firms", type=int, default=0, help="firms the rows spread over (default: rows / 20)")

    def handle(self, *args, rows: int, kind: str, firms: int, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1.")
        firm_count = rows if kind == ImportKind.FIRMS else (firms or max(1, rows // 20))
        usccs = [benchmark_uscc(90_000_000 + i) for i in range(firm_count)]
        timings: list[tuple[str, float, str]] = []
        try:
            with transaction.atomic():
                if kind != ImportKind.FIRMS:
                    self._create_firms(usccs)
                data = self._rows(kind, rows, usccs, factor=Decimal(1))
                timings.append(self._csv_parse(data))
                for label, batch in (
                    ("create", data),
                    ("unchanged", data),
                    ("update", self._rows(kind, rows, usccs, factor=Decimal(2))),
                ):
                    start = time.perf_counter()
                    result = import_run(
                        kind=kind,
                        rows=batch,
                        actor=None,
                        dry_run=False,
                        file_name=f"benchmark-{label}.csv",
                        sha256="0" * 64,
                    )
                    elapsed = time.perf_counter() - start
                    if not result.ok:
                        raise CommandError(f"Import failed: {result.errors[:5]}")
                    timings.append(
                        (
                            f"import ({label})",
                            elapsed,
                            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}",
                        )
                    )
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"{connection.vendor}: {rows} {kind} rows over {firm_count} firms (rolled back)")
        self.stdout.write(f"  {machine_load()}")
        for label, seconds, detail in timings:
            self.stdout.write(f"  {label:<22} {seconds:7.2f} s  {detail}")
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        self.stdout.write(f"  peak memory (max RSS of the process): {peak_rss_mb:.0f} MB")

    def _create_firms(self, usccs: list[str]) -> None:
        existing = set(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", flat=True))
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    uscc=code,
                    name_zh=f"基准测试企业{i}",
                    registration_type=RegistrationType.PRIVATE,
                    industry_group=IndustryGroup.OTHER,
                )
                for i, code in enumerate(usccs)
                if code not in existing
            ],
            batch_size=1000,
        )

    def _rows(self, kind: str, count: int, usccs: list[str], *, factor: Decimal) -> list[dict[str, str]]:
        if kind == ImportKind.FIRMS:
            return [
                {
                    "uscc": code,
                    "name_zh": f"基准测试企业{i}",
                    "name_en": f"Benchmark {i}" if factor == 1 else "",
                    "registration_type": "llc",
                    "industry_group": "other",
                    "founded": "2005-06-01",
                    "province": "北京",
                    "city": "北京",
                }
                for i, code in enumerate(usccs[:count])
            ]
        per_firm = -(-count // len(usccs))
        report_years = latest_record_year(timezone.localdate()) - FIRST_YEAR + 1
        limit = report_years if kind == ImportKind.ANNUAL_REPORTS else len(YEARS) * len(CHANNELS) * len(DESTINATIONS)
        if per_firm > limit:
            raise CommandError(f"At most {limit} distinct {kind} per firm: pass more --firms.")
        rows = []
        for i in range(count):
            firm, n = divmod(i, per_firm)
            code = usccs[firm]
            if kind == ImportKind.ANNUAL_REPORTS:
                total = Decimal(1_000_000 + i) * factor
                rows.append(
                    {
                        "uscc": code,
                        "year": str(FIRST_YEAR + n % report_years),
                        "currency": "CNY",
                        "revenue_total": str(total),
                        "revenue_foreign": str(total / 4),
                        "assets_total": str(total * 2),
                        "assets_foreign": "0",
                        "employees_total": "100",
                        "employees_foreign": "3",
                        "imports_total": "1000.50",
                        "domestic_scope": "national",
                    }
                )
            else:
                year = YEARS[n % len(YEARS)]
                rest = n // len(YEARS)
                channel = CHANNELS[rest % len(CHANNELS)]
                destination = DESTINATIONS[(rest // len(CHANNELS)) % len(DESTINATIONS)]
                rows.append(
                    {
                        "uscc": code,
                        "year": str(year),
                        "destination": destination,
                        "channel": channel,
                        "currency": "CNY",
                        "value": str(Decimal(10_000 + i) * factor),
                    }
                )
        return rows

    def _csv_parse(self, rows: list[dict[str, str]]) -> tuple[str, float, str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        data = buffer.getvalue().encode("utf-8")
        tracemalloc.start()
        start = time.perf_counter()
        table = read_table(data)
        sha256_hex(data)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        detail = f"{len(table.rows)} rows, {len(data) / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB"
        return ("parse CSV", elapsed, detail)
