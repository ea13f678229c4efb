"""`manage.py score` (DESIGN section 7) and `manage.py benchmark_scoring`."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from assessments.scoring import DEFAULT_SCHEME, parse_profile, score

PROFILE: dict[str, Any] = {
    "reference_year": 2014,
    "domestic_scope": "national",
    "revenue_total": "1000.00",
    "revenue_foreign": "300.00",
    "assets_total": "500",
    "assets_foreign": "100",
    "employees_total": 200,
    "employees_foreign": 50,
    "exports": [
        {"country": "US", "channel": "direct", "value": "100"},
        {"country": "JP", "channel": "agent", "value": "50"},
    ],
    "establishments": [{"country": "DE", "kind": "sales", "opened": "2012-01-01", "closed": None}],
    "pct_applications": [{"number": "PCT/CN2014/000001", "filed": "2014-03-01", "national_phase": ["US", "EP"]}],
    "certifications": [{"scheme": "CE", "issued": "2010-01-01", "expires": None}],
    "publications_abroad": 1,
}


def write(tmp_path: Path, data: Any, name: str = "profile.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


def test_prints_the_scorecard_as_json(tmp_path: Path) -> None:
    output = run(write(tmp_path, PROFILE))
    assert json.loads(output) == score(parse_profile(PROFILE))
    assert output.startswith('{\n  "stage": 3,\n  "geography": 4,')
    assert json.loads(output)["total"] == "49.39"  # 22.5 + 10 + 5 + 4.5534 + 4.3360 + 2 + 1


def test_json_numbers_with_fractions_are_read_as_decimals(tmp_path: Path) -> None:
    text = json.dumps(PROFILE).replace('"1000.00"', "1000.10").replace('"300.00"', "300.03")
    assert json.loads(run(write(tmp_path, text)))["fsts"] == "0.3000"


def test_scheme_option(tmp_path: Path) -> None:
    scheme = DEFAULT_SCHEME.to_dict()
    scheme["weights"] = {"stage": "100", "geography": "0", "tni": "0", "breadth": "0", "pct": "0",
                         "certifications": "0", "publications": "0"}  # fmt: skip
    result = json.loads(run(write(tmp_path, PROFILE), "--scheme", write(tmp_path, scheme, "scheme.json")))
    assert result["total"] == "75.00"
    assert result["components"][0]["weight"] == "100"


def _mutated(path: list[Any], value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(PROFILE))
    target = data
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD_INPUT = [
    ("missing reference_year", _mutated(["reference_year"], KeyError), "reference_year: required field is missing"),
    ("missing domestic_scope", _mutated(["domestic_scope"], KeyError), "domestic_scope: required field is missing"),
    ("missing nested field", _mutated(["exports", 0, "value"], KeyError), "exports[0].value: required field"),
    (
        "unknown channel",
        _mutated(["exports", 1, "channel"], "mail"),
        "exports[1].channel: unknown channel 'mail' (expected direct, agent or subsidiary)",
    ),
    (
        "unknown kind",
        _mutated(["establishments", 0, "kind"], "office"),
        "establishments[0].kind: unknown establishment kind 'office'",
    ),
    ("unknown country", _mutated(["exports", 0, "country"], "XX"), "exports[0].country: unknown country 'XX'"),
    ("negative amount", _mutated(["revenue_foreign"], "-1"), "revenue_foreign: must not be negative"),
    ("negative export", _mutated(["exports", 0, "value"], -3), "exports[0].value: must not be negative"),
    ("bad decimal", _mutated(["assets_total"], "1,000"), "assets_total: not a decimal number"),
    ("bad date", _mutated(["certifications", 0, "issued"], "01/02/2014"), "certifications[0].issued: not an ISO 8601"),
    ("wrong type", _mutated(["exports"], "US"), "exports: expected an array, got string"),
    ("bad scope", _mutated(["domestic_scope"], "global"), "domestic_scope: unknown domestic scope 'global'"),
    ("year not int", _mutated(["reference_year"], "2014"), "reference_year: expected an integer year"),
    ("fraction year", '{"reference_year": 2014.5, "domestic_scope": "local"}', "reference_year: expected an integer"),
    ("not an object", "[1, 2]", "profile: expected an object, got array"),
    ("malformed JSON", '{"reference_year": 2014,', "malformed JSON at line 1, column 25"),
    ("empty file", "", "malformed JSON at line 1, column 1"),
    ("NaN", '{"reference_year": 2014, "domestic_scope": "local", "revenue_total": NaN}', "NaN is not a number"),
    ("duplicate key", '{"reference_year": 2014, "reference_year": 2015}', "duplicate key 'reference_year'"),
]


@pytest.mark.parametrize(("data", "message"), [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT])
def test_bad_profile_raises_command_error_with_status_2(tmp_path: Path, data: Any, message: str) -> None:
    with pytest.raises(CommandError) as info:
        run(write(tmp_path, data))
    assert info.value.returncode == 2
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as info:
        run(str(tmp_path / "nowhere.json"))
    assert info.value.returncode == 2
    assert str(info.value) == f"{tmp_path / 'nowhere.json'}: file not found"


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"domestic_scope": "\xe9"}')
    with pytest.raises(CommandError, match="not UTF-8 text") as info:
        run(str(path))
    assert info.value.returncode == 2


@pytest.mark.parametrize(
    ("scheme", "message"),
    [
        ({"weights": {"stage": "50"}}, "weights.geography: required field is missing"),
        ({"weights": {"stage": "40", "geography": "10", "tni": "20", "breadth": "10", "pct": "15",
                      "certifications": "10", "publications": "5"}}, "weights: weights must sum to 100, got 110"),
        ({"caps": {"breadth": 20, "pct": -1, "certifications": 5, "publications": 5}},
         "caps.pct: must not be negative"),
        ({"neighbouring": ["JP", "QQ"]}, "neighbouring[1]: unknown country 'QQ'"),
        ("{not json", "malformed JSON at line 1, column 2"),
    ],
)  # fmt: skip
def test_bad_scheme_file(tmp_path: Path, scheme: Any, message: str) -> None:
    scheme_path = write(tmp_path, scheme, "scheme.json")
    with pytest.raises(CommandError) as info:
        run(write(tmp_path, PROFILE), "--scheme", scheme_path)
    assert info.value.returncode == 2
    assert str(info.value).startswith(f"--scheme {scheme_path}: ")
    assert message in str(info.value)


def test_missing_scheme_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"--scheme .*absent\.json: file not found") as info:
        run(write(tmp_path, PROFILE), "--scheme", str(tmp_path / "absent.json"))
    assert info.value.returncode == 2


# ---------------------------------------------------------------------------- through manage.py


def manage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_manage_py_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    result = manage("score", write(tmp_path, _mutated(["exports", 0, "channel"], "mail")))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "error: exports[0].channel: unknown channel 'mail' (expected direct, agent or subsidiary)"
    ]


def test_manage_py_missing_file_exits_2(tmp_path: Path) -> None:
    result = manage("score", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {tmp_path / 'missing.json'}: file not found"]


def test_manage_py_reads_standard_input() -> None:
    result = manage("score", "-", stdin=json.dumps(PROFILE))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == score(parse_profile(PROFILE))


# ---------------------------------------------------------------------------- benchmark


def test_benchmark_scoring_reports_throughput() -> None:
    out = StringIO()
    call_command("benchmark_scoring", "--profiles", "200", "--seed", "7", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("parsed 200 profiles in ")
    assert lines[1].startswith("scored 200 profiles in ") and lines[1].endswith(" profiles/s)")
    again = StringIO()
    call_command("benchmark_scoring", "--profiles", "200", "--seed", "7", stdout=again)
    assert again.getvalue().splitlines()[2] == lines[2]  # same seed, same totals


def test_benchmark_scoring_refuses_zero_profiles() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("benchmark_scoring", "--profiles", "0")


# --- plausible years and dates (DESIGN section 8), whatever today is --------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _implausible_input() -> list[tuple[Any, str]]:
    """(profile, the whole error message): the field, the plausible range and the value."""
    today = _today()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    years = f"not a year from 1980 to {today.year}"
    dates = f"not a date from 1980-01-01 to {today.isoformat()}"
    return [
        (_mutated(["reference_year"], today.year + 5), f"reference_year: {years}: {today.year + 5}"),
        (_mutated(["reference_year"], 1979), f"reference_year: {years}: 1979"),
        (_mutated(["establishments", 0, "opened"], "0001-01-01"), f"establishments[0].opened: {dates}: 0001-01-01"),
        (_mutated(["establishments", 0, "opened"], tomorrow), f"establishments[0].opened: {dates}: {tomorrow}"),
        (_mutated(["establishments", 0, "closed"], "9999-12-31"), f"establishments[0].closed: {dates}: 9999-12-31"),
        (_mutated(["pct_applications", 0, "filed"], tomorrow), f"pct_applications[0].filed: {dates}: {tomorrow}"),
        (_mutated(["pct_applications", 0, "filed"], "1979-12-31"), f"pct_applications[0].filed: {dates}: 1979-12-31"),
        (_mutated(["certifications", 0, "issued"], tomorrow), f"certifications[0].issued: {dates}: {tomorrow}"),
        (
            _mutated(["certifications", 0, "expires"], "9999-12-31"),
            "certifications[0].expires: expires 9999-12-31 is over 50 years after issued 2010-01-01",
        ),
    ]


@pytest.mark.parametrize("case", range(len(_implausible_input())))
def test_implausible_years_and_dates_exit_2_naming_the_field(tmp_path: Path, case: int) -> None:
    data, message = _implausible_input()[case]
    with pytest.raises(CommandError) as info:
        run(write(tmp_path, data))
    assert info.value.returncode == 2
    assert str(info.value) == message


def test_current_year_and_today_are_plausible(tmp_path: Path) -> None:
    today = _today()
    data = _mutated(["reference_year"], today.year)
    data["pct_applications"] = [{"number": f"PCT/CN{today.year}/000001", "filed": today.isoformat()}]
    data["establishments"][0]["closed"] = today.isoformat()
    data["certifications"][0]["expires"] = "2060-01-01"
    assert json.loads(run(write(tmp_path, data)))["components"][4]["raw"] == 1


def test_manage_py_future_reference_year_exits_2_with_one_line(tmp_path: Path) -> None:
    year = _today().year + 5
    result = manage("score", write(tmp_path, _mutated(["reference_year"], year)))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"error: reference_year: not a year from 1980 to {_today().year}: {year}"]
