"""Issue 11, item 2: inputs an attacker or a fuzzer sends get a coded 4xx and leave the store as
it was: lone surrogates (JSON text and title, SPARQL Update), JSON nested 100k deep, RDF/XML
entity expansion, and a batch with one bad document among good ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from entente.service.store.oxigraph import OxigraphStore
from fastapi.testclient import TestClient

JSON = {"Content-Type": "application/json"}


def error_code(r: Any, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body["error"]) == {"code", "title", "message", "where", "hint"}
    return str(body["error"]["code"])


@pytest.fixture
def ingest_client(
    make_client: Callable[..., TestClient], store: OxigraphStore, fake_ingestor: Any, token: str
) -> TestClient:
    return make_client(store, ingestor=fake_ingestor, write_token=token)


def _post(client: TestClient, body: str | bytes, token: str) -> Any:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(
        "/documents", content=data, headers={**JSON, "Authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize("field", ["text", "title"])
def test_lone_surrogate_in_json_document_is_400(
    ingest_client: TestClient, store: OxigraphStore, dump_store: Any, token: str, field: str
) -> None:
    record = {"text": "Sweden signed a chip pact with Japan.", "title": "Chip pact"}
    body = json.dumps(record).replace(json.dumps(record[field])[1:-1], "bad \\ud800 value")
    before = dump_store(store)
    r = _post(ingest_client, body, token)
    assert error_code(r, 400) == "E005"
    assert "surrogate" in r.json()["error"]["message"]
    assert dump_store(store) == before


def test_batch_with_one_bad_document_commits_nothing(
    ingest_client: TestClient, store: OxigraphStore, dump_store: Any, fake_ingestor: Any, token: str
) -> None:
    good = {"text": "Sweden signed a chip pact with Japan."}
    other = {"text": "Korea and Chile agreed on lithium."}
    body = "[" + json.dumps(good) + ', {"text": "x \\udfff y"}, ' + json.dumps(other) + "]"
    before = dump_store(store)
    r = _post(ingest_client, body, token)
    assert error_code(r, 400) == "E005"
    assert "item 2" in r.json()["error"]["where"]
    assert fake_ingestor.seen == []
    assert dump_store(store) == before


def test_json_nested_100k_deep_is_400(
    ingest_client: TestClient, store: OxigraphStore, dump_store: Any, token: str
) -> None:
    before = dump_store(store)
    for body in ("[" * 100_000 + "]" * 100_000, '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"):
        r = _post(ingest_client, body, token)
        assert error_code(r, 400) == "E005"
        assert "nested" in r.json()["error"]["message"]
    assert dump_store(store) == before


def test_lone_surrogate_in_update_is_400(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore, dump_store: Any, token: str
) -> None:
    client = make_client(kg_store, write_token=token)
    before = dump_store(kg_store)
    text = 'INSERT DATA { GRAPH <http://example.org/notes> { <urn:a> <urn:b> "x\\ud800y" } }'
    r = client.post(
        "/update",
        content=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"},
    )
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["code"].startswith("E4")
    assert dump_store(kg_store) == before


def test_lone_surrogate_in_query_is_400(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": 'SELECT * WHERE { ?s ?p "x\\ud800y" }'})
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["code"].startswith("E4")


# --- RDF/XML entity expansion -----------------------------------------------------------------

RDF_HEAD = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
)


def _laughs(levels: int, width: int = 10) -> bytes:
    entities = ['<!ENTITY l0 "lollollollol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * width}">' for i in range(1, levels)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE r [{"".join(entities)}]>'
        f"{RDF_HEAD}<ex:p>&l{levels - 1};</ex:p></rdf:Description></rdf:RDF>"
    ).encode()


@pytest.mark.parametrize("levels", [7, 9])
def test_rdfxml_entity_expansion_is_bounded_by_the_request_limit(
    make_client: Callable[..., TestClient],
    kg_store: OxigraphStore,
    dump_store: Any,
    token: str,
    levels: int,
) -> None:
    """10^8 characters from ~530 bytes (levels=9) used to cost 740 MB and a 500; 10^7 (7) was
    stored, past the size limit. Both are refused (413) before the parser sees them."""
    client = make_client(kg_store, write_token=token, max_request_bytes=1024 * 1024)
    body = _laughs(levels)
    assert len(body) < 1024
    before = dump_store(kg_store)
    r = client.put(
        "/store",
        params={"graph": "http://example.org/notes"},
        content=body,
        headers={"Content-Type": "application/rdf+xml", "Authorization": f"Bearer {token}"},
    )
    assert error_code(r, 413) == "E410"
    assert "entities" in r.json()["error"]["message"]
    assert dump_store(kg_store) == before


def test_rdfxml_namespace_entities_still_read(
    make_client: Callable[..., TestClient], kg_store: OxigraphStore, token: str
) -> None:
    body = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY ex "http://example.org/">]>'
        f'{RDF_HEAD}<ex:p rdf:resource="&ex;b"/></rdf:Description></rdf:RDF>'
    ).encode()
    client = make_client(kg_store, write_token=token)
    r = client.put(
        "/store",
        params={"graph": "http://example.org/notes"},
        content=body,
        headers={"Content-Type": "application/rdf+xml", "Authorization": f"Bearer {token}"},
    )
    assert r.status_code in (201, 204), r.text
    got = client.get("/store", params={"graph": "http://example.org/notes"}).text
    assert "http://example.org/b" in got


def test_cli_batch_file_is_read_whole_before_any_document(tmp_path: Any) -> None:
    """`entente ingest` reads a file's every record before the first is ingested (the ingestor's
    ingest_file calls read_path first): a bad second record stops the whole file."""
    from entente.errors import EntenteError
    from entente.ingest.read.reader import read_path

    path = tmp_path / "batch.json"
    path.write_text('[{"text": "Good one."}, {"text": "bad \\ud800"}, {"text": "Good two."}]')
    with pytest.raises(EntenteError) as caught:
        read_path(path, max_bytes=1 << 20)
    assert caught.value.code == "E005"
    assert "item 2" in (caught.value.where or "")
