"""Issue 4's "Done when", as a new operator would live it, through the CLI and the real
pipeline: add a strict shape (every ExportControl must name a target), ingest the sample
articles, see which were quarantined and why, fix the shape, revalidate, see them accepted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import entente_tests_lifecycle_support as S
import pytest
from entente.service.cli import commands as cli
from typer.testing import CliRunner

STRICT = S.STRICT_SHAPE


@pytest.mark.model
@pytest.mark.slow
def test_strict_shape_quarantine_fix_revalidate(
    tmp_path: Path, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENTENTE_STORE", raising=False)
    monkeypatch.delenv("ENTENTE_SHAPES_DIRS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    store, ops = tmp_path / "store", tmp_path / "our-shapes"
    ops.mkdir()
    (ops / "export-controls.ttl").write_text(STRICT, encoding="utf-8")
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli.app, [*args, "--store", str(store)], catch_exceptions=False)

    # 1. Ingest the samples with the operator's shape: some are quarantined (exit 1).
    ingested = run("ingest", "--json", "--shapes", str(ops), str(articles_dir))
    assert ingested.exit_code == 1, ingested.output
    outcomes = [json.loads(line) for line in ingested.stdout.splitlines()]
    quarantined = {o["document"] for o in outcomes if o["status"] == "quarantined"}
    accepted = {o["document"] for o in outcomes if o["status"] == "accepted"}
    assert quarantined and accepted
    assert all(
        "must name a target" in o["message"] for o in outcomes if o["document"] in quarantined
    )

    # 2. See which, and why: the failing node, path, constraint, message and evidence sentence.
    listed = json.loads(run("quarantine", "list", "--json").stdout)
    assert {e["document"]["iri"] for e in listed} == quarantined
    first = listed[0]["document"]["id"]
    shown = json.loads(run("quarantine", "show", first[:8], "--json").stdout)
    [violation] = [r for r in shown["results"] if r["severity"] == "Violation"]
    assert violation["path"] == "https://w3id.org/entente/ontology#target"
    assert violation["constraint"].endswith("#MinCountConstraintComponent")
    assert violation["message"] == "Every export control must name a target."
    assert violation["focus_node"].startswith("https://w3id.org/entente/id/statement/")
    assert violation["sentence"]  # the sentence the export control was read from
    text = run("quarantine", "show", first)
    assert "evidence:" in text.stdout and "Every export control must name a target" in text.stdout
    # Analysts never see quarantined data.
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/entente/ontology#Document> }"
    rows = json.loads(run("query", "--format", "json", count).stdout)["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == len(accepted)

    # 3. Revalidating with the strict shape still in place changes nothing (exit 1).
    still = run("quarantine", "revalidate", "--shapes", str(ops))
    assert still.exit_code == 1 and f"{len(quarantined)} quarantined" in still.stdout

    # 4. Fix the shape: a missing target is worth a warning, not a rejection.
    relaxed = STRICT.replace("sh:severity sh:Violation", "sh:severity sh:Warning")
    (ops / "export-controls.ttl").write_text(relaxed, encoding="utf-8")
    moved = run("quarantine", "revalidate", "--json", "--shapes", str(ops))
    assert moved.exit_code == 0, moved.output
    results = [json.loads(line) for line in moved.stdout.splitlines()]
    assert {r["document"] for r in results} == quarantined
    assert {r["status"] for r in results} == {"accepted"}

    # 5. All accepted, nothing left in quarantine, the store conforms to the operator's shapes.
    assert json.loads(run("quarantine", "list", "--json").stdout) == []
    documents = json.loads(run("documents", "list", "--json").stdout)
    assert {d["iri"] for d in documents} == quarantined | accepted
    checked = run("validate", "--all", "--shapes", str(ops))
    assert checked.exit_code == 0, checked.output
    assert "Every export control must name a target" in checked.stdout  # now as a warning
    rows = json.loads(run("query", "--format", "json", count).stdout)["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == len(quarantined | accepted)
