"""Shape tests as data: tests/shapes/cases/<Shape>/{valid,invalid}-*.ttl (format in README.md
there). Each case is validated as an ingest delta by the gate, against a store holding
cases/_store.trig."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from entente.ontology.iris import document_graph
from entente.service.gate.gate import SHAPES_NS, Gate, ResultSummary, ValidationOutcome
from entente.service.store.oxigraph import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

CASES = Path(__file__).resolve().parent / "cases"

# Prefixes the expected.json files may use (the case files declare the same ones).
PREFIXES = {
    "ent": "https://w3id.org/entente/ontology#",
    "entsh": SHAPES_NS,
    "sh": str(SH),
    "stmt": "https://w3id.org/entente/id/statement/",
    "ev": "https://w3id.org/entente/id/evidence/",
    "doc": "https://w3id.org/entente/id/document/",
    "state": "https://w3id.org/entente/id/state/",
    "bloc": "https://w3id.org/entente/id/bloc/",
    "gov": "https://w3id.org/entente/id/government-body/",
    "person": "https://w3id.org/entente/id/person/",
    "company": "https://w3id.org/entente/id/company/",
    "tech": "https://w3id.org/entente/id/technology/",
    "place": "https://w3id.org/entente/id/place/",
    "amount": "https://w3id.org/entente/id/amount/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
}

Key = tuple[str, str | None, str, str]  # focus, path, constraint component, severity


@dataclass(frozen=True)
class Case:
    shape: str
    path: Path
    rejects: bool | None  # None: a valid case (no result expected)
    expected: tuple[Key, ...]

    @property
    def id(self) -> str:
        return f"{self.shape}/{self.path.stem}"

    def graph(self) -> Graph:
        return Graph().parse(self.path, format="turtle")


def expand(name: str | None) -> str | None:
    if name is None:
        return None
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def load_cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for ttl in sorted(folder.glob("*.ttl")):
            if ttl.name.startswith("valid-"):
                cases.append(Case(folder.name, ttl, None, ()))
            elif ttl.name.startswith("invalid-"):
                spec = json.loads(ttl.with_suffix(".expected.json").read_text(encoding="utf-8"))
                expected = tuple(
                    (
                        expand(r["focus"]) or "",
                        expand(r["path"]),
                        expand(r["component"]) or "",
                        expand(r["severity"]) or "",
                    )
                    for r in spec["results"]
                )
                cases.append(Case(folder.name, ttl, bool(spec["rejects"]), expected))
            else:
                raise AssertionError(f"{ttl}: a case is named valid-*.ttl or invalid-*.ttl")
    return cases


ALL_CASES = load_cases()


def keys(results: list[ResultSummary]) -> Counter[Key]:
    return Counter((r.focus_node, r.path, r.constraint, str(SH) + r.severity) for r in results)


def background() -> Dataset:
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's TriG parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(CASES / "_store.trig", format="trig")
    return dataset


def store_with(*extra: Graph) -> OxigraphStore:
    store = OxigraphStore(None)
    graphs = {str(g.identifier): g for g in background().graphs() if len(g)}
    for n, graph in enumerate(extra):
        graphs[str(document_graph(f"{n:064x}"))] = graph
    store.put_graphs(graphs)
    return store


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate()


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    s = store_with()
    yield s
    s.close()


@pytest.fixture(scope="module")
def outcomes(gate: Gate, store: OxigraphStore) -> dict[str, ValidationOutcome]:
    return {case.id: gate.validate(case.graph(), store) for case in ALL_CASES}


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_case(case: Case, outcomes: dict[str, ValidationOutcome]) -> None:
    outcome = outcomes[case.id]
    actual = keys(outcome.violations + outcome.warnings)
    if case.rejects is None:
        assert actual == Counter(), "\n".join(
            r.render() for r in outcome.violations + outcome.warnings
        )
        assert outcome.conforms and outcome.accepted
    else:
        assert actual == Counter(case.expected), "\n".join(
            r.render() for r in outcome.violations + outcome.warnings
        )
        assert outcome.accepted is not case.rejects
        assert not outcome.conforms  # SHACL: any result, of any severity


def test_background_conforms_without_any_result(gate: Gate, store: OxigraphStore) -> None:
    outcome = gate.validate_all(store)
    assert outcome.violations == [] and outcome.warnings == []


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_delta_with_context_equals_whole_store(case: Case, gate: Gate) -> None:
    """The context rule is exact: validating the delta plus what the gate fetches gives the same
    results as validating the store with the delta added (issue 4 compares engines here too)."""
    delta = case.graph()
    with store_with() as before, store_with(delta) as after:
        incremental = gate.validate(delta, before)
        whole = gate.validate_all(after)
    assert keys(whole.violations + whole.warnings) == keys(
        incremental.violations + incremental.warnings
    )


def targeted_shapes(shapes: Graph) -> set[URIRef]:
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    return {s for t in targets for s in shapes.subjects(t, None) if isinstance(s, URIRef)}


def test_every_targeted_shape_has_valid_and_invalid_cases(gate: Gate) -> None:
    shipped = {str(s)[len(SHAPES_NS) :] for s in targeted_shapes(gate.shapes)}
    folders = {c.shape for c in ALL_CASES}
    assert folders <= shipped, f"case folders for unknown shapes: {sorted(folders - shipped)}"
    for shape in sorted(shipped):
        kinds = {c.rejects is None for c in ALL_CASES if c.shape == shape}
        assert kinds == {True, False}, f"{shape} needs a valid-*.ttl and an invalid-*.ttl case"


_NOT_CONSTRAINTS = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.deactivated,
    SH.order,
    SH.group,
}


def test_every_shape_is_exercised_by_an_invalid_case(
    gate: Gate, outcomes: dict[str, ValidationOutcome]
) -> None:
    """Each property shape, and each targeted node shape with constraints of its own, produces
    at least one result in some invalid case: no shape goes untested."""
    shapes = gate.shapes
    expected: set[str] = set()
    for node_shape in targeted_shapes(shapes):
        expected.update(str(p) for p in shapes.objects(node_shape, SH.property))
        own = {p for p in shapes.predicates(node_shape, None) if str(p).startswith(str(SH))}
        if own - _NOT_CONSTRAINTS:
            expected.add(str(node_shape))
    seen = {
        r.shape
        for case in ALL_CASES
        if case.rejects is not None
        for r in outcomes[case.id].violations + outcomes[case.id].warnings
    }
    assert sorted(expected - seen) == []


def test_cases_report_the_evidence_sentence(outcomes: dict[str, ValidationOutcome]) -> None:
    outcome = outcomes["EvidenceShape/invalid-low-confidence"]
    assert [w.sentence for w in outcome.warnings] == [
        "Japan might, some say, work with the EU on chips."
    ]
    rejected = outcomes["CooperationShape/invalid-one-party"].violations
    assert [v.sentence for v in rejected] == ["Japan and the EU will cooperate on chips."]
