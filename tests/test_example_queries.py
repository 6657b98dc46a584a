"""The example queries are what analysts copy: they must parse, and must not be written in a way
that Oxigraph evaluates badly. A required pattern after an OPTIONAL in the same group is joined
without the OPTIONAL's left-hand bindings: on a 1M-triple store, queries written so ran past
their 30 s deadline where the same query with the OPTIONALs last answers in milliseconds
(bench/query.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

QUERIES = sorted((Path(__file__).resolve().parent.parent / "examples" / "queries").glob("*.rq"))


def _groups(node: object) -> list[CompValue]:
    """Every GroupGraphPatternSub below node, depth first."""
    found: list[CompValue] = []
    if isinstance(node, CompValue):
        if node.name == "GroupGraphPatternSub":
            found.append(node)
        for value in node.values():
            found += _groups(value)
    elif isinstance(node, list | tuple | ParseResults):
        for item in node:
            found += _groups(item)
    return found


def required_after_optional(query: str) -> list[str]:
    problems = []
    for group in _groups(parseQuery(query)):
        seen_optional = False
        for part in group.get("part") or []:
            if part.name == "OptionalGraphPattern":
                seen_optional = True
            elif seen_optional and part.name in ("TriplesBlock", "GroupOrUnionGraphPattern"):
                problems.append(part.name)
    return problems


def test_there_are_at_least_twelve_queries() -> None:
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_optionals_come_last(path: Path) -> None:
    assert required_after_optional(path.read_text(encoding="utf-8")) == []


def test_the_check_sees_a_pattern_after_an_optional() -> None:
    bad = "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <urn:x> ?x } ?s <urn:y> ?y }"
    good = "SELECT * WHERE { ?s ?p ?o . ?s <urn:y> ?y OPTIONAL { ?s <urn:x> ?x } }"
    assert required_after_optional(bad) == ["TriplesBlock"]
    assert required_after_optional(good) == []
