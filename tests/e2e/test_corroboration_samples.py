"""Issue 12 on the sample articles, through the real pipeline, gate and store: the EU–Japan
Digital Partnership Council has 4 sources but 2 independent ones (001 rewrites 000, 003
translates it); the JSR price and status conflicts are listed with their
sources; an as-of date before the Reuters-style report (002, undated, so counted from its
ingest) hides its statements.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.ingest.read.reader import read_path
from entente.ontology.iris import document_iri
from entente.service.cli import commands as cli
from entente.service.gate.gate import Gate
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store.bootstrap import ensure_reference_graphs
from entente.service.store.oxigraph import OxigraphStore
from entente.service.write.ingestion import Ingestor
from fastapi.testclient import TestClient
from typer.testing import CliRunner

pytestmark = pytest.mark.model

PREFIX = "PREFIX ent: <https://w3id.org/entente/ontology#>\n"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory, articles_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("store")
    store = OxigraphStore(path)
    try:
        ensure_reference_graphs(store)
        ingestor = Ingestor(store, Gate(), Pipeline(PipelineConfig()))
        outcomes = list(ingestor.ingest_paths([articles_dir]))
        assert {o.status for o in outcomes} == {"accepted"}, [o.message for o in outcomes]
    finally:
        store.close()
    return path


@pytest.fixture
def client(sample_store: Path) -> Iterator[TestClient]:
    store = OxigraphStore(sample_store)
    with TestClient(create_app(Settings(store=sample_store), store)) as c:
        yield c
    store.close()


def sha(articles_dir: Path, prefix: str) -> str:
    [path] = articles_dir.glob(f"{prefix}_*.txt")
    return read_path(path, max_bytes=10**7)[0].sha256


def select(client: TestClient, query: str, **params: str) -> list[dict[str, str]]:
    r = client.get(
        "/sparql",
        params={"query": PREFIX + query, **params},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in row.items()} for row in r.json()["results"]["bindings"]]


def test_eu_japan_council_has_four_sources_two_independent(client: TestClient) -> None:
    rows = select(
        client,
        """SELECT ?s ?n ?i WHERE {
          ?s a ent:DigitalPartnershipCouncil ;
             ent:party <https://w3id.org/entente/id/state/japan> ;
             ent:party <https://w3id.org/entente/id/bloc/european-union> ;
             ent:sourceCount ?n ; ent:independentSourceCount ?i }""",
    )
    # 000, its rewrite 001 and its Swedish translation 003 are one cluster, 002 the other: four
    # sources, two independent (issue 12). 001 names the council "Digital Cooperation Council":
    # a "digital <word> council" is this kind by the class definition (docs/extraction.md,
    # Councils), not by an alias of the sample's wording.
    assert {(r["n"], r["i"]) for r in rows} >= {("4", "2")}
    [council] = [r["s"] for r in rows if r["n"] == "4"]
    page = client.get(
        council.replace("https://w3id.org/entente", ""), headers={"Accept": "text/html"}
    )
    assert page.status_code == 200, page.text
    assert "4 source(s), 2 independent" in page.text


def test_rewrite_and_translation_are_recorded(client: TestClient, articles_dir: Path) -> None:
    original = document_iri(sha(articles_dir, "000"))
    rewrite = document_iri(sha(articles_dir, "001"))
    translation = document_iri(sha(articles_dir, "003"))
    rows = select(
        client,
        f"""SELECT ?p ?similarity ?method WHERE {{
          VALUES (?doc ?p) {{ (<{rewrite}> ent:derivedFrom) (<{translation}> ent:translationOf) }}
          ?doc ?p <{original}> ;
               <http://www.w3.org/ns/prov#qualifiedDerivation> ?d .
          ?d <http://www.w3.org/ns/prov#entity> <{original}> ;
             ent:similarity ?similarity ; ent:detectionMethod ?method }}""",
    )
    kinds = {r["p"].rsplit("#", 1)[-1]: r for r in rows}
    assert set(kinds) == {"derivedFrom", "translationOf"}
    assert "minhash" in kinds["derivedFrom"]["method"]
    assert "statement" in kinds["translationOf"]["method"]
    # the independent report is related to none of them
    reuters = document_iri(sha(articles_dir, "002"))
    assert not select(
        client,
        f"SELECT ?x WHERE {{ {{ <{reuters}> ent:derivedFrom ?x }} UNION "
        f"{{ ?x ent:derivedFrom <{reuters}> }} }}",
    )


def test_conflicts_list_the_jsr_price_and_status(client: TestClient, sample_store: Path) -> None:
    body = client.get("/conflicts").json()
    jsr = [
        d for d in body["disagreements"] if d["type"] == "Acquisition" and d["kind"] == "conflict"
    ]
    values = {d["property"]: {v["value"] for v in d["values"]} for d in jsr}
    assert values["amount"] == {"6300000000 USD", "6400000000 USD"}
    assert values["status"] == {"Proposed", "Agreed"}
    assert all(v["sources"] for d in jsr for v in d["values"])


def test_conflicts_command(sample_store: Path) -> None:
    r = CliRunner().invoke(cli.app, ["conflicts", "--json", "--store", str(sample_store)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    amounts = [
        d for d in data["disagreements"] if d["type"] == "Acquisition" and d["property"] == "amount"
    ]
    assert amounts and {s["document"] for v in amounts[0]["values"] for s in v["sources"]}
    text = CliRunner().invoke(cli.app, ["conflicts", "--store", str(sample_store)])
    assert "conflict Acquisition.amount" in text.stdout
    assert "6400000000 USD" in text.stdout


def test_as_of_before_the_reuters_report_hides_its_statements(
    client: TestClient, articles_dir: Path
) -> None:
    reuters = document_iri(sha(articles_dir, "002"))
    query = f"SELECT DISTINCT ?s WHERE {{ ?s ent:evidence/ent:document <{reuters}> }}"
    assert select(client, query)
    r = client.get(
        "/sparql",
        params={"query": PREFIX + query, "as-of": "2023-07-04"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"] == []
    assert r.headers["Entente-As-Of"] == "2023-07-04"
    assert "published=1" in r.headers["Entente-As-Of-Documents"]
    # what 000 (published 2023-07-03) said is there
    original = document_iri(sha(articles_dir, "000"))
    assert select(
        client,
        f"SELECT ?s WHERE {{ ?s ent:evidence/ent:document <{original}> }} LIMIT 1",
        **{"as-of": "2023-07-04"},
    )
    assert not select(
        client,
        f"SELECT ?s WHERE {{ ?s ent:evidence/ent:document <{original}> }} LIMIT 1",
        **{"as-of": "2023-07-02"},
    )


def test_as_of_after_every_document_is_the_whole_store(client: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ent:sourceCount ?c }"
    now = select(client, query)
    later = client.get(
        "/sparql",
        params={"query": PREFIX + query, "as-of": "2999-01-01"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert later.headers["Entente-As-Of-Documents"].endswith("hidden=0")
    assert [
        {k: v["value"] for k, v in row.items()} for row in later.json()["results"]["bindings"]
    ] == now


def test_as_of_rejects_a_bad_date_and_an_own_dataset(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}", "as-of": "July"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E415"
    r = client.get(
        "/sparql",
        params={"query": "ASK {}", "as-of": "2023-07-01", "default-graph-uri": "http://x/g"},
    )
    assert r.status_code == 400 and "as-of" in r.json()["error"]["message"]


def test_query_command_as_of(sample_store: Path) -> None:
    q = PREFIX + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?s ent:evidence/ent:document ?d }"
    r = CliRunner().invoke(
        cli.app,
        ["query", "--format", "csv", "--as-of", "2023-07-04", "--store", str(sample_store), q],
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1].strip() == "1"
    assert "1 by publish date" in r.stderr
    bad = CliRunner().invoke(cli.app, ["query", "--as-of", "soon", "--store", str(sample_store), q])
    assert bad.exit_code != 0 and "E540" in bad.output
