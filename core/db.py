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
