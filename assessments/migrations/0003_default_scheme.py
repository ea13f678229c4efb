from django.db import migrations

DEFAULT = {
    "weights": {"stage": "30", "geography": "10", "tni": "20", "breadth": "10", "pct": "15", "certifications": "10", "publications": "5"},
    "caps": {"breadth": 20, "pct": 10, "certifications": 5, "publications": 5},
    "neighbouring": sorted("HK MO TW JP KR KP MN RU KZ KG TJ AF PK IN NP BT MM LA VN".split()),
}


def create_default(apps, schema_editor):
    ScoringScheme = apps.get_model("assessments", "ScoringScheme")
    ScoringScheme.objects.get_or_create(name="Default 2014", defaults={**DEFAULT, "is_default": True})


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_initial")]
    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
