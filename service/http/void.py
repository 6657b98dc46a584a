"""A VoID description of the accepted data at /.well-known/void (RFC 5785, VoID §7.2).

The counts describe the default graph, the union of the accepted graphs that queries see:
triples, distinct subjects, objects and properties, classes, and one class partition per `ent:`
class with the number of its instances. They are computed by the engine (two scans) and kept
until the data changes: the cache key is the list of accepted graphs (an ingest, a release from
quarantine or a deleted document changes it) plus the number of direct edits committed through
/update and /store (which can change a graph in place).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from entente.errors import EntenteError
from entente.ontology.vocab import ID_BASE, ONTOLOGY_IRI
from entente.service.http.conneg import negotiate
from entente.service.http.deps import RunnerDep, StoreDep, require_reader
from entente.service.http.edits import data_generation
from entente.service.query.runner import QueryRunner
from entente.service.store.base import Store
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

router = APIRouter(dependencies=[Depends(require_reader)])

ENT_NS = ONTOLOGY_IRI + "#"
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}

COUNTS = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }"""

CLASSES = """SELECT ?class (COUNT(DISTINCT ?x) AS ?n)
WHERE { ?x a ?class }
GROUP BY ?class"""


@dataclass(frozen=True)
class DatasetCounts:
    triples: int
    subjects: int
    objects: int
    properties: int
    classes: int
    ent_classes: tuple[tuple[str, int], ...]  # (ent: class IRI, instances), by IRI


def count(store: Store) -> DatasetCounts:
    """The VoID statistics of the accepted default graph, by the engine."""
    row = store.select(COUNTS)[0]
    classes = store.select(CLASSES)
    ent = sorted(
        (str(r["class"]), int(str(r["n"]))) for r in classes if str(r["class"]).startswith(ENT_NS)
    )
    return DatasetCounts(
        triples=int(str(row["triples"])),
        subjects=int(str(row["subjects"])),
        objects=int(str(row["objects"])),
        properties=int(str(row["properties"])),
        classes=len(classes),
        ent_classes=tuple(ent),
    )


def void_description(base: str, sparql_endpoint: str, counts: DatasetCounts) -> Graph:
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcterms", DCTERMS), ("foaf", FOAF), ("ent", ENT_NS)):
        g.bind(prefix, ns)
    document = URIRef(base)
    dataset = URIRef(base + "#entente")
    g.add((document, RDF.type, VOID.DatasetDescription))
    g.add((document, DCTERMS.title, Literal("VoID description of this entente server", lang="en")))
    g.add((document, FOAF.primaryTopic, dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("entente knowledge graph", lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Statements on technology geopolitics extracted from news articles, each with "
                "its evidence sentence and source document; the union of the accepted graphs.",
                lang="en",
            ),
        )
    )
    g.add((dataset, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    g.add((dataset, VOID.uriSpace, Literal(ID_BASE)))
    g.add((dataset, VOID.vocabulary, URIRef(ENT_NS)))
    for name, value in (
        ("triples", counts.triples),
        ("distinctSubjects", counts.subjects),
        ("distinctObjects", counts.objects),
        ("properties", counts.properties),
        ("classes", counts.classes),
    ):
        g.add((dataset, VOID[name], Literal(value, datatype=XSD.integer)))
    for cls, instances in counts.ent_classes:
        partition = BNode()
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(cls)))
        g.add((partition, VOID.entities, Literal(instances, datatype=XSD.integer)))
    return g


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[int, int, tuple[str, ...]] | None = None
        self.counts: DatasetCounts | None = None


def _cache_of(request: Request) -> _Cache:
    cache = getattr(request.app.state, "void_cache", None)
    if not isinstance(cache, _Cache):
        cache = request.app.state.void_cache = _Cache()
    return cache


async def cached_counts(
    request: Request, store: Store, runner: QueryRunner
) -> tuple[DatasetCounts, tuple[str, ...]]:
    """The dataset's counts, recomputed only when the data changed, and the accepted graphs."""
    cache = _cache_of(request)
    graphs = tuple(await runner.run(store.list_graphs))
    key = (id(store), data_generation(request), graphs)
    counts = cache.counts if cache.key == key else None
    if counts is None:
        counts = await runner.run(functools.partial(count, store))
        with cache.lock:
            cache.key, cache.counts = key, counts
    return counts, graphs


@router.get("/.well-known/void", name="void")
async def void(request: Request, store: StoreDep, runner: RunnerDep) -> Response:
    accept = request.headers.get("accept")
    picked = negotiate(accept, list(_TYPES))
    if picked is None:
        raise EntenteError(
            "E404",
            f"VoID is available as {', '.join(_TYPES)}; none matches Accept: {accept}",
            where="Accept",
        )
    counts, _ = await cached_counts(request, store, runner)
    graph = void_description(str(request.url_for("void")), str(request.url_for("sparql")), counts)
    body = graph.serialize(format=_TYPES[picked], encoding="utf-8")
    return Response(body, media_type=picked, headers={"Vary": "Accept"})
