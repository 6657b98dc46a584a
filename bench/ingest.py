"""Ingest throughput per language: articles per second end to end (read document -> clean ->
language -> NLP -> link -> extract -> RDF graph), with 1 and N processes, beside bare spaCy on
the same texts and, with --baseline, beside another source tree measured in the same run.

    .venv/bin/python bench/ingest.py [--languages en,sv,nl,fr,de] [--articles 120]
                                     [--processes 2] [--repeat 1] [--baseline DIR]

Corpora: en and sv are the samples of examples/articles in that language (by detection), fr, nl
and de the made-up articles of bench/corpus/<language>, each repeated to --articles.

Two figures per run, because the machine is shared (other work slows every row alike):
  * wall art/s: articles / the slowest worker's wall-clock time;
  * cpu art/s: articles / the largest worker's CPU time: what the run gives when each worker
    has a core of its own (with N processes on N free cores, wall approaches cpu).
Ratios against the baseline use cpu art/s (they are the stable ones on a busy machine).

Each configuration runs in a child process per (tree, language): it loads and warms the pipeline
once, then times 1 process in place and N processes as forks of it (model loading is a one-off
cost and is left out). With --repeat R every timing runs R times and the fastest counts. The
bare spaCy column is the language's pipeline as spaCy gives it (the English model; French
without its parser, as entente loads it; the blank pipelines with sentencizer and lookup
lemmas); overhead is entente's time on top of it. A stage breakdown (this tree, 1 process, CPU
seconds) follows each language.

--baseline DIR runs DIR's errors/, ontology/, ingest/ ... (e.g. `git archive main | tar -x -C
DIR`) in place of this tree's, through a link tree on PYTHONPATH.

Target (issue 9): >= 20 articles/s on 2 cores for English. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"
CORPUS = ROOT / "bench" / "corpus"
LANGUAGE_CORPORA = ("fr", "nl", "de")
SAMPLE_LANGUAGES = ("en", "sv")
PACKAGES = ("errors", "ontology", "ingest", "service", "shapes")


def load_documents(n: int, language: str) -> list[Any]:  # list[Document]
    """`n` documents in `language`: its samples or made-up articles, repeated."""
    from dataclasses import replace

    from entente.ingest.pipeline import Pipeline
    from entente.ingest.read.reader import iter_inputs, read_path

    source = CORPUS / language if language in LANGUAGE_CORPORA else ARTICLES
    seeds = [d for p in iter_inputs([source]) for d in read_path(p, max_bytes=10 * 1024 * 1024)]
    if language in LANGUAGE_CORPORA:
        seeds = [replace(d, language=language) for d in seeds]
    else:
        probe = Pipeline()
        seeds = [d for d in seeds if probe.prepare(d).nlp_language == language]
    if not seeds:
        raise SystemExit(f"no {language} articles in {source}")
    return [seeds[i % len(seeds)] for i in range(n)]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- in the child: one tree, one language --------------------------------------------------------

# Set before forking, read by the workers (fork shares the loaded pipelines).
_STATE: dict[str, Any] = {}


def _entente_share(documents: list[Any]) -> tuple[float, float, float]:
    from entente.ingest.map import document_graph

    pipeline, now = _STATE["pipeline"], _STATE["now"]
    wall, cpu = time.perf_counter(), time.process_time()
    for analysis in pipeline.analyze_many(documents):
        document_graph(analysis, generated_at=now)
    return time.perf_counter() - wall, time.process_time() - cpu, _peak_mib()


def _bare_share(texts: list[str]) -> tuple[float, float, float]:
    nlp = _STATE["bare"]
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - wall, time.process_time() - cpu, _peak_mib()


def _bare_pipeline(language: str) -> Any:
    import spacy
    from entente.ingest.nlp import resolve_english_model
    from entente.ingest.statistical import model_for

    if language == "en":
        return spacy.load(resolve_english_model(None))
    spec = model_for(language)
    if spec is not None and language != "en":
        nlp = spacy.load(spec.packages[0], exclude=list(spec.exclude))
        for pipe in spec.enable:
            nlp.enable_pipe(pipe)
        return nlp
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def _timed(fn: Callable[[list[Any]], tuple[float, float, float]], payload: list[Any], procs: int):  # type: ignore[no-untyped-def]
    """(wall of the slowest worker, CPU of the busiest worker, peak RSS MiB of the largest)."""
    if procs == 1:
        return fn(payload)
    chunks = [payload[i::procs] for i in range(procs)]
    with mp.get_context("fork").Pool(procs) as pool:
        results = pool.map(fn, chunks)
    return tuple(max(r[k] for r in results) for k in range(3))


def measure(language: str, n: int, processes: int, repeat: int, bare: bool) -> dict[str, Any]:
    from entente.ingest.pipeline import Pipeline

    documents = load_documents(n, language)
    pipeline = Pipeline()
    prepared = [pipeline.prepare(d) for d in documents[:8]]
    _STATE.update(pipeline=pipeline, now=datetime.now(UTC))
    _entente_share(documents[:3])  # builds and warms the pipeline before any fork
    texts = [pipeline.prepare(d).cleaned.text for d in documents]
    if bare:
        _STATE["bare"] = _bare_pipeline(language)
        _bare_share(texts[:2])
    out: dict[str, Any] = {
        "articles": n,
        "distinct": len({d.sha256 for d in documents}),
        "words": statistics.mean(len(t.split()) for t in texts),
        "nlp_language": prepared[0].nlp_language,
        "runs": {},
    }
    for procs in sorted({1, processes}):
        best: dict[str, list[float]] = {}
        for _ in range(max(1, repeat)):
            rows = [("entente", _entente_share, documents)]
            if bare:
                rows.append(("bare", _bare_share, texts))
            for name, fn, payload in rows:
                got = _timed(fn, payload, procs)
                prev = best.get(name)
                keep = got if prev is None else zip(prev, got, strict=True)
                best[name] = list(got) if prev is None else [min(a, b) for a, b in keep]
        out["runs"][str(procs)] = best
    if bare:
        out["stages"] = stage_breakdown(pipeline, documents)
    return out


def stage_breakdown(pipeline: Any, documents: list[Any]) -> list[tuple[str, float]]:
    """CPU seconds per stage, one process, stages one after the other over the corpus; spaCy
    runs batched (nlp.pipe) as in analyze_many."""
    from entente.ingest.extract.statements import extract_statements
    from entente.ingest.link.linker import linked_entities, mentions
    from entente.ingest.map import document_graph
    from entente.ingest.model import Analysis
    from entente.ingest.nlp import LINKER

    out: list[tuple[str, float]] = []

    def timed(label: str, fn: Callable[[], Any]) -> Any:
        start = time.process_time()
        result = fn()
        out.append((label, time.process_time() - start))
        return result

    prepared = timed("read: clean + language", lambda: [pipeline.prepare(d) for d in documents])
    nlp = pipeline.nlp(prepared[0].nlp_language)

    def nlp_stage() -> list[Any]:
        with nlp.select_pipes(disable=[LINKER]):
            return list(nlp.pipe([p.cleaned.text for p in prepared], batch_size=16))

    docs = timed("spaCy + gazetteer ruler", nlp_stage)
    linker = nlp.get_pipe(LINKER)
    docs = timed("link (coreference, descriptions)", lambda: [linker(d) for d in docs])
    statements = timed(
        "extract (statements, dates)",
        lambda: [
            extract_statements(d, language=p.nlp_language, published=p.document.published)
            for p, d in zip(prepared, docs, strict=True)
        ],
    )
    analyses = [
        Analysis(p.document, p.cleaned, p.language, linked_entities(d), mentions(d), s)
        for p, d, s in zip(prepared, docs, statements, strict=True)
    ]
    now = datetime.now(UTC)
    timed("RDF (document graph)", lambda: [document_graph(a, generated_at=now) for a in analyses])
    return out


# -- in the parent ---------------------------------------------------------------------------------


def link_tree(source: Path, into: Path) -> Path:
    package = into / "entente"
    package.mkdir(parents=True)
    for name in PACKAGES:
        if (source / name).is_dir():
            (package / name).symlink_to((source / name).resolve())
    return into


def run_child(tree: Path | None, language: str, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="entente-bench-ingest-") as tmp:
        if tree is not None:
            env["PYTHONPATH"] = str(link_tree(tree, Path(tmp) / "tree"))
        command = [sys.executable, __file__, "--child", language, "--articles", str(args.articles)]
        command += ["--processes", str(args.processes), "--repeat", str(args.repeat)]
        if tree is None:
            command.append("--bare")
        result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def report(language: str, ours: dict[str, Any], base: dict[str, Any] | None) -> None:
    n = ours["articles"]
    print(
        f"\n{language}: {n} articles ({ours['distinct']} distinct, repeated), mean "
        f"{ours['words']:.0f} words after cleaning"
    )
    head = f"  {'processes':>9}  {'wall art/s':>10}  {'cpu art/s':>9}"
    if base is not None:
        head += f"  {'baseline cpu art/s':>18}  {'ratio':>6}"
    head += f"  {'bare spaCy cpu art/s':>20}  {'overhead':>8}  {'peak MiB':>8}"
    print(head)
    for procs, runs in ours["runs"].items():
        wall, cpu, peak = runs["entente"]
        line = f"  {procs:>9}  {n / wall:>10.1f}  {n / cpu:>9.1f}"
        if base is not None:
            bcpu = base["runs"][procs]["entente"][1]
            line += f"  {n / bcpu:>18.1f}  {bcpu / cpu:>5.2f}x"
        bare_cpu = runs["bare"][1]
        line += f"  {n / bare_cpu:>20.1f}  {100 * (cpu - bare_cpu) / bare_cpu:>7.0f}%  {peak:>8.0f}"
        print(line)
    stages = ours.get("stages") or []
    total = sum(s for _, s in stages)
    if total:
        print("  stages, 1 process (CPU ms per article, share):")
        for label, seconds in stages:
            print(f"    {label:<34} {1000 * seconds / n:7.1f} ms  {100 * seconds / total:5.1f}%")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--languages", default="en,sv,nl,fr,de")
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--baseline", type=Path, help="source tree measured beside this one")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        result = measure(args.child, args.articles, args.processes, args.repeat, args.bare)
        print(json.dumps(result))
        return 0
    languages = [la.strip() for la in args.languages.split(",") if la.strip()]
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start "
        "(other work on the machine slows the wall figures; cpu figures are per worker core)"
    )
    if args.baseline:
        print(f"baseline: {args.baseline}")
    for language in languages:
        base = run_child(args.baseline.resolve(), language, args) if args.baseline else None
        ours = run_child(None, language, args)
        report(language, ours, base)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
