"""SPARQL 1.1 Update at POST /update, in-process: tokens, bodies, screening, the writable-graph
rules, the SHACL gate on every change, and the store left exactly as it was by every refusal."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import quote

import pytest
from entente.service.store.oxigraph import OxigraphStore
from fastapi.testclient import TestClient
from rdflib import Graph

UPDATE = {"Content-Type": "application/sparql-update"}
USER = "http://example.org/notes"
PREFIXES = """PREFIX ent: <https://w3id.org/entente/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ex: <http://example.org/>
"""


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def writer(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore, token: str
) -> TestClient:
    return make_client(kg_store, write_token=token)


def post(client: TestClient, text: str, token: str | None, **headers: str) -> Any:
    sent = {**UPDATE, **(auth(token) if token else {}), **headers}
    return client.post("/update", content=text.encode("utf-8"), headers=sent)


def ask(client: TestClient, query: str, token: str | None = None) -> bool:
    r = client.get(
        "/sparql", params={"query": PREFIXES + query}, headers=auth(token) if token else {}
    )
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def error_code(r: Any, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body["error"]) == {"code", "title", "message", "where", "hint"}
    return str(body["error"]["code"])


INSERT_NOTE = PREFIXES + f'INSERT DATA {{ GRAPH <{USER}> {{ ex:a ex:note "hello" }} }}'


# --- access ---------------------------------------------------------------------------------------


def test_post_update_without_token(writer: TestClient, kg_store: Any, dump_store: Any) -> None:
    before = dump_store(kg_store)
    r = post(writer, INSERT_NOTE, None)
    assert error_code(r, 401) == "E408"
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert dump_store(kg_store) == before


def test_post_update_wrong_token(writer: TestClient, kg_store: Any, dump_store: Any) -> None:
    before = dump_store(kg_store)
    assert error_code(post(writer, INSERT_NOTE, "not-the-token"), 403) == "E413"
    assert dump_store(kg_store) == before


def test_post_update_read_only(
    make_client: Callable[..., TestClient], kg_store: Any, dump_store: Any
) -> None:
    """No write token configured: /update is disabled, whatever the request carries."""
    client = make_client(kg_store)
    before = dump_store(kg_store)
    for token in (None, "anything"):
        r = post(client, INSERT_NOTE, token)
        assert error_code(r, 403) == "E409"
        assert "ENTENTE_WRITE_TOKEN" in r.json()["error"]["hint"]
    assert dump_store(kg_store) == before


def test_write_token_file(
    make_client: Callable[..., TestClient], kg_store: Any, tmp_path: Any
) -> None:
    path = tmp_path / "token"
    path.write_text("from-a-file\n", encoding="utf-8")
    client = make_client(kg_store, write_token_file=path)
    assert post(client, INSERT_NOTE, "from-a-file").status_code == 200
    assert error_code(post(client, INSERT_NOTE, "from-a-fil"), 403) == "E413"


# --- the protocol ---------------------------------------------------------------------------------


def test_post_update_ok(writer: TestClient, token: str) -> None:
    r = post(writer, INSERT_NOTE, token)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "committed"
    assert body["graphs"] == {"created": [USER], "changed": [], "dropped": []}
    assert body["triples"] == {"inserted": 1, "deleted": 0}
    # Visible in its graph and in the union default graph.
    assert ask(writer, f'ASK {{ GRAPH <{USER}> {{ ex:a ex:note "hello" }} }}')
    assert ask(writer, 'ASK { ex:a ex:note "hello" }')


def test_post_update_form(writer: TestClient, token: str) -> None:
    """Form bodies are percent-decoded once: '+' and '%2B' reach the update as written."""
    text = PREFIXES + f'INSERT DATA {{ GRAPH <{USER}> {{ ex:a ex:note "1+1 %2B" }} }}'
    body = "update=" + quote(text, safe="")
    r = writer.post(
        "/update",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **auth(token)},
    )
    assert r.status_code == 200, r.text
    assert ask(writer, 'ASK { ex:a ex:note "1+1 %2B" }')


def test_post_update_unsupported_content_type(writer: TestClient, token: str) -> None:
    r = post(writer, INSERT_NOTE, token, **{"Content-Type": "text/plain"})
    assert error_code(r, 415) == "E405"


def test_post_update_empty(writer: TestClient, token: str) -> None:
    assert error_code(post(writer, "  # nothing\n", token), 400) == "E406"


def test_post_update_syntax_error(writer: TestClient, token: str) -> None:
    r = post(writer, "INSERT DATA { GRAPH <http://example.org/g> { <a> <b> } }", token)
    assert error_code(r, 400) == "E401"
    assert "line 1" in r.json()["error"]["where"]


def test_post_query_to_update_endpoint(writer: TestClient, token: str) -> None:
    r = post(writer, "SELECT * WHERE { ?s ?p ?o }", token)
    assert error_code(r, 400) == "E401"
    assert "/sparql" in r.json()["error"]["message"]


def test_get_update_not_allowed(writer: TestClient) -> None:
    r = writer.get("/update")
    assert error_code(r, 405) == "E417"
    assert "POST" in r.headers["Allow"]


def test_update_log_line(writer: TestClient, token: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="entente.update"):
        post(writer, INSERT_NOTE, token)
    assert any("InsertData" in r.message and "+1" in r.message for r in caplog.records)


# --- screening ------------------------------------------------------------------------------------


def test_update_service_refused(
    writer: TestClient, token: str, kg_store: Any, dump_store: Any
) -> None:
    before = dump_store(kg_store)
    text = (
        f"INSERT {{ GRAPH <{USER}> {{ ?s ?p ?o }} }} WHERE "
        "{ SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    )
    assert error_code(post(writer, text, token), 400) == "E402"
    assert dump_store(kg_store) == before


def test_update_load_refused(writer: TestClient, token: str) -> None:
    r = post(writer, f"LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <{USER}>", token)
    assert error_code(r, 400) == "E403"
    assert "allow-list" in r.json()["error"]["message"]


class _Files(http.server.BaseHTTPRequestHandler):
    # Set per test on a subclass (see file_server).
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def file_server() -> Iterator[tuple[str, type[_Files]]]:
    """A loopback HTTP server answering from `routes`, recording the paths asked for."""
    handler = type("Files", (_Files,), {"routes": {}, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


TURTLE = b'@prefix ex: <http://example.org/> .\nex:loaded ex:from "the web" .\n'


def test_update_load_allowlisted(
    make_client: Callable[..., TestClient],
    kg_store: Any,
    token: str,
    file_server: tuple[str, type[_Files]],
) -> None:
    base, files = file_server
    files.routes["/data.ttl"] = (200, {"Content-Type": "text/turtle"}, TURTLE)
    source = base + "/data.ttl"
    client = make_client(kg_store, write_token=token, load_allowlist=[source])
    r = post(client, f"LOAD <{source}> INTO GRAPH <{USER}>", token)
    assert r.status_code == 200, r.text
    assert files.seen == ["/data.ttl"]
    assert ask(client, f'ASK {{ GRAPH <{USER}> {{ ex:loaded ex:from "the web" }} }}')
    # LOAD into the default graph: refused, it is the union of the named graphs.
    assert error_code(post(client, f"LOAD <{source}>", token), 403) == "E419"


def test_update_load_redirect_not_followed(
    make_client: Callable[..., TestClient],
    kg_store: Any,
    token: str,
    file_server: tuple[str, type[_Files]],
    dump_store: Any,
) -> None:
    """An allow-listed source redirecting elsewhere (an internal address, say) is not followed."""
    base, files = file_server
    files.routes["/moved.ttl"] = (302, {"Location": base + "/internal"}, b"")
    files.routes["/internal"] = (200, {"Content-Type": "text/turtle"}, TURTLE)
    source = base + "/moved.ttl"
    client = make_client(kg_store, write_token=token, load_allowlist=[source])
    before = dump_store(kg_store)
    r = post(client, f"LOAD <{source}> INTO GRAPH <{USER}>", token)
    assert error_code(r, 502) == "E425"
    assert files.seen == ["/moved.ttl"]
    assert dump_store(kg_store) == before
    # SILENT: the failure is ignored, nothing changes.
    r = post(client, f"LOAD SILENT <{source}> INTO GRAPH <{USER}>", token)
    assert r.status_code == 200 and r.json()["status"] == "unchanged"


def test_update_load_unparseable_source(
    make_client: Callable[..., TestClient],
    kg_store: Any,
    token: str,
    file_server: tuple[str, type[_Files]],
) -> None:
    base, files = file_server
    files.routes["/bad.ttl"] = (200, {"Content-Type": "text/turtle"}, b"<a> <b> .")
    client = make_client(kg_store, write_token=token, load_allowlist=[base + "/bad.ttl"])
    r = post(client, f"LOAD <{base}/bad.ttl> INTO GRAPH <{USER}>", token)
    assert error_code(r, 400) == "E423"


# --- which graphs can be written ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'INSERT DATA { <http://example.org/a> <http://example.org/p> "x" }',
        "DELETE WHERE { ?s <http://example.org/p> ?o }",
        "CLEAR DEFAULT",
        "DROP ALL",
        "CLEAR NAMED",
        f"ADD <{USER}> TO DEFAULT",
    ],
    ids=["insert", "delete-where", "clear-default", "drop-all", "clear-named", "add-to-default"],
)
def test_update_default_graph_refused(
    writer: TestClient, token: str, text: str, kg_store: Any, dump_store: Any
) -> None:
    post(writer, INSERT_NOTE, token)
    before = dump_store(kg_store)
    r = post(writer, text, token)
    assert error_code(r, 403) == "E419"
    assert dump_store(kg_store) == before


@pytest.mark.parametrize(
    "graph",
    [
        "https://w3id.org/entente/graph/ontology",
        "https://w3id.org/entente/graph/gazetteer",
        "https://w3id.org/entente/graph/quarantine/" + "b" * 64,
        "https://w3id.org/entente/graph/document/" + "b" * 64,  # not an accepted document
    ],
    ids=["ontology", "gazetteer", "quarantine", "new-document"],
)
def test_update_managed_graph_refused(
    writer: TestClient, token: str, graph: str, kg_store: Any, dump_store: Any
) -> None:
    before = dump_store(kg_store)
    r = post(
        writer, f'INSERT DATA {{ GRAPH <{graph}> {{ <http://e/a> <http://e/p> "x" }} }}', token
    )
    assert error_code(r, 403) == "E419"
    assert dump_store(kg_store) == before


def test_update_drop_unknown_graph(writer: TestClient, token: str) -> None:
    r = post(writer, "DROP GRAPH <http://example.org/nothing>", token)
    assert error_code(r, 404) == "E421"
    r = post(writer, "DROP SILENT GRAPH <http://example.org/nothing>", token)
    assert r.status_code == 200 and r.json()["status"] == "unchanged"


# --- the gate ------------------------------------------------------------------------------------


def test_update_document_graph_validated_and_refused(
    writer: TestClient, token: str, article_graph: str, kg_store: Any, dump_store: Any
) -> None:
    """Removing one of a cooperation's two parties breaks CooperationShape: refused with the
    report, and the store is unchanged."""
    before = dump_store(kg_store)
    triple = (
        "<https://w3id.org/entente/id/statement/cooperation/c0ffee> "
        "<https://w3id.org/entente/ontology#party> <https://w3id.org/entente/id/state/japan>"
    )
    text = f"DELETE DATA {{ GRAPH <{article_graph}> {{ {triple} }} }}"
    r = post(writer, text, token)
    assert error_code(r, 422) == "E420"
    validation = r.json()["validation"]
    assert validation["conforms"] is False
    assert any(
        v["focus_node"].endswith("/cooperation/c0ffee") and v["path"].endswith("#party")
        for v in validation["violations"]
    ), validation
    assert dump_store(kg_store) == before


def test_update_document_graph_validated_and_accepted(
    writer: TestClient, token: str, article_graph: str
) -> None:
    """A change that keeps the document conforming is committed; the gate's warnings come back."""
    text = PREFIXES + (
        f"DELETE {{ GRAPH <{article_graph}> {{ ?p skos:altLabel ?old }} }}\n"
        f'INSERT {{ GRAPH <{article_graph}> {{ ?p skos:altLabel "Jane E."@en }} }}\n'
        'WHERE { ?p rdfs:label "Jane Example"@en ; skos:altLabel ?old }'
    )
    r = post(writer, text, token)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["graphs"]["changed"] == [article_graph]
    assert body["triples"] == {"inserted": 1, "deleted": 1}
    assert any("wikidata" in w["message"].lower() for w in body["warnings"]), body["warnings"]
    assert ask(writer, 'ASK { ?p skos:altLabel "Jane E."@en }')
    assert not ask(writer, 'ASK { ?p skos:altLabel "J. Example"@en }')


def test_update_user_graph_validated(writer: TestClient, token: str) -> None:
    """A graph of the client's own joins the union default graph, so it passes the gate too."""
    text = PREFIXES + f"INSERT DATA {{ GRAPH <{USER}> {{ ex:acme a ent:Company }} }}"
    r = post(writer, text, token)
    assert error_code(r, 422) == "E420"
    violations = r.json()["validation"]["violations"]
    assert any((v["path"] or "").endswith("rdf-schema#label") for v in violations), violations
    # and a node typed as an entente entity must be named under https://w3id.org/entente/id/
    assert any(v["shape"].endswith("#MintedIRIShape") for v in violations), violations


def test_update_removal_is_seen_by_the_gate(writer: TestClient, token: str) -> None:
    """The gate checks the store as the update leaves it: a deleted label is not brought back as
    context from the store, which still holds it until the commit."""
    acme = "<https://w3id.org/entente/id/company/acme>"
    setup = PREFIXES + (
        f'INSERT DATA {{ GRAPH <{USER}> {{ {acme} a ent:Company ; rdfs:label "Acme"@en }} }}'
    )
    r = post(writer, setup, token)
    assert r.status_code == 200, r.text
    text = PREFIXES + f'DELETE DATA {{ GRAPH <{USER}> {{ {acme} rdfs:label "Acme"@en }} }}'
    r = post(writer, text, token)
    assert error_code(r, 422) == "E420"


def test_update_drop_document_graph(writer: TestClient, token: str, article_graph: str) -> None:
    assert ask(writer, "ASK { ?s a ent:Cooperation }")
    r = post(writer, f"DROP GRAPH <{article_graph}>", token)
    assert r.status_code == 200 and r.json()["graphs"]["dropped"] == [article_graph]
    assert not ask(writer, "ASK { ?s a ent:Cooperation }")
    # The gazetteer's triples about Japan stay: the default graph is still the union.
    assert ask(writer, 'ASK { ?s rdfs:label "Japan"@en }')


# --- semantics ------------------------------------------------------------------------------------


def test_update_keeps_the_default_graph_a_set(writer: TestClient, token: str) -> None:
    """A triple held by two graphs stays in the default graph when one of them drops it."""
    for graph in (USER, USER + "/2"):
        text = PREFIXES + f"INSERT DATA {{ GRAPH <{graph}> {{ ex:a ex:p ex:b }} }}"
        assert post(writer, text, token).status_code == 200
    count = writer.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { <http://example.org/a> ?p ?o }"}
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert count == "1"
    assert post(writer, f"DROP GRAPH <{USER}>", token).status_code == 200
    assert ask(writer, "ASK { ex:a ex:p ex:b }")
    assert post(writer, f"DROP GRAPH <{USER}/2>", token).status_code == 200
    assert not ask(writer, "ASK { ex:a ex:p ex:b }")


def test_update_with_and_using(writer: TestClient, token: str) -> None:
    setup = PREFIXES + f"INSERT DATA {{ GRAPH <{USER}> {{ ex:a ex:p 1 . ex:b ex:p 2 }} }}"
    assert post(writer, setup, token).status_code == 200
    # WITH: the template's and the pattern's default graph.
    text = PREFIXES + (
        f"WITH <{USER}> DELETE {{ ?s ex:p ?o }} INSERT {{ ?s ex:q ?o }} "
        "WHERE { ?s ex:p ?o FILTER (?o = 1) }"
    )
    assert post(writer, text, token).json()["triples"] == {"inserted": 1, "deleted": 1}
    assert ask(writer, f"ASK {{ GRAPH <{USER}> {{ ex:a ex:q 1 . ex:b ex:p 2 }} }}")
    # USING: the pattern reads only the graphs it names.
    text = PREFIXES + (
        f"INSERT {{ GRAPH <{USER}> {{ ?s ex:seen true }} }} "
        "USING <http://example.org/empty> WHERE { ?s ex:p 2 }"
    )
    assert post(writer, text, token).json()["status"] == "unchanged"
    # using-graph-uri (Protocol): the same, as a parameter.
    r = writer.post(
        "/update",
        params={"using-graph-uri": USER},
        content=PREFIXES
        + f"INSERT {{ GRAPH <{USER}> {{ ?s ex:seen true }} }} WHERE {{ ?s ex:p 2 }}",
        headers={**UPDATE, **auth(token)},
    )
    assert r.status_code == 200 and r.json()["triples"]["inserted"] == 1


def test_update_blank_nodes_are_fresh(writer: TestClient, token: str) -> None:
    """INSERT template blank nodes are new per solution; INSERT DATA labels never reuse stored
    nodes."""
    setup = PREFIXES + f"INSERT DATA {{ GRAPH <{USER}> {{ ex:a ex:p 1 . ex:b ex:p 2 }} }}"
    assert post(writer, setup, token).status_code == 200
    text = PREFIXES + (
        f"INSERT {{ GRAPH <{USER}> {{ ?s ex:has [ ex:value ?o ] }} }} WHERE {{ GRAPH <{USER}> "
        "{ ?s ex:p ?o } }"
    )
    assert post(writer, text, token).json()["triples"]["inserted"] == 4
    r = writer.get(
        "/sparql",
        params={"query": "SELECT (COUNT(DISTINCT ?b) AS ?n) { ?s <http://example.org/has> ?b }"},
    )
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "2"
    text = f"DELETE DATA {{ GRAPH <{USER}> {{ _:b <http://example.org/p> 1 }} }}"
    assert error_code(post(writer, text, token), 400) == "E401"


def test_update_graph_management(writer: TestClient, token: str) -> None:
    other, third = USER + "/copy", USER + "/moved"
    assert post(writer, INSERT_NOTE, token).status_code == 200
    assert post(writer, f"COPY <{USER}> TO <{other}>", token).status_code == 200
    assert post(writer, f"MOVE <{other}> TO <{third}>", token).status_code == 200
    assert ask(writer, f'ASK {{ GRAPH <{third}> {{ ex:a ex:note "hello" }} }}')
    assert not ask(writer, f"ASK {{ GRAPH <{other}> {{ ?s ?p ?o }} }}")
    assert post(writer, f"CLEAR GRAPH <{third}>", token).json()["triples"]["deleted"] == 1
    assert error_code(post(writer, f"CREATE GRAPH <{USER}>", token), 403) == "E419"
    assert post(writer, f"CREATE SILENT GRAPH <{USER}>", token).status_code == 200
    r = post(writer, f"ADD <{USER}> TO <{third}>", token)
    assert r.json()["triples"]["inserted"] == 1


def test_update_reads_what_it_wrote_refused(writer: TestClient, token: str) -> None:
    """One request is computed against the store as it was; an operation that reads what an
    earlier one changed is refused instead of answered from stale data."""
    delete = f"DELETE {{ GRAPH <{USER}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{USER}> {{ ?s ?p ?o }} }}"
    text = INSERT_NOTE + " ;\n" + delete
    assert error_code(post(writer, text, token), 400) == "E424"
    # Independent operations in one request are fine, and are one transaction.
    other = f'INSERT DATA {{ GRAPH <{USER}/2> {{ <{USER}/b> <{USER}/p> "y" }} }}'
    text = INSERT_NOTE + " ;\n" + other
    assert post(writer, text, token).json()["graphs"]["created"] == [USER, USER + "/2"]


def test_update_solution_limit(
    make_client: Callable[..., TestClient], kg_store: Any, token: str
) -> None:
    client = make_client(kg_store, write_token=token, result_limit=3)
    text = (
        f"INSERT {{ GRAPH <{USER}> {{ ?s <http://example.org/seen> true }} }} WHERE {{ ?s ?p ?o }}"
    )
    assert error_code(post(client, text, token), 422) == "E411"


def test_update_escape_outside_strings_refused(writer: TestClient, token: str) -> None:
    text = f'INSERT DATA {{ GRAPH <{USER}> \\u007B <http://e/a> <http://e/p> "x" }} }}'
    assert error_code(post(writer, text, token), 400) == "E401"


def test_article_fixture_conforms(kg_store: Any, article_graph: str) -> None:
    """The fixture these tests edit passes the gate as it is (else every edit would fail)."""
    from entente.service.gate.gate import Gate

    outcome = Gate().validate(kg_store.get_graph(article_graph), kg_store)
    assert outcome.accepted, [v.render() for v in outcome.violations]


def test_empty_graph_kept_after_clear(writer: TestClient, token: str, kg_store: Any) -> None:
    assert post(writer, INSERT_NOTE, token).status_code == 200
    assert post(writer, f"CLEAR GRAPH <{USER}>", token).status_code == 200
    assert kg_store.has_graph(USER) and len(kg_store.get_graph(USER)) == 0
    assert isinstance(kg_store.get_graph(USER), Graph)


# --- cutting an update into operations --------------------------------------------------------


def test_split_operations_finds_each_where_verbatim() -> None:
    from entente.service.write.update_parse import split_operations

    text = (
        "PREFIX ex: <http://example.org/> # a } comment ;\n"
        'INSERT DATA { GRAPH ex:g { ex:a ex:p "} ; {" ; ex:q 1 } } ;\n'
        "WITH <http://example.org/g;1> DELETE { ?s ex:p ?o } INSERT { ?s ex:r '''x}\n;''' } "
        "WHERE { ?s ex:p ?o FILTER (?o != <http://example.org/x;y>) } ;\n"
        "DELETE WHERE { GRAPH ex:g { ?s ex:q ?o } } ;"
    )
    ops = split_operations(text)
    assert len(ops) == 3
    assert ops[0].last_group == '{ GRAPH ex:g { ex:a ex:p "} ; {" ; ex:q 1 } }'
    assert ops[1].last_group == "{ ?s ex:p ?o FILTER (?o != <http://example.org/x;y>) }"
    assert ops[2].last_group == "{ GRAPH ex:g { ?s ex:q ?o } }"


@pytest.mark.parametrize("text", ["INSERT DATA { GRAPH <http://e/g> { }", "DROP ALL }"])
def test_split_operations_unbalanced(text: str) -> None:
    from entente.errors import EntenteError
    from entente.service.write.update_parse import split_operations

    with pytest.raises(EntenteError) as error:
        split_operations(text)
    assert error.value.code == "E401"
