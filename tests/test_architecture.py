"""The rooms keep to their walls: the module import graph of errors/, ontology/, ingest/ and
service/, read from the source (AST), imports inside functions included, has no cycle, and every
import between rooms is one the architecture allows (docs/architecture.md, "Rooms and what they
may import"). bench/import_graph.py prints the same graph's figures."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from entente_bench_import_graph import tarjan, with_packages

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("errors", "ontology", "ingest", "service")
SUBROOMS = {
    "ingest": ("read", "link", "extract", "evaluate"),
    "service": ("gate", "store", "query", "write", "http", "cli"),
}

# The engine's Python binding may be imported only by the store package (which converts every
# engine type at its interface) and by the compiled-SPARQL shapes engine's own runner.
PYOXIGRAPH_ALLOWED = (
    "service/store/",
    "service/gate/engines/sparql.py",
    "service/gate/engines/literals.py",
)

BASICS = {"errors", "ontology"}
INGEST = {"ingest/read", "ingest/link", "ingest/extract", "ingest/evaluate", "ingest (rest)"}
# Room -> the other rooms it may import. The data flows read -> nlp -> link -> extract -> map
# (ingest (rest) holds nlp, map, pipeline and the shared model); service builds on ingest, never
# the other way; the store is the bottom of the service and the CLI its top.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "ontology": {"errors"},
    "ingest/read": BASICS | {"ingest (rest)"},
    "ingest/link": BASICS | {"ingest (rest)"},
    "ingest/extract": BASICS | {"ingest (rest)"},
    "ingest (rest)": BASICS | {"ingest/read", "ingest/link", "ingest/extract"},
    "ingest/evaluate": BASICS | INGEST,
    "service (rest)": BASICS,
    "service/store": BASICS | {"service (rest)"},
    "service/gate": BASICS | {"service (rest)", "service/store"},
    "service/query": BASICS | {"service (rest)", "service/store"},
    "service/write": BASICS
    | INGEST
    | {"service (rest)", "service/store", "service/gate", "service/query"},
    "service/http": BASICS
    | INGEST
    | {"service (rest)", "service/store", "service/gate", "service/query", "service/write"},
    "service/cli": BASICS
    | INGEST
    | {
        "service (rest)",
        "service/store",
        "service/gate",
        "service/query",
        "service/write",
        "service/http",
    },
}


def room_of(path: str) -> str:
    """'service/store/remote.py' -> 'service/store'; 'ingest/nlp.py' -> 'ingest (rest)'."""
    parts = path.split("/")
    if parts[0] in SUBROOMS:
        if len(parts) > 2 and parts[1] in SUBROOMS[parts[0]]:
            return f"{parts[0]}/{parts[1]}"
        return f"{parts[0]} (rest)"
    return parts[0]


def module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["entente", *parts])


def imported(name: str, is_package: bool, tree: ast.AST) -> set[str]:
    """Every dotted name an import statement anywhere in the module (functions included) could
    load: `from a.b import c` names a.b and a.b.c."""
    package = name.split(".") if is_package else name.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path) -> tuple[dict[str, set[str]], dict[str, str], dict[str, set[str]]]:
    """(module -> entente modules it imports, module -> path, module -> all names it imports)."""
    paths = {
        module_name(p.relative_to(root).as_posix()): p.relative_to(root).as_posix()
        for pkg in PACKAGES
        if (root / pkg).is_dir()
        for p in (root / pkg).rglob("*.py")
    }
    names: dict[str, set[str]] = {}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
        names[module] = imported(module, path.endswith("__init__.py"), tree)
        graph[module] = {n for n in names[module] if n in paths and n != module}
    return graph, paths, names


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module."""
    return sorted(c for c in tarjan(graph) if len(c) > 1)


@pytest.fixture(scope="module")
def graph() -> tuple[dict[str, set[str]], dict[str, str], dict[str, set[str]]]:
    return import_graph(ROOT)


def test_the_import_graph_has_no_cycle_lazy_imports_included(graph: tuple) -> None:
    edges, _, _ = graph
    found = cycles(with_packages(edges))
    assert not found, (
        "import cycles (move the shared piece to the room it belongs to; a lazy import does "
        f"not break a cycle): {found}"
    )


def test_every_import_between_rooms_is_allowed(graph: tuple) -> None:
    edges, paths, _ = graph
    assert set(ALLOWED) == {room_of(p) for p in paths.values()}, "a room without rules"
    wrong = sorted(
        f"{paths[a]} -> {paths[b]}"
        for a, targets in edges.items()
        for b in targets
        if room_of(paths[b]) != room_of(paths[a])
        and room_of(paths[b]) not in ALLOWED[room_of(paths[a])]
    )
    assert not wrong, f"imports the room rules do not allow (docs/architecture.md): {wrong}"


def test_errors_imports_no_entente_module(graph: tuple) -> None:
    _, paths, names = graph
    for module, path in paths.items():
        if room_of(path) == "errors":
            assert not {n for n in names[module] if n.startswith("entente.")}, path


def test_ingest_never_imports_service(graph: tuple) -> None:
    _, paths, names = graph
    offenders = [
        path
        for module, path in paths.items()
        if path.startswith("ingest/")
        and any(n.startswith("entente.service") for n in names[module])
    ]
    assert not offenders, f"ingest must stay store- and web-free: {offenders}"


def _imports_module(names: Iterable[str], top: str) -> bool:
    return any(n == top or n.startswith(top + ".") for n in names)


def test_pyoxigraph_is_imported_only_behind_the_store_interface(graph: tuple) -> None:
    _, paths, names = graph
    offenders = sorted(
        path
        for module, path in paths.items()
        if not path.startswith(PYOXIGRAPH_ALLOWED) and _imports_module(names[module], "pyoxigraph")
    )
    assert not offenders, f"pyoxigraph imported outside {PYOXIGRAPH_ALLOWED}: {offenders}"


# Module names a reader sees twice. The HTTP route /sparql and the compiled-SPARQL shapes engine
# are far apart (service/http/, service/gate/engines/); no new pair may join them.
SHARED_NAMES = frozenset({"sparql.py"})


def test_no_two_modules_share_a_name(graph: tuple) -> None:
    _, paths, _ = graph
    seen: dict[str, list[str]] = {}
    for path in paths.values():
        name = path.rsplit("/", 1)[-1]
        if name != "__init__.py":
            seen.setdefault(name, []).append(path)
    twice = {name: sorted(where) for name, where in seen.items() if len(where) > 1}
    assert set(twice) <= SHARED_NAMES, f"modules a reader confuses: {twice}"


# --- the checker itself, on trees made for it ---------------------------------------------------


def _tree(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_cycle_through_a_lazy_import_is_found(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "ingest/__init__.py": "",
            "ingest/a.py": "from entente.ingest.b import thing\n",
            "ingest/b.py": "def thing():\n    from entente.ingest import a\n    return a\n",
        },
    )
    edges, _, _ = import_graph(root)
    assert cycles(with_packages(edges)) == [["entente.ingest.a", "entente.ingest.b"]]


def test_a_cycle_through_a_package_init_is_found(tmp_path: Path) -> None:
    """The shape of the old store <-> result-stream cycle: a module outside a package imports a
    module inside it, which runs the package's __init__, which imports back."""
    root = _tree(
        tmp_path,
        {
            "service/__init__.py": "",
            "service/store/__init__.py": "from entente.service.store.remote import R\n",
            "service/store/base.py": "",
            "service/store/remote.py": "def f():\n    from ...service.query.stream import C\n",
            "service/query/__init__.py": "",
            "service/query/stream.py": "from entente.service.store.base import *\n",
        },
    )
    edges, _, _ = import_graph(root)
    assert cycles(with_packages(edges)) == [
        ["entente.service.query.stream", "entente.service.store", "entente.service.store.remote"]
    ]
    # Without the package edge there is no cycle: the reason with_packages exists.
    assert cycles(edges) == []


def test_an_import_against_the_room_rules_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"ontology/x.py": "from entente.ingest.model import M\n"})
    root = _tree(tmp_path, {"ingest/model.py": "import pyoxigraph\n"})
    edges, paths, names = import_graph(root)
    assert edges["entente.ontology.x"] == {"entente.ingest.model"}
    assert "ingest (rest)" not in ALLOWED[room_of(paths["entente.ontology.x"])]
    assert _imports_module(names["entente.ingest.model"], "pyoxigraph")
