"""The rooms keep to their walls: who may import what, read from the source (AST), lazy imports
(inside functions) included. docs/architecture.md describes the rooms these rules hold."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("errors", "ontology", "ingest", "service")

# The engine's Python binding may be imported only by the store package (which converts every
# engine type at its interface) and by the compiled-SPARQL shapes engine's own runner.
PYOXIGRAPH_ALLOWED = ("service/store/", "service/gate/engines/sparql.py")


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _imported_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_pyoxigraph_is_imported_only_behind_the_store_interface() -> None:
    offenders = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(PYOXIGRAPH_ALLOWED):
            continue
        imported = _imported_names(ast.parse(path.read_text(encoding="utf-8")))
        if any(name == "pyoxigraph" or name.startswith("pyoxigraph.") for name in imported):
            offenders.append(rel)
    assert not offenders, f"pyoxigraph imported outside {PYOXIGRAPH_ALLOWED}: {offenders}"
