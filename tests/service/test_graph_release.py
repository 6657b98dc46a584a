"""service/write/release.py: large rdflib graphs emptied a step at a time (issue 11, item 3)."""

from __future__ import annotations

from entente.service.write.release import STEP, release
from rdflib import Dataset, Graph, Literal, URIRef

EX = "http://example.org/"


def _graph(n: int) -> Graph:
    g = Graph(identifier=URIRef(f"{EX}g"))
    for i in range(n):
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"value {i}")))
    return g


def test_a_large_graph_is_emptied_and_stays_usable() -> None:
    # One predicate: the predicate index holds one dict of 3 * STEP entries (a nested drain).
    g = _graph(3 * STEP)
    release([g, None])
    assert len(g) == 0 and list(g) == []
    g.add((URIRef(f"{EX}a"), URIRef(f"{EX}p"), Literal("again")))
    assert len(g) == 1 and g.identifier == URIRef(f"{EX}g")
    assert list(g.objects(URIRef(f"{EX}a"), URIRef(f"{EX}p"))) == [Literal("again")]


def test_small_graphs_and_other_stores() -> None:
    small = _graph(5)
    release([small])
    assert len(small) == 0
    # A graph of a dataset shares the dataset's store: emptying it would empty the others.
    ds = Dataset()
    named = ds.graph(URIRef(f"{EX}n"))
    named.add((URIRef(f"{EX}a"), URIRef(f"{EX}p"), Literal(1)))
    ds.graph(URIRef(f"{EX}m")).add((URIRef(f"{EX}b"), URIRef(f"{EX}p"), Literal(2)))
    release([named])
    assert len(ds.graph(URIRef(f"{EX}m"))) == 1
