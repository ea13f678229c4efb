"""The statistics page's figures come from a cache that every committed write of a figure makes unreachable
(`zone.freshness`): a repeat view computes nothing, and no write, whatever makes it, leaves a stale figure."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import Assessment, AssessmentStatus
from core.cache import statistics_cache_settings
from enterprises.models import Enterprise, ExportRecord, IndustryGroup
from reference.models import ExchangeRate, RegionalStatistic
from tests.factories import PctApplicationFactory
from tests.zone.conftest import M, export, report
from zone import freshness
from zone.forms import StatisticsFilters

CACHED_VIEW_QUERIES = 5  # session, user, groups, regional statistics (the filters form), the token
ATOMIC = pytest.mark.django_db(transaction=True)  # writes commit, as they do in production


class Boom(Exception):
    pass


@pytest.fixture(autouse=True)
def empty_cache():
    caches[freshness.CACHE].clear()
    yield
    caches[freshness.CACHE].clear()


def view(client) -> tuple[str, int]:
    """The figures of the statistics page (default filters) and the number of queries the view ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("zone:statistics"))
    assert response.status_code == 200
    return str(response.context["figures"]), len(queries)


def _new_report(zone):
    report(zone.b, 2011, imports=64 * M)


def _export_value(zone):
    ExportRecord.objects.filter(enterprise=zone.a, year=2014, destination="JP").update(value=120 * M)


def _firm_industry(zone):
    Enterprise.objects.filter(pk=zone.c.pk).update(industry_group=IndustryGroup.NEW_ENERGY)


def _exchange_rate(zone):
    ExchangeRate.objects.filter(currency="USD", year=2014).update(cny_per_unit=Decimal("6.5"))


def _assessment_verified(zone):
    Assessment.objects.filter(enterprise=zone.b, reference_year=2014).update(
        status=AssessmentStatus.VERIFIED, verified_stage=4
    )


def _pct_application(zone):
    PctApplicationFactory(enterprise=zone.c, filed=datetime.date(2014, 7, 1))


def _regional_statistic(zone):
    RegionalStatistic.objects.filter(region="Beijing", year=2014).update(imports=500 * M)


def _raw_sql_delete(zone):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ExportRecord._meta.db_table} WHERE enterprise_id = %s", [zone.e.pk])


def _firm_deleted(zone):
    Assessment.objects.filter(enterprise=zone.e).delete()  # they protect the firm
    zone.e.delete()


WRITES = [
    _new_report,
    _export_value,
    _firm_industry,
    _exchange_rate,
    _assessment_verified,
    _pct_application,
    _regional_statistic,
    _raw_sql_delete,
    _firm_deleted,
]


@ATOMIC
def test_a_repeat_view_comes_from_the_cache(zone, roles):
    computed, computing_queries = view(roles["officer"])
    cached, queries = view(roles["officer"])
    assert cached == computed
    assert queries == CACHED_VIEW_QUERIES < computing_queries


@ATOMIC
@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__.strip("_"))
def test_every_committed_write_of_a_figure_replaces_the_cached_figures(zone, roles, write):
    before, _ = view(roles["officer"])
    assert view(roles["officer"])[1] == CACHED_VIEW_QUERIES
    write(zone)
    after, queries = view(roles["officer"])
    assert after != before  # the write changed a figure, and the page shows it
    assert queries > CACHED_VIEW_QUERIES
    caches[freshness.CACHE].clear()
    assert view(roles["officer"])[0] == after  # exactly what a view without the cache computes


@ATOMIC
def test_a_rolled_back_write_leaves_the_token(zone):
    token = freshness.current_token()
    assert token
    with pytest.raises(Boom), transaction.atomic():
        export(zone.a, 2014, "FR", M)
        raise Boom
    assert freshness.current_token() == token
    export(zone.a, 2014, "FR", M)
    assert freshness.current_token() not in (None, token)


@pytest.mark.django_db
def test_every_migrate_replaces_the_token():
    """Run once per release: what the previous code cached is not served by the new one."""
    token = freshness.current_token()
    call_command("migrate", verbosity=0)
    assert freshness.current_token() not in (None, token)


@ATOMIC
def test_figures_computed_while_a_write_commits_are_not_kept(zone):
    built = []

    def build() -> str:
        built.append(len(built) + 1)
        if len(built) == 1:
            export(zone.a, 2014, "FR", M)  # committed while the first view computes
        return f"figures {len(built)}"

    filters = StatisticsFilters()
    assert freshness.cached_figures(filters, build) == "figures 1"
    assert freshness.cached_figures(filters, build) == "figures 2"  # the first was not kept: built again
    assert freshness.cached_figures(filters, build) == "figures 2"


@ATOMIC
def test_filters_and_languages_have_their_own_figures(zone):
    def build() -> str:
        return f"{translation.get_language()} {len(built)}"

    built: list = []
    for filters, language in [
        (StatisticsFilters(), "en"),
        (StatisticsFilters(currency="CNY"), "en"),
        (StatisticsFilters(), "zh-hans"),
    ]:
        with translation.override(language):
            built.append(freshness.cached_figures(filters, build))
    assert built == ["en 0", "en 1", "zh-hans 2"]
    with translation.override("en"):
        assert freshness.cached_figures(StatisticsFilters(), build) == "en 0"


@pytest.mark.django_db
def test_a_transaction_sees_its_own_uncommitted_figures(zone, roles):
    """Tests run in a transaction never committed, like a request that writes before it reads."""
    before, _ = view(roles["officer"])
    export(zone.a, 2014, "FR", 100 * M)
    after, _ = view(roles["officer"])
    assert after != before
    if connection.vendor == "postgresql":
        assert freshness.current_token() is None  # it has written figures: no cache


@pytest.mark.django_db
def test_the_triggers_are_those_of_the_code(zone):
    assert freshness.installed(connection) == freshness.expected(connection.vendor)
    try:
        freshness.uninstall(connection)
        assert freshness.installed(connection) == {}
        with pytest.raises(CommandError, match="triggers of the statistics cache token are missing"):
            call_command("zone_totals", "--check", stdout=io.StringIO())
    finally:
        freshness.install(connection)
    assert freshness.stale_triggers(connection) == []
    call_command("zone_totals", "--check", stdout=io.StringIO())


def test_the_cache_is_redis_when_configured():
    assert statistics_cache_settings("")["OPTIONS"] == {"MAX_ENTRIES": 200}
    shared = statistics_cache_settings("redis://127.0.0.1:6379/0")
    assert shared["BACKEND"] == "django.core.cache.backends.redis.RedisCache" and shared["KEY_PREFIX"] == "statistics"
