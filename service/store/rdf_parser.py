"""RDF bytes sent to entente, parsed by the engine's parsers into an rdflib graph.

pyoxigraph parses: it is fast, names the line and column of a syntax error, and fetches nothing
(a remote JSON-LD @context or an XML external entity is an error, not a request: tested in
tests/http/test_gsp.py). Terms are turned into rdflib terms the way the store reads them back,
and blank nodes are renamed, so that a body's `_:b` can never be confused with a stored node.
The write path (entente.service.write.rdf_input) decides which bodies to read and how to
report a media type it does not read.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
from entente.errors import EntenteError
from entente.service.store.terms import to_rdflib
from rdflib import Graph, URIRef

# Media types of graph serialisations entente reads, and the engine's format for each.
_FORMATS: Mapping[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.N3,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

READABLE_MEDIA_TYPES: frozenset[str] = frozenset(_FORMATS)


def parse_rdf(
    data: bytes, media: str, *, base: str | None, where: str, identifier: str | None = None
) -> Graph:
    """The triples of `data`, serialised as `media` (one of READABLE_MEDIA_TYPES). Raises E423
    with the parser's position for a body that does not parse (or that holds quads in a named
    graph)."""
    fmt = _FORMATS[media]
    graph = Graph(identifier=URIRef(identifier)) if identifier else Graph()
    try:
        for quad in ox.parse(data, format=fmt, base_iri=base, rename_blank_nodes=True):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        message = f"the {where} does not parse as {media}: {exc}"
        raise EntenteError("E423", message, where=where) from None
    except (ValueError, OSError) as exc:
        message = f"the {where} cannot be read as {media}: {exc}"
        raise EntenteError("E423", message, where=where) from None
    except EntenteError as exc:  # an RDF-star triple term (to_rdflib refuses them)
        raise EntenteError("E423", f"the {where}: {exc.message}", where=where) from None
    return graph
