"""Source counts and the as-of index follow direct edits of document graphs over HTTP: POST
/update and the Graph Store Protocol at /store (docs/corroboration.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from entente.service.store.oxigraph import OxigraphStore
from entente.service.write import corroboration
from fastapi.testclient import TestClient
from rdflib import Graph

COOP = "https://w3id.org/entente/id/statement/cooperation/c0ffee"
EXPORT = "https://w3id.org/entente/id/statement/export-control/beef"
ENT = "https://w3id.org/entente/ontology#"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore, token: str
) -> TestClient:
    corroboration.recount(kg_store)  # counts and index for the directly loaded article
    return make_client(kg_store, write_token=token)


def count(store: OxigraphStore, statement: str) -> int | None:
    rows = store.select(f"SELECT ?n WHERE {{ <{statement}> <{ENT}sourceCount> ?n }}")
    return int(str(rows[0]["n"])) if rows else None


def asks_as_of(client: TestClient, day: str, pattern: str) -> bool:
    r = client.get("/sparql", params={"query": f"ASK {{ {pattern} }}", "as-of": day})
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def assert_as_from_scratch(store: OxigraphStore) -> None:
    plan = corroboration.recount_all(store)
    stored = {g: store.get_graph(g) for g in store.list_graphs(prefix=corroboration.SOURCES_PREFIX)}
    assert set(stored) == set(plan.put)
    for name, graph in plan.put.items():
        assert set(stored[name]) == set(graph), name


def test_update_that_removes_a_statement_recounts(
    client: TestClient, kg_store: OxigraphStore, article_graph: str, token: str
) -> None:
    assert count(kg_store, COOP) == 1
    assert asks_as_of(client, "2023-07-03", f"<{COOP}> ?p ?o")
    assert not asks_as_of(client, "2023-07-02", f"<{COOP}> ?p ?o")
    text = (
        f"DELETE WHERE {{ GRAPH <{article_graph}> {{ <{COOP}> ?p ?o . ?e ?q ?r . "
        f"<{COOP}> <{ENT}evidence> ?e }} }}"
    )
    r = client.post(
        "/update",
        content=text.encode(),
        headers={"Content-Type": "application/sparql-update", **auth(token)},
    )
    assert r.status_code in (200, 204), r.text
    assert count(kg_store, COOP) is None
    assert count(kg_store, EXPORT) == 1
    assert_as_from_scratch(kg_store)
    assert not asks_as_of(client, "2030-01-01", f"<{COOP}> ?p ?o")


def test_graph_store_writes_recount(
    client: TestClient,
    kg_store: OxigraphStore,
    article_graph: str,
    token: str,
    reference_and_article_graphs: dict[str, Any],
) -> None:
    original: Graph = reference_and_article_graphs[article_graph]
    without = Graph()
    for t in original:
        if str(t[0]) != EXPORT and not str(t[0]).endswith("/e2"):
            without.add(t)
    r = client.put(
        "/store",
        params={"graph": article_graph},
        content=without.serialize(format="turtle").encode(),
        headers={"Content-Type": "text/turtle", **auth(token)},
    )
    assert r.status_code in (200, 204), r.text
    assert count(kg_store, EXPORT) is None and count(kg_store, COOP) == 1
    assert not asks_as_of(client, "2030-01-01", f"<{EXPORT}> ?p ?o")
    assert_as_from_scratch(kg_store)
    r = client.delete("/store", params={"graph": article_graph}, headers=auth(token))
    assert r.status_code in (200, 204), r.text
    assert count(kg_store, COOP) is None
    assert_as_from_scratch(kg_store)
    assert not kg_store.list_graphs(prefix=corroboration.SOURCES_PREFIX)
