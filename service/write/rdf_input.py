"""RDF sent to entente (a Graph Store Protocol body, a LOAD source), parsed by media type.

pyoxigraph parses: it is fast, names the line and column of a syntax error, and fetches nothing
(a remote JSON-LD @context or an XML external entity is an error, not a request: tested in
tests/http/test_gsp.py). Terms are turned into rdflib terms the way the store reads them back,
and blank nodes are renamed, so that a body's `_:b` can never be confused with a stored node.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx
import pyoxigraph as ox
from entente.errors import EntenteError
from entente.service.store.terms import to_rdflib
from rdflib import Graph, Literal, URIRef

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Media types of graph serialisations entente reads, and the format of each.
GRAPH_INPUT_TYPES: Mapping[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.N3,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

# For a LOAD source served without a usable Content-Type.
_BY_EXTENSION: Mapping[str, str] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".n3": "text/n3",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
}


def media_type_of(content_type: str | None) -> str:
    """`text/turtle; charset=utf-8` -> `text/turtle`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def media_type_for_url(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    for extension, media in _BY_EXTENSION.items():
        if path.endswith(extension):
            return media
    return None


def unsupported(media: str, *, where: str) -> EntenteError:
    return EntenteError(
        "E405",
        f"entente reads a graph as {', '.join(sorted(set(GRAPH_INPUT_TYPES)))}; "
        f"not {media or 'a body without a Content-Type'}",
        where=where,
        hint="Send the body with the Content-Type of its serialisation (Turtle: text/turtle).",
    )


def parse_graph(
    data: bytes, media: str, *, base: str | None, where: str, identifier: str | None = None
) -> Graph:
    """The triples of `data`, serialised as `media`. Raises E405 for a media type entente does
    not read, E423 with the parser's position for a body that does not parse (or that holds
    quads in a named graph)."""
    fmt = GRAPH_INPUT_TYPES.get(media)
    if fmt is None:
        raise unsupported(media, where=where)
    graph = Graph(identifier=URIRef(identifier)) if identifier else Graph()
    try:
        for quad in ox.parse(data, format=fmt, base_iri=base, rename_blank_nodes=True):
            obj = quad.object
            # The object as written: rdflib would rewrite a literal's lexical form ("none" as an
            # xsd:boolean becomes "false"), and the shapes must see what the client sent.
            value = (
                Literal(obj.value, lang=obj.language, normalize=False)
                if isinstance(obj, ox.Literal) and obj.language
                else Literal(obj.value, datatype=URIRef(obj.datatype.value), normalize=False)
                if isinstance(obj, ox.Literal) and obj.datatype.value != _XSD_STRING
                else to_rdflib(obj)
            )
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), value))
    except SyntaxError as exc:
        message = f"the {where} does not parse as {media}: {exc}"
        raise EntenteError("E423", message, where=where) from None
    except (ValueError, OSError) as exc:
        message = f"the {where} cannot be read as {media}: {exc}"
        raise EntenteError("E423", message, where=where) from None
    except EntenteError as exc:  # an RDF-star triple term (to_rdflib refuses them)
        raise EntenteError("E423", f"the {where}: {exc.message}", where=where) from None
    return graph


_LOAD_ACCEPT = (
    "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, "
    "application/ld+json;q=0.7, text/n3;q=0.5"
)


def fetch_graph(url: str, *, timeout: float, max_bytes: int) -> Graph:
    """GET an allow-listed LOAD source and parse it. Redirects are not followed: the allow-list
    names exact URLs, and a redirect could point anywhere, internal addresses included. Raises
    E425 when the source fails (status, redirect, size, network), E423 when it does not parse."""
    where = f"LOAD <{url}>"
    try:
        with (
            httpx.Client(follow_redirects=False, timeout=timeout) as client,
            client.stream("GET", url, headers={"Accept": _LOAD_ACCEPT}) as response,
        ):
            if response.is_redirect:
                target = response.headers.get("location", "?")
                raise EntenteError(
                    "E425",
                    f"the source redirects to {target}; redirects are not followed",
                    where=where,
                )
            if response.status_code != 200:
                raise EntenteError(
                    "E425", f"the source answered HTTP {response.status_code}", where=where
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise EntenteError(
                        "E425", f"the source is larger than {max_bytes:,} bytes", where=where
                    )
                chunks.append(chunk)
            content_type = response.headers.get("content-type")
    except httpx.HTTPError as exc:
        raise EntenteError("E425", f"the source could not be fetched: {exc}", where=where) from None
    media = media_type_of(content_type)
    if media not in GRAPH_INPUT_TYPES:
        media = media_type_for_url(url) or media
    return parse_graph(b"".join(chunks), media, base=url, where=where)
