"""Operator shapes from --shapes and ENTENTE_SHAPES_DIRS take part in validation and quarantine
decisions; a malformed shapes file is refused at start, naming the file, line and problem, by the
CLI and by the HTTP app, before the store is touched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.service.cli import commands as cli
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store.oxigraph import OxigraphStore
from typer.testing import CliRunner

BROKEN = """\
@prefix sh:  <http://www.w3.org/ns/shacl#> .
@prefix ent: <https://w3id.org/entente/ontology#> .
<https://example.org/ops#S> a sh:NodeShape ;
    sh:targetClass ent:ExportControl
    sh:property [ sh:path ent:target ; sh:minCount 1 ] .
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    folder = tmp_path / "ops"
    folder.mkdir()
    (folder / "strict.ttl").write_text(BROKEN, encoding="utf-8")
    return folder


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("ENTENTE_STORE", raising=False)
    monkeypatch.delenv("ENTENTE_SHAPES_DIRS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(
            cli.app, [*args, "--store", str(tmp_path / "store")], catch_exceptions=False
        )

    return invoke


def assert_e301(stderr: str, broken: Path) -> None:
    first = stderr.splitlines()[0]
    assert first.startswith("error[E301]"), stderr
    assert f"{broken / 'strict.ttl'}:5:" in first  # the file and the line of the problem
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    "command",
    [
        ("ingest", "article.txt"),
        ("validate", "--all"),
        ("quarantine", "revalidate"),
        ("serve", "--port", "1"),
        ("documents", "show", "abcdef"),
    ],
    ids=lambda c: c[0] if c[0] != "quarantine" and c[0] != "documents" else " ".join(c[:2]),
)
def test_cli_refuses_a_malformed_shapes_file_at_start(
    command: tuple[str, ...], run: Any, broken: Path, tmp_path: Path
) -> None:
    (tmp_path / "article.txt").write_text("The Dutch restrict chip tools.", encoding="utf-8")
    args = [a if a != "article.txt" else str(tmp_path / a) for a in command]
    if command[0] in ("validate", "quarantine", "documents"):
        OxigraphStore(tmp_path / "store").close()  # these need an existing store
    result = run(*args, "--shapes", str(broken))
    assert result.exit_code == 2, result.output
    assert_e301(result.stderr, broken)
    if command[0] == "ingest":
        assert not (tmp_path / "store").exists()  # refused before the store was opened


def test_environment_shapes_dirs_is_read_too(
    run: Any, broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENTENTE_SHAPES_DIRS", str(broken))
    (tmp_path / "article.txt").write_text("The Dutch restrict chip tools.", encoding="utf-8")
    result = run("ingest", str(tmp_path / "article.txt"))
    assert result.exit_code == 2
    assert_e301(result.stderr, broken)


def test_http_app_refuses_a_malformed_shapes_file_at_start(broken: Path, tmp_path: Path) -> None:
    with OxigraphStore(None) as store, pytest.raises(EntenteError) as refused:
        create_app(Settings(store=tmp_path / "unused", shapes_dirs=[broken]), store)
    assert refused.value.code == "E301"
    assert f"{broken / 'strict.ttl'}:5:" in refused.value.message


def test_http_app_with_good_operator_shapes_uses_them(tmp_path: Path) -> None:
    folder = tmp_path / "ops"
    folder.mkdir()
    (folder / "ok.ttl").write_text(BROKEN.replace("ExportControl\n", "ExportControl ;\n"))
    with OxigraphStore(None) as store:
        app = create_app(Settings(store=tmp_path / "unused", shapes_dirs=[folder]), store)
        ingestor = app.state.entente.ensure_ingestor()
        assert str(folder / "ok.ttl") in ingestor.gate.shape_sources


def test_missing_shapes_dir_is_e302_at_start(run: Any, tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text("The Dutch restrict chip tools.", encoding="utf-8")
    result = run("ingest", str(tmp_path / "article.txt"), "--shapes", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and result.stderr.startswith("error[E302]")
