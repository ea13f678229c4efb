import io
import re

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_benchmark_prints_page_time_queries_and_sql_times(zone):
    out = io.StringIO()
    users = User.objects.count()
    call_command("benchmark_statistics", "--repeat", "1", "--firms", "4", stdout=out)
    text = out.getvalue()
    assert "Firms: 4 · annual reports: 6 · export records: 8" in text
    computed = text[text.index("figures computed") : text.index("figures from the cache")]
    assert "server time: median" in computed and re.search(r"· 1[34] queries", computed)  # + the token
    cached = text[text.index("figures from the cache") : text.index("framework's floor")]
    assert "server time: median" in cached
    for name in (
        "table1_imports",
        "table1_exports",
        "firm_imports",
        "firm_exports",
        "exports_by_destination",
        "stage_counts",
        "pct_by_year",
        "all aggregations",
    ):
        assert name in text
    assert User.objects.count() == users  # the temporary officer and its session are rolled back


def test_benchmark_refuses_another_firm_count(zone):
    with pytest.raises(CommandError, match=r"holds 4 firms, not 20,000\. Seed it first: .*seed_demo --firms 20000"):
        call_command("benchmark_statistics", "--firms", "20000", stdout=io.StringIO())


def test_benchmark_on_an_empty_database(db):
    out = io.StringIO()
    call_command("benchmark_statistics", "--repeat", "1", "--explain", stdout=out)
    assert "Firms: 0" in out.getvalue() and "breakdown year None" in out.getvalue()


def test_benchmark_times_every_download_and_checks_the_targets(zone):
    out = io.StringIO()
    call_command("benchmark_statistics", "--repeat", "1", stdout=out)
    text = out.getvalue()
    for name in ("trade.csv", "ownership.csv", "size_bands.csv", "industries.csv", "destinations.csv", "stages.csv"):
        assert f"  {name} " in text
    assert "  pct.csv " in text and "  statistics.xlsx " in text
    assert "Targets at park scale (20,000 firms):" in text
    assert "page ≤ 300.0 ms, figures computed: " in text and "stage_counts ≤ 50.0 ms: " in text
    assert "× with the figures from the cache; " in text
    assert text.count("load average") == 2 and "reference loop" in text
