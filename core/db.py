"""Database helpers every app may use."""

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper


def execute_each(database: BaseDatabaseWrapper, statements: list[str]) -> None:
    """Run SQL statements one after the other (DDL of triggers, rebuilds) on `database`."""
    with database.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze(*tables: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics of tables a bulk write just filled (elsewhere nothing to do).

    Without it a freshly seeded, imported or ranked table keeps the statistics of its empty self until
    autovacuum gets to it, and the planner picks per-row plans that take seconds at the park's size.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def copy_insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert unsaved `objs` as bulk_create would, without setting their primary keys: on PostgreSQL by COPY.

    COPY passes the prepared rows without building a statement of them, several times faster than
    bulk_create for hundreds of thousands of rows."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=2000)
        return
    fields = _inserted_fields(model)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row(_prepared(obj, fields))


def insert_returning(model: type[models.Model], objs: list[models.Model], *, batch_size: int) -> list[int]:
    """INSERT … VALUES … RETURNING in batches of at most `batch_size` rows: the new rows' primary keys, in the
    order of `objs`, also set on the objects (as bulk_create sets them).

    On PostgreSQL bulk_create sends one array per column instead, dumped value by value in Python, several
    times slower."""
    if connection.vendor not in ("postgresql", "sqlite") or not connection.features.can_return_rows_from_bulk_insert:
        return [obj.pk for obj in model._default_manager.bulk_create(objs, batch_size=batch_size)]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = _inserted_fields(model)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    max_params = connection.features.max_query_params or 30_000
    size = max(1, min(batch_size, max_params // len(fields)))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {{values}} RETURNING {quote(meta.pk.column)}"
    )
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    pks = []
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = [value for obj in batch for value in _prepared(obj, fields)]
            cursor.execute(sql.format(values=", ".join([placeholder] * len(batch))), params)
            pks.extend(row[0] for row in cursor.fetchall())
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return pks


def _inserted_fields(model: type[models.Model]) -> list[models.Field]:
    """The columns an INSERT writes: every concrete field but a generated one and the auto-incremented key."""
    meta = model._meta
    return [f for f in meta.concrete_fields if not f.generated and f is not meta.auto_field]


def _prepared(obj: models.Model, fields: list[models.Field]) -> list:
    """The row's values as bulk_create prepares them for the database (pre_save, get_db_prep_save)."""
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
