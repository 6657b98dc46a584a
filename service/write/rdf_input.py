"""RDF sent to entente (a Graph Store Protocol body, a LOAD source): which media types are read,
how a LOAD source is fetched, and the errors for what cannot be read. The parsing itself is the
store package's (entente.service.store.rdf_parser: the engine's parsers, which fetch nothing).
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from entente.errors import EntenteError
from entente.service.store.rdf_parser import READABLE_MEDIA_TYPES, parse_rdf
from entente.service.write.xml_entities import check_entity_expansion
from rdflib import Graph

# Media types of graph serialisations entente reads.
GRAPH_INPUT_TYPES: frozenset[str] = READABLE_MEDIA_TYPES

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
    data: bytes,
    media: str,
    *,
    base: str | None,
    where: str,
    identifier: str | None = None,
    max_bytes: int | None = None,
) -> Graph:
    """The triples of `data`, serialised as `media`. Raises E405 for a media type entente does
    not read, E423 with the parser's position for a body that does not parse (or that holds
    quads in a named graph), E410 for RDF/XML whose entities expand beyond `max_bytes`."""
    if media not in GRAPH_INPUT_TYPES:
        raise unsupported(media, where=where)
    if media == "application/rdf+xml" and max_bytes is not None:
        # The size limit must hold after XML entity expansion too ("billion laughs").
        check_entity_expansion(data, limit=max_bytes, where=where)
    return parse_rdf(data, media, base=base, where=where, identifier=identifier)


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
    return parse_graph(b"".join(chunks), media, base=url, where=where, max_bytes=max_bytes)
