"""`manage.py benchmark_api`: prints the figures and leaves nothing behind."""

import io

import pytest
from django.core.management import CommandError, call_command

from api.models import PersonalAccessToken
from enterprises.models import Enterprise, ExportRecord
from rewards.models import Ranking, RewardRound

pytestmark = pytest.mark.django_db


def test_benchmark_prints_the_figures_and_rolls_back():
    out = io.StringIO()
    call_command("benchmark_api", "--firms", "40", "--rows", "30", "--requests", "3", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert "requests per second" in text and "p95" in text
    for action in ("created", "unchanged", "updated"):
        assert action in text
    for model in (Enterprise, RewardRound, Ranking, ExportRecord, PersonalAccessToken):
        assert model.objects.count() == 0, model


@pytest.mark.parametrize("arguments", [["--firms", "0"], ["--rows", "1001"]])
def test_benchmark_refuses_bad_arguments(arguments):
    with pytest.raises(CommandError):
        call_command("benchmark_api", *arguments)
