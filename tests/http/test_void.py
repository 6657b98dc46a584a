"""Descriptions of the data and the service: VoID at /.well-known/void and the SPARQL Service
Description at GET /sparql (no query), with counts that follow every change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from entente.service.store.oxigraph import OxigraphStore
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ENT = Namespace("https://w3id.org/entente/ontology#")
USER = "http://example.org/notes"


@pytest.fixture
def client(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore, token: str
) -> TestClient:
    return make_client(kg_store, write_token=token)


def void_graph(client: TestClient, **headers: str) -> tuple[Graph, URIRef]:
    r = client.get("/.well-known/void", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    dataset = g.value(predicate=RDF.type, object=VOID.Dataset)
    assert isinstance(dataset, URIRef)
    return g, dataset


def number(g: Graph, subject: Any, predicate: URIRef) -> int:
    value = g.value(subject, predicate)
    assert isinstance(value, Literal), predicate
    return int(value)


def partitions(g: Graph, dataset: URIRef) -> dict[str, int]:
    out = {}
    for partition in g.objects(dataset, VOID.classPartition):
        out[str(g.value(partition, VOID["class"]))] = number(g, partition, VOID.entities)
    return out


def select_number(client: TestClient, query: str) -> int:
    r = client.get("/sparql", params={"query": query})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- VoID ---------------------------------------------------------------------------------------


def test_void_describes_the_dataset(client: TestClient) -> None:
    g, dataset = void_graph(client)
    assert g.value(dataset, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    assert g.value(dataset, VOID.vocabulary) == URIRef(str(ENT))
    assert str(g.value(dataset, VOID.uriSpace)) == "https://w3id.org/entente/id/"
    # The counts are the default graph's, as a query sees it.
    assert number(g, dataset, VOID.triples) == select_number(
        client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    )
    assert number(g, dataset, VOID.distinctSubjects) == select_number(
        client, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"
    )
    assert number(g, dataset, VOID.properties) == select_number(
        client, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }"
    )
    assert number(g, dataset, VOID.classes) == select_number(
        client, "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }"
    )
    by_class = partitions(g, dataset)
    assert by_class[str(ENT.Cooperation)] == 1
    assert by_class[str(ENT.ExportControl)] == 1
    assert by_class[str(ENT.Evidence)] == 2
    assert by_class[str(ENT.Document)] == 1
    assert by_class[str(ENT.State)] == select_number(
        client, f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{ENT.State}> }}"
    )
    assert all(cls.startswith(str(ENT)) for cls in by_class)


def test_void_counts_up_to_date(client: TestClient, token: str) -> None:
    """Counts follow a write at once: the cache is keyed on the data, not on time."""
    g, dataset = void_graph(client)
    before = number(g, dataset, VOID.triples)
    states = partitions(g, dataset)[str(ENT.State)]
    body = (
        "@prefix ent: <https://w3id.org/entente/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/entente/id/state/atlantis> a ent:State ; rdfs:label "Atlantis"@en .\n'
    )
    r = client.put(
        "/store",
        params={"graph": USER},
        content=body,
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    g, dataset = void_graph(client)
    assert number(g, dataset, VOID.triples) == before + 2
    assert partitions(g, dataset)[str(ENT.State)] == states + 1
    # A document leaving the store (here through the store itself, as an ingest or a deletion
    # would) changes the list of graphs, which the cache also watches.
    client.app.state.entente.store.remove_graphs([USER])  # type: ignore[attr-defined]
    g, dataset = void_graph(client)
    assert number(g, dataset, VOID.triples) == before


def test_void_formats(client: TestClient) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=r.text, format="json-ld")) > 10
    r = client.get("/.well-known/void", headers={"Accept": "text/csv"})
    assert r.status_code == 406 and r.json()["error"]["code"] == "E404"


# --- Service Description ------------------------------------------------------------------------


def test_service_description_turtle(client: TestClient, kg_store: OxigraphStore) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    service = URIRef("http://testserver/sparql")
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    formats = {str(o).rsplit("/", 1)[-1] for o in g.objects(service, SD.resultFormat)}
    assert formats == {
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    }
    dataset = g.value(service, SD.defaultDataset)
    default = g.value(dataset, SD.defaultGraph)
    assert number(g, default, VOID.triples) == kg_store.stats().triples
    named = {
        str(g.value(n, SD.name)): number(g, g.value(n, SD.graph), VOID.triples)
        for n in g.objects(dataset, SD.namedGraph)
    }
    assert set(named) == {
        "https://w3id.org/entente/graph/ontology",
        "https://w3id.org/entente/graph/gazetteer",
    }
    for name, size in named.items():
        assert size == len(kg_store.get_graph(name)) > 0
    documents = g.value(dataset, VOID.subset)
    assert number(g, documents, VOID.documents) == 1
    assert g.value(dataset, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")) == URIRef(
        "http://testserver/.well-known/void"
    )
    # Writes are enabled (a token is configured): the update service is described too.
    update = URIRef("http://testserver/update")
    assert (update, SD.supportedLanguage, SD.SPARQL11Update) in g


def test_service_description_without_writes(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore
) -> None:
    g = Graph().parse(data=make_client(kg_store).get("/sparql").text, format="turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) not in g


def test_service_description_for_a_browser(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text
