"""Partial indexes for the rules whose rows the CHECK constraints refuse today (they catch legacy rows): the
scans then read an empty index instead of every annual report or establishment. Created here rather than in
enterprises' models, which do not know about anomalies; plain SQL that SQLite and PostgreSQL both accept."""

from django.db import migrations

INDEXES = {
    "anomalies_ar_revenue_idx": (
        "enterprises_annualreport",
        "(enterprise_id, year)",
        "revenue_foreign > revenue_total",
    ),
    "anomalies_ar_assets_idx": ("enterprises_annualreport", "(enterprise_id, year)", "assets_foreign > assets_total"),
    "anomalies_ar_employees_idx": (
        "enterprises_annualreport",
        "(enterprise_id, year)",
        "employees_foreign > employees_total",
    ),
    "anomalies_establishment_dates_idx": ("enterprises_establishment", "(enterprise_id)", "closed < opened"),
    "anomalies_evidence_sha256_idx": ("enterprises_evidencefile", "(sha256, enterprise_id)", None),
}


def operations():
    for name, (table, columns, condition) in INDEXES.items():
        where = f" WHERE {condition}" if condition else ""
        yield migrations.RunSQL(
            f"CREATE INDEX {name} ON {table} {columns}{where}", reverse_sql=f"DROP INDEX IF EXISTS {name}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("anomalies", "0001_initial"),
        ("enterprises", "0001_initial"),
    ]

    operations = list(operations())
