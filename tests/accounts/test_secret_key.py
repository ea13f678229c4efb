"""Without SECRET_KEY (DEBUG off): offline commands run, serving refuses, `check --deploy` reports it."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings

from accounts.checks import SECRET_KEY_MISSING, secret_key_is_set

ROOT = settings.BASE_DIR


def _bare_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env


def test_the_deploy_check_reports_a_missing_key():
    assert secret_key_is_set(None) == []  # the test settings have one
    with override_settings(SECRET_KEY=""):
        assert [error.id for error in secret_key_is_set(None)] == [SECRET_KEY_MISSING]


def test_the_score_command_needs_no_key(tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"reference_year": 2014, "domestic_scope": "national"}))
    result = subprocess.run(
        [sys.executable, "manage.py", "score", str(profile)], cwd=ROOT, env=_bare_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stage"] == 0


def test_the_wsgi_application_refuses_to_start_without_a_key():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=_bare_env(), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
