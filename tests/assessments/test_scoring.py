"""The pure scoring engine against DESIGN section 3 (no database)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    COMPONENT_KEYS,
    DEFAULT_NEIGHBOURING,
    DEFAULT_SCHEME,
    Certification,
    Establishment,
    Export,
    PctApplication,
    Profile,
    ProfileError,
    Scheme,
    SchemeError,
    evaluate,
    parse_profile,
    score,
)

Y = 2014


def profile_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reference_year": Y,
        "domestic_scope": "national",
        "revenue_total": "0",
        "revenue_foreign": "0",
        "assets_total": "0",
        "assets_foreign": "0",
        "employees_total": 0,
        "employees_foreign": 0,
        "exports": [],
        "establishments": [],
        "pct_applications": [],
        "certifications": [],
        "publications_abroad": 0,
    }
    data.update(overrides)
    return data


def card(scheme: Scheme = DEFAULT_SCHEME, **overrides: Any) -> dict[str, Any]:
    return score(parse_profile(profile_data(**overrides)), scheme)


def component(scorecard: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in scorecard["components"] if c["key"] == key)


def export(country: str = "US", channel: str = "direct", value: str = "100") -> dict[str, str]:
    return {"country": country, "channel": channel, "value": value}


def establishment(
    country: str = "DE", kind: str = "sales", opened: str = "2010-01-01", closed: str | None = None
) -> dict[str, Any]:
    return {"country": country, "kind": kind, "opened": opened, "closed": closed}


def certificate(scheme: str = "CE", issued: str = "2010-01-01", expires: str | None = None) -> dict[str, Any]:
    return {"scheme": scheme, "issued": issued, "expires": expires}


def pct(number: str = "PCT/CN2014/000001", filed: str = "2014-06-01") -> dict[str, Any]:
    return {"number": number, "filed": filed, "national_phase": ["US"]}


def log_ratio(raw: int, cap: int) -> Decimal:
    return min(Decimal(1), Decimal(1 + raw).ln() / Decimal(1 + cap).ln())


# ---------------------------------------------------------------------------- scorecard shape


FULL = profile_data(
    revenue_total="1000",
    revenue_foreign="300",
    assets_total="500",
    assets_foreign="100",
    employees_total=200,
    employees_foreign=50,
    exports=[export("US", "direct", "100"), export("JP", "agent", "50"), export("DE", "direct", "0")],
    establishments=[establishment("DE", "sales", "2012-01-01")],
    pct_applications=[pct("PCT/CN2014/000001", "2014-03-01"), pct("PCT/CN2013/000002", "2013-03-01")],
    certifications=[certificate("CE"), certificate("ISO_9001", "2011-01-01", "2014-01-01")],
    publications_abroad=1,
)


def test_full_example_scorecard() -> None:
    result = score(parse_profile(FULL))
    assert list(result) == [
        "stage", "geography", "fsts", "fata", "fete", "tni", "breadth", "hhi", "markets", "components", "total"
    ]  # fmt: skip
    assert result["stage"] == 3
    assert result["geography"] == 4
    assert (result["fsts"], result["fata"], result["fete"], result["tni"]) == ("0.3000", "0.2000", "0.2500", "0.2500")
    assert result["breadth"] == 3
    assert result["hhi"] == "0.5556"
    assert result["markets"] == {"DE": 3, "JP": 2, "US": 1}
    assert list(result["markets"]) == ["DE", "JP", "US"]
    assert [c["key"] for c in result["components"]] == list(COMPONENT_KEYS)
    assert result["components"][0] == {
        "key": "stage",
        "raw": 3,
        "subscore": "0.7500",
        "weight": "30",
        "points": "22.50",
        "reason": "stage 3: sales establishment in DE active on 2014-12-31",
    }
    reasons = {c["key"]: c["reason"] for c in result["components"]}
    assert reasons == {
        "stage": "stage 3: sales establishment in DE active on 2014-12-31",
        "geography": "geography 4 (global): active outside the neighbouring markets, e.g. DE, US",
        "tni": "tni 0.2500: mean of FSTS 0.3000, FATA 0.2000, FETE 0.2500",
        "breadth": "breadth 3 markets: DE, JP, US",
        "pct": "pct 1 application filed in 2014",
        "certifications": "certifications 2 schemes valid in 2014: CE, ISO_9001",
        "publications": "publications 1 abroad in 2014",
    }
    # 22.5 + 10 + 5 + 10 ln4/ln21 (4.5534) + 15 ln2/ln11 (4.3360) + 4 + 1 = 51.3894
    assert result["total"] == "51.39"
    assert [c["points"] for c in result["components"]] == ["22.50", "10.00", "5.00", "4.55", "4.34", "4.00", "1.00"]


def test_scorecard_value_types() -> None:
    result = card()
    assert result["fsts"] is None and result["fata"] is None and result["fete"] is None
    assert result["hhi"] is None
    assert result["tni"] == "0.0000"
    assert result["markets"] == {}
    for item in result["components"]:
        assert isinstance(item["subscore"], str) and len(item["subscore"].split(".")[1]) == 4
        assert isinstance(item["points"], str) and len(item["points"].split(".")[1]) == 2
        assert isinstance(item["reason"], str) and "\n" not in item["reason"]
    assert component(result, "tni")["raw"] == "0.0000"
    assert isinstance(component(result, "breadth")["raw"], int)
    assert result["total"] == "3.33"  # geography 2 (national): 10 * 1/3


# ---------------------------------------------------------------------------- market stage


def test_no_foreign_activity_is_stage_0() -> None:
    result = card()
    assert result["stage"] == 0
    assert component(result, "stage")["reason"] == "stage 0: no foreign activity in 2014"
    assert component(result, "stage")["subscore"] == "0.0000"


@pytest.mark.parametrize(
    ("channel", "stage", "reason"),
    [
        ("direct", 1, "stage 1: direct exports to US in 2014"),
        ("agent", 2, "stage 2: exports to US through an agent or distributor in 2014"),
        ("subsidiary", 3, "stage 3: exports to US through own subsidiary in 2014"),
    ],
)
def test_export_channel_sets_market_stage(channel: str, stage: int, reason: str) -> None:
    result = card(exports=[export("US", channel)])
    assert result["stage"] == stage
    assert result["markets"] == {"US": stage}
    assert component(result, "stage")["reason"] == reason
    assert component(result, "stage")["subscore"] == str((Decimal(stage) / 4).quantize(Decimal("0.0001")))


@pytest.mark.parametrize(
    ("kind", "stage", "label"),
    [("representative", 3, "representative"), ("sales", 3, "sales"), ("service", 3, "service"),
     ("rnd", 3, "R&D"), ("manufacturing", 4, "manufacturing")],
)  # fmt: skip
def test_establishment_kind_sets_market_stage(kind: str, stage: int, label: str) -> None:
    result = card(establishments=[establishment("DE", kind)])
    assert result["stage"] == stage
    assert result["markets"] == {"DE": stage}
    assert component(result, "stage")["reason"] == f"stage {stage}: {label} establishment in DE active on 2014-12-31"


def test_market_stage_is_deepest_mode_and_firm_stage_is_highest_market() -> None:
    result = card(
        exports=[export("US", "direct"), export("US", "agent"), export("JP", "direct"), export("VN", "subsidiary")],
        establishments=[establishment("US", "sales"), establishment("VN", "manufacturing")],
    )
    assert result["markets"] == {"JP": 1, "US": 3, "VN": 4}
    assert result["stage"] == 4


def test_several_markets_at_the_deepest_stage_are_mentioned() -> None:
    result = card(exports=[export("US", "agent"), export("JP", "agent"), export("DE", "direct")])
    assert component(result, "stage")["reason"] == (
        "stage 2: exports to JP through an agent or distributor in 2014 (and 1 other market at stage 2)"
    )


def test_export_value_zero_is_no_activity() -> None:
    result = card(exports=[export("US", "subsidiary", "0"), export("JP", "agent", "0.00")])
    assert result["stage"] == 0
    assert result["markets"] == {}
    assert result["breadth"] == 0
    assert result["hhi"] is None
    assert result["geography"] == 2


@pytest.mark.parametrize(
    ("opened", "closed", "active"),
    [
        ("2014-12-31", None, True),  # opened on 31 December of Y
        ("2015-01-01", None, False),  # opened after Y
        ("2010-01-01", "2014-12-31", False),  # closed on 31 December: not active on it
        ("2010-01-01", "2015-01-01", True),  # closed the day after
        ("2010-01-01", "2014-06-30", False),  # closed during Y
        ("2010-01-01", "2012-01-01", False),  # closed before Y
        ("2014-12-31", "2015-01-01", True),
    ],
)
def test_establishment_active_on_31_december(opened: str, closed: str | None, active: bool) -> None:
    result = card(establishments=[establishment("DE", "rnd", opened, closed)])
    assert result["stage"] == (3 if active else 0)
    assert result["breadth"] == (1 if active else 0)
    assert (
        Establishment("DE", "rnd", date.fromisoformat(opened), closed and date.fromisoformat(closed)).active_on(
            date(Y, 12, 31)
        )
        is active
    )


# ---------------------------------------------------------------------------- geography


def test_stage_0_geography_follows_domestic_scope() -> None:
    local = card(domestic_scope="local")
    national = card(domestic_scope="national")
    assert (local["geography"], component(local, "geography")["subscore"]) == (1, "0.0000")
    assert (national["geography"], component(national, "geography")["subscore"]) == (2, "0.3333")
    assert component(local, "geography")["reason"].startswith("geography 1 (local)")
    assert component(national, "geography")["reason"].startswith("geography 2 (national)")


@pytest.mark.parametrize("scope", ["local", "national"])
def test_neighbouring_markets_only_is_level_3(scope: str) -> None:
    result = card(domestic_scope=scope, exports=[export("JP"), export("HK", "agent")],
                  establishments=[establishment("VN", "manufacturing")])  # fmt: skip
    assert result["geography"] == 3
    assert component(result, "geography")["subscore"] == "0.6667"
    assert component(result, "geography")["reason"] == (
        "geography 3 (neighbouring): every active market is neighbouring: HK, JP, VN"
    )


def test_one_market_outside_the_neighbouring_set_is_global() -> None:
    result = card(exports=[export("JP"), export("US", value="1")])
    assert result["geography"] == 4
    assert component(result, "geography")["reason"] == (
        "geography 4 (global): active outside the neighbouring markets, e.g. US"
    )


def test_inactive_market_outside_does_not_make_it_global() -> None:
    result = card(exports=[export("JP"), export("US", value="0")],
                  establishments=[establishment("DE", closed="2013-01-01")])  # fmt: skip
    assert result["geography"] == 3


def test_default_neighbouring_set() -> None:
    expected = {"HK", "MO", "TW", "JP", "KR", "KP", "MN", "RU", "KZ", "KG", "TJ", "AF", "PK", "IN", "NP", "BT", "MM",
                "LA", "VN"}  # fmt: skip
    assert expected == DEFAULT_NEIGHBOURING


def test_scheme_may_change_the_neighbouring_set() -> None:
    scheme = Scheme.from_dict({"neighbouring": ["US", "ca"]})
    assert scheme.neighbouring == {"US", "CA"}
    assert card(scheme, exports=[export("US")])["geography"] == 3
    assert card(scheme, exports=[export("JP")])["geography"] == 4


# ---------------------------------------------------------------------------- TNI


def test_tni_is_the_mean_of_the_three_ratios() -> None:
    result = card(revenue_total="1000", revenue_foreign="300", assets_total="400", assets_foreign="80",
                  employees_total=100, employees_foreign=25)  # fmt: skip
    assert (result["fsts"], result["fata"], result["fete"]) == ("0.3000", "0.2000", "0.2500")
    assert result["tni"] == "0.2500"
    assert component(result, "tni")["points"] == "5.00"


def test_ratio_with_zero_or_missing_total_is_skipped() -> None:
    data = profile_data(revenue_total="1000", revenue_foreign="300", assets_total="0", assets_foreign="0",
                        employees_total=None, employees_foreign=None)  # fmt: skip
    del data["employees_total"]
    result = score(parse_profile(data))
    assert (result["fsts"], result["fata"], result["fete"]) == ("0.3000", None, None)
    assert result["tni"] == "0.3000"
    assert component(result, "tni")["reason"] == (
        "tni 0.3000: mean of FSTS 0.3000; FATA, FETE undefined (total zero or missing)"
    )


def test_all_totals_zero_gives_tni_0() -> None:
    result = card(revenue_foreign="5")
    assert result["tni"] == "0.0000"
    assert component(result, "tni")["subscore"] == "0.0000"
    assert component(result, "tni")["reason"].startswith("tni 0.0000: no ratio defined")


def test_missing_foreign_figure_counts_as_zero() -> None:
    result = card(revenue_total="1000", revenue_foreign=None)
    assert result["fsts"] == "0.0000"
    assert result["tni"] == "0.0000"


def test_tni_subscore_is_clipped_to_1() -> None:
    result = card(revenue_total="100", revenue_foreign="300")
    assert result["tni"] == "3.0000"
    assert component(result, "tni")["subscore"] == "1.0000"
    assert component(result, "tni")["points"] == "20.00"
    assert component(result, "tni")["reason"].endswith("; subscore clipped to 1")


# ---------------------------------------------------------------------------- breadth, pct, certs, publications


def test_breadth_counts_markets_with_exports_or_active_establishments() -> None:
    result = card(
        exports=[export("US"), export("US", "agent"), export("JP"), export("FR", value="0")],
        establishments=[establishment("DE"), establishment("GB", closed="2014-12-31")],
    )
    assert result["breadth"] == 3
    breadth = component(result, "breadth")
    assert breadth["reason"] == "breadth 3 markets: DE, JP, US"
    assert Decimal(breadth["subscore"]) == log_ratio(3, 20).quantize(Decimal("0.0001"))
    assert breadth["subscore"] == "0.4553"


def test_breadth_reaches_1_at_its_cap() -> None:
    markets = ["US", "DE", "FR", "GB", "IT", "ES", "NL", "BE", "SE", "NO", "DK", "FI", "PL", "CZ", "AT", "CH",
               "PT", "IE", "GR", "HU", "RO"]  # fmt: skip
    result = card(exports=[export(code) for code in markets[:20]])
    assert component(result, "breadth")["subscore"] == "1.0000"
    result = card(exports=[export(code) for code in markets])
    assert (result["breadth"], component(result, "breadth")["subscore"]) == (21, "1.0000")
    assert component(card(exports=[export("US")]), "breadth")["reason"] == "breadth 1 market: US"


@pytest.mark.parametrize(
    ("filed", "counts"),
    [("2014-01-01", True), ("2014-12-31", True), ("2013-12-31", False), ("2015-01-01", False)],
)
def test_pct_counts_applications_filed_in_the_year(filed: str, counts: bool) -> None:
    result = card(pct_applications=[pct("PCT/CN2014/000009", filed)])
    assert component(result, "pct")["raw"] == (1 if counts else 0)


def test_pct_subscore_is_logarithmic_and_duplicates_count_once() -> None:
    apps = [pct(f"PCT/CN2014/{n:06d}") for n in range(3)] + [pct("PCT/CN2014/000000")]
    result = card(pct_applications=apps)
    item = component(result, "pct")
    assert item["raw"] == 3
    assert item["reason"] == "pct 3 applications filed in 2014"
    assert Decimal(item["subscore"]) == log_ratio(3, 10).quantize(Decimal("0.0001"))
    assert component(card(pct_applications=[pct(f"PCT/CN2014/{n:06d}") for n in range(12)]), "pct")["subscore"] == (
        "1.0000"
    )


@pytest.mark.parametrize(
    ("issued", "expires", "valid"),
    [
        ("2010-01-01", "2014-01-01", True),  # expires on 1 January of Y: valid one day of Y
        ("2010-01-01", "2013-12-31", False),  # expired the day before Y
        ("2014-12-31", None, True),  # issued on the last day of Y
        ("2015-01-01", None, False),  # issued after Y
        ("2010-01-01", None, True),  # open-ended
        ("2014-03-01", "2014-03-01", True),
    ],
)
def test_certification_valid_on_at_least_one_day_of_the_year(issued: str, expires: str | None, valid: bool) -> None:
    result = card(certifications=[certificate("CE", issued, expires)])
    assert component(result, "certifications")["raw"] == (1 if valid else 0)
    assert (
        Certification("CE", date.fromisoformat(issued), expires and date.fromisoformat(expires)).valid_during(Y)
        is valid
    )


def test_certifications_count_distinct_schemes_with_linear_cap() -> None:
    certs = [certificate("CE"), certificate("CE", "2013-01-01"), certificate("ISO_9001"),
             certificate("UL", "2016-01-01")]  # fmt: skip
    item = component(card(certifications=certs), "certifications")
    assert (item["raw"], item["subscore"], item["points"]) == (2, "0.4000", "4.00")
    assert item["reason"] == "certifications 2 schemes valid in 2014: CE, ISO_9001"
    many = [certificate(name) for name in ["A", "B", "C", "D", "E", "F", "G"]]
    assert component(card(certifications=many), "certifications")["subscore"] == "1.0000"
    assert component(card(), "certifications")["reason"] == "certifications 0 schemes valid in 2014"


def test_publications_linear_with_cap() -> None:
    assert component(card(publications_abroad=1), "publications")["reason"] == "publications 1 abroad in 2014"
    assert component(card(publications_abroad=2), "publications")["subscore"] == "0.4000"
    assert component(card(publications_abroad=9), "publications")["subscore"] == "1.0000"
    assert component(card(publications_abroad=9), "publications")["points"] == "5.00"


# ---------------------------------------------------------------------------- HHI, totals, rounding


def test_hhi_is_the_sum_of_squared_export_shares() -> None:
    result = card(exports=[export("US", "direct", "40"), export("US", "agent", "20"), export("DE", value="30"),
                           export("JP", value="10"), export("FR", value="0")])  # fmt: skip
    assert result["hhi"] == "0.4600"  # 0.6² + 0.3² + 0.1²


def test_hhi_of_a_single_market_is_1() -> None:
    assert card(exports=[export("US", value="12.34")])["hhi"] == "1.0000"


def test_total_is_exact_sum_rounded_half_up() -> None:
    weights = {key: "0" for key in COMPONENT_KEYS} | {"stage": "99.975", "certifications": "0.025"}
    scheme = Scheme.from_dict({"weights": weights})
    result = card(scheme, certifications=[certificate()])
    assert component(result, "certifications")["points"] == "0.01"  # 0.005 half-up
    assert result["total"] == "0.01"
    assert component(result, "stage")["weight"] == "99.975"


def test_total_equals_weighted_subscores() -> None:
    evaluation = evaluate(parse_profile(FULL))
    exact = sum(DEFAULT_SCHEME.weights[c.key] * c.subscore for c in evaluation.components)
    assert evaluation.total == exact.quantize(Decimal("0.01"))
    assert evaluation.subscores["stage"] == Decimal("0.75")


def test_maximal_profile_scores_100() -> None:
    markets = ["US", "DE", "FR", "GB", "IT", "ES", "NL", "BE", "SE", "NO", "DK", "FI", "PL", "CZ", "AT", "CH",
               "PT", "IE", "GR", "HU"]  # fmt: skip
    result = card(
        revenue_total="10", revenue_foreign="10", assets_total="10", assets_foreign="10",
        employees_total=10, employees_foreign=10,
        exports=[export(code) for code in markets],
        establishments=[establishment("US", "manufacturing")],
        pct_applications=[pct(f"PCT/CN2014/{n:06d}") for n in range(10)],
        certifications=[certificate(name) for name in "ABCDE"],
        publications_abroad=5,
    )  # fmt: skip
    assert result["total"] == "100.00"


def test_scoring_ignores_the_callers_decimal_context() -> None:
    expected = score(parse_profile(FULL))
    with localcontext(prec=3, rounding=ROUND_DOWN):
        assert score(parse_profile(FULL)) == expected
        assert Scheme.from_dict(DEFAULT_SCHEME.to_dict()) == DEFAULT_SCHEME


def test_extreme_amounts_still_render() -> None:
    result = card(revenue_total="0.00000001", revenue_foreign="999999999999999999.99999999",
                  employees_total=1, employees_foreign=10**12, exports=[export(value="0.00000001")])  # fmt: skip
    assert Decimal(result["fsts"]) > Decimal("9E25") and result["fsts"].endswith(".0000")
    assert result["hhi"] == "1.0000"
    assert component(result, "tni")["subscore"] == "1.0000"


def test_scheme_weights_and_caps_change_the_score() -> None:
    scheme = Scheme.from_dict(
        {
            "weights": {"stage": "50", "geography": 0, "tni": 0, "breadth": 0, "pct": 0, "certifications": 50,
                        "publications": 0},
            "caps": {"breadth": 20, "pct": 10, "certifications": 2, "publications": 5},
        }
    )  # fmt: skip
    result = card(scheme, exports=[export("US", "agent")], certifications=[certificate()])
    assert component(result, "certifications")["subscore"] == "0.5000"
    assert result["total"] == "50.00"  # 50 * 2/4 + 50 * 1/2


# ---------------------------------------------------------------------------- scheme validation


def test_default_scheme_round_trip() -> None:
    data = DEFAULT_SCHEME.to_dict()
    assert data["weights"] == {"stage": "30", "geography": "10", "tni": "20", "breadth": "10", "pct": "15",
                               "certifications": "10", "publications": "5"}  # fmt: skip
    assert data["caps"] == {"breadth": 20, "pct": 10, "certifications": 5, "publications": 5}
    assert data["neighbouring"] == sorted(DEFAULT_NEIGHBOURING)
    assert Scheme.from_dict(data) == DEFAULT_SCHEME
    assert Scheme.from_dict({}) == DEFAULT_SCHEME


def _weights(**changes: Any) -> dict[str, Any]:
    return {key: str(value) for key, value in DEFAULT_SCHEME.weights.items()} | changes


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"weights": _weights(stage="-10", geography="50")}, "weights.stage", "negative"),
        ({"weights": _weights(stage="31")}, "weights", "sum to 100, got 101"),
        ({"weights": _weights(stage="abc")}, "weights.stage", "not a decimal number"),
        ({"weights": _weights(stage=True)}, "weights.stage", "expected a decimal string"),
        ({"weights": {"stage": "100"}}, "weights.geography", "missing"),
        ({"weights": _weights(size="0")}, "weights.size", "unknown field"),
        ({"caps": {"breadth": 0, "pct": 10, "certifications": 5, "publications": 5}}, "caps.breadth", "positive"),
        ({"caps": {"breadth": 20, "pct": 10, "certifications": 5}}, "caps.publications", "missing"),
        ({"caps": {"breadth": "x", "pct": 10, "certifications": 5, "publications": 5}}, "caps.breadth", "whole"),
        ({"neighbouring": ["JP", "XX"]}, "neighbouring[1]", "unknown country"),
        ({"neighbouring": "JP"}, "neighbouring", "expected an array"),
        ({"weight": {}}, "weight", "unknown field"),
        ([], "scheme", "expected an object"),
    ],
)
def test_scheme_errors_name_the_field(data: Any, field: str, fragment: str) -> None:
    with pytest.raises(SchemeError) as info:
        Scheme.from_dict(data)
    assert info.value.field == field
    assert fragment in info.value.message
    assert isinstance(info.value, ValueError)


def test_scheme_accepts_json_field_floats_by_their_digits() -> None:
    weights = {"stage": 12.5, "geography": 0.1, "tni": 20, "breadth": 10, "pct": 37.4, "certifications": 15,
               "publications": 5}  # fmt: skip
    scheme = Scheme.from_dict({"weights": weights})
    assert scheme.weights["geography"] == Decimal("0.1")
    assert scheme.to_dict()["weights"]["pct"] == "37.4"


def test_scheme_is_hashable_and_normalises_its_input() -> None:
    scheme = Scheme(weights=dict(DEFAULT_SCHEME.weights), caps=dict(DEFAULT_SCHEME.caps), neighbouring=["JP", "US"])
    assert scheme.neighbouring == frozenset({"JP", "US"})
    assert hash(scheme) == hash(Scheme(neighbouring=frozenset({"US", "JP"})))
    assert len({DEFAULT_SCHEME, Scheme()}) == 1


def test_scheme_constructor_validates() -> None:
    with pytest.raises(SchemeError, match="weights"):
        Scheme(weights={key: Decimal(10) for key in COMPONENT_KEYS})


# ---------------------------------------------------------------------------- profile validation


def test_profile_round_trip_and_defaults() -> None:
    profile = parse_profile(FULL)
    assert parse_profile(profile.to_dict()) == profile
    minimal = parse_profile({"reference_year": 2014, "domestic_scope": "local"})
    assert minimal == Profile(reference_year=2014, domestic_scope="local")
    assert minimal.exports == () and minimal.publications_abroad == 0 and minimal.revenue_total is None


def test_profile_accepts_ints_decimals_and_lowercase_codes() -> None:
    profile = parse_profile(profile_data(revenue_total=1000, revenue_foreign=Decimal("12.5"), employees_total="30",
                                         exports=[export("us", value=5)]))  # fmt: skip
    assert profile.revenue_total == Decimal(1000) and profile.revenue_foreign == Decimal("12.5")
    assert profile.employees_total == 30
    assert profile.exports == (Export("US", "direct", Decimal(5)),)


def _without(key: str) -> dict[str, Any]:
    data = copy.deepcopy(FULL)
    del data[key]
    return data


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(FULL)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


BAD_PROFILES = [
    (_without("reference_year"), "reference_year", "required field is missing"),
    (_without("domestic_scope"), "domestic_scope", "required field is missing"),
    (_with(["reference_year"], "2014"), "reference_year", "expected an integer year"),
    (_with(["reference_year"], 2014.0), "reference_year", "expected an integer year"),
    (_with(["reference_year"], True), "reference_year", "expected an integer year"),
    (_with(["reference_year"], 12), "reference_year", "out of range"),
    (
        _with(["domestic_scope"], "world"),
        "domestic_scope",
        "unknown domestic scope 'world' (expected local or national)",
    ),
    (
        _with(["exports", 2, "channel"], "mail"),
        "exports[2].channel",
        "unknown channel 'mail' (expected direct, agent or subsidiary)",
    ),
    (_with(["exports", 0, "country"], "XX"), "exports[0].country", "unknown country 'XX'"),
    (_with(["exports", 0, "country"], "USA"), "exports[0].country", "unknown country"),
    (_with(["exports", 0, "country"], "CN"), "exports[0].country", "home country"),
    (_with(["exports", 0, "country"], 1), "exports[0].country", "expected a country code string"),
    (_with(["exports", 1, "value"], "-5"), "exports[1].value", "must not be negative"),
    (_with(["exports", 1, "value"], -5), "exports[1].value", "must not be negative"),
    (_with(["exports", 1, "value"], "12,5"), "exports[1].value", "not a decimal number"),
    (_with(["exports", 1, "value"], "NaN"), "exports[1].value", "not a decimal number"),
    (_with(["exports", 1, "value"], Decimal("Infinity")), "exports[1].value", "not a decimal number"),
    (_with(["exports", 1, "value"], "1E+30"), "exports[1].value", "not a decimal number"),
    (_with(["exports", 1, "value"], Decimal("1E+30")), "exports[1].value", "out of range"),
    (_with(["exports", 1, "value"], 1.5), "exports[1].value", "expected a decimal string"),
    (_with(["exports", 1, "value"], None), "exports[1].value", "expected a decimal string"),
    (_with(["exports", 1], "US"), "exports[1]", "expected an object, got string"),
    (_with(["exports", 1, "via"], "air"), "exports[1].via", "unknown field"),
    (_with(["exports"], {}), "exports", "expected an array, got object"),
    (
        _with(["establishments", 0, "kind"], "office"),
        "establishments[0].kind",
        "unknown establishment kind 'office' (expected representative, sales, service, rnd or manufacturing)",
    ),
    (_with(["establishments", 0, "country"], "ZZ"), "establishments[0].country", "unknown country"),
    (_with(["establishments", 0, "opened"], "2014/01/01"), "establishments[0].opened", "not an ISO 8601 date"),
    (_with(["establishments", 0, "opened"], "2014-02-30"), "establishments[0].opened", "not an ISO 8601 date"),
    (_with(["establishments", 0, "opened"], 20140101), "establishments[0].opened", "expected an ISO 8601 date"),
    (_with(["establishments", 0, "closed"], "2011-01-01"), "establishments[0].closed", "before opened"),
    (
        {**FULL, "establishments": [{"country": "DE", "kind": "sales"}]},
        "establishments[0].opened",
        "required field is missing",
    ),
    (_with(["pct_applications", 0, "filed"], "yesterday"), "pct_applications[0].filed", "not an ISO 8601 date"),
    (_with(["pct_applications", 0, "number"], "CN2014/1"), "pct_applications[0].number", "not a PCT application"),
    (_with(["pct_applications", 0, "national_phase", 0], 3), "pct_applications[0].national_phase[0]", "office code"),
    (_with(["certifications", 1, "expires"], "2001-01-01"), "certifications[1].expires", "before issued"),
    (_with(["certifications", 1, "issued"], "2014-13-01"), "certifications[1].issued", "not an ISO 8601 date"),
    (_with(["certifications", 1, "scheme"], ""), "certifications[1].scheme", "must not be empty"),
    (_with(["publications_abroad"], -1), "publications_abroad", "must not be negative"),
    (_with(["publications_abroad"], "many"), "publications_abroad", "expected a whole number"),
    (_with(["employees_total"], "12.5"), "employees_total", "expected a whole number"),
    (_with(["employees_total"], 10**13), "employees_total", "out of range"),
    (_with(["employees_foreign"], "1" * 5000), "employees_foreign", "expected a whole number"),
    (_with(["revenue_total"], "-1"), "revenue_total", "must not be negative"),
    (_with(["assets_foreign"], "1.2.3"), "assets_foreign", "not a decimal number"),
    (_with(["revenue_totl"], "1"), "revenue_totl", "unknown field"),
    ([FULL], "profile", "expected an object, got array"),
]


@pytest.mark.parametrize(("data", "field", "fragment"), BAD_PROFILES, ids=[case[1] for case in BAD_PROFILES])
def test_profile_errors_name_the_field(data: Any, field: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(data)
    assert info.value.field == field
    assert fragment in info.value.message
    assert str(info.value) == f"{field}: {info.value.message}"
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------------------- properties

COUNTRIES = ["US", "DE", "JP", "HK", "VN", "RU", "BR", "FR", "KR", "IN", "TW", "ZA"]
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2017, 12, 31))
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
optional_amounts = st.none() | amounts
optional_counts = st.none() | st.integers(min_value=0, max_value=10**5)

exports_st = st.builds(
    Export,
    country=st.sampled_from(COUNTRIES),
    channel=st.sampled_from(["direct", "agent", "subsidiary"]),
    value=st.one_of(st.just(Decimal(0)), amounts),
)


@st.composite
def establishments_st(draw: st.DrawFn) -> Establishment:
    opened = draw(days)
    closed = draw(st.none() | st.dates(min_value=opened, max_value=date(2018, 12, 31)))
    kind = draw(st.sampled_from(["representative", "sales", "service", "rnd", "manufacturing"]))
    return Establishment(draw(st.sampled_from(COUNTRIES)), kind, opened, closed)


@st.composite
def certifications_st(draw: st.DrawFn) -> Certification:
    issued = draw(days)
    expires = draw(st.none() | st.dates(min_value=issued, max_value=date(2020, 12, 31)))
    return Certification(draw(st.sampled_from(["CE", "UL", "ISO_9001", "CMMI", "GMP_EU"])), issued, expires)


profiles_st = st.builds(
    Profile,
    reference_year=st.integers(min_value=2011, max_value=2015),
    domestic_scope=st.sampled_from(["local", "national"]),
    revenue_total=optional_amounts,
    revenue_foreign=optional_amounts,
    assets_total=optional_amounts,
    assets_foreign=optional_amounts,
    employees_total=optional_counts,
    employees_foreign=optional_counts,
    exports=st.lists(exports_st, max_size=8).map(tuple),
    establishments=st.lists(establishments_st(), max_size=4).map(tuple),
    pct_applications=st.lists(
        st.builds(PctApplication, number=st.from_regex(r"PCT/CN201[0-7]/00000[0-9]", fullmatch=True), filed=days),
        max_size=14,
    ).map(tuple),
    certifications=st.lists(certifications_st(), max_size=7).map(tuple),
    publications_abroad=st.integers(min_value=0, max_value=12),
)


@st.composite
def weights_st(draw: st.DrawFn) -> dict[str, Decimal]:
    """Seven non-negative integer weights summing to 100."""
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=100), min_size=6, max_size=6)))
    bounds = [0, *cuts, 100]
    return {key: Decimal(bounds[i + 1] - bounds[i]) for i, key in enumerate(COMPONENT_KEYS)}


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(profiles_st, weights_st())
def test_total_is_between_0_and_100_and_equals_weighted_subscores(profile: Profile, weights: dict) -> None:
    scheme = Scheme(weights=weights)
    evaluation = evaluate(profile, scheme)
    assert Decimal(0) <= evaluation.total <= Decimal(100)
    for item in evaluation.components:
        assert Decimal(0) <= item.subscore <= Decimal(1)
        assert item.points == weights[item.key] * item.subscore
    assert evaluation.total == sum(weights[k] * s for k, s in evaluation.subscores.items()).quantize(Decimal("0.01"))
    result = evaluation.scorecard()
    assert result["breadth"] == len(result["markets"])
    assert result["stage"] == max(result["markets"].values(), default=0)
    assert (result["stage"] == 0) == (result["geography"] <= 2)
    if result["hhi"] is not None:
        assert Decimal(0) < Decimal(result["hhi"]) <= Decimal(1)
    assert parse_profile(profile.to_dict()) == profile


@PROPERTY_SETTINGS
@given(profiles_st, exports_st, establishments_st())
def test_adding_an_export_or_establishment_never_lowers_the_stage(
    profile: Profile, extra_export: Export, extra_establishment: Establishment
) -> None:
    before = evaluate(profile)
    with_export = evaluate(Profile(**{**_fields(profile), "exports": (*profile.exports, extra_export)}))
    with_establishment = evaluate(
        Profile(**{**_fields(profile), "establishments": (*profile.establishments, extra_establishment)})
    )
    for after in (with_export, with_establishment):
        assert after.stage >= before.stage
        assert after.breadth >= before.breadth
        assert all(after.markets.get(code, 0) >= stage for code, stage in before.markets.items())


def _fields(profile: Profile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in Profile.__dataclass_fields__}


@PROPERTY_SETTINGS
@given(profiles_st, weights_st(), weights_st(), st.integers(min_value=0, max_value=100))
def test_total_is_linear_in_the_weights(profile: Profile, w1: dict, w2: dict, percent: int) -> None:
    a = Decimal(percent) / 100
    mixed = {key: a * w1[key] + (1 - a) * w2[key] for key in COMPONENT_KEYS}
    one, two, both = (evaluate(profile, Scheme(weights=w)) for w in (w1, w2, mixed))
    expected = a * one.total + (1 - a) * two.total
    assert abs(both.total - expected) <= Decimal("0.01")
    exact_one, exact_two, exact_both = (sum(c.points for c in e.components) for e in (one, two, both))
    assert abs(exact_both - (a * exact_one + (1 - a) * exact_two)) < Decimal("1E-20")


@PROPERTY_SETTINGS
@given(profiles_st)
def test_subscores_match_the_design_formulas(profile: Profile) -> None:
    evaluation = evaluate(profile)
    subscores = evaluation.subscores
    caps = DEFAULT_SCHEME.caps
    assert subscores["stage"] == Decimal(evaluation.stage) / 4
    assert abs(subscores["breadth"] - log_ratio(evaluation.breadth, caps["breadth"])) < Decimal("1E-25")
    pct_raw = next(c.raw for c in evaluation.components if c.key == "pct")
    assert isinstance(pct_raw, int)
    assert pct_raw == len({a.number for a in profile.pct_applications if a.filed.year == profile.reference_year})
    assert abs(subscores["pct"] - log_ratio(pct_raw, caps["pct"])) < Decimal("1E-25")
    assert subscores["publications"] == min(Decimal(1), Decimal(profile.publications_abroad) / caps["publications"])


def test_plausibility_is_checked_only_when_today_is_given() -> None:
    """Input from outside (the score command) passes today; stored snapshots scored again do not."""
    legacy = _with(["pct_applications", 0, "filed"], "2031-05-01")
    legacy["reference_year"] = 2031
    assert parse_profile(legacy).reference_year == 2031
    with pytest.raises(ProfileError) as info:
        parse_profile(legacy, today=date(2026, 12, 3))
    assert str(info.value) == "reference_year: not a year from 1980 to 2026: 2031"
    assert parse_profile(FULL, today=date(2026, 12, 3)) == parse_profile(FULL)
