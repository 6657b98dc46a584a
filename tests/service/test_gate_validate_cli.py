"""`entente validate --data FILE`: an RDF file against the shipped and operator shapes, no store.
Exit 0 conforms, 1 does not (any result), 2 error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from entente.service.cli import commands as cli
from typer.testing import CliRunner

runner = CliRunner()

# A meeting with two participants, one without an owl:sameAs: only a property shape nested in a
# property shape sees it (the shipped shapes do not target example.org nodes).
DATA = """@prefix ent: <https://w3id.org/entente/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/m1> ent:participant <https://example.org/a>, <https://example.org/b> .
<https://example.org/b> owl:sameAs <http://www.wikidata.org/entity/Q1> .
"""
TRIG = """@prefix ent: <https://w3id.org/entente/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/g1> {
  <https://example.org/m1> ent:participant <https://example.org/a>, <https://example.org/b> . }
<https://example.org/g2> {
  <https://example.org/b> owl:sameAs <http://www.wikidata.org/entity/Q1> . }
"""
SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ent: <https://w3id.org/entente/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/shapes#Participants> a sh:NodeShape ;
  sh:targetSubjectsOf ent:participant ;
  sh:property [ sh:path ent:participant ;
                sh:property [ sh:path owl:sameAs ; sh:minCount 1 ] ] .
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.delenv("ENTENTE_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "participants.ttl").write_text(SHAPE)
    data = tmp_path / "data.ttl"
    data.write_text(DATA)
    trig = tmp_path / "data.trig"
    trig.write_text(TRIG)
    return {"shapes": shapes, "data": data, "trig": trig, "tmp": tmp_path}


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_nested_property_shape_is_checked_by_both_engines(
    files: dict[str, Path], engine: str
) -> None:
    argv = ["validate", "--data", str(files["data"]), "--shapes", str(files["shapes"])]
    r = runner.invoke(cli.app, [*argv, "--engine", engine, "--json"])
    assert r.exit_code == 1, r.output
    outcome = json.loads(r.stdout)
    assert outcome["conforms"] is False and outcome["accepted"] is False
    assert [
        (v["focus_node"], v["constraint"].rsplit("#", 1)[1]) for v in outcome["violations"]
    ] == [("https://example.org/a", "MinCountConstraintComponent")]


def test_a_dataset_file_is_read_as_one_graph(files: dict[str, Path]) -> None:
    argv = ["validate", "--data", str(files["trig"]), "--shapes", str(files["shapes"])]
    r = runner.invoke(cli.app, argv)
    assert r.exit_code == 1, r.output
    assert "https://example.org/a" in r.stdout and "does not conform" in r.stdout


def test_data_that_conforms_exits_0(files: dict[str, Path]) -> None:
    clean = files["tmp"] / "clean.nt"
    clean.write_text("<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n")
    r = runner.invoke(cli.app, ["validate", "--data", str(clean), "--shapes", str(files["shapes"])])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().splitlines()[-1].startswith("conforms: 0 violation(s), 0 warning(s)")


def test_the_report_as_turtle(files: dict[str, Path]) -> None:
    argv = ["validate", "--data", str(files["data"]), "--shapes", str(files["shapes"])]
    r = runner.invoke(cli.app, [*argv, "--format", "turtle"])
    assert r.exit_code == 1, r.output
    assert "sh:conforms false" in r.stdout and "sh:MinCountConstraintComponent" in r.stdout


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("missing.ttl", None, "no such file"),
        ("bad.ttl", "<a> <b> .", "not valid turtle"),
        ("data.csv", "a,b", "unknown RDF file type"),
    ],
)
def test_an_unreadable_file_is_e520(
    files: dict[str, Path], name: str, text: str | None, expected: str
) -> None:
    path = files["tmp"] / name
    if text is not None:
        path.write_text(text)
    r = runner.invoke(cli.app, ["validate", "--data", str(path)])
    assert r.exit_code == 2
    assert "E520" in r.output and expected in r.output
