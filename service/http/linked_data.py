"""Linked data: every IRI under https://w3id.org/entente/id/ dereferences on this server at /id/…
(the request path /id/x names the IRI https://w3id.org/entente/id/x).

The answer is a direct 200 with the description (service/query/iri_description.py) in the format
`Accept` asks for: Turtle (the default), JSON-LD, N-Triples or RDF/XML; a browser (text/html
preferred) gets the HTML page. `format=ttl|jsonld|nt|rdfxml|html` overrides Accept, for links. An
IRI the accepted graphs say nothing about is 404 (E422) in the JSON error shape. docs/http.md,
"Linked data", says why 200 rather than a 303 redirect.
"""

from __future__ import annotations

import functools
import re

from entente.errors import EntenteError
from entente.ontology.vocab import ID_BASE
from entente.service.http.conneg import negotiate
from entente.service.http.deps import RunnerDep, StoreDep, require_reader
from entente.service.http.entity_page import local_link, render
from entente.service.query.iri_description import Description, describe
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

router = APIRouter(dependencies=[Depends(require_reader)])

# Offered media types, the default first; then aliases clients send.
_OFFERS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/json": "json-ld",
}
_FORMAT_PARAM: dict[str, str] = {
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "html": "text/html",
}
# What may follow /id/ in a request: an IRI path, percent-encoded as sent (RFC 3987 minus the
# characters that cannot appear in a SPARQL IRI reference).
_PATH = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+$")


@router.get("/id/{path:path}", name="resource")
async def resource(request: Request, path: str, store: StoreDep, runner: RunnerDep) -> Response:
    iri = ID_BASE + _raw_path(request, path)
    media = _choose(request)
    found = await runner.run(functools.partial(describe, store, iri))
    if found is None:
        raise EntenteError("E422", f"<{iri}> names nothing in this store", where=request.url.path)
    headers = {"Vary": "Accept"}
    if _OFFERS[media] == "html":
        return HTMLResponse(_page(request, found), headers=headers)
    rdf_format = _OFFERS[media]
    if rdf_format == "json-ld":
        context = {
            prefix: str(ns)
            for prefix, ns in found.graph.namespaces()
            if prefix in ("ent", "rdfs", "skos", "owl", "dcterms", "schema", "prov", "wd", "xsd")
        }
        body = found.graph.serialize(format="json-ld", context=context, encoding="utf-8")
    else:
        body = found.graph.serialize(format=rdf_format, encoding="utf-8")
    return Response(body, media_type=media, headers=headers)


def _raw_path(request: Request, decoded: str) -> str:
    """The path after /id/ as the client sent it (percent-encoding kept: the IRI is what was
    asked for, not its decoding); 404 unless it is a usable IRI path."""
    raw = request.scope.get("raw_path")
    text = raw.decode("latin-1") if isinstance(raw, bytes) else request.url.path
    marker = text.find("/id/")
    rest = text[marker + len("/id/") :] if marker >= 0 else decoded
    if not rest or not _PATH.match(rest) or ".." in rest.split("/"):
        raise EntenteError("E422", f"/id/{rest} is not an entente IRI path", where=request.url.path)
    return rest


def _choose(request: Request) -> str:
    wanted = request.query_params.get("format")
    if wanted:
        media = _FORMAT_PARAM.get(wanted.strip().lower())
        if media is None:
            raise EntenteError(
                "E415",
                f"unknown format {wanted!r}; use one of {', '.join(sorted(_FORMAT_PARAM))}",
                where="format",
            )
        return media
    accept = request.headers.get("accept")
    picked = negotiate(accept, list(_OFFERS))
    if picked is None:
        raise EntenteError(
            "E404",
            f"a resource is described as {', '.join(list(_OFFERS)[:5])}; none matches "
            f"Accept: {accept}",
            where="Accept",
        )
    return picked


def _page(request: Request, found: Description) -> str:
    base = str(request.url_for("resource", path=""))
    here = str(request.url.replace(query=""))
    formats = [
        ("Turtle", here + "?format=ttl"),
        ("JSON-LD", here + "?format=jsonld"),
        ("N-Triples", here + "?format=nt"),
    ]
    return render(found, link=local_link(base), formats=formats)
