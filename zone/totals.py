"""Database triggers that keep the zone totals (`zone.models`) equal to the records, in every write's transaction.

Every statement that writes annual reports, export records, firms (registration type, industry group) or
exchange rates also adds its rows' contribution to the totals and takes the old rows' contribution away:

- annual report: its report total; and the export totals of its firm and year, whose size band it sets;
- export record: its export total (band from the firm's annual report of that year) and destination total;
- firm: the count of firms by registration type and industry group; a change of either moves all its totals;
  a firm deleted before its records takes them away (a record counts while both it and its firm exist);
- exchange rate: the size bands of its year change, so the report and export totals of that year are rebuilt;
- assessment: the count of verified assessments per year, registration type and industry group.

One definition, two dialects. PostgreSQL runs statement-level triggers with transition tables: one aggregated
statement per write statement, whatever its number of rows (a bulk insert of 2,000 export records costs one
upsert of their few dozen totals, not 2,000), each planned with the real row count (EXECUTE). SQLite runs
row-level triggers whose rows are the one OLD or NEW row. Additions are upserts; subtractions only update
existing totals, so a table flushed in any order (Django's test teardown on SQLite) leaves no stray rows.

The size band rule is `assessments.models.SIZE_BAND_BOUNDS`, written into the trigger SQL: a change to it
needs a migration that runs `install` and `rebuild` again (a test compares the installed SQL with this code).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.backends.base.base import BaseDatabaseWrapper

from assessments.models import SIZE_BAND_BOUNDS, Assessment, AssessmentStatus, SizeBand
from core.db import analyze, execute_each
from enterprises.models import AnnualReport, Enterprise, ExportRecord
from reference.models import ExchangeRate
from zone.models import UNKNOWN_BAND, DestinationTotal, ExportTotal, FirmTotal, ReportTotal, VerifiedTotal

REPORTS = AnnualReport._meta.db_table
EXPORTS = ExportRecord._meta.db_table
FIRMS = Enterprise._meta.db_table
RATES = ExchangeRate._meta.db_table
ASSESSMENTS = Assessment._meta.db_table
PREFIX = "zone_totals"

# The columns each trigger reads from its table's rows (the first is the primary key).
COLUMNS = {
    REPORTS: ("id", "enterprise_id", "year", "currency", "revenue_total", "imports_total"),
    EXPORTS: ("id", "enterprise_id", "year", "currency", "value", "destination"),
    FIRMS: ("id", "registration_type", "industry_group"),
    RATES: ("id", "currency", "year", "cny_per_unit"),
    ASSESSMENTS: ("id", "enterprise_id", "reference_year", "status"),
}
CELL = ("year", "registration_type", "industry_group")


@dataclass(frozen=True)
class Total:
    """A totals table: its key columns, its count column and its amount column (None: a count only)."""

    table: str
    keys: tuple[str, ...]
    count: str
    amount: str | None = None


REPORT_TOTAL = Total(ReportTotal._meta.db_table, (*CELL, "band", "currency"), "reports", "imports_total")
EXPORT_TOTAL = Total(ExportTotal._meta.db_table, (*CELL, "band", "currency"), "records", "exports_total")
DESTINATION_TOTAL = Total(
    DestinationTotal._meta.db_table, (*CELL, "destination", "currency"), "records", "exports_total"
)
FIRM_TOTAL = Total(FirmTotal._meta.db_table, ("registration_type", "industry_group"), "firms")
VERIFIED_TOTAL = Total(VerifiedTotal._meta.db_table, CELL, "assessments")
TOTALS = (REPORT_TOTAL, EXPORT_TOTAL, DESTINATION_TOTAL, FIRM_TOTAL, VERIFIED_TOTAL)


def band_sql(revenue: str, currency: str, rate: str) -> str:
    """SQL: the size band of a revenue converted to CNY with its currency's rate of the year (`rate`, NULL when
    there is none): `assessments.models.SIZE_BAND_BOUNDS`, UNKNOWN_BAND without a revenue or a rate."""
    cny = f"(CASE WHEN {currency} = 'CNY' THEN {revenue} ELSE {revenue} * {rate} END)"
    whens = [f"WHEN {revenue} IS NULL THEN '{UNKNOWN_BAND}'", f"WHEN {cny} IS NULL THEN '{UNKNOWN_BAND}'"]
    whens += [f"WHEN {cny} < {_number(bound)} THEN '{band}'" for band, bound in SIZE_BAND_BOUNDS]
    return f"CASE {' '.join(whens)} ELSE '{SizeBand.OVER_1B.value}' END"


def _number(value: Decimal) -> str:
    return format(value, "f")


# --- the rows each total sums, from any sources of records, firms and annual reports -------------------------


def report_rows(reports: str, firms: str = FIRMS) -> str:
    return (
        f"SELECT r.year AS year, f.registration_type AS registration_type, f.industry_group AS industry_group, "
        f"{band_sql('r.revenue_total', 'r.currency', 'x.cny_per_unit')} AS band, r.currency AS currency, "
        f"r.imports_total AS amount "
        f"FROM {reports} r JOIN {firms} f ON f.id = r.enterprise_id "
        f"LEFT JOIN {RATES} x ON x.currency = r.currency AND x.year = r.year"
    )


def export_rows(exports: str, firms: str = FIRMS, reports: str = REPORTS) -> str:
    return (
        f"SELECT e.year AS year, f.registration_type AS registration_type, f.industry_group AS industry_group, "
        f"{band_sql('r.revenue_total', 'r.currency', 'x.cny_per_unit')} AS band, e.currency AS currency, "
        f"e.value AS amount "
        f"FROM {exports} e JOIN {firms} f ON f.id = e.enterprise_id "
        f"LEFT JOIN {reports} r ON r.enterprise_id = e.enterprise_id AND r.year = e.year "
        f"LEFT JOIN {RATES} x ON x.currency = r.currency AND x.year = e.year"
    )


def destination_rows(exports: str, firms: str = FIRMS) -> str:
    return (
        f"SELECT e.year AS year, f.registration_type AS registration_type, f.industry_group AS industry_group, "
        f"e.destination AS destination, e.currency AS currency, e.value AS amount "
        f"FROM {exports} e JOIN {firms} f ON f.id = e.enterprise_id"
    )


def firm_rows(firms: str) -> str:
    return f"SELECT f.registration_type AS registration_type, f.industry_group AS industry_group FROM {firms} f"


def verified_rows(assessments: str, firms: str = FIRMS) -> str:
    return (
        f"SELECT a.reference_year AS year, f.registration_type AS registration_type, "
        f"f.industry_group AS industry_group FROM {assessments} a JOIN {firms} f ON f.id = a.enterprise_id "
        f"WHERE a.status = '{AssessmentStatus.VERIFIED.value}'"
    )


def grouped(total: Total, rows: str) -> str:
    """Count (and Σ amount) of `rows` per total: the key columns, then n (and amount)."""
    keys = ", ".join(f"c.{key}" for key in total.keys)
    amount = ", SUM(c.amount) AS amount" if total.amount else ""
    return f"SELECT {keys}, COUNT(*) AS n{amount} FROM ({rows}) c WHERE 1 = 1 GROUP BY {keys} ORDER BY {keys}"


def _assignments(total: Total, sign: str, source: str) -> str:
    """count = count ± source's, amount likewise; `excluded` (an upsert's row) names its values by column, the
    grouped rows of `subtract` by n and amount."""
    columns = [(total.count, "n")] + ([(total.amount, "amount")] if total.amount else [])
    return ", ".join(
        f"{column} = {total.table}.{column} {sign} {source}.{column if source == 'excluded' else value}"
        for column, value in columns
    )


def add(total: Total, rows: str) -> str:
    keys = ", ".join(total.keys)
    columns = ", ".join([total.count] + ([total.amount] if total.amount else []))
    return (
        f"INSERT INTO {total.table} ({keys}, {columns}) {grouped(total, rows)} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {_assignments(total, '+', 'excluded')}"
    )


def subtract(total: Total, rows: str) -> str:
    match = " AND ".join(f"{total.table}.{key} = d.{key}" for key in total.keys)
    return f"UPDATE {total.table} SET {_assignments(total, '-', 'd')} FROM ({grouped(total, rows)}) d WHERE {match}"


# --- what each write does to the totals; `old` and `new` are row sources (None: the event has none) ----------


def report_statements(old: str | None, new: str | None) -> list[str]:
    sides = [side for side in (old, new) if side is not None]
    firm_years = " UNION ".join(f"SELECT s.enterprise_id, s.year FROM {side} s" for side in sides)
    exports = (
        f"(SELECT e.* FROM {EXPORTS} e JOIN ({firm_years}) k ON k.enterprise_id = e.enterprise_id AND k.year = e.year)"
    )
    nothing = f"(SELECT * FROM {REPORTS} WHERE 1 = 0)"
    statements = []
    if old is not None:
        statements.append(subtract(REPORT_TOTAL, report_rows(old)))
    if new is not None:
        statements.append(add(REPORT_TOTAL, report_rows(new)))
    # The band of the firm's exports that year is the report's: move them from the old band to the new one.
    statements.append(subtract(EXPORT_TOTAL, export_rows(exports, reports=old or nothing)))
    statements.append(add(EXPORT_TOTAL, export_rows(exports, reports=new or nothing)))
    return statements


def export_statements(old: str | None, new: str | None) -> list[str]:
    statements = []
    for statement, side in ((subtract, old), (add, new)):
        if side is not None:
            statements += [
                statement(EXPORT_TOTAL, export_rows(side)),
                statement(DESTINATION_TOTAL, destination_rows(side)),
            ]
    return statements


def firm_statements(old: str | None, new: str | None) -> list[str]:
    statements = []
    for statement, side in ((subtract, old), (add, new)):
        if side is not None:
            statements += [
                statement(FIRM_TOTAL, firm_rows(side)),
                statement(REPORT_TOTAL, report_rows(REPORTS, firms=side)),
                statement(EXPORT_TOTAL, export_rows(EXPORTS, firms=side)),
                statement(DESTINATION_TOTAL, destination_rows(EXPORTS, firms=side)),
                statement(VERIFIED_TOTAL, verified_rows(ASSESSMENTS, firms=side)),
            ]
    return statements


def assessment_statements(old: str | None, new: str | None) -> list[str]:
    statements = []
    for statement, side in ((subtract, old), (add, new)):
        if side is not None:
            statements.append(statement(VERIFIED_TOTAL, verified_rows(side)))
    return statements


def rate_statements(old: str | None, new: str | None) -> list[str]:
    years = " UNION ".join(f"SELECT s.year FROM {side} s" for side in (old, new) if side is not None)
    return [
        f"DELETE FROM {REPORT_TOTAL.table} WHERE year IN ({years})",
        add(REPORT_TOTAL, report_rows(f"(SELECT * FROM {REPORTS} WHERE year IN ({years}))")),
        f"DELETE FROM {EXPORT_TOTAL.table} WHERE year IN ({years})",
        add(EXPORT_TOTAL, export_rows(f"(SELECT * FROM {EXPORTS} WHERE year IN ({years}))")),
    ]


@dataclass(frozen=True)
class Trigger:
    table: str
    event: str  # INSERT, UPDATE or DELETE
    statements: Callable[[str | None, str | None], list[str]]
    watched: tuple[str, ...]  # an UPDATE that changes none of these columns changes no total

    @property
    def name(self) -> str:
        return f"{PREFIX}_{self.table}_{self.event.lower()}"


def _triggers() -> list[Trigger]:
    triggers = []
    for table, statements in (
        (REPORTS, report_statements),
        (EXPORTS, export_statements),
        (FIRMS, firm_statements),
        (RATES, rate_statements),
        (ASSESSMENTS, assessment_statements),
    ):
        triggers += [Trigger(table, event, statements, COLUMNS[table]) for event in ("INSERT", "UPDATE", "DELETE")]
    return triggers


TRIGGERS = _triggers()


# --- the two dialects ------------------------------------------------------------------------------------------


def _postgresql_side(trigger: Trigger, side: str) -> str | None:
    """old_rows / new_rows (the transition tables); for an UPDATE only the rows whose watched columns changed.

    The two sides of an UPDATE are matched on the primary key (a hash join, linear in the rows): comparing every
    watched column in a NOT EXISTS cannot be hashed (IS NOT DISTINCT FROM), and its nested loop made a bulk
    update of 2,000 rows compare 4,000,000 pairs.
    """
    if (side == "old" and trigger.event == "INSERT") or (side == "new" and trigger.event == "DELETE"):
        return None
    rows = f"{side}_rows"
    if trigger.event != "UPDATE":
        return rows
    other = "new_rows" if side == "old" else "old_rows"
    key, *values = trigger.watched
    changed = " OR ".join(f"o.{column} IS DISTINCT FROM s.{column}" for column in values)
    return f"(SELECT s.* FROM {rows} s LEFT JOIN {other} o ON o.{key} = s.{key} WHERE o.{key} IS NULL OR {changed})"


def _postgresql(trigger: Trigger) -> list[str]:
    old, new = _postgresql_side(trigger, "old"), _postgresql_side(trigger, "new")
    body = "".join(f"EXECUTE $sql${statement}$sql$; " for statement in trigger.statements(old, new))
    if trigger.event == "UPDATE":  # most updates change no watched column: then nothing to do
        body = f"IF EXISTS (SELECT 1 FROM {old} s) OR EXISTS (SELECT 1 FROM {new} s) THEN {body}END IF; "
    referencing = " ".join(
        f"{side.upper()} TABLE AS {side}_rows" for side, rows in (("old", old), ("new", new)) if rows is not None
    )
    return [
        f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$body$ BEGIN {body}RETURN NULL; END $body$",
        f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}",
        f"CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {trigger.name}()",
    ]


def _sqlite_side(trigger: Trigger, side: str) -> str | None:
    if (side == "old" and trigger.event == "INSERT") or (side == "new" and trigger.event == "DELETE"):
        return None
    row = side.upper()
    return "(SELECT " + ", ".join(f"{row}.{column} AS {column}" for column in trigger.watched) + ")"


def _sqlite(trigger: Trigger) -> list[str]:
    old, new = _sqlite_side(trigger, "old"), _sqlite_side(trigger, "new")
    body = "".join(f"{statement}; " for statement in trigger.statements(old, new))
    event = trigger.event
    if event == "UPDATE":
        changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in trigger.watched)
        event = f"UPDATE OF {', '.join(trigger.watched)}"
        condition = f" WHEN {changed}"
    else:
        condition = ""
    return [
        f"DROP TRIGGER IF EXISTS {trigger.name}",
        f"CREATE TRIGGER {trigger.name} AFTER {event} ON {trigger.table} FOR EACH ROW{condition} BEGIN {body}END",
    ]


def install_sql(vendor: str) -> list[str]:
    """The statements that (re)create every trigger."""
    if vendor == "postgresql":
        return [sql for trigger in TRIGGERS for sql in _postgresql(trigger)]
    if vendor == "sqlite":
        return [sql for trigger in TRIGGERS for sql in _sqlite(trigger)]
    raise NotImplementedError(f"The zone totals have triggers for PostgreSQL and SQLite, not {vendor}.")


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            sql
            for trigger in TRIGGERS
            for sql in (
                f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}",
                f"DROP FUNCTION IF EXISTS {trigger.name}()",
            )
        ]
    return [f"DROP TRIGGER IF EXISTS {trigger.name}" for trigger in TRIGGERS]


def rebuild_sql() -> list[str]:
    """Every total computed again from the records (a few seconds at 200,000 firms)."""
    return [f"DELETE FROM {total.table}" for total in TOTALS] + [add(total, rows) for total, rows in _from_records()]


def _from_records() -> list[tuple[Total, str]]:
    """Each total with the rows it sums, from the tables themselves."""
    return [
        (REPORT_TOTAL, report_rows(REPORTS)),
        (EXPORT_TOTAL, export_rows(EXPORTS)),
        (DESTINATION_TOTAL, destination_rows(EXPORTS)),
        (FIRM_TOTAL, firm_rows(FIRMS)),
        (VERIFIED_TOTAL, verified_rows(ASSESSMENTS)),
    ]


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re)create the triggers and compute every total from the records."""
    execute_each(connection, install_sql(connection.vendor))
    rebuild(connection)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    execute_each(connection, uninstall_sql(connection.vendor))


def rebuild(connection: BaseDatabaseWrapper) -> None:
    """Every total computed again from the records, then the planner's statistics of the totals refreshed."""
    execute_each(connection, rebuild_sql())
    analyze(ReportTotal, ExportTotal, DestinationTotal, FirmTotal, VerifiedTotal)


def installed_sql(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """Name → definition of the zone totals' triggers (SQLite) or trigger functions (PostgreSQL) in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE proname LIKE %s", [f"{PREFIX}%"])
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{PREFIX}%"]
            )
        return dict(cursor.fetchall())


def expected_sql(vendor: str) -> dict[str, str]:
    """Name → the definition `installed_sql` should find, from this code."""
    if vendor == "postgresql":
        return {trigger.name: _postgresql(trigger)[0].split("$body$")[1] for trigger in TRIGGERS}
    return {trigger.name: _sqlite(trigger)[1] for trigger in TRIGGERS}


def stale_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The triggers missing from the database or installed from other code (a migration that was not run)."""
    installed = installed_sql(connection)
    return sorted(name for name, sql in expected_sql(connection.vendor).items() if installed.get(name) != sql)


def differences(connection: BaseDatabaseWrapper, limit: int = 20) -> list[str]:
    """The totals that differ from the records (at most `limit`), as text; empty when all agree."""
    found = []
    with connection.cursor() as cursor:
        for total, rows in _from_records():
            cursor.execute(grouped(total, rows))
            expected = {tuple(row[: len(total.keys)]): _figures(row[len(total.keys) :]) for row in cursor.fetchall()}
            columns = ", ".join([*total.keys, total.count] + ([total.amount] if total.amount else []))
            cursor.execute(f"SELECT {columns} FROM {total.table} WHERE {total.count} <> 0")
            stored = {tuple(row[: len(total.keys)]): _figures(row[len(total.keys) :]) for row in cursor.fetchall()}
            for key in sorted(set(expected) | set(stored), key=str):
                if expected.get(key) != stored.get(key):
                    found.append(f"{total.table} {key}: the records give {expected.get(key)}, stored {stored.get(key)}")
    return found[:limit]


def _figures(values) -> tuple:
    """(count,) or (count, amount to the cent): SQLite sums money as floating point."""
    count, *amount = values
    return (int(count), *(round(Decimal(str(value)), 2) for value in amount))
