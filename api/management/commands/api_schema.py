"""Write the OpenAPI document of /api/v1/ to api/openapi.json (checked in), or check it is up to date.

python manage.py api_schema            # regenerate api/openapi.json
python manage.py api_schema --check    # exit status 1 when the file differs from the code
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "openapi.json"


def current_schema() -> str:
    """The OpenAPI document as the code generates it, in English, as stable text."""
    from api.api import api

    with translation.override("en"):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Regenerate api/openapi.json from the code (or --check that it is current)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail when the file is out of date")

    def handle(self, *args, check: bool, **options):
        text = current_schema()
        stored = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if check:
            if stored != text:
                raise CommandError("api/openapi.json is out of date: run `python manage.py api_schema`.")
            self.stdout.write("api/openapi.json is up to date.")
            return
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {SCHEMA_FILE}")
