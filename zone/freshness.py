"""The statistics page's figures kept in a cache that never shows stale ones.

The database keeps a token (`zone.models.StatisticsVersion`) that every committed write of anything the page's
figures come from replaces, whatever made the write (forms, API, bulk import, seed, admin, raw SQL): triggers
on the records, firms, assessments, PCT applications, exchange rates, regional statistics and the zone totals.
The page's figures are cached under the token, so a write makes every cached figure unreachable in the
transaction that commits it; nothing is ever deleted from the cache, the entries of old tokens expire. Every
`migrate` replaces the token too (`zone.apps`): a new release never serves what the previous code computed.

PostgreSQL: a statement trigger marks the transaction (a transaction-local setting) and, the first time, adds
one row to `zone.models.StatisticsChange`, whose deferred trigger replaces the token at commit. The token's row
is thus locked only while its transaction commits, not from its first write on (which would make every write
of the site wait for the longest transaction writing figures). A transaction that has itself written figures
reads them uncommitted: it reads no token and bypasses the cache. SQLite (one writer at a time) replaces the
token at each written row.

A reader takes the token before and after computing the figures and stores them only if it has not changed:
no write committed meanwhile, so every query saw the state the token names. A rolled-back transaction's
token is never seen again (tokens are random, not counted), so a rollback cannot bring back a stale entry.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import get_language

from assessments.models import Assessment
from core.db import execute_each
from enterprises.models import AnnualReport, Enterprise, ExportRecord, PctApplication
from reference.models import ExchangeRate, RegionalStatistic
from zone.forms import StatisticsFilters
from zone.models import (
    DestinationTotal,
    ExportTotal,
    FirmTotal,
    ReportTotal,
    StatisticsChange,
    StatisticsVersion,
    VerifiedTotal,
)

EVENTS = ("INSERT", "UPDATE", "DELETE")
CACHE = "statistics"  # the cache alias (config/settings.py)
PREFIX = "zone_statistics"
WRITTEN = f"{PREFIX}_written"  # PostgreSQL: statement trigger function; SQLite: row trigger prefix
COMMITTED = f"{PREFIX}_committed"  # PostgreSQL: the deferred trigger that replaces the token
SETTING = "zone.statistics_written"  # transaction-local: this transaction has written figures
VERSION = StatisticsVersion._meta.db_table
CHANGES = StatisticsChange._meta.db_table
WATCHED = tuple(
    model._meta.db_table
    for model in (
        Enterprise,
        AnnualReport,
        ExportRecord,
        PctApplication,
        Assessment,
        ExchangeRate,
        RegionalStatistic,
        ReportTotal,
        ExportTotal,
        DestinationTotal,
        FirmTotal,
        VerifiedTotal,
    )
)


def _new_token_sql(random_hex: str) -> str:
    return (
        f"INSERT INTO {VERSION} (id, token) VALUES (1, {random_hex}) "
        f"ON CONFLICT (id) DO UPDATE SET token = excluded.token"
    )


POSTGRESQL_TOKEN = "replace(gen_random_uuid()::text, '-', '')"
SQLITE_TOKEN = "lower(hex(randomblob(16)))"


def _postgresql_functions() -> dict[str, str]:
    """Name → body of the two trigger functions."""
    return {
        WRITTEN: (
            f" BEGIN IF current_setting('{SETTING}', true) IS DISTINCT FROM 'on' THEN "
            f"PERFORM set_config('{SETTING}', 'on', true); INSERT INTO {CHANGES} DEFAULT VALUES; END IF; "
            f"RETURN NULL; END "
        ),
        COMMITTED: (
            f" BEGIN {_new_token_sql(POSTGRESQL_TOKEN)}; DELETE FROM {CHANGES} WHERE id = NEW.id; RETURN NULL; END "
        ),
    }


def _sqlite_triggers() -> list[tuple[str, str, str]]:
    """(table, trigger name, CREATE TRIGGER) of every row trigger."""
    triggers = []
    for table in WATCHED:
        for event in EVENTS:
            name = f"{WRITTEN}_{table}_{event.lower()}"
            body = _new_token_sql(SQLITE_TOKEN)
            triggers.append(
                (table, name, f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body}; END")
            )
    return triggers


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body${body}$body$"
            for name, body in _postgresql_functions().items()
        ]
        for table in WATCHED:
            statements += [
                f"DROP TRIGGER IF EXISTS {WRITTEN} ON {table}",
                f"CREATE TRIGGER {WRITTEN} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {WRITTEN}()",
            ]
        return [
            *statements,
            f"DROP TRIGGER IF EXISTS {COMMITTED} ON {CHANGES}",
            f"CREATE CONSTRAINT TRIGGER {COMMITTED} AFTER INSERT ON {CHANGES} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW EXECUTE FUNCTION {COMMITTED}()",
        ]
    if vendor == "sqlite":
        statements = []
        for _table, name, sql in _sqlite_triggers():
            statements += [f"DROP TRIGGER IF EXISTS {name}", sql]
        return statements
    raise NotImplementedError(f"The statistics token has triggers for PostgreSQL and SQLite, not {vendor}.")


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {WRITTEN} ON {table}" for table in WATCHED),
            f"DROP TRIGGER IF EXISTS {COMMITTED} ON {CHANGES}",
            *(f"DROP FUNCTION IF EXISTS {name}()" for name in _postgresql_functions()),
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for _table, name, _sql in _sqlite_triggers()]


def replace_token(connection: BaseDatabaseWrapper) -> None:
    token = POSTGRESQL_TOKEN if connection.vendor == "postgresql" else SQLITE_TOKEN
    execute_each(connection, [_new_token_sql(token)])


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re)create the triggers, and a first token."""
    execute_each(connection, install_sql(connection.vendor))
    replace_token(connection)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    execute_each(connection, uninstall_sql(connection.vendor))


def installed(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """What the database holds of the token's triggers: `table: trigger` (PostgreSQL: and `function: name`) →
    its definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname || ': ' || t.tgname, '' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname IN (%s, %s) "
                "UNION ALL SELECT 'function: ' || proname, prosrc FROM pg_proc WHERE proname IN (%s, %s)",
                [WRITTEN, COMMITTED, WRITTEN, COMMITTED],
            )
        else:
            cursor.execute(
                "SELECT tbl_name || ': ' || name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{WRITTEN}%"],
            )
        return dict(cursor.fetchall())


def expected(vendor: str) -> dict[str, str]:
    """What `installed` should find, from this code."""
    if vendor == "postgresql":
        triggers = {f"{table}: {WRITTEN}": "" for table in WATCHED} | {f"{CHANGES}: {COMMITTED}": ""}
        return triggers | {f"function: {name}": body for name, body in _postgresql_functions().items()}
    return {f"{table}: {name}": sql for table, name, sql in _sqlite_triggers()}


def stale_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The token's triggers missing from the database or installed from other code (a migration not run)."""
    found = installed(connection)
    return sorted(name for name, sql in expected(connection.vendor).items() if found.get(name) != sql)


# --- reading -------------------------------------------------------------------------------------------------


def current_token() -> str | None:
    """The committed token; None when this transaction has written figures itself (PostgreSQL), or without one."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT (SELECT token FROM {VERSION} WHERE id = 1), current_setting(%s, true)", [SETTING])
            token, written = cursor.fetchone()
            return None if written == "on" else token
        cursor.execute(f"SELECT token FROM {VERSION} WHERE id = 1")
        row = cursor.fetchone()
        return row[0] if row else None


def cached_figures(filters: StatisticsFilters, build: Callable[[], str]) -> str:
    """The figures for `filters` (`build` renders them) from the cache, or built and cached under the token.

    The key holds the token, the filters, the language and the day (a new year changes the years shown)."""
    token = current_token()
    if token is None:
        return build()
    parts = [token, repr(filters), get_language() or "", timezone.localdate().isoformat()]
    key = "zone-statistics:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    cache = caches[CACHE]
    figures = cache.get(key)
    if figures is None:
        figures = build()
        if current_token() == token:
            cache.set(key, figures)
    return figures
