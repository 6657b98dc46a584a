"""Reads are open by default and go behind a token when ENTENTE_READ_TOKEN is set: every read
route (queries, the service description, graphs, VoID, linked data, documents) then needs the
read or the write token, while /health stays open for probes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from entente.service.store.oxigraph import OxigraphStore
from fastapi.testclient import TestClient

READS = [
    ("/sparql", {"query": "ASK { ?s ?p ?o }"}),
    ("/sparql", {}),
    ("/store", {"default": ""}),
    ("/.well-known/void", {}),
    ("/id/state/japan", {}),
    ("/documents", {}),
]


@pytest.mark.parametrize(("path", "params"), READS, ids=[p + str(q) for p, q in READS])
def test_read_token_required_when_configured(
    make_client: Callable[..., TestClient],
    kg_store: OxigraphStore,
    path: str,
    params: dict[str, str],
) -> None:
    client = make_client(kg_store, read_token="reader", write_token="writer")
    r = client.get(path, params=params)
    assert r.status_code == 401 and r.json()["error"]["code"] == "E408", r.text
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    r = client.get(path, params=params, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "E413"
    for token in ("reader", "writer"):
        r = client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, (token, r.text)
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(("path", "params"), READS, ids=[p + str(q) for p, q in READS])
def test_reads_open_by_default(
    make_client: Callable[..., TestClient],
    kg_store: OxigraphStore,
    path: str,
    params: dict[str, str],
) -> None:
    client = make_client(kg_store, write_token="writer")
    assert client.get(path, params=params).status_code == 200


def test_read_token_never_writes(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore
) -> None:
    client = make_client(kg_store, read_token="reader", write_token="writer")
    r = client.post(
        "/update",
        content='INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "x" } }',
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer reader"},
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "E413"
