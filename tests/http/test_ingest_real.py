"""POST /documents through the real default ingestor (spaCy pipeline, shipped shapes, gate),
built by create_app on the first write: a sample article goes in and its statements come out
over SPARQL; the issue's bad inputs leave the store exactly as it was."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store.base import Store
from entente.service.store.bootstrap import ensure_reference_graphs
from entente.service.store.oxigraph import OxigraphStore
from fastapi.testclient import TestClient

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store]]:
    store = OxigraphStore(tmp_path_factory.mktemp("store"))
    ensure_reference_graphs(store)
    settings = Settings(store=Path("unused"), write_token="w")
    with TestClient(create_app(settings, store)) as client:
        yield client, store
    store.close()


def snapshot(client: TestClient, store: Store) -> tuple[dict[str, int], bytes]:
    out = io.BytesIO()
    store.export(out, fmt="nquads")
    return client.get("/health").json()["store"], b"".join(sorted(out.getvalue().splitlines(True)))


def test_article_in_statements_out(served: tuple[TestClient, Store], articles_dir: Path) -> None:
    client, _ = served
    article = sorted(articles_dir.glob("*.txt"))[0]
    meta = json.loads(article.with_name(article.stem + ".meta.json").read_text(encoding="utf-8"))
    r = client.post(
        "/documents",
        params={"published": meta.get("published"), "url": meta.get("url")},
        files=[("file", (article.name, article.read_bytes(), "text/plain"))],
        headers={"Authorization": "Bearer w"},
    )
    assert r.status_code == 200, r.text
    [outcome] = r.json()
    assert outcome["status"] == "accepted", outcome
    assert outcome["statements"] > 0
    rows = client.get(
        "/sparql",
        params={
            "query": "PREFIX ent: <https://w3id.org/entente/ontology#> "
            "SELECT ?s ?sentence WHERE { ?s ent:evidence ?e . ?e ent:sentence ?sentence ; "
            f"ent:document <{outcome['document']}> }}"
        },
    ).json()["results"]["bindings"]
    assert rows and all(row["sentence"]["value"].strip() for row in rows)
    assert client.get("/documents").json()["total"] == 1


BAD = [
    pytest.param(b"", "text/plain", {}, id="empty"),
    pytest.param(b"%PDF-1.4 \x00\x01\x02\x03", "application/octet-stream", {}, id="binary"),
    pytest.param(b"Invalid \xc3\x28 UTF-8 text", "text/plain", {}, id="invalid-utf8"),
    pytest.param(b'{"title": "no text"}', "application/json", {}, id="json-without-text"),
    pytest.param(b"Some article text.", "text/plain", {"published": "July 3rd"}, id="bad-date"),
    pytest.param(b"a" * (50 * 1024 * 1024), "text/plain", {}, id="50MB"),
]


@pytest.mark.parametrize(("body", "content_type", "params"), BAD)
def test_bad_input_leaves_store_unchanged(
    served: tuple[TestClient, Store], body: bytes, content_type: str, params: dict[str, str]
) -> None:
    client, store = served
    before = snapshot(client, store)
    r = client.post(
        "/documents",
        params=params,
        content=body,
        headers={"Content-Type": content_type, "Authorization": "Bearer w"},
    )
    assert 400 <= r.status_code < 500, r.text
    error = r.json()["error"]
    assert error["code"].startswith("E0") or error["code"] == "E410"
    assert error["message"] and error["where"]
    assert snapshot(client, store) == before
