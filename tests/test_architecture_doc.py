"""docs/architecture.md stays in step with the tree, and no file cites a document a reader of the
repository cannot open."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# A document citation: a name ending in .md, bare (`CHANGELOG.md`) or a path
# (`docs/store.md`, `../README.md`, `docs/decisions/0002-query-timeouts.md`).
_CITATION = re.compile(r"(?<![\w/.-])((?:\.\.?/)*[\w-]+(?:/[\w.-]+)*\.md)\b")
# Names that appear as test input (files a test creates), not as citations.
_NOT_CITATIONS = frozenset({"a.md", "notes.md"})


def _tracked() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.split()


def unresolved_citations(files: list[str], root: Path) -> list[str]:
    """`file: citation` for every .md citation in `files` that names no file among them: a path
    is looked up from the repository root and from the citing file's folder, a bare name among
    the tracked documents' names."""
    tracked = set(files)
    names = {Path(f).name for f in files}
    missing = []
    for rel in files:
        try:
            text = (root / rel).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for match in _CITATION.finditer(text):
            cited = match.group(1)
            if cited in _NOT_CITATIONS:
                continue
            if "/" not in cited:
                found = cited in names
            else:
                found = False
                for base in (root, (root / rel).parent):
                    target = (base / cited).resolve()
                    if target.is_relative_to(root.resolve()):
                        found |= target.relative_to(root.resolve()).as_posix() in tracked
            if not found:
                missing.append(f"{rel}: {cited}")
    return missing


def test_no_tracked_file_cites_a_document_outside_the_repository() -> None:
    missing = unresolved_citations(_tracked(), ROOT)
    assert not missing, f"citations of documents not in the repository: {missing}"


def test_the_citation_check_finds_a_missing_document(tmp_path: Path) -> None:
    # Spelt in parts, so that this file does not cite them itself.
    outside, gone = "NOTES" + ".md", "docs/gone" + ".md"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "store.md").write_text("See README.md and ../CHANGELOG.md.\n")
    (tmp_path / "README.md").write_text(f"docs/store.md, {outside}, {gone}\n")
    (tmp_path / "CHANGELOG.md").write_text("")
    files = ["README.md", "CHANGELOG.md", "docs/store.md"]
    assert unresolved_citations(files, tmp_path) == [f"README.md: {outside}", f"README.md: {gone}"]


def test_architecture_names_every_package_folder() -> None:
    """A new package folder is a new room: say in docs/architecture.md what it is for."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    folders = {
        package.removeprefix("entente.").replace(".", "/") + "/"
        for package in config["tool"]["setuptools"]["packages"]
    }
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = sorted(folder for folder in folders if f"`{folder}" not in text)
    assert not missing, f"docs/architecture.md does not mention {missing}"


def test_architecture_names_only_modules_that_exist() -> None:
    """Every `folder/module.py` the map names is a file of the tree."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:errors|ontology|ingest|service|bench|tests)/[\w/]+\.py)`", text))
    missing = sorted(path for path in named if not (ROOT / path).is_file())
    assert named and not missing, f"docs/architecture.md names modules that do not exist: {missing}"
