"""`manage.py benchmark_scoring [--profiles N] [--seed S]`: time the pure scoring engine on synthetic profiles.

Profiles are random but deterministic for a seed, shaped like the zone's firms: most export to a few
markets, some have establishments, PCT applications, certifications and publications abroad.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.scoring import CHANNELS, ESTABLISHMENT_KINDS, parse_profile, score

MARKETS = [
    "US",
    "HK",
    "JP",
    "KR",
    "DE",
    "GB",
    "FR",
    "SG",
    "TW",
    "IN",
    "RU",
    "AU",
    "CA",
    "NL",
    "IT",
    "BR",
    "VN",
    "MY",
    "TH",
    "ID",
    "AE",
    "SA",
    "ZA",
    "MX",
    "ES",
]
CERTIFICATION_SCHEMES = ["CE", "FDA_510K", "UL", "ISO_9001", "ISO_13485", "ISO_14001", "ISO_IEC_27001", "CMMI"]


def _day(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=rng.randrange((date(last, 12, 31) - start).days + 1))


def synthetic_profile(rng: random.Random, year: int = 2014) -> dict[str, Any]:
    """One realistic section 7 profile JSON for `year`."""
    revenue = rng.randrange(1_000_000, 2_000_000_000)
    assets = rng.randrange(1_000_000, 3_000_000_000)
    employees = rng.randrange(5, 5_000)
    exporting = rng.random() < 0.6
    foreign_share = rng.random() * 0.8 if exporting else 0.0
    markets = rng.sample(MARKETS, rng.choice([1, 1, 2, 3, 4, 6, 10])) if exporting else []
    exports = [
        {
            "country": market,
            "channel": rng.choices(CHANNELS, weights=[5, 4, 1])[0],
            "value": f"{rng.randrange(0, 50_000_000)}.{rng.randrange(100):02d}",
        }
        for market in markets
    ]
    establishments = []
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
        opened = _day(rng, 2005, year + 1)
        closed = _day(rng, opened.year, year + 2) if rng.random() < 0.2 else None
        establishments.append(
            {
                "country": rng.choice(MARKETS),
                "kind": rng.choices(ESTABLISHMENT_KINDS, weights=[3, 4, 2, 1, 1])[0],
                "opened": opened.isoformat(),
                "closed": closed.isoformat() if closed and closed >= opened else None,
            }
        )
    pct = [
        {
            "number": f"PCT/CN{filed.year}/{index:06d}",
            "filed": filed.isoformat(),
            "national_phase": rng.sample(["US", "EP", "JP", "KR"], rng.randrange(3)),
        }
        for index, filed in enumerate(_day(rng, year - 1, year) for _ in range(rng.choice([0, 0, 0, 1, 2, 5])))
    ]
    certifications = []
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        issued = _day(rng, year - 5, year + 1)
        expires = issued + timedelta(days=365 * 3) if rng.random() < 0.7 else None
        certifications.append(
            {
                "scheme": rng.choice(CERTIFICATION_SCHEMES),
                "issued": issued.isoformat(),
                "expires": expires.isoformat() if expires else None,
            }
        )
    return {
        "reference_year": year,
        "domestic_scope": rng.choice(["local", "national"]),
        "revenue_total": str(revenue),
        "revenue_foreign": str(int(revenue * foreign_share)),
        "assets_total": str(assets),
        "assets_foreign": str(int(assets * foreign_share / 3)),
        "employees_total": employees,
        "employees_foreign": int(employees * foreign_share / 4),
        "exports": exports,
        "establishments": establishments,
        "pct_applications": pct,
        "certifications": certifications,
        "publications_abroad": rng.choice([0, 0, 0, 1, 2, 4, 8]),
    }


class Command(BaseCommand):
    help = "Score N synthetic profiles in memory and report profiles scored per second."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profiles", type=int, default=20_000, metavar="N", help="number of profiles (20000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["profiles"]
        if count < 1:
            raise CommandError("--profiles must be at least 1", returncode=2)
        rng = random.Random(options["seed"])
        data = [synthetic_profile(rng) for _ in range(count)]

        started = time.perf_counter()
        profiles = [parse_profile(item) for item in data]
        parsed = time.perf_counter() - started

        started = time.perf_counter()
        totals = [score(profile)["total"] for profile in profiles]
        scored = time.perf_counter() - started

        self.stdout.write(f"parsed {count} profiles in {parsed:.2f} s ({count / parsed:.0f} profiles/s)")
        self.stdout.write(f"scored {count} profiles in {scored:.2f} s ({count / scored:.0f} profiles/s)")
        self.stdout.write(f"checksum: sum of totals {sum(map(Decimal, totals))}")
