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

from collections.abc import Collection, Iterable, Mapping, Sequence

from entente.errors import EntenteError
from entente.service.store.base import GraphEdit
from entente.service.store.terms import ToOxigraph, named_node
from rdflib import BNode, Graph

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


def replace_update(
    graphs: Mapping[str, Graph],
    *,
    drops: Sequence[str] = (),
    edits: Sequence[GraphEdit] = (),
    absent: Collection[str] = (),
) -> str:
    """One SPARQL update that applies the deletions of `edits`, drops `drops`, then replaces
    each graph in `graphs` and applies the additions of `edits`, keeping the default graph equal
    to the merge. A blank node used in a graph and in the default graph within the one INSERT
    DATA is one node. Empty text when there is nothing to do.

    `absent`: graphs of `graphs` the caller has just found not to exist, as the store's one
    writer (an edit's WorkingSet). Nothing of theirs is dropped or unmirrored first: those
    operations find nothing, yet Oxigraph applies a large INSERT DATA after them in one
    transaction at about half the speed (bench/bulk_write.py)."""
    convert = ToOxigraph()
    _check_edits(graphs, drops, edits)
    ops = [_edit_deletions(edits, convert)]
    replaced = [g for g in graphs if g not in absent]
    ops.append(drop_update([*drops, *replaced]) if drops or replaced else "")
    blocks: list[str] = []
    merged: dict[str, None] = {}  # the default graph's lines, each once (an ordered set)
    created: list[str] = []
    for name, graph in graphs.items():
        node = graph_iri(name)
        # After the INSERT DATA: a graph given triples exists by then, and CREATE SILENT is a
        # no-op; an empty one is created.
        created.append(f"CREATE SILENT GRAPH {node}")
        lines = [f"{convert(s)} {convert(p)} {convert(o)} ." for s, p, o in graph]
        if lines:
            blocks.append(f"GRAPH {node} {{\n" + "\n".join(lines) + "\n}")
            merged.update(dict.fromkeys(lines))
    for edit in edits:
        lines = [f"{convert(s)} {convert(p)} {convert(o)} ." for s, p, o in edit.add]
        if lines:
            blocks.append(f"GRAPH {graph_iri(edit.graph)} {{\n" + "\n".join(lines) + "\n}")
            merged.update(dict.fromkeys(lines))
    if blocks:
        ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n" + "\n".join(merged) + "\n}")
    ops.extend(created)
    return " ;\n".join(op for op in ops if op)


def _check_edits(
    graphs: Mapping[str, Graph], drops: Sequence[str], edits: Sequence[GraphEdit]
) -> None:
    whole = {*graphs, *drops}
    for edit in edits:
        if edit.graph in whole:
            raise EntenteError(
                "E205",
                f"<{edit.graph}> is both edited and written or dropped in one write",
                where="store",
            )
        if any(isinstance(term, BNode) for g in (edit.delete, edit.add) for t in g for term in t):
            raise EntenteError(
                "E205",
                f"a partial edit of <{edit.graph}> holds a blank node, which SPARQL Update "
                "cannot name; only ground triples can be edited in place",
                where="store",
            )


def _edit_deletions(edits: Sequence[GraphEdit], convert: ToOxigraph) -> str:
    """DELETE DATA for the edits' deletions, then the same triples out of the default graph
    unless a named graph still holds them."""
    blocks, rows = [], []
    for edit in edits:
        lines = [f"{convert(s)} {convert(p)} {convert(o)}" for s, p, o in edit.delete]
        if lines:
            blocks.append(f"GRAPH {graph_iri(edit.graph)} {{\n" + " .\n".join(lines) + " .\n}")
            rows += [f"({line})" for line in lines]
    if not blocks:
        return ""
    unmirror = (
        "DELETE { ?s ?p ?o } WHERE {\n"
        f"  VALUES (?s ?p ?o) {{\n  {chr(10).join(dict.fromkeys(rows))}\n  }}\n"
        "  ?s ?p ?o FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } }\n"
        "}"
    )
    return "DELETE DATA {\n" + "\n".join(blocks) + "\n} ;\n" + unmirror
