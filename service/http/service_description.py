"""GET /sparql without a query: a SPARQL 1.1 Service Description (Turtle by default; N-Triples,
JSON-LD, RDF/XML on request), or the query page for a browser.

The description names the endpoint, the query language, every result format, the union default
graph (sd:UnionDefaultGraph, with its size), the reference graphs (ontology, gazetteer) as named
graphs with their sizes, the number of document graphs, the VoID description, and, when writes
are enabled, the update endpoint. Counts come from the same cache as VoID (service/http/void.py),
so they are exact and cost nothing until the data changes.
"""

from __future__ import annotations

import functools
from importlib.resources import files

from entente.errors import EntenteError
from entente.ontology.iris import GAZETTEER_GRAPH, ONTOLOGY_GRAPH
from entente.ontology.vocab import GRAPH_BASE
from entente.service.http.conneg import formats_for, negotiate
from entente.service.http.deps import AppContext
from entente.service.http.void import cached_counts
from entente.service.query.runner import QueryRunner
from entente.service.settings import Settings
from entente.service.store.base import Store
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DOCUMENT_GRAPHS = GRAPH_BASE + "document/"

_DESCRIPTION_TYPES = (
    "text/turtle",
    "text/html",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
_RESULT_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/n-quads": FORMATS["N-Quads"],
    "application/trig": FORMATS.TriG,
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
}
_INPUT_FORMAT_IRIS = (FORMATS.Turtle, FORMATS["N-Triples"], FORMATS["JSON-LD"], FORMATS.RDF_XML)


async def describe_service(
    request: Request, store: Store, runner: QueryRunner, settings: Settings
) -> Response:
    accept = request.headers.get("accept")
    picked = negotiate(accept, _DESCRIPTION_TYPES)
    if picked is None:
        raise EntenteError(
            "E404",
            f"the service description is available as {', '.join(_DESCRIPTION_TYPES)}; "
            f"none matches Accept: {accept}",
            where="Accept",
        )
    if picked == "text/html":
        return HTMLResponse(_query_page())
    counts, graphs = await cached_counts(request, store, runner)
    reference = [g for g in (str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH)) if g in graphs]
    sizes = await runner.run(functools.partial(_graph_sizes, store, reference))
    context: AppContext = request.app.state.entente
    graph = service_description(
        str(request.url_for("sparql")),
        triples=counts.triples,
        graphs=len(graphs),
        documents=sum(1 for g in graphs if g.startswith(DOCUMENT_GRAPHS)),
        named_graphs=sizes,
        federation=bool(settings.service_allowlist),
        void=str(request.url_for("void")),
        update_endpoint=str(request.url_for("update")) if context.write_token else None,
    )
    body = graph.serialize(format=_RDFLIB_FORMATS[picked], encoding="utf-8")
    return Response(body, media_type=picked, headers={"Vary": "Accept"})


def _graph_sizes(store: Store, graphs: list[str]) -> dict[str, int]:
    sizes = {}
    for name in graphs:
        rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        sizes[name] = int(str(rows[0]["n"])) if rows else 0
    return sizes


def service_description(
    endpoint: str,
    *,
    triples: int,
    graphs: int,
    documents: int = 0,
    named_graphs: dict[str, int] | None = None,
    federation: bool = False,
    void: str | None = None,
    update_endpoint: str | None = None,
) -> Graph:
    """A SPARQL 1.1 Service Description of this endpoint (and of /update when it is enabled)."""
    g = Graph()
    for prefix, ns in (("sd", SD), ("formats", FORMATS), ("void", VOID), ("dcterms", DCTERMS)):
        g.bind(prefix, ns)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, RDFS.label, Literal("entente SPARQL endpoint", lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if federation:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for media in [f.value for f in (*formats_for("solutions"), *formats_for("graph"))]:
        g.add((service, SD.resultFormat, _RESULT_FORMAT_IRIS[media]))

    dataset, default = BNode(), BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    if void:
        g.add((dataset, RDFS.seeAlso, URIRef(void)))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add(
        (
            default,
            RDFS.comment,
            Literal(
                "The default graph is the union of the accepted named graphs: one per document, "
                "plus the ontology and gazetteer. Quarantined documents are not in it.",
                lang="en",
            ),
        )
    )
    g.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for name, size in sorted((named_graphs or {}).items()):
        named, inner = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(size, datatype=XSD.integer)))
    # One named graph per accepted document: too many to list, so they are counted.
    subset = BNode()
    g.add((dataset, VOID.subset, subset))
    g.add((subset, RDF.type, VOID.Dataset))
    g.add((subset, DCTERMS.title, Literal("accepted documents, one named graph each", lang="en")))
    g.add((subset, VOID.uriSpace, Literal(DOCUMENT_GRAPHS)))
    g.add((subset, VOID.documents, Literal(documents, datatype=XSD.integer)))
    g.add(
        (
            dataset,
            RDFS.comment,
            Literal(f"accepted named graphs: {graphs}, of which {documents} documents", lang="en"),
        )
    )

    if update_endpoint:
        update = URIRef(update_endpoint)
        g.add((update, RDF.type, SD.Service))
        g.add((update, SD.endpoint, update))
        g.add((update, RDFS.label, Literal("entente SPARQL Update endpoint", lang="en")))
        g.add((update, SD.supportedLanguage, SD.SPARQL11Update))
        g.add((update, SD.feature, SD.UnionDefaultGraph))
        g.add((update, SD.defaultDataset, dataset))
        for fmt in _INPUT_FORMAT_IRIS:  # what LOAD reads
            g.add((update, SD.inputFormat, fmt))
        g.add(
            (
                update,
                RDFS.comment,
                Literal(
                    "Needs 'Authorization: Bearer <write token>'. Writes go to named graphs and "
                    "pass the SHACL gate before they are committed.",
                    lang="en",
                ),
            )
        )
    return g


@functools.lru_cache(maxsize=1)
def _query_page() -> str:
    return files("entente.service.http").joinpath("static/query.html").read_text(encoding="utf-8")
