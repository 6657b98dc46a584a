"""The W3C SHACL core test suite (the copy in pyshacl's source distribution, tests/w3c/suite.py)
run through both engines as the gate runs them (service/gate/gate.py validate_graph): every test
passes, or is listed below with the reason. A listed test that starts passing fails the run
(strict xfail), so the list cannot go stale."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest
import rdflib
from entente.service.gate.gate import EngineName, validate_graph
from pyshacl.validator_conformance import DASH, compare_validation_reports
from rdflib import Graph
from rdflib.namespace import RDF

_spec = importlib.util.spec_from_file_location(
    "entente_w3c_suite", Path(__file__).with_name("suite.py")
)
assert _spec is not None and _spec.loader is not None
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)

CORE, WHY_NOT = suite.suite_dir()
CASES = [p.relative_to(CORE).as_posix() for p in suite.case_files(CORE)] if CORE else []

# Tests an engine does not pass, with the reason (none at present). Keep each reason specific.
KNOWN: dict[tuple[EngineName, str], str] = {}


def load(path: Path) -> Graph:
    """The test file as written: the suite compares literals by their lexical form, so rdflib must
    not rewrite them while parsing (what pyshacl's own runner does too)."""
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(path, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = previous


def passes(path: Path, engine: EngineName) -> bool:
    data = load(path)
    report = validate_graph(data, data, engine=engine)
    expected = load(path)
    case = next(expected.subjects(RDF.type, DASH.GraphValidationTestCase))
    result = expected.value(case, DASH.expectedResult)
    return bool(compare_validation_reports(report, expected, result, logging.getLogger(__name__)))


def _params() -> list[object]:
    if CORE is None:
        return [
            pytest.param(
                None, None, marks=pytest.mark.skip(reason=f"W3C suite unavailable: {WHY_NOT}")
            )
        ]
    out: list[object] = []
    for engine in ("sparql", "pyshacl"):
        for name in CASES:
            reason = KNOWN.get((engine, name))  # type: ignore[arg-type]
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            out.append(pytest.param(engine, name, marks=marks, id=f"{engine}:{name}"))
    return out


@pytest.mark.parametrize(("engine", "name"), _params())
def test_w3c_core(engine: EngineName, name: str) -> None:
    assert CORE is not None
    assert passes(CORE / name, engine)


def test_known_failures_name_real_tests() -> None:
    if CORE is None:
        pytest.skip(f"W3C suite unavailable: {WHY_NOT}")
    assert {name for _, name in KNOWN} <= set(CASES)


def test_the_whole_suite_is_there() -> None:
    """85 tests in pyshacl 0.40.1's copy; fewer means a broken unpack, not a smaller suite."""
    if CORE is None:
        pytest.skip(f"W3C suite unavailable: {WHY_NOT}")
    assert len(CASES) == 85
