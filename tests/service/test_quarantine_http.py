"""The quarantine and document lifecycle over HTTP: GET/POST/DELETE on /quarantine and
/documents/{id}, writes behind the token, and concurrent ingests serialised safely."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import entente_tests_lifecycle_support as S
import pytest
from entente.ontology.iris import document_graph
from entente.ontology.vocab import ENT
from entente.service.gate.gate import Gate
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store.oxigraph import OxigraphStore
from entente.service.write.ingestion import Ingestor
from fastapi.testclient import TestClient
from rdflib.namespace import SH

TOKEN = "quarantine-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


NO_TARGET = "EC NL -: The Netherlands will restrict exports of chip equipment.\n"
WITH_TARGET = "EC NL CN: The Netherlands will restrict exports of chip equipment to China.\n"


@pytest.fixture(scope="module")
def strict_gate(tmp_path_factory: pytest.TempPathFactory) -> Gate:
    return Gate([S.write_strict_shape(tmp_path_factory.mktemp("ops"))])


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    with S.reference_store() as s:
        yield s


@pytest.fixture
def ingestor(store: OxigraphStore, strict_gate: Gate) -> Ingestor:
    return Ingestor(store, strict_gate, S.MarkupPipeline())


@pytest.fixture
def client(store: OxigraphStore, ingestor: Ingestor, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store=tmp_path / "unused", write_token=TOKEN)
    with TestClient(create_app(settings, store, ingestor=ingestor)) as c:
        yield c


def post(client: TestClient, text: str, title: str, url: str | None = None) -> dict[str, object]:
    params = {"title": title, **({"url": url} if url else {})}
    response = client.post(
        "/documents",
        content=text.encode(),
        params=params,
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert response.status_code == 200, response.text
    [outcome] = response.json()
    return outcome  # type: ignore[no-any-return]


def test_quarantine_list_show_and_report(client: TestClient) -> None:
    outcome = post(client, NO_TARGET, "No target")
    assert outcome["status"] == "quarantined"
    sha = str(outcome["document"]).rsplit("/", 1)[1]
    listed = client.get("/quarantine").json()
    assert listed["total"] == 1
    assert listed["entries"][0]["document"]["id"] == sha
    assert "must name a target" in listed["entries"][0]["reason"]
    shown = client.get(f"/quarantine/{sha[:8]}").json()
    [violation] = [r for r in shown["results"] if r["severity"] == "Violation"]
    assert violation["path"] == str(ENT.target)
    assert violation["constraint"] == str(SH.MinCountConstraintComponent)
    assert violation["sentence"] == "The Netherlands will restrict exports of chip equipment."
    turtle = client.get(f"/quarantine/{sha}", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "sh:ValidationReport" in turtle.text
    assert client.get(f"/quarantine/{sha}?format=turtle").text == turtle.text
    missing = client.get("/quarantine/abcdef0123")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E304"


def test_quarantine_writes_need_the_token(client: TestClient) -> None:
    sha = str(post(client, NO_TARGET, "No target")["document"]).rsplit("/", 1)[1]
    for method, path in [
        ("POST", f"/quarantine/{sha}/revalidate"),
        ("POST", "/quarantine/revalidate"),
        ("POST", f"/quarantine/{sha}/release"),
        ("DELETE", f"/quarantine/{sha}"),
        ("DELETE", f"/documents/{sha}"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "E408"
        wrong = client.request(method, path, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
    assert client.get("/quarantine").json()["total"] == 1  # nothing changed


def test_revalidate_after_the_operator_relaxes_the_shapes(
    client: TestClient, ingestor: Ingestor
) -> None:
    sha = str(post(client, NO_TARGET, "No target")["document"]).rsplit("/", 1)[1]
    still = client.post(f"/quarantine/{sha}/revalidate", headers=AUTH).json()
    assert still["counts"] == {"accepted": 0, "quarantined": 1, "superseded": 0}
    ingestor.gate = Gate()  # what a restart with the strict shape removed does
    moved = client.post("/quarantine/revalidate", headers=AUTH).json()
    assert moved["counts"]["accepted"] == 1
    assert moved["outcomes"][0]["validation"]["accepted"] is True
    assert client.get("/quarantine").json()["total"] == 0
    shown = client.get(f"/documents/{sha}").json()
    assert shown["statements"] == 1 and shown["validation"]["accepted"] is True


def test_release_and_drop(client: TestClient, store: OxigraphStore) -> None:
    released = str(post(client, NO_TARGET, "Released")["document"]).rsplit("/", 1)[1]
    dropped = str(post(client, NO_TARGET + "\n", "Dropped")["document"]).rsplit("/", 1)[1]
    answer = client.post(f"/quarantine/{released}/release", headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert answer.json()["released"]["released"] is not None
    shown = client.get(f"/documents/{released}").json()
    assert shown["released"] is not None
    assert shown["validation"]["accepted"] is False  # the strict shape still rejects it
    again = client.post(f"/quarantine/{released}/release", headers=AUTH)
    assert again.status_code == 404 and "accepted document" in again.json()["error"]["message"]
    gone = client.delete(f"/quarantine/{dropped}", headers=AUTH)
    assert gone.status_code == 200 and gone.json()["dropped"]["id"] == dropped
    assert store.list_graphs(partition="quarantine") == []


def test_get_and_delete_documents(client: TestClient, store: OxigraphStore) -> None:
    sha = str(post(client, WITH_TARGET, "Dutch controls")["document"]).rsplit("/", 1)[1]
    shown = client.get(f"/documents/{sha[:10]}").json()
    assert shown["title"] == "Dutch controls" and shown["statements"] == 1
    assert shown["validation"]["accepted"] is True and shown["triples"] > 10
    assert "validation" not in client.get(f"/documents/{sha}?validate=false").json()
    deleted = client.delete(f"/documents/{sha}", headers=AUTH)
    assert deleted.status_code == 200 and deleted.json()["deleted"]["id"] == sha
    assert not store.has_graph(str(document_graph(sha)))
    missing = client.get(f"/documents/{sha}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E203"
    assert client.delete(f"/documents/{sha}", headers=AUTH).status_code == 404


def test_same_url_changed_text_replaces_the_old_version_over_http(client: TestClient) -> None:
    url = "https://news.example/dutch-controls"
    first = post(client, WITH_TARGET, "v1", url=url)
    second = post(
        client, WITH_TARGET + "CO JP EU: Japan and the EU will cooperate.\n", "v2", url=url
    )
    assert first["status"] == second["status"] == "accepted"
    assert "replaces" in str(second["message"])
    listed = client.get("/documents").json()
    assert [d["title"] for d in listed["documents"]] == ["v2"]
    assert listed["documents"][0]["replaces"] == [first["document"]]
    again = post(client, WITH_TARGET, "v1 again", url=url)  # same text as v1: a new ingest of it
    assert again["status"] == "accepted"


def test_same_text_twice_is_a_duplicate_over_http(client: TestClient, store: OxigraphStore) -> None:
    assert post(client, WITH_TARGET, "once")["status"] == "accepted"
    before = store.stats()
    assert post(client, WITH_TARGET, "twice")["status"] == "duplicate"
    assert store.stats() == before


def test_concurrent_ingests_are_serialised_and_all_accepted(
    client: TestClient, store: OxigraphStore
) -> None:
    texts = [
        f"EC NL CN: Restriction number {n} on chip equipment to China.\n"
        f"CO JP EU: Japan and the EU cooperate, round {n}.\n"
        for n in range(12)
    ]
    answers: list[dict[str, object]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(texts))

    def send(text: str) -> None:
        try:
            barrier.wait()
            answers.append(post(client, text, "concurrent"))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(a["status"] for a in answers) == ["accepted"] * len(texts)
    stats = store.stats()
    assert stats.documents == len(texts) and stats.quarantined == 0
    # Consistent: every document graph is whole (its document node and both statements), and
    # the gate accepts the store as a whole.
    for graph in store.list_graphs(prefix=str(document_graph(""))):
        query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?e }} }}"
        rows = store.select(query.replace("?p", f"<{ENT.evidence}>"))
        assert int(str(rows[0]["n"])) == 2
    assert Gate().validate_all(store).accepted
