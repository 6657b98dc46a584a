"""service/write/graph_edit.py: the working set of an edit (graphs copied only when written, a
parsed body adopted without a copy) and the commit that names the graphs it creates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from entente.service.store import OxigraphStore, Store
from entente.service.write.graph_edit import WorkingSet, commit
from rdflib import Graph, Literal, URIRef

EX = "http://example.org/"
P = URIRef(EX + "p")


def _graph(name: str, *values: str) -> Graph:
    g = Graph(identifier=URIRef(name))
    for i, value in enumerate(values):
        g.add((URIRef(f"{EX}s{i}"), P, Literal(value)))
    return g


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


class PassGate:
    """Accepts every edit, and remembers what it was given (the shapes are tested elsewhere)."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, int]] = []

    def context(self, delta: Graph, store: Store) -> Graph:
        return Graph()

    def validate(self, delta: Graph, store: Store | None = None, **kw: Any) -> Any:
        from entente.service.gate.validation_report import ValidationOutcome

        context = kw.get("context")
        self.seen.append((len(delta), len(context) if context is not None else 0))
        return ValidationOutcome(True, [], [], "")


def test_a_graph_read_but_not_written_is_not_a_change(store: Store) -> None:
    store.put_graphs({EX + "g": _graph(EX + "g", "a", "b")})
    ws = WorkingSet(store, where="graph")
    assert ws.existed(EX + "g") and not ws.existed(EX + "h")
    assert ws.touched() == set() and ws.changes().empty


def test_changing_a_read_graph_leaves_its_before_as_stored(store: Store) -> None:
    store.put_graphs({EX + "g": _graph(EX + "g", "a", "b")})
    ws = WorkingSet(store, where="graph")
    graph = ws.get(EX + "g")
    assert graph is not None
    graph.remove((URIRef(EX + "s0"), P, Literal("a")))
    graph.add((URIRef(EX + "s9"), P, Literal("z")))
    changes = ws.changes()
    assert (changes.inserted, changes.deleted) == (1, 1)
    before = changes.before[EX + "g"]
    assert before is not None and len(before) == 2
    assert (URIRef(EX + "s0"), P, Literal("a")) in before


def test_adopt_keeps_the_graph_itself_and_counts_like_a_replace(store: Store) -> None:
    store.put_graphs({EX + "g": _graph(EX + "g", "a", "b")})
    ws = WorkingSet(store, where="graph")
    body = _graph(EX + "g", "a", "c", "d")  # s0 stays "a"; s1 "b" -> "c"; s2 new
    ws.adopt(EX + "g", body)
    new = _graph(EX + "n", "x")
    ws.adopt(EX + "n", new)
    changes = ws.changes()
    assert changes.written[EX + "g"] is body and changes.written[EX + "n"] is new
    assert (changes.inserted, changes.deleted) == (3, 1)
    assert changes.created() == [EX + "n"]


def test_the_same_content_again_is_no_change(store: Store) -> None:
    store.put_graphs({EX + "g": _graph(EX + "g", "a", "b")})
    ws = WorkingSet(store, where="graph")
    ws.adopt(EX + "g", _graph(EX + "g", "a", "b"))
    assert ws.changes().empty


def test_commit_creates_and_replaces_in_one_write(store: Store) -> None:
    """The created graph goes to the store as `absent` (nothing dropped before it); the replaced
    one is replaced whole, and the one graph of each write reaches the gate uncopied."""
    store.put_graphs({EX + "g": _graph(EX + "g", "old", "kept")})
    gate = PassGate()
    ws = WorkingSet(store, where="graph")
    ws.adopt(EX + "new", _graph(EX + "new", "n1", "n2", "n3"))
    outcome = commit(store, gate, ws.changes(), where="graph")  # type: ignore[arg-type]
    assert outcome.changes.created() == [EX + "new"] and gate.seen == [(3, 0)]
    ws = WorkingSet(store, where="graph")
    ws.adopt(EX + "g", _graph(EX + "g", "fresh"))
    commit(store, gate, ws.changes(), where="graph")  # type: ignore[arg-type]
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}")
    assert sorted(str(r["o"]) for r in rows) == ["fresh"]
    rows = store.select("SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }")
    assert sorted(str(r["o"]) for r in rows) == ["fresh", "n1", "n2", "n3"]
