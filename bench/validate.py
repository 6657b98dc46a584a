"""Validation and ingest cost against the size of the store (issue 4's targets).

    .venv/bin/python bench/validate.py [--sizes 10000,100000,1000000] [--runs 30]
                                       [--cache DIR] [--pyshacl-timeout 900] [--articles 20]

1. Per-ingest validation of one sample article's delta (the real pipeline's graph of the
   largest sample article) with 10k, 100k and 1M triples already stored: median and p90 wall
   and CPU time of Gate.validate (context query + shapes compiled to SPARQL), and the same with
   the pyshacl engine as the baseline. Target: median under 100 ms at 1M, 1M/10k ratio <= 1.5.
2. `validate --all` on the largest store: the SPARQL engine (read-only queries on the store)
   beside plain pyshacl over an rdflib graph of the same data, and their ratio. Target: at most
   60 s, and at least 5x faster. pyshacl runs in a child process with a time limit (its time is
   then printed as a lower bound, and so is the ratio).
3. Ingest throughput (the real pipeline, end to end: read, analyse, validate, commit) into an
   empty store and into a copy of the largest store: articles/s and their ratio. Target >= 0.8.

Stores are synthetic (bench/synth.py) in the contract's shape, with the shipped reference
graphs. --cache DIR keeps them between runs (building 1M triples takes a minute or two).
Not run by the test suite.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # bench/synth.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"


def store_at(cache: Path, size: int) -> Path:
    path = cache / f"synth-{size}"
    if not (path / "entente-store.json").is_file():
        shutil.rmtree(path, ignore_errors=True)
        started = time.perf_counter()
        with synth.build_store(path, size) as store:
            triples = store.stats().triples
        print(f"  built {path.name}: {triples:,} triples in {time.perf_counter() - started:.0f} s")
    return path


def sample_delta() -> Any:
    """The real pipeline's graph of the largest sample article (what one ingest validates)."""
    from entente.ingest.map import document_graph
    from entente.ingest.pipeline import Pipeline, PipelineConfig
    from entente.ingest.read.reader import read_path

    documents = [d for p in sorted(ARTICLES.glob("*.txt")) for d in read_path(p, max_bytes=10**7)]
    pipeline = Pipeline(PipelineConfig())
    graphs = [
        document_graph(pipeline.analyze(d), generated_at=datetime.now(UTC)) for d in documents
    ]
    return max(graphs, key=len)


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    fn()  # warm: caches, compiled shapes, the store's block cache
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return walls, cpus


def ms(values: list[float], q: float = 0.5) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- 1. per-ingest validation ------------------------------------------------------------------


def per_ingest(paths: dict[int, Path], delta: Any, runs: int) -> None:
    """All stores open at once, one validation in each in turn (rotating which goes first), so
    that a change in the machine's load during the run touches every size alike."""
    from contextlib import ExitStack

    from entente.service.gate.gate import Gate
    from entente.service.store.oxigraph import OxigraphStore

    sparql, reference = Gate(), Gate(engine="pyshacl")
    sizes = sorted(paths)
    print(f"\n1. Per-ingest validation of one article's delta ({len(delta)} triples), {runs} runs")
    with ExitStack() as opened:
        stores = {size: opened.enter_context(OxigraphStore(paths[size])) for size in sizes}
        triples = {size: store.stats().triples for size, store in stores.items()}
        for store in stores.values():
            outcome = sparql.validate(delta, store)  # warm, and check it is the real thing
            assert outcome.engine == "sparql" and outcome.accepted, (
                outcome.fallback_shapes,
                outcome.violations[:3],
            )
            reference.validate(delta, store)
        context: dict[int, list[float]] = {size: [] for size in sizes}
        walls: dict[int, list[float]] = {size: [] for size in sizes}
        cpus: dict[int, list[float]] = {size: [] for size in sizes}
        slow: dict[int, list[float]] = {size: [] for size in sizes}
        for run in range(runs):
            for size in sizes[run % len(sizes) :] + sizes[: run % len(sizes)]:
                store = stores[size]
                w = time.perf_counter()
                sparql.context_ntriples(delta, store)
                context[size].append(time.perf_counter() - w)
                w, c = time.perf_counter(), time.process_time()
                sparql.validate(delta, store)
                walls[size].append(time.perf_counter() - w)
                cpus[size].append(time.process_time() - c)
                if run % 3 == 0:
                    w = time.perf_counter()
                    reference.validate(delta, store)
                    slow[size].append(time.perf_counter() - w)
    print(
        f"   {'stored':>10}  {'context':>8}  {'median':>8}  {'p90':>8}  {'cpu':>8}  "
        f"{'pyshacl median':>14}  {'pyshacl/sparql':>14}"
    )
    for size in sizes:
        print(
            f"   {triples[size]:>10,}  {ms(context[size]):>6.1f}ms  {ms(walls[size]):>6.1f}ms  "
            f"{ms(walls[size], 0.9):>6.1f}ms  {ms(cpus[size]):>6.1f}ms  "
            f"{ms(slow[size]):>12.1f}ms  {ms(slow[size]) / ms(walls[size]):>13.1f}x"
        )
    small, large = sizes[0], sizes[-1]
    print(
        f"   median at {triples[large]:,}: {ms(walls[large]):.1f} ms wall, "
        f"{ms(cpus[large]):.1f} ms CPU (target < 100 ms); ratio {large:,}/{small:,}: "
        f"{ms(walls[large]) / ms(walls[small]):.2f} wall, "
        f"{ms(cpus[large]) / ms(cpus[small]):.2f} CPU (target <= 1.5)"
    )


# --- 2. validate --all ------------------------------------------------------------------------


def _pyshacl_all(path: str, queue: Any) -> None:
    """What Gate.validate_all(engine="pyshacl") does, timed in two parts."""
    from entente.service.gate.gate import Gate, pyshacl_engine, summarise
    from entente.service.store.oxigraph import OxigraphStore

    gate = Gate(engine="pyshacl")
    with OxigraphStore(Path(path)) as store:
        started = time.perf_counter()
        data = gate.full_data_graph(store)
        loaded = time.perf_counter() - started
        size = len(data)
        results = summarise(pyshacl_engine(data, gate.shapes), data)
        conforms = not results  # SHACL: no result of any severity
        queue.put((time.perf_counter() - started, loaded, size, conforms))


def validate_all(path: Path, timeout: float, with_pyshacl: bool = True) -> None:
    from entente.service.gate.gate import Gate
    from entente.service.store.oxigraph import OxigraphStore

    print(f"\n2. validate --all on {path.name}")
    gate = Gate()
    with OxigraphStore(path) as store:
        triples = store.stats().triples
        rows = []
        for workers in (1, min(4, os.cpu_count() or 1)):
            w, c = time.perf_counter(), time.process_time()
            outcome = gate.validate_all(store, with_report=False, workers=workers)
            rows.append((workers, time.perf_counter() - w, time.process_time() - c, outcome))
    for workers, wall, cpu, outcome in rows:
        print(
            f"   sparql, {workers} thread(s): {wall:7.1f} s wall, {cpu:7.1f} s cpu over "
            f"{triples:,} triples; {len(outcome.violations)} violations, "
            f"{len(outcome.warnings)} warnings"
        )
    best = min(wall for _, wall, _, _ in rows)
    if not with_pyshacl:
        return
    # pyshacl in a child process, so that it can be stopped at the time limit (the store is
    # closed here first: one process at a time opens a RocksDB directory).
    queue: Any = mp.get_context("spawn").Queue()
    child = mp.get_context("spawn").Process(target=_pyshacl_all, args=(str(path), queue))
    started = time.perf_counter()
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        elapsed = time.perf_counter() - started
        print(f"   pyshacl (rdflib graph):  > {elapsed:7.1f} s (stopped at the time limit)")
        print(f"   sparql is more than {elapsed / best:.1f}x faster (target >= 5x, <= 60 s)")
    else:
        total, loaded, size, conforms = queue.get()
        print(
            f"   pyshacl (rdflib graph): {total:7.1f} s wall ({loaded:.1f} s loading {size:,} "
            f"triples into rdflib), conforms={conforms}"
        )
        print(f"   sparql is {total / best:.1f}x faster (target >= 5x, <= 60 s)")


# --- 3. ingest throughput -----------------------------------------------------------------------


def articles(n: int) -> list[Any]:
    """n distinct documents: the sample articles, each with a small variation per copy."""
    from entente.ingest.model import Document
    from entente.ingest.read.reader import read_path

    seeds = [d for p in sorted(ARTICLES.glob("*.txt")) for d in read_path(p, max_bytes=10**7)]
    out = []
    for i in range(n):
        seed = seeds[i % len(seeds)]
        text = re.sub(r"\s*$", f"\n\n(Filed as report {i + 1}.)\n", seed.text)
        out.append(Document(text=text, source=f"{seed.source}#{i}", title=seed.title))
    return out


class _Replay:
    """A pipeline that returns analyses made beforehand: ingest without the analysis, to time
    what depends on the store (duplicate check, validation, commit)."""

    def __init__(self, analyses: dict[str, Any]) -> None:
        self.analyses = analyses

    def analyze(self, document: Any) -> Any:
        return self.analyses[document.sha256]


def _ingest_all(path: Path, documents: list[Any], pipeline: Any, gate: Any) -> tuple[float, float]:
    from entente.service.store.bootstrap import ensure_reference_graphs
    from entente.service.store.oxigraph import OxigraphStore
    from entente.service.write.ingestion import Ingestor

    with OxigraphStore(path) as store:
        ensure_reference_graphs(store)
        ingestor = Ingestor(store, gate, pipeline)
        started, used = time.perf_counter(), time.process_time()
        for document in documents:
            outcome = ingestor.ingest(document)
            assert outcome.status in ("accepted", "quarantined"), outcome.message
        return time.perf_counter() - started, time.process_time() - used


def ingest(path: Path, n: int) -> None:
    """The same articles into a new empty store and into a fresh copy of the large one, four
    times, in the order empty, large, large, empty, empty, large, large, empty (so that a drift
    in the machine's load favours neither: the NLP part alone varies by tens of percent from one
    pass to the next on a shared machine). Then the store's part alone, twice each: the same
    ingests replaying analyses made beforehand (duplicate check, validation, commit; no NLP)."""
    from entente.ingest.pipeline import Pipeline, PipelineConfig
    from entente.service.gate.gate import Gate

    print(f"\n3. Ingest, real pipeline end to end (read, analyse, validate, commit), {n} articles")
    pipeline, gate = Pipeline(PipelineConfig()), Gate()
    documents = articles(n)
    pipeline.analyze(documents[0])  # load the model before timing
    replay = _Replay({d.sha256: pipeline.analyze(d) for d in documents})
    scratch = Path(tempfile.mkdtemp(prefix="entente-bench-"))
    totals: dict[tuple[str, str], list[float]] = {}
    try:
        passes = [("empty", "full"), ("full", "empty")] * 3
        for run, order in enumerate(passes):
            analyser, kind = (replay, "store part") if run >= 4 else (pipeline, "end to end")
            for name in order:
                target = scratch / f"{name}-{run}"
                if name == "full":
                    shutil.copytree(path, target)
                wall, cpu = _ingest_all(target, documents, analyser, gate)
                totals.setdefault((kind, name), []).extend([wall, cpu])
                shutil.rmtree(target, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"   {'':34}  {'wall':>15}  {'per CPU second':>15}")
    for kind in ("end to end", "store part"):
        rates = {}
        for name, label in (("empty", "empty store"), ("full", f"{path.name} copy")):
            values = totals[(kind, name)]
            wall, cpu = sum(values[0::2]), sum(values[1::2])
            runs = len(values) // 2
            rates[name] = (runs * n / wall, runs * n / cpu)
            print(
                f"   {kind + ', ' + label:34}  {rates[name][0]:6.2f} articles/s  "
                f"{rates[name][1]:6.2f} articles/s"
            )
        print(
            f"   {kind} ratio: {rates['full'][0] / rates['empty'][0]:.2f} wall, "
            f"{rates['full'][1] / rates['empty'][1]:.2f} CPU (target >= 0.8)"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--pyshacl-timeout", type=float, default=900.0)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument(
        "--skip", default="", help="comma-separated: per-ingest, all, pyshacl (in all), ingest"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    skip = set(filter(None, args.skip.split(",")))
    cache = args.cache or Path(tempfile.mkdtemp(prefix="entente-bench-"))
    cache.mkdir(parents=True, exist_ok=True)
    print(f"entente validation bench: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    try:
        paths = {size: store_at(cache, size) for size in sizes}
        largest = paths[max(sizes)]
        if "per-ingest" not in skip:
            per_ingest(paths, sample_delta(), args.runs)
        if "all" not in skip:
            validate_all(largest, args.pyshacl_timeout, with_pyshacl="pyshacl" not in skip)
        if "ingest" not in skip:
            ingest(largest, args.articles)
    finally:
        if args.cache is None:
            shutil.rmtree(cache, ignore_errors=True)
    print(f"\n(load average at the end: {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
