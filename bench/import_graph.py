"""The module import graph of entente's packages: how the rooms depend on each other.

    .venv/bin/python bench/import_graph.py             # the working tree
    .venv/bin/python bench/import_graph.py --rev REV   # a commit, read with `git show`

Prints, for errors/, ontology/, ingest/ and service/: the modules and their import edges
(distinct module pairs, from the AST, imports inside functions included), the edges between
rooms, the import cycles (strongly connected components of more than one module) and the ten
largest modules by lines. Rooms are the folders a reader sees: errors, ontology, ingest/read,
ingest/link, ingest/extract, ingest/evaluate, ingest (the rest), service/gate, service/store,
service/query, service/write, service/http, service/cli, service (the rest).

With --rev, the same figures for that commit, its rooms taken from its own folders; then again
with each of its modules placed in the room where git (rename detection against HEAD) says it
lives now, which compares the same code's dependencies room by room. docs/architecture.md
quotes the figures for the layout before issue 8 (3350fa0) and after.

A structural measure, not a timing: nothing here depends on the machine.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("errors", "ontology", "ingest", "service")
SUBROOMS = {
    "ingest": ("read", "link", "extract", "evaluate"),
    "service": ("gate", "store", "query", "write", "http", "cli"),
}


def room_of(path: str) -> str:
    """'service/store/remote.py' -> 'service/store'; 'ingest/nlp.py' -> 'ingest (rest)'."""
    parts = path.split("/")
    top = parts[0]
    if top in SUBROOMS:
        if len(parts) > 2 and parts[1] in SUBROOMS[top]:
            return f"{top}/{parts[1]}"
        return f"{top} (rest)"
    return top


def module_name(path: str) -> str:
    """'ingest/read/reader.py' -> 'entente.ingest.read.reader' (the installed name)."""
    parts = path[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["entente", *parts])


def imports_of(name: str, path: str, source: str, known: Iterable[str]) -> tuple[set[str], int]:
    """The entente modules a module names in its imports (at module level or inside functions),
    and how many of its import statements sit inside a function or method."""
    modules = set(known)
    tree = ast.parse(source)
    package = name.split(".") if path.endswith("__init__.py") else name.split(".")[:-1]
    found: set[str] = set()
    lazy = 0
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        targets: set[str] = set()
        if isinstance(node, ast.Import):
            targets = {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = {module} | {f"{module}.{alias.name}" for alias in node.names}
        else:
            continue
        hits = {t for t in targets if t in modules and t != name}
        if hits and id(node) in nested:
            lazy += 1
        found |= hits
    return found, lazy


def with_packages(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """The graph Python really follows: importing a.b.c first runs a/__init__ and a/b/__init__,
    so an import is also an edge to each package of its target that the importer is not itself
    inside (the importer's own packages are already being imported when it runs)."""
    out: dict[str, set[str]] = {}
    for name, targets in graph.items():
        out[name] = set(targets)
        for target in targets:
            parts = target.split(".")
            for n in range(2, len(parts)):
                package = ".".join(parts[:n])
                if package in graph and not (name + ".").startswith(package + "."):
                    out[name].add(package)
    return out


def tarjan(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def report(sources: Mapping[str, str], room: Callable[[str], str], title: str) -> None:
    names = {module_name(p): p for p in sources}
    graph: dict[str, set[str]] = {}
    lazy_total = 0
    for name, path in names.items():
        graph[name], lazy = imports_of(name, path, sources[path], names)
        lazy_total += lazy
    edges = [(a, b) for a, targets in graph.items() for b in targets]
    cross = Counter(
        (room(names[a]), room(names[b])) for a, b in edges if room(names[a]) != room(names[b])
    )
    cycles = [c for c in tarjan(with_packages(graph)) if len(c) > 1]
    print(f"== {title}")
    print(f"modules: {len(names)}  rooms: {len({room(p) for p in sources})}")
    print(f"import edges (distinct module pairs): {len(edges)}  (import statements inside")
    print(f"  functions: {lazy_total})")
    print(f"cross-room edges: {sum(cross.values())} between {len(cross)} ordered room pairs")
    into_ingest = sum(
        n for (a, b), n in cross.items() if a.startswith("service") and b.startswith("ingest")
    )
    print(f"edges from service/ into ingest/: {into_ingest}")
    for (a, b), n in sorted(cross.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4d}  {a} -> {b}")
    print("cycles (strongly connected components > 1 module, package __init__ runs counted):")
    print(f"  {len(cycles)}")
    for component in cycles:
        print(f"  {len(component)} modules: {', '.join(component)}")
    print("largest modules (lines):")
    largest = sorted(sources, key=lambda p: (-len(sources[p].splitlines()), p))[:10]
    for path in largest:
        print(f"  {len(sources[path].splitlines()):5d}  {path}")
    print()


def tree_sources(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for pkg in PACKAGES
        for p in sorted((root / pkg).rglob("*.py"))
    }


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout


def rev_sources(rev: str) -> dict[str, str]:
    paths = _git("ls-tree", "-r", "--name-only", rev, "--", *PACKAGES).split()
    return {p: _git("show", f"{rev}:{p}") for p in paths if p.endswith(".py")}


def placed_now(rev: str) -> dict[str, str]:
    """Old path -> path at HEAD, for files git sees as renamed (or copied) since `rev`."""
    moves: dict[str, str] = {}
    out = _git("diff", "-M", "-C", "--name-status", rev, "HEAD", "--", *PACKAGES)
    for line in out.splitlines():
        fields = line.split("\t")
        if fields[0][:1] in "RC" and len(fields) == 3:
            moves.setdefault(fields[1], fields[2])
    return moves


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", help="a commit to measure instead of the working tree")
    args = parser.parse_args(argv)
    if args.rev is None:
        report(tree_sources(ROOT), room_of, "working tree, rooms by folder")
        return 0
    sources = rev_sources(args.rev)
    report(sources, room_of, f"{args.rev}, rooms by its own folders")
    moves = placed_now(args.rev)
    report(
        sources,
        lambda p: room_of(moves.get(p, p)),
        f"{args.rev}, each module in the room it lives in now ({len(moves)} moved files)",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
