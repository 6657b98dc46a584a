"""POST /documents (ingest, behind the write token), GET /documents, GET /documents/{id}."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ARTICLE = (
    "The European Union and Japan agreed to cooperate on semiconductors, officials said on Monday."
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def writer(
    make_client: Callable[..., TestClient], store: Any, fake_ingestor: Any, token: str
) -> TestClient:
    return make_client(store, ingestor=fake_ingestor, write_token=token)


def test_post_documents_without_token(writer: TestClient, fake_ingestor: Any) -> None:
    r = writer.post("/documents", content=ARTICLE, headers={"Content-Type": "text/plain"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "E408"
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = writer.post(
        "/documents",
        content=ARTICLE,
        headers={"Content-Type": "text/plain", "Authorization": "Basic abc"},
    )
    assert r.status_code == 401
    assert fake_ingestor.seen == []


def test_post_documents_wrong_token(writer: TestClient, fake_ingestor: Any, token: str) -> None:
    for wrong in ("nope", token + "x", token[:-1]):
        r = writer.post(
            "/documents",
            content=ARTICLE,
            headers={"Content-Type": "text/plain", "Authorization": f"Bearer {wrong}"},
        )
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "E413"
    assert fake_ingestor.seen == []


def test_post_documents_ok(writer: TestClient, fake_ingestor: Any, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    r = writer.post(
        "/documents",
        params={
            "published": "2023-07-03",
            "url": "https://news.example/eu-japan",
            "title": "EU and Japan",
            "lang": "en",
        },
        content=ARTICLE.encode(),
        headers={"Content-Type": "text/plain; charset=utf-8", **auth},
    )
    assert r.status_code == 200, r.text
    [outcome] = r.json()
    assert outcome["status"] == "accepted"
    assert outcome["document"] == f"https://w3id.org/entente/id/document/{sha(ARTICLE)}"
    [doc] = fake_ingestor.seen
    assert doc.text == ARTICLE
    assert str(doc.published) == "2023-07-03"
    assert doc.url == "https://news.example/eu-japan"
    assert doc.language == "en" and doc.title == "EU and Japan"
    # The same text again is a duplicate; the listing shows it once.
    r = writer.post(
        "/documents", content=ARTICLE.encode(), headers={"Content-Type": "text/plain", **auth}
    )
    assert [o["status"] for o in r.json()] == ["duplicate"]
    listed = writer.get("/documents").json()
    assert sha(ARTICLE) in {d["id"] for d in listed["documents"]}


def test_post_documents_json_list_and_jsonl(
    writer: TestClient, fake_ingestor: Any, token: str
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    records = [
        {"text": f"Article number {i} about export controls.", "published": f"2023-05-0{i}"}
        for i in (1, 2)
    ]
    r = writer.post(
        "/documents",
        content=json.dumps(records),
        headers={"Content-Type": "application/json", **auth},
    )
    assert [o["status"] for o in r.json()] == ["accepted", "accepted"]
    lines = "\n".join(json.dumps({"text": f"Line article {i} on de-risking."}) for i in (3, 4))
    r = writer.post(
        "/documents", content=lines, headers={"Content-Type": "application/x-ndjson", **auth}
    )
    assert [o["status"] for o in r.json()] == ["accepted", "accepted"]
    assert [str(d.published) for d in fake_ingestor.seen[:2]] == ["2023-05-01", "2023-05-02"]


def test_post_documents_multipart(writer: TestClient, fake_ingestor: Any, token: str) -> None:
    files = [
        ("file", ("one.txt", b"A first uploaded article about chips.", "text/plain")),
        (
            "file",
            ("two.html", b"<html><body><p>A second one, in HTML.</p></body></html>", "text/html"),
        ),
    ]
    r = writer.post(
        "/documents",
        files=files,
        data={"published": "2024-01-02"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    assert [o["status"] for o in r.json()] == ["accepted", "accepted"]
    assert [d.source for d in fake_ingestor.seen] == ["one.txt", "two.html"]
    assert {str(d.published) for d in fake_ingestor.seen} == {"2024-01-02"}


BAD_INPUTS = [
    pytest.param(b"", "text/plain", {}, 400, "E001", id="empty"),
    pytest.param(
        b"%PDF-1.7\n\x00\x01\x02binary", "application/octet-stream", {}, 415, "E002", id="binary"
    ),
    pytest.param(b"caf\xe9 au lait \xff\xfe", "text/plain", {}, 400, "E003", id="invalid-utf8"),
    pytest.param(
        b'{"title": "no text here"}', "application/json", {}, 422, "E004", id="json-without-text"
    ),
    pytest.param(b'{"text": "broken', "application/json", {}, 400, "E005", id="malformed-json"),
    pytest.param(
        ARTICLE.encode(), "text/plain", {"published": "3rd of July"}, 422, "E006", id="bad-date"
    ),
    pytest.param(
        json.dumps(
            [{"text": "fine article"}, {"text": "bad date", "published": "yesterday"}]
        ).encode(),
        "application/json",
        {},
        422,
        "E006",
        id="one-bad-record-in-a-list",
    ),
    pytest.param(ARTICLE.encode(), "text/plain", {"url": "not a url"}, 422, "E011", id="bad-url"),
    pytest.param(ARTICLE.encode(), "application/pdf", {}, 415, "E008", id="unsupported-type"),
]


@pytest.mark.parametrize(("body", "content_type", "params", "status", "code"), BAD_INPUTS)
def test_post_documents_bad_input_store_unchanged(
    writer: TestClient,
    store: Any,
    fake_ingestor: Any,
    dump_store: Callable[[Any], bytes],
    token: str,
    body: bytes,
    content_type: str,
    params: dict[str, str],
    status: int,
    code: str,
) -> None:
    before = dump_store(store)
    stats_before = writer.get("/health").json()["store"]
    r = writer.post(
        "/documents",
        params=params,
        content=body,
        headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"},
    )
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]
    assert fake_ingestor.seen == []  # nothing reached the ingestor, not even the good record
    assert dump_store(store) == before
    assert writer.get("/health").json()["store"] == stats_before


def test_body_too_large(
    make_client: Callable[..., TestClient], store: Any, fake_ingestor: Any
) -> None:
    client = make_client(store, ingestor=fake_ingestor, max_request_bytes=1000, write_token="w")
    client.headers["Authorization"] = "Bearer w"
    # Announced by Content-Length: refused before the body is read.
    r = client.post("/documents", content=b"x" * 1001, headers={"Content-Type": "text/plain"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "E410"

    # Sent chunked (no Content-Length): refused while reading.
    def chunks() -> Any:
        for _ in range(50):
            yield b"y" * 100

    r = client.post("/documents", content=chunks(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "E410"
    # The query endpoint has the same limit.
    r = client.post(
        "/sparql", content=b"#" * 2000, headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 413
    assert fake_ingestor.seen == []


def test_document_too_large_for_ingest(
    make_client: Callable[..., TestClient], store: Any, fake_ingestor: Any
) -> None:
    """The request may be within its limit and a document still beyond the ingest limit (E007)."""
    client = make_client(store, ingestor=fake_ingestor, max_document_bytes=100, write_token="w")
    client.headers["Authorization"] = "Bearer w"
    r = client.post("/documents", content=b"word " * 50, headers={"Content-Type": "text/plain"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "E007"


def test_writes_refused_without_configured_token(
    make_client: Callable[..., TestClient], store: Any, fake_ingestor: Any, dump_store: Any
) -> None:
    """Issue 11: README promised 403 on a server with no token, and POST and DELETE
    /documents succeeded. Every write is refused now, whatever the bearer."""
    client = make_client(store, ingestor=fake_ingestor)
    before = dump_store(store)
    for headers in ({}, {"Authorization": "Bearer anything"}):
        r = client.post(
            "/documents", content=ARTICLE, headers={"Content-Type": "text/plain", **headers}
        )
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "E409"
        r = client.delete("/documents/" + "1" * 64, headers=headers)
        assert r.status_code == 403
    assert dump_store(store) == before
    assert fake_ingestor.seen == []


def test_write_token_from_file(
    make_client: Callable[..., TestClient], store: Any, fake_ingestor: Any, tmp_path: Any
) -> None:
    path = tmp_path / "token"
    path.write_text("from-a-file\n", encoding="utf-8")
    client = make_client(store, ingestor=fake_ingestor, write_token_file=path)
    r = client.post(
        "/documents",
        content=ARTICLE,
        headers={"Content-Type": "text/plain", "Authorization": "Bearer from-a-file"},
    )
    assert r.status_code == 200
    # Read once, at app creation: changing the file does not change the running server's token.
    path.write_text("changed", encoding="utf-8")
    r = client.post(
        "/documents",
        content=ARTICLE + " 2",
        headers={"Content-Type": "text/plain", "Authorization": "Bearer changed"},
    )
    assert r.status_code == 403


def test_list_documents(client: TestClient, graphs: tuple[str, str]) -> None:
    r = client.get("/documents")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2
    by_title = {d["title"]: d for d in body["documents"]}
    assert set(by_title) == {"First", "Second"}
    first = by_title["First"]
    assert first["iri"] == "https://w3id.org/entente/id/document/" + "1" * 64
    assert first["published"] == "2023-07-03"
    assert first["language"] == "en"
    assert first["url"] == "https://news.example/111111"
    assert "statements" in first
    r = client.get("/documents", params={"limit": 1, "offset": 1})
    assert len(r.json()["documents"]) == 1


def test_get_document(client: TestClient) -> None:
    r = client.get("/documents/" + "2" * 64)
    assert r.status_code == 200
    assert r.json()["title"] == "Second"
    assert client.get("/documents/" + "2" * 8).json()["title"] == "Second"  # a unique prefix
    r = client.get("/documents/" + "3" * 64)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "E203"
    r = client.get("/documents/not-an-id")
    assert r.status_code == 404


@pytest.mark.parametrize("quoted", [False, True])
def test_get_document_by_its_iri(client: TestClient, quoted: bool) -> None:
    """Issue 11: `GET /documents/<document IRI>` was documented and answered 404."""
    from urllib.parse import quote

    from entente.ontology.iris import document_iri

    iri = str(document_iri("1" * 64))
    r = client.get("/documents/" + (quote(iri, safe="") if quoted else iri))
    assert r.status_code == 200, r.text
    assert r.json()["iri"] == iri


def test_post_documents_article_over_the_length_limit(
    make_client: Callable[..., TestClient], store: Any, fake_ingestor: Any, token: str
) -> None:
    """An article longer than ENTENTE_MAX_ARTICLE_CHARS once cleaned: 413 in the error shape,
    and nothing of the request is ingested, not even the short article before it."""
    client = make_client(store, ingestor=fake_ingestor, write_token=token, max_article_chars=1000)
    auth = {"Authorization": f"Bearer {token}"}
    long = "copper lantern harbour " * 100
    records = [{"text": ARTICLE}, {"text": long, "title": "long"}]
    r = client.post(
        "/documents",
        content=json.dumps(records),
        headers={"Content-Type": "application/json", **auth},
    )
    assert r.status_code == 413, r.text
    error = r.json()["error"]
    assert error["code"] == "E175"
    assert "1,000 characters (ENTENTE_MAX_ARTICLE_CHARS)" in error["message"]
    assert error["hint"].startswith("Split the article")
    assert fake_ingestor.seen == []
    # Markup does not count: the same length of page source around a short article passes.
    page = (
        "<html><head><style>"
        + "p{}" * 400
        + "</style></head><body><p>"
        + ARTICLE
        + "</p></body></html>"
    )
    r = client.post("/documents", content=page, headers={"Content-Type": "text/html", **auth})
    assert r.status_code == 200, r.text
    assert [o["status"] for o in r.json()] == ["accepted"]
