"""Beijing's foreign trade 2010-2014 (Table 1 of the study), so every installation can show the zone's
share of the region. Values are written here (not read from files): billion USD stored as full USD."""

from decimal import Decimal

from django.db import migrations

REGION = "Beijing"
SOURCE = "Table 1 of the study (Zhongguancun management committee data)"
BILLION = Decimal("1000000000")
# year: (imports, exports), billion USD
BEIJING = {
    2010: ("245.94", "55.47"),
    2011: ("330.47", "59.03"),
    2012: ("348.27", "59.65"),
    2013: ("365.90", "63.20"),
    2014: ("353.31", "62.35"),
}


def load(apps, schema_editor):
    RegionalStatistic = apps.get_model("reference", "RegionalStatistic")
    for year, (imports, exports) in BEIJING.items():
        RegionalStatistic.objects.get_or_create(
            region=REGION, year=year,
            defaults={
                "imports": (Decimal(imports) * BILLION).quantize(Decimal("0.01")),
                "exports": (Decimal(exports) * BILLION).quantize(Decimal("0.01")),
                "currency": "USD", "source": SOURCE,
            },
        )


def unload(apps, schema_editor):
    RegionalStatistic = apps.get_model("reference", "RegionalStatistic")
    RegionalStatistic.objects.filter(region=REGION, year__in=list(BEIJING), source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
