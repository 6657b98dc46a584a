"""Load the shipped reference data (ontology, SKOS schemes, gazetteer) into their named graphs,
so that analysts' queries see labels, aliases and the class hierarchy beside the documents.

Each reference graph carries the sha256 of the files it was built from (`<graph> ent:sha256
"…"` inside the graph itself). On every start the shipped files are hashed (cheap: a few hundred
kB) and a graph is rebuilt only when its hash differs; the rebuild is one put_graphs call, so a
query sees the old reference data or the new, never a mix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from entente.errors import EntenteError
from entente.ontology.iris import GAZETTEER_GRAPH, ONTOLOGY_GRAPH
from entente.ontology.vocab import ENT
from entente.service.store.base import Store
from rdflib import Graph, Literal, URIRef

# Graph -> the shipped Turtle files (in entente.ontology) it is built from.
REFERENCE_FILES: dict[str, tuple[str, ...]] = {
    str(ONTOLOGY_GRAPH): ("entente.ttl", "policy-types.ttl"),
    str(GAZETTEER_GRAPH): ("technologies.ttl", "gazetteer.ttl"),
}


@dataclass(frozen=True)
class ReferenceSource:
    """One Turtle file of reference data: a name for messages, and a way to read it."""

    name: str
    resource: Traversable


def shipped_sources() -> dict[str, list[ReferenceSource]]:
    package = files("entente.ontology")
    return {
        graph: [ReferenceSource(f"ontology/{name}", package.joinpath(name)) for name in names]
        for graph, names in REFERENCE_FILES.items()
    }


def ensure_reference_graphs(
    store: Store, sources: Mapping[str, Sequence[ReferenceSource]] | None = None
) -> list[str]:
    """Bring the reference graphs up to date with the shipped files; return the graphs that were
    (re)loaded. Raises E103 naming the file when one is missing or does not parse."""
    sources = shipped_sources() if sources is None else sources
    changed: dict[str, Graph] = {}
    for graph_name, graph_sources in sources.items():
        contents = [(source, _read(source)) for source in graph_sources]
        digest = _digest(contents)
        stamp = f"<{graph_name}> <{ENT.sha256}> {Literal(digest).n3()}"
        if store.ask(f"ASK {{ GRAPH <{graph_name}> {{ {stamp} }} }}"):
            continue
        graph = Graph(identifier=URIRef(graph_name))
        for source, data in contents:
            try:
                graph.parse(data=data, format="turtle", publicID=graph_name)
            except Exception as exc:  # rdflib raises several types; all mean "does not parse"
                raise EntenteError(
                    "E103", f"does not parse as Turtle: {exc}", where=source.name
                ) from exc
        graph.add((URIRef(graph_name), ENT.sha256, Literal(digest)))
        changed[graph_name] = graph
    if changed:
        store.put_graphs(changed)
    return sorted(changed)


def with_reference_graphs(store: Store) -> Store:
    """`store`, its reference graphs brought up to date; closed again if that fails, so that a
    caller opening a store for writing never holds a half-prepared one."""
    try:
        ensure_reference_graphs(store)
    except BaseException:
        store.close()
        raise
    return store


def _read(source: ReferenceSource) -> bytes:
    try:
        return source.resource.read_bytes()
    except OSError as exc:
        raise EntenteError(
            "E103",
            f"cannot read the shipped reference file ({exc}); the installation is incomplete",
            where=source.name,
            hint="Reinstall entente; the ontology files ship inside the package.",
        ) from exc


def _digest(contents: Sequence[tuple[ReferenceSource, bytes]]) -> str:
    h = hashlib.sha256()
    for source, data in contents:
        # Names and lengths are hashed too, so moving text between files changes the digest.
        h.update(f"{source.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()
