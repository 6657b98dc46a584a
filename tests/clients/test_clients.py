"""Real SPARQL clients against a real entente server process on loopback: SPARQLWrapper (JSON,
XML, CSV, CONSTRUCT as Turtle, errors, updates with the bearer token), rdflib's SPARQLStore and
SPARQLUpdateStore, and plain HTTP for the Graph Store Protocol, linked data and VoID."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

pytestmark = pytest.mark.server

ENT = "https://w3id.org/entente/ontology#"
ID = "https://w3id.org/entente/id/"
JAPAN = URIRef(ID + "state/japan")

PARTIES = f"""PREFIX ent: <{ENT}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?sentence WHERE {{
  ?st a ent:Cooperation ; ent:party ?party ; ent:evidence ?ev .
  ?party rdfs:label ?label .
  ?ev ent:sentence ?sentence .
}} ORDER BY ?label"""

PARTY_LABELS = ["European Union", "Japan"]


def fresh_graph() -> str:
    return f"http://example.org/client-test/{uuid.uuid4().hex}"


def wrapper(server: Any, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.sparql)
    sparql.setReturnFormat(fmt)
    return sparql


# --- SPARQLWrapper ------------------------------------------------------------------------------


def test_sparqlwrapper_select_json(server: Any) -> None:
    sparql = wrapper(server, JSON)
    sparql.setQuery(PARTIES)
    result = sparql.queryAndConvert()
    assert isinstance(result, dict)
    rows = result["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == PARTY_LABELS
    assert rows[0]["label"]["xml:lang"] == "en"
    assert "cooperate on" in rows[0]["sentence"]["value"]


def test_sparqlwrapper_select_xml(server: Any) -> None:
    sparql = wrapper(server, XML)
    sparql.setQuery(PARTIES)
    document = sparql.queryAndConvert()
    literals = [
        node.firstChild.data
        for node in document.getElementsByTagName("binding")  # type: ignore[union-attr]
        if node.getAttribute("name") == "label"
        for node in node.getElementsByTagName("literal")
    ]
    assert literals == PARTY_LABELS


def test_sparqlwrapper_select_csv(server: Any) -> None:
    sparql = wrapper(server, CSV)
    sparql.setQuery(PARTIES)
    body = sparql.queryAndConvert()
    assert isinstance(body, bytes)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert [r["label"] for r in rows] == PARTY_LABELS


def test_sparqlwrapper_construct_turtle(server: Any) -> None:
    sparql = wrapper(server, TURTLE)
    sparql.setQuery(
        f"PREFIX ent: <{ENT}> CONSTRUCT {{ ?st ent:party ?p }} WHERE {{ ?st ent:party ?p }}"
    )
    body = sparql.queryAndConvert()
    assert isinstance(body, bytes)
    g = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (None, URIRef(ENT + "party"), JAPAN) in g


def test_sparqlwrapper_ask_and_post(server: Any) -> None:
    sparql = wrapper(server, JSON)
    sparql.setMethod(POST)  # a form-encoded POST
    sparql.setQuery(f'ASK {{ <{JAPAN}> <{RDFS.label}> "Japan"@en }}')
    result = sparql.queryAndConvert()
    assert isinstance(result, dict) and result["boolean"] is True


def test_sparqlwrapper_errors(server: Any) -> None:
    """A syntax error and a refused SERVICE reach the user as QueryBadFormed with our message."""
    sparql = wrapper(server, JSON)
    sparql.setQuery("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryBadFormed) as bad:
        sparql.queryAndConvert()
    assert "E401" in str(bad.value) and "line 1" in str(bad.value)
    sparql.setQuery("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryBadFormed) as refused:
        sparql.queryAndConvert()
    assert "E402" in str(refused.value)


def test_sparqlwrapper_update_with_token(server: Any) -> None:
    graph = fresh_graph()
    update = SPARQLWrapper(server.sparql, updateEndpoint=server.update)
    update.setMethod(POST)
    update.setQuery(f'INSERT DATA {{ GRAPH <{graph}> {{ <{graph}#a> <{graph}#p> "from SW" }} }}')
    with pytest.raises(Unauthorized):  # no token
        update.query()
    update.addCustomHttpHeader("Authorization", f"Bearer {server.token}")
    response = update.query()
    assert response.response.status == 200
    check = wrapper(server, JSON)
    check.setQuery(f'ASK {{ GRAPH <{graph}> {{ ?s ?p "from SW" }} }}')
    assert check.queryAndConvert()["boolean"] is True  # type: ignore[index]


# --- rdflib -------------------------------------------------------------------------------------


def test_rdflib_sparqlstore_query(server: Any) -> None:
    store = SPARQLStore(server.sparql)
    graph = Graph(store=store)
    rows = list(graph.query(PARTIES))
    assert [str(r[0]) for r in rows] == PARTY_LABELS  # type: ignore[index]
    assert (JAPAN, RDF.type, URIRef(ENT + "State")) in graph
    labels = set(graph.objects(JAPAN, RDFS.label))
    assert Literal("Japan", lang="en") in labels
    store.close()


def test_rdflib_sparqlupdatestore(server: Any) -> None:
    name = fresh_graph()
    store = SPARQLUpdateStore(
        query_endpoint=server.sparql,
        update_endpoint=server.update,
        headers={"Authorization": f"Bearer {server.token}"},
    )
    graph = Graph(store=store, identifier=URIRef(name))
    triple = (URIRef(name + "#a"), URIRef(name + "#p"), Literal("via rdflib", lang="en"))
    graph.add(triple)
    assert triple in graph
    reader = Graph(store=SPARQLStore(server.sparql))
    assert triple in reader  # in the union default graph too
    graph.remove((URIRef(name + "#a"), None, None))  # WITH <g> DELETE … WHERE …
    assert triple not in graph
    store.close()


# --- plain HTTP ---------------------------------------------------------------------------------


def test_http_graph_store_protocol(server: Any) -> None:
    name = fresh_graph()
    auth = {"Authorization": f"Bearer {server.token}"}
    turtle = f'<{name}#a> <{name}#p> "one" .\n'.encode()
    with httpx.Client(base_url=server.base, timeout=30) as http:
        r = http.put(
            "/store",
            params={"graph": name},
            content=turtle,
            headers={**auth, "Content-Type": "text/turtle"},
        )
        assert r.status_code == 201, r.text
        r = http.post(
            "/store",
            params={"graph": name},
            content=f'<{name}#b> <{name}#p> "two" .\n'.encode(),
            headers={**auth, "Content-Type": "application/n-triples"},
        )
        assert r.status_code == 200, r.text
        r = http.get("/store", params={"graph": name}, headers={"Accept": "application/n-triples"})
        assert r.status_code == 200 and len(Graph().parse(data=r.text, format="nt")) == 2
        head = http.head("/store", params={"graph": name}, headers={"Accept": "text/turtle"})
        assert head.status_code == 200 and int(head.headers["content-length"]) > 0
        assert http.delete("/store", params={"graph": name}, headers=auth).status_code == 200
        r = http.get("/store", params={"graph": name})
        assert r.status_code == 404 and r.json()["error"]["code"] == "E421"


def test_http_linked_data_and_void(server: Any) -> None:
    with httpx.Client(base_url=server.base, timeout=30) as http:
        r = http.get("/id/state/japan", headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        assert (JAPAN, RDFS.label, Literal("Japan", lang="en")) in Graph().parse(
            data=r.text, format="turtle"
        )
        r = http.get("/id/state/japan", headers={"Accept": "text/html"})
        assert r.status_code == 200 and "<h1>Japan</h1>" in r.text
        r = http.get("/id/state/nowhere")
        assert r.status_code == 404 and r.json()["error"]["code"] == "E422"
        r = http.get("/.well-known/void")
        assert r.status_code == 200 and "void:classPartition" in r.text
        r = http.get("/sparql")
        assert r.status_code == 200 and "sd:Service" in r.text


def test_http_update_form_and_refusals(server: Any) -> None:
    name = fresh_graph()
    auth = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.base, timeout=30) as http:
        r = http.post(
            "/update",
            data={"update": f'INSERT DATA {{ GRAPH <{name}> {{ <{name}#a> <{name}#p> "x+y" }} }}'},
            headers=auth,
        )
        assert r.status_code == 200, r.text
        r = http.get("/sparql", params={"query": f'ASK {{ GRAPH <{name}> {{ ?s ?p "x+y" }} }}'})
        assert r.json()["boolean"] is True
        r = http.post(
            "/update",
            content=f"LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <{name}>",
            headers={**auth, "Content-Type": "application/sparql-update"},
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "E403"


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                received.append(b"<connected>")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"127.0.0.1:{sock.getsockname()[1]}", received
    stop.set()
    thread.join(timeout=2)
    sock.close()


def test_http_ssrf_listener_receives_nothing(
    server: Any, listener: tuple[str, list[bytes]]
) -> None:
    target, received = listener
    auth = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.base, timeout=30) as http:
        r = http.get(
            "/sparql",
            params={"query": f"SELECT * WHERE {{ SERVICE <http://{target}/> {{ ?s ?p ?o }} }}"},
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "E402"
        r = http.post(
            "/update",
            content=f"LOAD <http://{target}/x.ttl> INTO GRAPH <http://example.org/g>",
            headers={**auth, "Content-Type": "application/sparql-update"},
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "E403"
    time.sleep(0.3)
    assert received == []
