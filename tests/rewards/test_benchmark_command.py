"""`manage.py benchmark_ranking`: prints the figures, leaves nothing behind, works with DEBUG off."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from accounts.models import User
from assessments.models import Assessment
from enterprises.models import Enterprise
from rewards.models import Award, Ranking, RewardRound

pytestmark = pytest.mark.django_db

PRODUCTION_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def _counts() -> dict:
    models = (User, Enterprise, Assessment, RewardRound, Ranking, Award)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("debug", [True, False])
def test_benchmark_prints_the_figures_and_rolls_back(debug):
    before = _counts()
    out = io.StringIO()
    with override_settings(
        DEBUG=debug,
        SECURE_SSL_REDIRECT=not debug,
        ALLOWED_HOSTS=[] if not debug else ["*"],
        STORAGES=PRODUCTION_STATIC if not debug else settings.STORAGES,
    ):
        call_command("benchmark_ranking", "--firms", "40", "--small", "5", "--repeat", "2", stdout=out)
    text = out.getvalue()
    assert "reward round of 40 verified firms (rolled back)" in text
    assert re.search(r"round_rank \(median of 2\)\s+\d+\.\d{3} s  \(40 rankings, \d+ awards\)", text), text
    for label in (
        "raw INSERT ... SELECT RANK() OVER",
        "raw SELECT RANK() OVER",
        "ratio round_rank / raw INSERT",
        "peak memory of the process",
        "target ranking <= 1 s",
        "peak memory <= 500 MB",
    ):
        assert label in text, text
    checks = "then its foreign-key checks (at commit)"
    assert (checks in text) == (connection.vendor == "postgresql"), text
    pages = re.findall(r"queries, (.+?)\s+(\d+) at 5 firms,\s+(\d+) at 40 firms: (\w+)", text)
    assert [page for page, *_ in pages] == ["public results page", "round management page"], text
    assert all(small == large and verdict == "equal" for _page, small, large, verdict in pages), text
    assert _counts() == before


def test_benchmark_refuses_bad_arguments():
    with pytest.raises(CommandError):
        call_command("benchmark_ranking", "--firms", "0")
