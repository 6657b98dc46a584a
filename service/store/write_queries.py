"""The SPARQL Update texts every store sends for its writes, embedded or remote.

A store keeps its stored default graph equal to the RDF merge (a set) of its named graphs
(docs/store.md, "The default graph"), so a write is never a bare INSERT or DROP: removing a graph
also removes from the default graph the triples no other graph holds, and writing one mirrors its
triples into the default graph, all in ONE update request. The embedded store gives it to
pyoxigraph's `update`, the remote store POSTs it to the server's update endpoint; both apply one
request as one transaction, so the mirror never drifts from the graphs.

Terms are written by pyoxigraph's own formatter (str() of an engine term), so the server's
parser reads back exactly what was meant, escapes included; data that cannot be stored (an
invalid IRI, a malformed language tag) is refused here, before anything is sent (E205).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from entente.service.store.terms import ToOxigraph, named_node
from rdflib import Graph

# Recompute the default graph as the merge of the named graphs (after an update that wrote
# named graphs directly, or to migrate a store whose default graph was empty).
REBUILD_DEFAULT_GRAPH = "CLEAR SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def graph_iri(graph: str) -> str:
    """`<graph>` as SPARQL text; an invalid name is E415 (a caller's parameter)."""
    return str(named_node(graph, code="E415", where="graph name"))


def drop_update(graphs: Iterable[str]) -> str:
    """Drop named graphs, and from the default graph the triples no remaining graph holds.
    Empty text when there is nothing to drop."""
    names = [graph_iri(g) for g in dict.fromkeys(graphs)]
    if not names:
        return ""
    unmirror = (
        "DELETE { ?s ?p ?o } WHERE {\n"
        f"  VALUES ?g {{ {' '.join(names)} }}\n"
        "  GRAPH ?g { ?s ?p ?o }\n"
        "  FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } "
        f"FILTER(?other NOT IN ({', '.join(names)})) }}\n"
        "}"
    )
    return " ;\n".join([unmirror, *(f"DROP SILENT GRAPH {n}" for n in names)])


def replace_update(graphs: Mapping[str, Graph], *, drops: Sequence[str] = ()) -> str:
    """One SPARQL update that drops `drops`, then replaces each graph in `graphs`, keeping the
    default graph equal to the merge. A blank node used in a graph and in the default graph
    within the one INSERT DATA is one node. Empty text when there is nothing to do."""
    convert = ToOxigraph()
    ops = [drop_update([*drops, *graphs])] if drops or graphs else []
    blocks, merged = [], []
    for name, graph in graphs.items():
        node = graph_iri(name)
        ops.append(f"CREATE SILENT GRAPH {node}")
        body = "\n".join(f"{convert(s)} {convert(p)} {convert(o)} ." for s, p, o in graph)
        if body:
            blocks.append(f"GRAPH {node} {{\n{body}\n}}")
            merged.append(body)
    if blocks:
        ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n" + "\n".join(merged) + "\n}")
    return " ;\n".join(op for op in ops if op)
