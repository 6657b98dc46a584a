"""The SPARQL 1.1 Query Protocol at /sparql: one test per protocol behaviour, named for it."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

SELECT = "SELECT ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o"
CONSTRUCT = "CONSTRUCT { ?s <http://example.org/q> ?o } WHERE { ?s <http://example.org/p> ?o }"
JSON_TYPE = "application/sparql-results+json"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def values(response_json: dict) -> list[str]:  # type: ignore[type-arg]
    return [row["o"]["value"] for row in response_json["results"]["bindings"]]


def media(response: object) -> str:
    return response.headers["content-type"].split(";")[0]  # type: ignore[attr-defined]


def error_code(response: object) -> str:
    return response.json()["error"]["code"]  # type: ignore[attr-defined,no-any-return]


# --- GET and content negotiation -------------------------------------------------------------


def test_get_query_json(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT})
    assert r.status_code == 200
    assert media(r) == JSON_TYPE
    assert r.json()["head"]["vars"] == ["o"]
    assert values(r.json()) == ["one", "two"]


def test_get_query_accept_xml(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert r.status_code == 200
    assert media(r) == "application/sparql-results+xml"
    root = ET.fromstring(r.content)
    literals = [el.text for el in root.iter(SRX + "literal")]
    assert literals == ["one", "two"]


def test_get_query_accept_csv(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    assert media(r) == "text/csv"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows == [["o"], ["one"], ["two"]]


def test_get_query_accept_tsv(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"}
    )
    assert r.status_code == 200
    assert media(r) == "text/tab-separated-values"
    assert r.text.splitlines() == ["?o", '"one"', '"two"']


def test_get_query_accept_qvalues(client: TestClient) -> None:
    accept = f"{JSON_TYPE};q=0.5, text/csv;q=0.9, application/sparql-results+xml;q=0.7"
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert media(r) == "text/csv"
    # q=0 excludes a type even when a wildcard would allow it.
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": f"{JSON_TYPE};q=0, */*;q=0.1"}
    )
    assert r.status_code == 200
    assert media(r) == "application/sparql-results+xml"


def test_get_query_accept_wildcard(client: TestClient) -> None:
    assert (
        media(client.get("/sparql", params={"query": SELECT}, headers={"Accept": "*/*"}))
        == JSON_TYPE
    )
    assert (
        media(client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/*"}))
        == "text/csv"
    )
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/*"})
    assert media(r) == "application/n-triples"
    # A browser's Accept: the explicit types do not fit a SELECT result, */* does.
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": browser})
    assert r.status_code == 200
    assert media(r) == "application/xml"  # the client named it (q=0.9 beats */* at 0.8)


def test_get_query_accept_bad(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert error_code(r) == "E404"
    assert JSON_TYPE in r.json()["error"]["message"]  # it lists what is available
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    assert "text/turtle" in r.json()["error"]["message"]


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": JSON_TYPE}
    )
    assert media(r) == "text/csv"
    r = client.get("/sparql", params={"query": SELECT, "format": "application/sparql-results+xml"})
    assert media(r) == "application/sparql-results+xml"
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": SELECT, "format": "excel"})
    assert r.status_code == 400
    assert error_code(r) == "E415"


def test_accept_alias_is_echoed(client: TestClient) -> None:
    """A client that asks only for application/json gets that type (SPARQLWrapper does this)."""
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/json"})
    assert media(r) == "application/json"
    assert values(r.json()) == ["one", "two"]


# --- POST ----------------------------------------------------------------------------------


def test_post_form_query(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": SELECT})
    assert r.status_code == 200
    assert values(r.json()) == ["one", "two"]


def test_post_form_query_percent_encoded(client: TestClient) -> None:
    """A literal '+' and a literal '%2B' in the query reach the engine exactly once-decoded."""
    query = 'SELECT ?o WHERE { BIND("a+b %2B c" AS ?o) }'
    body = urlencode({"query": query})  # '+' -> %2B, '%2B' -> %252B, ' ' -> '+'
    assert "%252B" in body and "%2B" in body
    r = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 200, r.text
    assert values(r.json()) == ["a+b %2B c"]
    # Spaces sent as %20 instead of '+' decode the same way.
    body = "query=" + quote(query, safe="")
    r = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert values(r.json()) == ["a+b %2B c"]
    # And the same over GET.
    r = client.get("/sparql?" + urlencode({"query": query}))
    assert values(r.json()) == ["a+b %2B c"]


def test_post_direct_query(client: TestClient) -> None:
    r = client.post(
        "/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200
    assert values(r.json()) == ["one", "two"]


def test_post_direct_query_charset(client: TestClient) -> None:
    query = 'SELECT ?o WHERE { BIND("Malmö – Zürich" AS ?o) }'
    r = client.post(
        "/sparql",
        content=query.encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert r.status_code == 200, r.text
    assert values(r.json()) == ["Malmö – Zürich"]
    latin = 'SELECT ?o WHERE { BIND("Malmö" AS ?o) }'
    r = client.post(
        "/sparql",
        content=latin.encode("latin-1"),
        headers={"Content-Type": "application/sparql-query;charset=iso-8859-1"},
    )
    assert values(r.json()) == ["Malmö"]
    # Without a charset the body is UTF-8, and bytes that are not UTF-8 are a clear 400.
    r = client.post(
        "/sparql",
        content=latin.encode("latin-1"),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 400
    assert error_code(r) == "E415"


def test_post_unsupported_content_type(client: TestClient) -> None:
    r = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert error_code(r) == "E405"
    r = client.post("/sparql", content=SELECT.encode())  # no Content-Type at all
    assert r.status_code == 415


def test_post_without_query(client: TestClient) -> None:
    r = client.post("/sparql", data={"default-graph-uri": "http://example.org/g"})
    assert r.status_code == 400
    assert error_code(r) == "E406"
    r = client.post("/sparql", content=b"", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    assert error_code(r) == "E406"


def test_query_given_twice_refused(client: TestClient) -> None:
    r = client.get("/sparql?" + urlencode([("query", SELECT), ("query", SELECT)]))
    assert r.status_code == 400
    assert r.json()["error"]["where"] == "query"


# --- errors in the query -----------------------------------------------------------------------


def test_query_syntax_error_position(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": "SELECT ?o WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }"}
    )
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "E401"
    assert "line" in error["where"] and "column" in error["where"]
    assert "line" in error["message"]


# --- query forms ---------------------------------------------------------------------------------


def test_construct_turtle(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT})
    assert r.status_code == 200
    assert media(r) == "text/turtle"
    g = Graph().parse(data=r.text, format="turtle")
    assert {str(o) for o in g.objects()} == {"one", "two"}


def test_construct_ntriples(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"}
    )
    assert media(r) == "application/n-triples"
    assert len([line for line in r.text.splitlines() if line.strip()]) == 2
    g = Graph().parse(data=r.text, format="nt")
    assert (URIRef("http://example.org/1"), URIRef("http://example.org/q"), Literal("one")) in g


def test_construct_jsonld_and_rdfxml(client: TestClient) -> None:
    for accept, fmt in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
        assert media(r) == accept
        assert len(Graph().parse(data=r.text, format=fmt)) == 2


def test_describe_turtle(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "DESCRIBE <http://example.org/1>"})
    assert r.status_code == 200
    assert media(r) == "text/turtle"
    g = Graph().parse(data=r.text, format="turtle")
    assert (URIRef("http://example.org/1"), URIRef("http://example.org/p"), Literal("one")) in g


def test_ask_json(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": 'ASK { ?s ?p "one" }'})
    assert r.status_code == 200
    assert media(r) == JSON_TYPE
    assert r.json()["boolean"] is True
    r = client.get(
        "/sparql",
        params={"query": 'ASK { ?s ?p "three" }'},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert ET.fromstring(r.content).find(SRX + "boolean").text == "false"  # type: ignore[union-attr]


# --- dataset --------------------------------------------------------------------------------------


def test_default_graph_uri(client: TestClient, graphs: tuple[str, str]) -> None:
    g1, g2 = graphs
    r = client.get("/sparql", params={"query": SELECT, "default-graph-uri": g1})
    assert values(r.json()) == ["one"]
    r = client.get(
        "/sparql?"
        + urlencode([("query", SELECT), ("default-graph-uri", g1), ("default-graph-uri", g2)])
    )
    assert values(r.json()) == ["one", "two"]
    # Sent in a form body too.
    r = client.post("/sparql", data={"query": SELECT, "default-graph-uri": g2})
    assert values(r.json()) == ["two"]
    # Without it, the default graph is the union of the accepted graphs.
    assert values(client.get("/sparql", params={"query": SELECT}).json()) == ["one", "two"]


def test_named_graph_uri(client: TestClient, graphs: tuple[str, str]) -> None:
    g1, g2 = graphs
    query = "SELECT ?g ?o WHERE { GRAPH ?g { ?s <http://example.org/p> ?o } }"
    r = client.get("/sparql", params={"query": query, "named-graph-uri": g2})
    rows = [(b["g"]["value"], b["o"]["value"]) for b in r.json()["results"]["bindings"]]
    assert rows == [(g2, "two")]
    # named-graph-uri alone: the default graph is empty (the protocol's dataset is all there is).
    r = client.get("/sparql", params={"query": SELECT, "named-graph-uri": g2})
    assert values(r.json()) == []
    # Through a direct POST the dataset parameters are in the URL.
    r = client.post(
        "/sparql?" + urlencode({"named-graph-uri": g1}),
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["one"]


def test_graph_uri_must_be_absolute(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT, "default-graph-uri": "not an iri"})
    assert r.status_code == 400
    assert r.json()["error"]["where"] == "default-graph-uri"


# --- no query -------------------------------------------------------------------------------------


def test_get_no_query_service_description(client: TestClient) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200
    assert media(r) == "text/turtle"
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef("http://testserver/sparql")
    assert (service, RDF.type, URIRef(sd + "Service")) in g
    assert (service, URIRef(sd + "endpoint"), service) in g
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    assert (service, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in g
    formats = {str(o) for o in g.objects(service, URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    dataset = g.value(service, URIRef(sd + "defaultDataset"))
    default = g.value(dataset, URIRef(sd + "defaultGraph"))
    assert default is not None and "union" in str(
        g.value(default, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))
    )
    # Other RDF serialisations on request.
    r = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert media(r) == "application/ld+json"
    json.loads(r.text)


def test_get_no_query_browser_page(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": browser})
    assert r.status_code == 200
    assert media(r) == "text/html"
    page = r.text
    assert page.startswith("<!DOCTYPE html>")
    assert '<textarea id="query" name="query"' in page
    assert '<button type="submit">' in page
    assert 'class="example"' in page
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page  # nothing external
    assert balanced_html(page)


VOID_ELEMENTS = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "area", "base", "col"}


def balanced_html(page: str) -> bool:
    """Every element the page opens is closed, in order (void elements aside)."""

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.ok = True

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in VOID_ELEMENTS:
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if not self.stack or self.stack.pop() != tag:
                self.ok = False

    checker = Checker()
    checker.feed(page)
    checker.close()
    return checker.ok and not checker.stack


# --- screening ------------------------------------------------------------------------------------


def test_service_refused(client: TestClient) -> None:
    queries = [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "PREFIX x: <http://169.254.169.254/> "
        "SELECT * WHERE { OPTIONAL { service x:latest { ?s ?p ?o } } }",
        "SELECT * WHERE { ?a ?b ?c "
        "FILTER EXISTS { SERVICE SILENT <http://localhost/> { ?a ?b ?c } } }",
    ]
    for query in queries:
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 400, query
        assert error_code(r) == "E402"


def test_service_allowlisted_passes_screening(
    make_client: Callable[..., TestClient], store: object
) -> None:
    """An allow-listed endpoint is not refused by screening (the engine then calls it; here it
    cannot be reached, so the engine's failure comes back as E412, not E402)."""
    c = make_client(store, service_allowlist=["http://127.0.0.1:9/sparql"])
    r = c.get(
        "/sparql",
        params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"},
    )
    assert error_code(r) == "E412"


def test_load_refused(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "LOAD <http://127.0.0.1:9/data.ttl>"})
    assert r.status_code == 400
    assert error_code(r) == "E403"
    r = client.post(
        "/sparql", data={"query": "load silent <file:///etc/passwd> into graph <http://x/>"}
    )
    assert error_code(r) == "E403"


def test_update_on_query_endpoint_refused(
    client: TestClient, store: object, dump_store: Callable[..., bytes]
) -> None:
    before = dump_store(store)
    for query in (
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "DROP ALL",
        "CLEAR DEFAULT",
    ):
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 400, query
        assert error_code(r) == "E416"
        assert "/update" in r.json()["error"]["message"]
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert error_code(r) == "E416"
    r = client.post(
        "/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert error_code(r) == "E416"
    assert dump_store(store) == before


@pytest.mark.parametrize("timeout", ["0", "-1", "soon", "inf"])
def test_timeout_parameter_validated(client: TestClient, timeout: str) -> None:
    r = client.get("/sparql", params={"query": SELECT, "timeout": timeout})
    assert r.status_code == 400
    assert r.json()["error"]["where"] == "timeout"
