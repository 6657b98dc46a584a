"""GET and POST /sparql answered from the app's entry point (service/http/query_shortcut.py) give
what the framework's route gives: the same status, headers and body for answers, errors, the
service description and refused tokens, request by request. An app with a dependency override
takes the framework's route, so the two apps answering the same store side by side show any
difference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from entente.service.http import query_shortcut
from entente.service.http.deps import get_context
from entente.service.store.base import Store
from fastapi import FastAPI
from fastapi.testclient import TestClient

SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
JSON = "application/sparql-results+json"

# (method, params, headers, body): the ways a query arrives, and the ways it goes wrong.
REQUESTS: list[tuple[str, dict[str, str], dict[str, str], bytes | None]] = [
    ("GET", {"query": SELECT}, {"Accept": JSON}, None),
    ("GET", {"query": SELECT}, {"Accept": "text/csv"}, None),
    ("GET", {"query": SELECT, "format": "tsv"}, {}, None),
    ("GET", {"query": "ASK { ?s ?p ?o }"}, {"Accept": "application/sparql-results+xml"}, None),
    ("GET", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, {"Accept": "text/turtle"}, None),
    ("GET", {"query": "SELECT * WHERE { ?s ?p }"}, {}, None),  # E401 syntax
    ("GET", {"query": SELECT}, {"Accept": "image/png"}, None),  # E404 (406)
    ("GET", {"query": SELECT, "timeout": "-1"}, {}, None),  # E415
    ("GET", {"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"}, {}, None),
    ("GET", {}, {"Accept": "text/turtle"}, None),  # the service description
    ("GET", {}, {"Accept": "text/html,application/xhtml+xml"}, None),  # the query page
    ("GET", {"query": SELECT, "query ": "x", "version": "1.2"}, {}, None),
    ("GET", {"query": SELECT, "as-of": "2023-07-02"}, {}, None),
    ("GET", {"query": SELECT, "as-of": "July"}, {}, None),  # E415
    ("POST", {}, {"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%7B%7D"),
    ("POST", {}, {"Content-Type": "application/sparql-query"}, SELECT.encode()),
    ("POST", {}, {"Content-Type": "text/plain"}, SELECT.encode()),  # E405 (415)
    ("POST", {}, {"Content-Type": "application/sparql-update"}, b"CLEAR ALL"),  # E416
    ("POST", {}, {"Content-Type": "application/x-www-form-urlencoded"}, b"query=%zz&x"),
    ("POST", {"query": SELECT}, {"Content-Type": "application/x-www-form-urlencoded"}, b""),
]


def _framework_only(app: FastAPI) -> FastAPI:
    # An override that changes nothing, but sends every request through FastAPI's routing.
    app.dependency_overrides[get_context] = get_context
    return app


def _comparable(response: Any) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "server")}
    return response.status_code, headers, response.content


@pytest.mark.parametrize(
    ("method", "params", "headers", "body"), REQUESTS, ids=[str(i) for i in range(len(REQUESTS))]
)
def test_shortcut_answers_as_the_route_does(
    app_for: Callable[..., FastAPI],
    store: Store,
    method: str,
    params: dict[str, str],
    headers: dict[str, str],
    body: bytes | None,
) -> None:
    direct = app_for(store)
    routed = _framework_only(app_for(store))
    with TestClient(direct) as a, TestClient(routed) as b:
        answers = [
            _comparable(c.request(method, "/sparql", params=params, headers=headers, content=body))
            for c in (a, b)
        ]
    assert answers[0] == answers[1]


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "Basic abc", "Bearer reader"])
def test_read_token_checked_the_same_way(
    app_for: Callable[..., FastAPI], store: Store, auth: str | None
) -> None:
    settings = {"read_token": "reader", "write_token": "writer"}
    headers = {"Authorization": auth} if auth else {}
    with (
        TestClient(app_for(store, **settings)) as a,
        TestClient(_framework_only(app_for(store, **settings))) as b,
    ):
        answers = [
            _comparable(c.get("/sparql", params={"query": SELECT}, headers=headers)) for c in (a, b)
        ]
    assert answers[0] == answers[1]
    assert answers[0][0] == (
        200 if auth == "Bearer reader" else 401 if auth != "Bearer wrong" else 403
    )


def test_which_requests_take_the_shortcut(app_for: Callable[..., FastAPI], store: Store) -> None:
    app = app_for(store)

    def scope(method: str, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> Any:
        return {"type": "http", "method": method, "path": path, "headers": headers or []}

    assert query_shortcut.takes_shortcut(app, scope("GET", "/sparql"))
    assert query_shortcut.takes_shortcut(app, scope("POST", "/sparql", [(b"accept", b"*/*")]))
    # Browser clients go through the CORS middleware; other methods and paths through routing.
    assert not query_shortcut.takes_shortcut(app, scope("GET", "/sparql", [(b"origin", b"x")]))
    assert not query_shortcut.takes_shortcut(app, scope("OPTIONS", "/sparql"))
    assert not query_shortcut.takes_shortcut(app, scope("HEAD", "/sparql"))
    assert not query_shortcut.takes_shortcut(app, scope("GET", "/sparql/"))
    assert not query_shortcut.takes_shortcut(app, scope("GET", "/update"))
    assert not query_shortcut.takes_shortcut(app, {"type": "websocket", "path": "/sparql"})
    assert not query_shortcut.takes_shortcut(_framework_only(app), scope("GET", "/sparql"))


def test_an_unexpected_failure_is_e418_in_the_shape(
    app_for: Callable[..., FastAPI], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(store)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(app.state.entente.runner, "stream", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/sparql", params={"query": SELECT})
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "E418"
    assert "boom" not in r.text
