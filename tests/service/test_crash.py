"""Crash safety, end to end: `entente ingest` of a 200-article batch is SIGKILLed in the middle.
After restart the store holds only whole documents (each identical to a fresh analysis of its
article), `entente validate --all` conforms, and running the same batch again completes it with
no duplicates: 200 documents, each once.

The batch is built from the sample articles: passages of a few paragraphs each, every one with a
small textual variation (a filing note) so that all 200 texts are distinct documents. The real
pipeline runs on them (about 0.2 s an article on 2 cores, so the test takes about a minute)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ingest.model import Document
from entente.ingest.read.clean import clean
from entente.ingest.read.reader import read_path
from entente.ontology.iris import document_graph, sha256_of_graph
from entente.ontology.vocab import ENT
from entente.service.store.oxigraph import DOCUMENT_PREFIX, OxigraphStore
from rdflib import Graph, Literal
from rdflib.namespace import PROV

BATCH = 200
KILL_AFTER = 60  # outcomes printed (each printed after its commit) before the SIGKILL
ENTENTE = [sys.executable, "-m", "entente.service.cli.commands"]


def passages(articles_dir: Path) -> list[str]:
    """Runs of up to four paragraphs from each sample article that keep some article text
    after cleaning (a run of teasers or a comment form alone is refused, rightly, with E012)."""
    found = []
    for path in sorted(articles_dir.glob("*.txt")):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", path.read_text()) if p.strip()]
        for i in range(0, len(paragraphs), 4):
            text = "\n\n".join(paragraphs[i : i + 4])
            try:
                clean(Document(text=text, source=path.name))
            except EntenteError:
                continue
            found.append(text)
    return found


def write_batch(articles_dir: Path, folder: Path) -> list[Path]:
    folder.mkdir()
    texts = passages(articles_dir)
    assert len(texts) >= 20
    paths = []
    for n in range(BATCH):
        path = folder / f"{n:03d}.txt"
        path.write_text(f"{texts[n % len(texts)]}\n\n(Filed as report {n + 1} of the series.)\n")
        paths.append(path)
    return paths


def entente(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENTENTE, *args], capture_output=True, text=True, env=env, timeout=600, check=False
    )


def whole_document_problems(store: OxigraphStore) -> list[str]:
    """What would show a half-written document: a graph without its ent:Document node (with
    the sha256 its name says), a statement without evidence in the same graph, evidence that
    names another document or lacks its sentence."""
    problems = []
    for graph in store.list_graphs(prefix=DOCUMENT_PREFIX):
        sha = sha256_of_graph(graph)
        rows = store.select(
            f"SELECT ?doc WHERE {{ GRAPH <{graph}> {{ ?doc a <{ENT.Document}> ; "
            f'<{ENT.sha256}> "{sha}" }} }}'
        )
        if len(rows) != 1:
            problems.append(f"{graph}: {len(rows)} document nodes")
            continue
        doc = rows[0]["doc"]
        orphans = store.select(
            f"""SELECT ?s WHERE {{ GRAPH <{graph}> {{
                  ?s a ?type . FILTER (?type != <{ENT.Document}> && ?type != <{ENT.Evidence}>)
                  FILTER (STRSTARTS(STR(?s), "https://w3id.org/entente/id/statement/"))
                  FILTER NOT EXISTS {{ ?s <{ENT.evidence}> ?e . ?e <{ENT.document}> <{doc}> ;
                                       <{ENT.sentence}> ?sentence }} }} }}"""
        )
        problems += [f"{graph}: statement {r['s']} without its evidence" for r in orphans]
    return problems


def fresh_analysis(paths: list[Path], store: OxigraphStore, shas: list[str]) -> None:
    """Each stored graph equals a fresh analysis of its article (mapped with the stored
    generation time), compared after both went through the engine (same literal forms)."""
    from entente.ingest.map import document_graph as map_document
    from entente.ingest.pipeline import Pipeline, PipelineConfig

    pipeline = Pipeline(PipelineConfig())
    by_sha = {}
    for path in paths:
        [doc] = read_path(path, max_bytes=10_000_000)
        by_sha[doc.sha256] = doc
    with OxigraphStore(None) as scratch:
        for sha in shas:
            stored = store.get_graph(str(document_graph(sha)))
            [generated] = list(stored.objects(None, PROV.generatedAtTime))
            assert isinstance(generated, Literal)
            analysis = pipeline.analyze(by_sha[sha])
            expected = map_document(analysis, generated_at=generated.toPython())
            scratch.put_graphs({str(document_graph(sha)): expected})
            again: Graph = scratch.get_graph(str(document_graph(sha)))
            assert set(stored) == set(again), f"{sha}: stored graph differs from a re-analysis"


@pytest.mark.slow
@pytest.mark.model
def test_sigkill_mid_batch_then_restart_and_rerun(tmp_path: Path, articles_dir: Path) -> None:
    paths = write_batch(articles_dir, tmp_path / "batch")
    store_path = tmp_path / "store"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    started = time.monotonic()

    # 1. Ingest the batch; SIGKILL the process once KILL_AFTER documents are committed.
    with (tmp_path / "first.err").open("w") as errors:
        process = subprocess.Popen(
            [*ENTENTE, "ingest", "--json", "--store", str(store_path), str(tmp_path / "batch")],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )
        assert process.stdout is not None
        printed = []
        for line in process.stdout:
            printed.append(json.loads(line))
            if len(printed) == KILL_AFTER:
                time.sleep(0.05)  # into the next article's analysis or commit
                process.send_signal(signal.SIGKILL)
                break
        process.wait(30)
    assert process.returncode == -signal.SIGKILL, (tmp_path / "first.err").read_text()
    assert {o["status"] for o in printed} == {"accepted"}, printed

    # 2. Restart: only whole documents; every committed one present; validate conforms.
    with OxigraphStore(store_path) as store:
        stats = store.stats()
        assert KILL_AFTER <= stats.documents <= KILL_AFTER + 2  # at most the one in flight
        assert stats.quarantined == 0
        assert whole_document_problems(store) == []
        committed = sorted(sha256_of_graph(g) for g in store.list_graphs(prefix=DOCUMENT_PREFIX))
        assert {o["document"].rsplit("/", 1)[1] for o in printed} <= set(committed)
        fresh_analysis(paths, store, committed[:: max(1, len(committed) // 6)])
    validated = entente(env, "validate", "--all", "--store", str(store_path))
    assert validated.returncode == 0, validated.stdout + validated.stderr

    # 3. The same batch again completes it: duplicates for what was stored, the rest accepted.
    rerun = entente(env, "ingest", "--json", "--store", str(store_path), str(tmp_path / "batch"))
    assert rerun.returncode == 0, rerun.stderr
    outcomes = [json.loads(line) for line in rerun.stdout.splitlines()]
    assert len(outcomes) == BATCH
    statuses = {o["document"].rsplit("/", 1)[1]: o["status"] for o in outcomes}
    assert {statuses[sha] for sha in committed} == {"duplicate"}
    assert {s for sha, s in statuses.items() if sha not in committed} == {"accepted"}
    with OxigraphStore(store_path) as store:
        stored = {sha256_of_graph(g) for g in store.list_graphs(prefix=DOCUMENT_PREFIX)}
        expected = {read_path(p, max_bytes=10_000_000)[0].sha256 for p in paths}
        assert stored == expected and len(stored) == BATCH  # 200 documents, each once
        assert store.stats().quarantined == 0
        assert whole_document_problems(store) == []
    final = entente(env, "validate", "--all", "--store", str(store_path))
    assert final.returncode == 0, final.stdout + final.stderr
    assert time.monotonic() - started < 300  # about a minute on 2 cores
