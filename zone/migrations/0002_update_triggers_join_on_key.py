from django.db import migrations


def install_triggers(apps, schema_editor):
    """The UPDATE triggers match old and new rows on the primary key (`zone.totals._postgresql_side`)."""
    from zone import totals

    totals.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("zone", "0001_totals"),
    ]

    operations = [
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]
