"""Health, the query limiter and deadline, the result cap, access, CORS, logging, and the one
JSON error shape on every failure."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from entente.errors import CATALOGUE
from entente.service.http.errors import STATUS
from entente.service.store.oxigraph import OxigraphStore
from fastapi import FastAPI
from fastapi.testclient import TestClient

SELECT = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"
ERROR_FIELDS = {"code", "title", "message", "where", "hint"}


def assert_error_shape(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_FIELDS
    assert body["error"]["code"] == code
    assert body["error"]["title"] == CATALOGUE[code].title
    assert body["error"]["message"] and body["error"]["hint"]
    assert "Traceback" not in response.text


# --- health and concurrency --------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["store"]["documents"] == 2
    assert body["store"]["triples"] > 0


def test_health_not_blocked_by_queries(app_for: Callable[..., FastAPI], slow_store: Any) -> None:
    """Every query slot is held by a query that does not finish; /health still answers at once,
    and the engine never runs more queries than the limit."""
    app = app_for(slow_store, query_concurrency=2)

    async def main() -> tuple[float, int, list[int]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            statuses: list[int] = []

            async def query() -> None:
                statuses.append((await http.get("/sparql", params={"query": SELECT})).status_code)

            async with anyio.create_task_group() as tg:
                for _ in range(4):  # two run, two wait for a slot
                    tg.start_soon(query)
                with anyio.fail_after(5):
                    while slow_store.running < 2:
                        await anyio.sleep(0.01)
                started = time.perf_counter()
                health = await http.get("/health")
                took = time.perf_counter() - started
                assert health.status_code == 200
                peak_while_blocked = slow_store.peak
                slow_store.release.set()
            return took, peak_while_blocked, statuses

    took, peak, statuses = anyio.run(main)
    assert took < 1.0, f"/health took {took:.2f} s while queries ran"
    assert peak == 2
    assert statuses == [200, 200, 200, 200]


def test_query_deadline(app_for: Callable[..., FastAPI], slow_store: Any) -> None:
    """A query past its deadline is answered with E407 at the deadline (the engine cannot be
    cancelled; its thread finishes on its own)."""
    client = TestClient(app_for(slow_store, query_timeout=5))
    with client:
        started = time.perf_counter()
        r = client.get("/sparql", params={"query": SELECT, "timeout": "0.3"})
        took = time.perf_counter() - started
        assert_error_shape(r, 504, "E407")
        assert took < 2.0
        slow_store.release.set()
        # A request may ask for less time than the server allows, never more.
        assert client.get("/sparql", params={"query": SELECT, "timeout": "1000"}).status_code == 200


def test_result_limit(make_client: Callable[..., TestClient], store: Any) -> None:
    client = make_client(store, result_limit=1)
    for accept in (
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
        "application/sparql-results+xml",
    ):
        r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
        assert_error_shape(r, 422, "E411")
    construct = "CONSTRUCT WHERE { ?s <http://example.org/p> ?o }"
    for accept in ("text/turtle", "application/n-triples", "application/ld+json"):
        r = client.get("/sparql", params={"query": construct}, headers={"Accept": accept})
        assert_error_shape(r, 422, "E411")
    assert client.get("/sparql", params={"query": SELECT + " LIMIT 1"}).status_code == 200
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_query_log_line(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="entente.query"):
        client.get("/sparql", params={"query": SELECT})
        client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://10.0.0.1/> {} }"})
    lines = [r.getMessage() for r in caplog.records if r.name == "entente.query"]
    assert any(
        "SELECT" in line and "rows=2" in line and "ms" in line and "client=" in line
        for line in lines
    ), lines
    assert any("E402" in line for line in lines), lines


# --- access ---------------------------------------------------------------------------------------


def test_read_token(make_client: Callable[..., TestClient], store: Any) -> None:
    client = make_client(store, read_token="reader", write_token="writer")
    assert_error_shape(client.get("/sparql", params={"query": SELECT}), 401, "E408")
    assert_error_shape(
        client.get("/documents", headers={"Authorization": "Bearer wrong"}), 403, "E413"
    )
    for token in ("reader", "writer"):
        r = client.get(
            "/sparql", params={"query": SELECT}, headers={"Authorization": f"Bearer {token}"}
        )
        assert r.status_code == 200
    assert client.get("/health").status_code == 200  # probes need no token


def test_cors_reads_from_configured_origins(
    make_client: Callable[..., TestClient], store: Any
) -> None:
    client = make_client(store, cors_origins=["https://yasgui.example"])
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Origin": "https://yasgui.example"}
    )
    assert r.headers["access-control-allow-origin"] == "https://yasgui.example"
    r = client.options(
        "/sparql",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
    )
    assert r.status_code == 204
    r = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_reads_open_to_any_origin_by_default(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Origin": "https://yasgui.example"}
    )
    assert r.headers["access-control-allow-origin"] == "*"


# --- the error shape ------------------------------------------------------------------------------


def test_unknown_route_error_shape(client: TestClient) -> None:
    assert_error_shape(client.get("/no/such/route"), 404, "E414")
    r = client.delete("/sparql")
    assert_error_shape(r, 405, "E417")
    assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


FAILING_REQUESTS = [
    ("GET", "/nowhere", {}, 404, "E414"),
    ("PUT", "/sparql", {}, 405, "E417"),
    ("GET", "/sparql", {"params": {"query": "SELEC * WHERE {}"}}, 400, "E401"),
    (
        "GET",
        "/sparql",
        {"params": {"query": SELECT}, "headers": {"Accept": "image/png"}},
        406,
        "E404",
    ),
    ("GET", "/sparql", {"headers": {"Accept": "image/png"}}, 406, "E404"),
    (
        "POST",
        "/sparql",
        {"content": SELECT, "headers": {"Content-Type": "text/plain"}},
        415,
        "E405",
    ),
    ("POST", "/sparql", {"data": {"format": "json"}}, 400, "E406"),
    (
        "GET",
        "/sparql",
        {"params": {"query": "SELECT * { SERVICE <http://127.0.0.1/> {} }"}},
        400,
        "E402",
    ),
    ("GET", "/sparql", {"params": {"query": "LOAD <http://127.0.0.1/x>"}}, 400, "E403"),
    ("GET", "/sparql", {"params": {"query": "CLEAR ALL"}}, 400, "E416"),
    ("GET", "/sparql", {"params": {"query": SELECT, "format": "bogus"}}, 400, "E415"),
    ("GET", "/sparql", {"params": {"query": SELECT, "timeout": "-3"}}, 400, "E415"),
    ("GET", "/sparql", {"params": {"query": SELECT, "default-graph-uri": "relative"}}, 400, "E415"),
    ("GET", "/documents", {"params": {"limit": "0"}}, 400, "E415"),
    ("GET", "/documents/" + "f" * 64, {}, 404, "E203"),
    (
        "POST",
        "/documents",
        {"content": b"", "headers": {"Content-Type": "text/plain"}},
        400,
        "E001",
    ),
    (
        "POST",
        "/documents",
        {"content": b"x" * 5000, "headers": {"Content-Type": "text/plain"}},
        413,
        "E410",
    ),
    (
        "POST",
        "/documents",
        {"content": b"\x89PNG\r\n\x1a\n\x00", "headers": {"Content-Type": "image/png"}},
        415,
        "E002",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    FAILING_REQUESTS,
    ids=[f"{m} {p[:20]} {c}" for m, p, _, _, c in FAILING_REQUESTS],
)
def test_every_error_has_json_shape(
    make_client: Callable[..., TestClient],
    store: Any,
    fake_ingestor: Any,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    code: str,
) -> None:
    client = make_client(store, ingestor=fake_ingestor, max_request_bytes=4096, write_token="w")
    client.headers["Authorization"] = "Bearer w"
    assert_error_shape(client.request(method, path, **kwargs), status, code)


def test_auth_errors_have_json_shape(
    make_client: Callable[..., TestClient], store: Any, fake_ingestor: Any
) -> None:
    client = make_client(store, ingestor=fake_ingestor, write_token="t")
    assert_error_shape(client.post("/documents", content="text"), 401, "E408")
    assert_error_shape(
        client.post("/documents", content="text", headers={"Authorization": "Bearer u"}),
        403,
        "E413",
    )


class BrokenStore(OxigraphStore):
    def stats(self) -> Any:
        raise RuntimeError("disk on fire at /secret/path")


def test_unexpected_error_is_500_without_traceback(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    store = BrokenStore(None)
    client = make_client(store)
    with caplog.at_level(logging.ERROR, logger="entente.http"):
        r = client.get("/health")
    assert_error_shape(r, 500, "E418")
    assert "secret" not in r.text  # the details stay in the log
    assert any("disk on fire" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)


def test_status_table_covers_the_catalogue() -> None:
    assert set(CATALOGUE) <= set(STATUS), set(CATALOGUE) - set(STATUS)
    assert all(400 <= s < 600 for s in STATUS.values())


# --- the factory ----------------------------------------------------------------------------------


def test_dependencies_overridable(app_for: Callable[..., FastAPI], store: Any) -> None:
    """Routes reach the store through a Depends provider: a test can swap it."""
    from entente.service.http.deps import get_store
    from rdflib import Graph, Literal, URIRef

    other = OxigraphStore(None)
    g = Graph()
    g.add((URIRef("http://example.org/z"), URIRef("http://example.org/p"), Literal("other")))
    other.put_graphs({"https://w3id.org/entente/graph/document/" + "9" * 64: g})
    app = app_for(store)
    app.dependency_overrides[get_store] = lambda: other
    with TestClient(app) as client:
        r = client.get("/sparql", params={"query": SELECT})
    assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["other"]


def test_two_apps_share_nothing(app_for: Callable[..., FastAPI], store: Any) -> None:
    empty = OxigraphStore(None)
    with TestClient(app_for(store)) as a, TestClient(app_for(empty, write_token="x")) as b:
        assert len(a.get("/sparql", params={"query": SELECT}).json()["results"]["bindings"]) == 2
        assert b.get("/sparql", params={"query": SELECT}).json()["results"]["bindings"] == []
        assert b.post("/documents", content="t").status_code == 401
        assert a.get("/health").json()["store"]["documents"] == 2


def test_unauthenticated_ingest_builds_nothing(app_for: Callable[..., FastAPI], store: Any) -> None:
    """Without an ingestor the app builds one on the first accepted write, not before: a refused
    request must not load the language model."""
    app = app_for(store, write_token="x")
    built: list[bool] = []

    def factory() -> Any:
        built.append(True)
        raise AssertionError("must not be built")

    app.state.entente.ingestor_factory = factory
    with TestClient(app) as client:
        assert client.post("/documents", content="text").status_code == 401
    assert built == []


def test_strict_writer_check_for_update_routes(app_for: Callable[..., FastAPI], store: Any) -> None:
    """The check issue 5's /update and /store will use: no token configured means no writes."""
    from entente.service.http.deps import require_writer_strict
    from starlette.requests import Request

    def request(auth: str | None) -> Request:
        headers = [(b"authorization", auth.encode())] if auth else []
        return Request({"type": "http", "method": "POST", "path": "/update", "headers": headers})

    async def check(app: FastAPI, auth: str | None) -> str | None:
        try:
            await require_writer_strict(request(auth), app.state.entente)
        except Exception as exc:
            return getattr(exc, "code", "?")
        return None

    open_app, guarded = app_for(store), app_for(store, write_token="w")
    assert anyio.run(check, open_app, "Bearer w") == "E409"
    assert anyio.run(check, guarded, None) == "E408"
    assert anyio.run(check, guarded, "Bearer x") == "E413"
    assert anyio.run(check, guarded, "Bearer w") is None


def test_docs_status_table_in_step(repo_root: Any) -> None:
    """docs/http.md's status table gives every catalogue code the status errors.py gives it."""
    import re

    text = (repo_root / "docs" / "http.md").read_text(encoding="utf-8")
    documented: dict[str, int] = {}
    for codes, status in re.findall(r"^\| ((?:E\d{3}(?:, )?)+) \| (\d{3}) \|", text, re.M):
        for code in codes.split(", "):
            documented[code] = int(status)
    assert documented == {code: STATUS[code] for code in CATALOGUE}
