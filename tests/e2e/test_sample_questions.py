"""End to end: the sample articles go in through the real pipeline, gate and store; the analysts'
questions of issue 2 are asked over HTTP with the shipped example queries, and every answer must
come with its evidence sentence and source document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.service.gate.gate import Gate
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store.bootstrap import ensure_reference_graphs
from entente.service.store.oxigraph import OxigraphStore
from entente.service.write.ingestion import Ingestor
from fastapi.testclient import TestClient

pytestmark = pytest.mark.model

QUERIES = Path(__file__).resolve().parents[2] / "examples" / "queries"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, articles_dir: Path) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("store")
    settings = Settings(store=path)
    store = OxigraphStore(path)
    ensure_reference_graphs(store)
    ingestor = Ingestor(store, Gate(), Pipeline(PipelineConfig()))
    outcomes = list(ingestor.ingest_paths([articles_dir]))
    assert len(outcomes) == 5
    assert {o.status for o in outcomes} <= {"accepted"}, [o.as_dict() for o in outcomes]
    with TestClient(create_app(settings, store, ingestor=ingestor)) as c:
        yield c
    store.close()


def ask(client: TestClient, name: str) -> list[dict[str, str]]:
    query = (QUERIES / name).read_text(encoding="utf-8")
    r = client.post(
        "/sparql",
        content=query.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in row.items()} for row in r.json()["results"]["bindings"]]


def assert_evidenced(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row.get("sentence", "").strip(), row
        assert row.get("document", "").startswith("https://w3id.org/entente/id/document/"), row


def test_japan_cooperates_with_eu_on_semiconductors(client: TestClient) -> None:
    rows = ask(client, "01-cooperation-with-eu-on-semiconductors.rq")
    assert {r["partnerLabel"] for r in rows} == {"Japan"}
    assert_evidenced(rows)
    assert len({r["document"] for r in rows}) >= 2, "the same fact is reported by several articles"


def test_export_controls_by_imposer_and_technology(client: TestClient) -> None:
    rows = ask(client, "02-export-controls.rq")
    assert_evidenced(rows)
    pairs = {(r["imposerLabel"], r["technologyLabel"]) for r in rows}
    assert any(i == "Netherlands" and "equipment" in t.lower() for i, t in pairs), pairs
    assert ("United States", "Semiconductors") in {(i, t.capitalize()) for i, t in pairs}, pairs


def test_eu_de_risks_from_china(client: TestClient) -> None:
    rows = ask(client, "03-de-risking-from-china.rq")
    assert {r["actorLabel"] for r in rows} == {"European Union"}
    assert_evidenced(rows)


def test_digital_partnership_councils(client: TestClient) -> None:
    rows = ask(client, "04-digital-partnership-councils.rq")
    parties = {frozenset(r["parties"].split(" – ")) for r in rows}
    assert frozenset({"European Union", "Japan"}) in parties
    # The EU-South Korea council is named in the samples only as "a similar council": the
    # sample-fitted anaphor that found it is gone (issue 9), so it is allowed, not required.
    assert parties <= {
        frozenset({"European Union", "Japan"}),
        frozenset({"European Union", "South Korea"}),
    }


JUNK = [
    "Pauline Jacobs",
    "Kelly Laurence",
    "Andreea Martini",
    "Laura Parks",
    "Paris",
    "San Francisco",
    "Seine",
    "Alex McFarland",
    "Bing",
    "Getty Images",
    "Leave a Reply",
]


def test_no_boilerplate_in_graph(client: TestClient) -> None:
    query = """
    PREFIX ent: <https://w3id.org/entente/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?label WHERE {
      { ?doc ent:mentions ?e . ?e rdfs:label ?label }
      UNION { ?s ent:evidence/ent:sentence ?label }
    }"""
    r = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    texts = [b["label"]["value"] for b in r.json()["results"]["bindings"]]
    for junk in JUNK:
        assert not [t for t in texts if junk in t], junk


def test_every_example_query_runs(client: TestClient) -> None:
    names = sorted(p.name for p in QUERIES.glob("*.rq"))
    assert len(names) >= 12
    for name in names:
        ask(client, name)
