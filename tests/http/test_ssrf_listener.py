"""No SSRF through the HTTP endpoints: SERVICE and LOAD aimed at a listener on 127.0.0.1 that the
test starts, however they are written, through /sparql and /update. The listener must see no
connection. Controls show that the aim is true: allow-listing the listener makes the engine call
it. (tests/http/test_sparql_screen.py proves the same for the screening function alone.)"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from entente.service.store.oxigraph import OxigraphStore
from fastapi.testclient import TestClient

TOKEN = "w"
GRAPH = "http://example.org/g"


def settle(received: list[bytes]) -> list[bytes]:
    time.sleep(0.3)  # a connection, had there been one, has arrived by now
    return received


@pytest.fixture
def client(make_client: Callable[..., TestClient], kg_store: OxigraphStore) -> TestClient:
    return make_client(kg_store, write_token=TOKEN)


def service_queries(target: str) -> dict[str, str]:
    host, port = target.split(":")
    url = f"http://{target}/sparql"
    escaped = f"http://127.0.0.\\u0031:{port}/sparql"
    p = "{ ?s ?p ?o }"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{url}> {p} }}",
        "lower-case": f"select * where {{ service <{url}> {p} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {p} }}",
        "prefixed": f"PREFIX x: <http://{target}/> SELECT * WHERE {{ SERVICE x:sparql {p} }}",
        "comment-split": f"SELECT * WHERE {{ SERVICE#c\n<{url}> {p} }}",
        "in-optional": f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {p} }} }}",
        "in-exists": f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {p} }} }}",
        "in-subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {p} }} }} }}",
        "unicode-escape": (
            f'SELECT * WHERE {{ FILTER("\\u0022") SERVICE <{escaped}> {p} FILTER("\\u0022") }}'
        ),
        "variable": f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {p} }}",
        "relative": f"BASE <http://{host}:{port}/> SELECT * WHERE {{ SERVICE <sparql> {p} }}",
    }


def test_sparql_service_reaches_nothing(
    client: TestClient, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    target = f"127.0.0.1:{port}"
    for name, query in service_queries(target).items():
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 400, (name, r.text)
        assert r.json()["error"]["code"] in ("E401", "E402"), name
        r = client.post(
            "/sparql",
            content="query=" + quote(query, safe=""),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 400, (name, r.text)
    assert settle(received) == []


def test_sparql_load_reaches_nothing(client: TestClient, listener: tuple[int, list[bytes]]) -> None:
    port, received = listener
    target = f"127.0.0.1:{port}"
    for text in (
        f"LOAD <http://{target}/data.ttl>",
        f"load silent <http://{target}/data.ttl> into graph <{GRAPH}>",
    ):
        r = client.post(
            "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "E403", r.text
    assert settle(received) == []


def update(client: TestClient, text: str) -> Any:
    return client.post(
        "/update",
        content=text,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )


def test_update_load_reaches_nothing(client: TestClient, listener: tuple[int, list[bytes]]) -> None:
    port, received = listener
    target = f"127.0.0.1:{port}"
    url = f"http://{target}/data.ttl"
    for text in (
        f"LOAD <{url}> INTO GRAPH <{GRAPH}>",
        f"load silent <{url}> into graph <{GRAPH}>",
        f"PREFIX x: <http://{target}/> LOAD x:data.ttl INTO GRAPH <{GRAPH}>",
        f"# a comment\nLOAD#another\n<{url}> INTO GRAPH <{GRAPH}>",
        f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://e/a> <http://e/p> "x" }} }} ; LOAD <{url}> '
        f"INTO GRAPH <{GRAPH}>",
        f"BASE <http://{target}/> LOAD <data.ttl> INTO GRAPH <{GRAPH}>",
    ):
        r = update(client, text)
        assert r.status_code == 400 and r.json()["error"]["code"] == "E403", (text, r.text)
    assert settle(received) == []


def test_update_service_reaches_nothing(
    client: TestClient, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    target = f"127.0.0.1:{port}"
    for name, query in service_queries(target).items():
        where = (
            query[query.index("WHERE") + 5 :]
            if "WHERE" in query
            else query[query.index("where") + 5 :]
        )
        text = f"INSERT {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} WHERE {where}"
        if "PREFIX" in query or "BASE" in query:
            text = query[: query.index("SELECT")] + text
        r = update(client, text)
        assert r.status_code == 400, (name, r.text)
        assert r.json()["error"]["code"] in ("E401", "E402"), name
    assert settle(received) == []


class _Redirect(http.server.BaseHTTPRequestHandler):
    location = ""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_allowlisted_load_redirected_to_listener(
    make_client: Callable[..., TestClient],
    kg_store: OxigraphStore,
    listener: tuple[int, list[bytes]],
) -> None:
    """An allow-listed LOAD source that redirects to an internal address is not followed."""
    port, received = listener
    target = f"127.0.0.1:{port}"
    handler = type("Redirect", (_Redirect,), {"location": f"http://{target}/secret"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        source = f"http://127.0.0.1:{server.server_address[1]}/data.ttl"
        client = make_client(kg_store, write_token=TOKEN, load_allowlist=[source])
        r = update(client, f"LOAD <{source}> INTO GRAPH <{GRAPH}>")
        assert r.status_code == 502 and r.json()["error"]["code"] == "E425", r.text
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert settle(received) == []


def test_controls_the_aim_is_true(
    make_client: Callable[..., TestClient],
    kg_store: OxigraphStore,
    listener: tuple[int, list[bytes]],
) -> None:
    """Allow-listed, the same SERVICE and LOAD do reach the listener: the tests above would see
    a connection if screening let one through."""
    port, received = listener
    target = f"127.0.0.1:{port}"
    url = f"http://{target}/sparql"
    client = make_client(kg_store, write_token=TOKEN, service_allowlist=[url], load_allowlist=[url])
    client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert settle(received), "the allow-listed SERVICE should have reached the listener"
    received.clear()
    update(client, f"LOAD <{url}> INTO GRAPH <{GRAPH}>")
    assert settle(received), "the allow-listed LOAD should have reached the listener"
