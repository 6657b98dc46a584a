"""Does a change keep the extraction output? Runs the ingest pipeline (clean -> language -> NLP
-> link -> extract -> RDF) of this working tree and of a baseline source tree over the same
articles and compares, document by document, the document graphs by isomorphism (the generation
time fixed) and the warnings.

    .venv/bin/python bench/same_output.py --baseline DIR [FOLDER ...]

DIR is a source tree of entente (for example `git archive main | tar -x -C DIR`): its errors/,
ontology/, ingest/, service/ and shapes/ run in a child process in place of this tree's, through
a link tree on PYTHONPATH. FOLDERs default to examples/articles and the made-up articles of
bench/corpus (each in its language). Exit 0 when every document gives an isomorphic graph,
1 otherwise (the differing triples are printed). A performance change must leave this at 0.
Not run by the test suite (it needs a second tree).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("errors", "ontology", "ingest", "service", "shapes")
CORPUS = ROOT / "bench" / "corpus"


def default_folders() -> list[Path]:
    return [ROOT / "examples" / "articles", *sorted(p for p in CORPUS.iterdir() if p.is_dir())]


def link_tree(source: Path, into: Path) -> Path:
    """A directory that, on PYTHONPATH, makes `entente.*` import from `source`'s folders."""
    package = into / "entente"
    package.mkdir(parents=True)
    for name in PACKAGES:
        if (source / name).is_dir():
            (package / name).symlink_to((source / name).resolve())
    return into


def analyse(folders: list[Path]) -> dict[str, dict[str, object]]:
    """sha256 -> {"source", "ntriples" or "error", "warnings"} for every document in `folders`."""
    from dataclasses import replace

    from entente.errors import EntenteError
    from entente.ingest.map import document_graph
    from entente.ingest.pipeline import Pipeline
    from entente.ingest.read.reader import iter_inputs, read_path

    pipeline = Pipeline()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    out: dict[str, dict[str, object]] = {}
    for folder in folders:
        language = folder.name if folder.parent == CORPUS else None
        for path in iter_inputs([folder]):
            for document in read_path(path, max_bytes=10 * 1024 * 1024):
                if language:
                    document = replace(document, language=language)
                key = f"{path.name}:{document.sha256[:16]}"
                try:
                    analysis = pipeline.analyze(document)
                except EntenteError as exc:
                    out[key] = {"source": str(path), "error": exc.render()}
                    continue
                graph = document_graph(analysis, generated_at=at)
                out[key] = {
                    "source": str(path),
                    "ntriples": graph.serialize(format="nt"),
                    "warnings": sorted(analysis.warnings),
                }
    return out


def run_tree(tree: Path | None, folders: list[Path]) -> dict[str, dict[str, object]]:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="entente-same-output-") as tmp:
        if tree is not None:
            env["PYTHONPATH"] = str(link_tree(tree, Path(tmp) / "tree"))
        result = subprocess.run(
            [sys.executable, __file__, "--child", *map(str, folders)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    data: dict[str, dict[str, object]] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def compare(before: dict[str, dict[str, object]], after: dict[str, dict[str, object]]) -> int:
    from rdflib import Graph
    from rdflib.compare import graph_diff, isomorphic, to_isomorphic

    differing = 0
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            print(f"{key}: only in {'baseline' if b is None else 'this tree'}")
            differing += 1
            continue
        if "error" in a or "error" in b:
            if a.get("error") != b.get("error"):
                print(f"{key}: error differs: {a.get('error')!r} vs {b.get('error')!r}")
                differing += 1
            continue
        ga = Graph().parse(data=str(a["ntriples"]), format="nt")
        gb = Graph().parse(data=str(b["ntriples"]), format="nt")
        same = isomorphic(ga, gb) and a["warnings"] == b["warnings"]
        print(f"{key}: {len(gb)} triples, {'same' if same else 'DIFFERENT'}")
        if not same:
            differing += 1
            _, only_a, only_b = graph_diff(to_isomorphic(ga), to_isomorphic(gb))
            for label, g in (("only in baseline", only_a), ("only in this tree", only_b)):
                for triple in sorted(g)[:20]:
                    print(f"    {label}: {' '.join(t.n3() for t in triple)}")
            if a["warnings"] != b["warnings"]:
                print(f"    warnings: {a['warnings']} vs {b['warnings']}")
    print(f"{len(after)} documents, {differing} differing")
    return 1 if differing else 0


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--baseline", type=Path, help="source tree to compare with")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    folders = args.folders or default_folders()
    if args.child:
        print(json.dumps(analyse(folders)))
        return 0
    if args.baseline is None:
        ap.error("--baseline DIR is required")
    before = run_tree(args.baseline.resolve(), folders)
    after = run_tree(None, folders)
    return compare(before, after)


if __name__ == "__main__":
    sys.exit(main())
