"""Confidence calibration: fitting, applying, the reliability table and the shipped data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ingest.evaluate.calibrate import apply_to, cross_validated_error, fit, to_toml
from entente.ingest.evaluate.reliability import Point, calibration_error, reliability
from entente.ingest.extract.calibration import (
    CEILING,
    FIT_EDGES,
    GLOBAL,
    IDENTITY,
    Calibration,
    bin_of,
    family_of,
    load_calibration,
    parse_calibration,
)


def points(conf: float, right: int, wrong: int, family: str = "policy", article: str = "a"):  # type: ignore[no-untyped-def]
    return [Point(conf, family, True, article)] * right + [
        Point(conf, family, False, article)
    ] * wrong


def test_bins_are_half_open_and_the_last_is_closed() -> None:
    edges = (0.0, 0.5, 1.0)
    assert [bin_of(v, edges) for v in (0.0, 0.49, 0.5, 0.99, 1.0)] == [0, 0, 1, 1, 1]


def test_family_comes_from_the_extractor_name() -> None:
    assert family_of("entente.cooperation.v1") == "cooperation"
    assert family_of("custom") == "custom"


def test_a_well_measured_bin_moves_to_its_observed_precision() -> None:
    data = points(0.9, right=60, wrong=40)  # the prior says 0.9, the gold says 0.6
    cal = fit(data)
    got = cal.apply(0.9, "policy")
    assert 0.6 < got < 0.65  # mostly the observation, a little prior


def test_a_thin_bin_stays_near_its_family_s_precision() -> None:
    # On real articles the raw prior hardly separates right from wrong inside a family; the
    # family's observed precision does, so a thin bin leans on it rather than on the prior.
    cal = fit(points(0.5, right=1, wrong=0) + points(0.9, right=50, wrong=5))
    assert cal.apply(0.5, "policy") > 0.8
    worse = fit(points(0.5, right=1, wrong=0) + points(0.9, right=20, wrong=35))
    assert worse.apply(0.5, "policy") < 0.5


def test_maps_never_decrease_and_stay_inside_floor_and_ceiling() -> None:
    # The 0.7 bin is observed better than the 0.9 bin: pooled into one non-decreasing value.
    data = points(0.7, right=40, wrong=0) + points(0.9, right=30, wrong=10)
    cal = fit(data)
    values = cal.maps[GLOBAL]
    assert list(values) == sorted(values)
    assert cal.apply(0.7, "policy") == cal.apply(0.9, "policy")
    assert max(fit(points(0.9, right=500, wrong=0)).maps[GLOBAL]) == CEILING


def test_a_family_with_few_statements_follows_the_others() -> None:
    data = points(0.9, 80, 20, family="policy") + points(0.9, 1, 1, family="pressure")
    cal = fit(data)
    assert 0.65 < cal.apply(0.9, "pressure") < cal.apply(0.9, GLOBAL) + 0.05
    assert cal.apply(0.9, "unknown-family") == cal.maps[GLOBAL][-1]


def test_identity_keeps_the_raw_prior() -> None:
    assert IDENTITY.identity and IDENTITY.apply(0.42, "policy") == 0.42


def test_reliability_and_calibration_error() -> None:
    data = points(0.95, right=9, wrong=1) + points(0.55, right=1, wrong=1)
    buckets = reliability(data)
    top = buckets[-1]
    assert (top.n, top.right, top.precision) == (10, 9, 0.9)
    assert buckets[1].precision == 0.5 and buckets[0].precision is None
    expected = (10 * abs(0.95 - 0.9) + 2 * abs(0.55 - 0.5)) / 12
    assert calibration_error(data) == pytest.approx(expected)


def test_leave_one_article_out_needs_two_articles() -> None:
    assert cross_validated_error(points(0.9, 5, 0, article="a")) is None
    data = points(0.9, 8, 2, article="a") + points(0.9, 9, 1, article="b")
    error = cross_validated_error(data)
    assert error is not None and 0 <= error < 0.2
    assert apply_to(data, IDENTITY) == data


def test_toml_round_trip() -> None:
    cal = fit(points(0.9, 9, 1) + points(0.7, 3, 1, family="meeting"))
    text = to_toml(cal, header=["a header"])
    assert text.startswith("# a header\n")
    again = parse_calibration(tomllib.loads(text), where="x")
    assert again.edges == cal.edges
    assert again.maps.keys() == cal.maps.keys()
    for family, values in cal.maps.items():
        assert again.maps[family] == pytest.approx(values)


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ("edges = [0, 2]\n", "edges"),
        ("edges = [0.5, 1]\n", "edges"),
        ("edges = [0, 0.5, 1]\n[maps]\npolicy = [0.5]\n", "maps.policy"),
        ("edges = [0, 1]\n[maps]\npolicy = [1.5]\n", "maps.policy"),
        ("edges = [0, 1\n", "does not parse"),
    ],
)
def test_malformed_calibration_is_e104(tmp_path: Path, toml: str, problem: str) -> None:
    path = tmp_path / "calibration.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(EntenteError) as info:
        load_calibration(path)
    assert info.value.code == "E104" and problem in info.value.message


def test_shipped_calibration_is_valid_and_monotone() -> None:
    cal = load_calibration()
    assert isinstance(cal, Calibration) and not cal.identity
    assert cal.edges == FIT_EDGES
    for family, values in cal.maps.items():
        assert list(values) == sorted(values), family
        assert all(0.05 <= v <= CEILING for v in values), family
    # Statements from the parse are never less trusted than ones from the window fallback. Not
    # strictly more: when the fit set shows the fallback as often right as the parse (the refit
    # after the third round of 2026-12-07 did, over all families), pooling makes the map flat
    # there; the raw priors still rank them.
    assert cal.apply(0.9, "no such family") >= cal.apply(0.72 * 0.8, "no such family")
    assert cal.apply(0.9, "no such family") > cal.apply(0.3, "no such family")
    assert cal.apply(0.9, "cooperation") >= cal.apply(0.72 * 0.8, "cooperation")
