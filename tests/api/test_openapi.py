"""The OpenAPI document: generated without warnings, checked in as api/openapi.json, served, and the docs
page loads its assets from this site (no CDN)."""

import json
import re
import warnings

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from api.management.commands.api_schema import SCHEMA_FILE, current_schema
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_schema_is_generated_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        schema = json.loads(current_schema())
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"


def test_checked_in_schema_is_current():
    """Fails when the API changed without `python manage.py api_schema` being run."""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == current_schema(), "run `python manage.py api_schema`"


def test_check_command_fails_on_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "openapi.json"
    stale.write_text("{}", encoding="utf-8")
    monkeypatch.setattr("api.management.commands.api_schema.SCHEMA_FILE", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("api_schema", "--check")
    call_command("api_schema")
    assert stale.read_text(encoding="utf-8") == current_schema()
    call_command("api_schema", "--check")


def test_served_schema_is_the_checked_in_one():
    served = ApiClient().get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["paths"].keys()


def test_every_operation_documents_its_errors_and_money_is_a_string():
    schema = json.loads(current_schema())
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"400", "404", "429"} <= set(operation["responses"]), (method, path)
            if path.startswith("/api/v1/firms") or "statistics" in path or "review" in path:
                assert operation.get("security") == [{"TokenAuth": []}], (method, path)
    result_row = schema["components"]["schemas"]["ResultRow"]["properties"]
    assert result_row["award"]["type"] == "string" and result_row["currency"]["type"] == "string"


def test_docs_page_uses_no_cdn():
    response = ApiClient().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert "cdn" not in html.lower()
