"""Linked data at /id/…: every entente IRI dereferences on this server, as RDF by Accept or as
an HTML page for a browser; unknown IRIs are 404 in the JSON error shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any, ClassVar

import pytest
from entente.service.store.oxigraph import OxigraphStore
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

ENT = Namespace("https://w3id.org/entente/ontology#")
ID = "https://w3id.org/entente/id/"
JAPAN = URIRef(ID + "state/japan")
COOPERATION = URIRef(ID + "statement/cooperation/c0ffee")
EVIDENCE = URIRef(ID + "evidence/e1")
DOCUMENT = URIRef(ID + "document/" + "a1" * 32)
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def client(make_client: Callable[..., TestClient], kg_store: OxigraphStore) -> TestClient:
    return make_client(kg_store)


def turtle(client: TestClient, path: str) -> Graph:
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/turtle")
    assert r.headers["vary"] == "Accept"
    return Graph().parse(data=r.text, format="turtle")


def test_id_deref_turtle(client: TestClient) -> None:
    """An entity: its own triples, the statements it takes part in with their evidence and
    source documents, and the labels of what they link to."""
    g = turtle(client, "/id/state/japan")
    assert (JAPAN, RDFS.label, Literal("Japan", lang="en")) in g
    assert (JAPAN, RDF.type, ENT.State) in g
    assert (COOPERATION, ENT.party, JAPAN) in g
    assert (COOPERATION, ENT.evidence, EVIDENCE) in g
    sentence = g.value(EVIDENCE, ENT.sentence)
    assert str(sentence) == "Japan and the EU will cooperate on <b>semiconductors</b>."
    assert g.value(EVIDENCE, ENT.document) == DOCUMENT
    assert str(g.value(DOCUMENT, URIRef("http://purl.org/dc/terms/title"))).startswith("Japan &")
    eu = URIRef(ID + "bloc/european-union")
    assert (eu, RDFS.label, Literal("European Union", lang="en")) in g
    assert (DOCUMENT, ENT.mentions, JAPAN) in g
    # The export control does not involve Japan.
    assert (None, RDF.type, ENT.ExportControl) not in g
    # The document's text stays with the document.
    assert (DOCUMENT, ENT.text, None) not in g


def test_id_deref_statement_evidence_document(client: TestClient) -> None:
    g = turtle(client, "/id/statement/cooperation/c0ffee")
    assert (COOPERATION, RDF.type, ENT.Cooperation) in g
    assert (JAPAN, RDFS.label, Literal("Japan", lang="en")) in g
    assert g.value(EVIDENCE, ENT.confidence) is not None

    g = turtle(client, "/id/evidence/e1")
    assert (EVIDENCE, ENT.document, DOCUMENT) in g
    assert (COOPERATION, ENT.evidence, EVIDENCE) in g  # the statement that cites it

    g = turtle(client, "/id/document/" + "a1" * 32)
    assert (DOCUMENT, RDF.type, ENT.Document) in g
    statements = set(g.subjects(ENT.evidence, None))
    assert statements == {COOPERATION, URIRef(ID + "statement/export-control/beef")}


def test_id_deref_jsonld(client: TestClient) -> None:
    r = client.get("/id/state/japan", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    json.loads(r.text)
    g = Graph().parse(data=r.text, format="json-ld")
    assert (JAPAN, RDFS.label, Literal("Japan", lang="en")) in g
    assert (COOPERATION, ENT.party, JAPAN) in g


def test_id_deref_ntriples(client: TestClient) -> None:
    r = client.get("/id/state/japan", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/n-triples")
    assert (JAPAN, RDF.type, ENT.State) in Graph().parse(data=r.text, format="nt")


def test_id_deref_default_and_format_parameter(client: TestClient) -> None:
    assert client.get("/id/state/japan").headers["content-type"].startswith("text/turtle")
    r = client.get("/id/state/japan", params={"format": "nt"}, headers={"Accept": BROWSER})
    assert r.headers["content-type"].startswith("application/n-triples")
    r = client.get("/id/state/japan", params={"format": "docx"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E415"
    r = client.get("/id/state/japan", headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["error"]["code"] == "E404"


class _Page(HTMLParser):
    """Collects what a test needs from a page: text, links, and whether tags balance."""

    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.balanced = True
        self.text: list[str] = []
        self.links: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag in ("script", "link", "img", "iframe") or (tag == "style" and values.get("src")):
            self.external.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page(client: TestClient, path: str) -> tuple[str, _Page]:
    r = client.get(path, headers={"Accept": BROWSER})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    parsed = _Page()
    parsed.feed(r.text)
    parsed.close()
    assert parsed.balanced and not parsed.stack
    assert parsed.external == []  # nothing loaded from elsewhere
    return r.text, parsed


def test_id_deref_html_page(client: TestClient) -> None:
    html, parsed = page(client, "/id/state/japan")
    text = " ".join(" ".join(parsed.text).split())
    assert "<h1>Japan</h1>" in html
    assert "state" in text  # its type, by the ontology's label
    assert "Japans regering" in text  # aliases, with their languages
    assert "http://www.wikidata.org/entity/Q17" in parsed.links
    assert "Cooperation (1)" in text  # statements grouped by type
    # The evidence sentence and the article title, escaped (they hold '<' and '&').
    assert "Japan and the EU will cooperate on <b>semiconductors</b>." in text
    assert "&lt;b&gt;semiconductors&lt;/b&gt;" in html and "<b>semiconductors</b>" not in html
    assert "Japan &amp; the EU agree to &lt;cooperate&gt; on chips" in html
    # Linked nodes link to this server; the article to its source.
    assert "http://testserver/id/bloc/european-union" in parsed.links
    assert "http://testserver/id/document/" + "a1" * 32 in parsed.links
    assert "https://news.example/eu-japan-chips" in parsed.links
    assert "http://testserver/id/state/japan?format=ttl" in parsed.links


def test_id_html_pages_for_every_kind(client: TestClient) -> None:
    _, statement = page(client, "/id/statement/export-control/beef")
    text = " ".join(statement.text)
    assert "Export control statement" in text and "announced" in text
    assert "The Netherlands announced export controls on chips." in text
    _, document = page(client, "/id/document/" + "a1" * 32)
    text = " ".join(document.text)
    assert "Cooperation (1)" in text and "Export control (1)" in text
    _, evidence = page(client, "/id/evidence/e2")
    assert "The Netherlands announced export controls on chips." in " ".join(evidence.text)


def test_id_page_escapes_everything(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore, token: str
) -> None:
    """Labels, literals and IRIs from the data cannot inject markup or script links."""
    body = (
        "@prefix ent: <https://w3id.org/entente/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/entente/id/company/evil> a ent:Company ;\n"
        '  rdfs:label "<script>alert(1)</script>"@en ;\n'
        '  rdfs:comment "\\" onmouseover=\\"x" ;\n'
        "  rdfs:seeAlso <javascript:alert(2)> .\n"
    )
    client = make_client(kg_store, write_token=token)
    r = client.put(
        "/store",
        params={"graph": "http://example.org/evil"},
        content=body,
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    html, parsed = page(client, "/id/company/evil")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not any(link.startswith("javascript:") for link in parsed.links)
    assert '" onmouseover' not in html


def test_id_unknown_404(client: TestClient) -> None:
    for path in ("/id/state/atlantis", "/id/", "/id/state/ja%3Epan"):
        r = client.get(path, headers={"Accept": BROWSER})
        assert r.status_code == 404, path
        body = r.json()
        assert body["error"]["code"] == "E422"
        assert set(body["error"]) == {"code", "title", "message", "where", "hint"}


def test_id_quarantined_not_described(kg_store: OxigraphStore, client: TestClient) -> None:
    """Quarantined data never answers, here either."""
    g = Graph()
    iri = URIRef(ID + "person/hidden")
    g.add((iri, RDF.type, ENT.Person))
    kg_store.put_graphs(
        {"https://w3id.org/entente/graph/document/" + "d" * 64: g}, partition="quarantine"
    )
    assert client.get("/id/person/hidden").status_code == 404


def test_id_percent_encoding_kept(client: TestClient, kg_store: Any) -> None:
    """The IRI is the path as sent: /id/x%20y names …/id/x%20y, not …/id/x y."""
    g = Graph()
    iri = URIRef(ID + "place/new%20york")
    g.add((iri, RDFS.label, Literal("New York")))
    kg_store.put_graphs({"http://example.org/places": g})
    r = client.get("/id/place/new%20york")
    assert r.status_code == 200
    assert (iri, RDFS.label, Literal("New York")) in Graph().parse(data=r.text, format="turtle")
