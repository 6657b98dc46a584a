"""Documents through their lifecycle: listed, shown with the current shapes' verdict, deleted
(a statement other documents also report stays, with their evidence), versions by URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import entente_tests_lifecycle_support as S
import pytest
from entente.errors import EntenteError
from entente.ingest.read.reader import read_path
from entente.ontology.iris import document_iri
from entente.ontology.vocab import ENT
from entente.service.cli import commands as cli
from entente.service.gate.gate import Gate
from entente.service.store.bootstrap import ensure_reference_graphs
from entente.service.store.oxigraph import OxigraphStore
from entente.service.write import catalog
from entente.service.write.ingestion import Ingestor
from typer.testing import CliRunner


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from entente.ingest.pipeline import Pipeline, PipelineConfig

    return Pipeline(PipelineConfig())


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    with OxigraphStore(None) as s:
        ensure_reference_graphs(s)
        yield s


def statements_of(store: OxigraphStore, doc: str) -> set[str]:
    rows = store.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s <{ENT.evidence}> ?e . ?e <{ENT.document}> <{doc}> }}"
    )
    return {str(r["s"]) for r in rows}


def sources_of(store: OxigraphStore, statement: str) -> set[str]:
    rows = store.select(
        f"SELECT DISTINCT ?doc WHERE {{ <{statement}> <{ENT.evidence}> ?e . "
        f"?e <{ENT.document}> ?doc }}"
    )
    return {str(r["doc"]) for r in rows}


@pytest.mark.model
def test_deleting_a_document_keeps_statements_others_support(
    store: OxigraphStore, pipeline: Any, articles_dir: Path
) -> None:
    """Two sample articles (the CNBC report and the EE Times one) share statements: the EU's
    de-risking from China, the digital partnership council... Deleting one leaves those with the
    other's evidence, and removes what only the deleted one said."""
    ingestor = Ingestor(store, Gate(), pipeline)
    [first] = read_path(articles_dir / "000_ef4fbcaa2374f568.txt", max_bytes=10_000_000)
    [second] = read_path(articles_dir / "002_ca0fefdcf02db93a.txt", max_bytes=10_000_000)
    assert ingestor.ingest(first).status == "accepted"
    assert ingestor.ingest(second).status == "accepted"
    a, b = str(document_iri(first.sha256)), str(document_iri(second.sha256))
    shared = statements_of(store, a) & statements_of(store, b)
    only_first = statements_of(store, a) - statements_of(store, b)
    assert shared, "the two articles report common statements"
    assert only_first, "and the first says something the second does not"
    before = {s: sources_of(store, s) for s in shared}
    assert all(v == {a, b} for v in before.values())

    deleted = ingestor.delete(first.sha256[:10])
    assert deleted.iri == a
    for statement in shared:  # still there, with the other document's evidence only
        assert sources_of(store, statement) == {b}
        assert store.ask(f"ASK {{ <{statement}> a ?type }}")
    for statement in only_first:  # gone from the default graph entirely
        assert not store.ask(f"ASK {{ <{statement}> ?p ?o }}")
    assert not store.ask(f"ASK {{ <{a}> ?p ?o }}")
    assert Gate().validate_all(store).accepted
    with pytest.raises(EntenteError) as unknown:
        catalog.get_document(store, first.sha256)
    assert unknown.value.code == "E203"


def test_documents_cli_show_and_delete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """documents list/show/delete on a store written without spaCy (the lifecycle fixtures)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "store"
    with S.reference_store(path) as store:
        ingestor = Ingestor(store, Gate(), S.MarkupPipeline())
        doc = S.article("EC NL CN: The Dutch restrict chip tools to China.\n", title="Dutch")
        assert ingestor.ingest(doc).status == "accepted"
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli.app, [*args, "--store", str(path)], catch_exceptions=False)

    listed = json.loads(run("documents", "list", "--json").stdout)
    assert [d["title"] for d in listed] == ["Dutch"]
    shown = run("documents", "show", doc.sha256[:8])
    assert shown.exit_code == 0 and "0 violation(s)" in shown.stdout
    data = json.loads(run("documents", "show", doc.sha256, "--json").stdout)
    assert data["statements"] == 1 and data["validation"]["accepted"] is True
    assert run("documents", "delete", doc.sha256).exit_code == 0
    gone = run("documents", "show", doc.sha256)
    assert gone.exit_code == 2 and "error[E203]" in gone.stderr
    assert json.loads(run("documents", "list", "--json").stdout) == []
