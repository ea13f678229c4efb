"""Database helpers every app may use."""

from django.db import connection, models


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

    Each value is prepared as for an INSERT (pre_save, get_db_prep_save); COPY then passes the rows without
    building a statement of them, several times faster than bulk_create for hundreds of thousands of rows."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=2000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
