"""Corroboration costs, each as a ratio against a baseline measured in the same run.

    .venv/bin/python bench/corroboration.py                 # 10k and 100k documents; 1M triples
    .venv/bin/python bench/corroboration.py --quick         # 1k and 10k documents; 200k triples
    .venv/bin/python bench/corroboration.py --memory --skip-as-of   # index in memory, no as-of

1. Relation detection and count upkeep per ingest (`corroboration.plan_accept`: LSH lookup,
   candidate check, relations and count shards to write) with N documents already indexed, at
   two sizes; baseline: the same at a tenth of the size. A cost that grew with the store would
   show a ratio near 10; an index lookup, near 1. The stored documents are index entries
   (graph:relations/<sha>: a MinHash signature and its 64 band keys) of unrelated texts, so the
   near-duplicate path is what is measured; translation candidates are found through shared
   statements, whose cost grows with how many documents share the new one's statements.
2. A query set as of a date (answered from the as-of index, service/write/first_stated.py)
   against the same queries on the whole store (~1M triples, synthetic documents from
   bench/synth.py), at two dates: one in the middle of their publish dates (about half the
   documents qualify, 14 index graphs) and the last day of that year (43 index graphs, the
   most a day of that year needs). Choosing the dataset is counted in the as-of time.
   `--legacy` adds one run the way as-of worked before the index (the qualifying document
   graphs as the dataset). Also: building the index from scratch against bulk-loading the
   documents, and the cost of an accepted ingest with the index kept against the same ingest
   with its upkeep switched off (`--ingest-docs`, identical stores, interleaved).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from entente.ontology import iris  # noqa: E402
from entente.ontology.vocab import ENT, GRAPH_BASE  # noqa: E402
from entente.service.query.as_of import INDEX, as_of  # noqa: E402
from entente.service.query.screen import screen_query  # noqa: E402
from entente.service.store.base import ResultFormat  # noqa: E402
from entente.service.store.oxigraph import OxigraphStore  # noqa: E402
from entente.service.write import corroboration, first_stated, minhash  # noqa: E402
from rdflib import Graph  # noqa: E402

QUERIES = HERE.parent / "examples" / "queries"


def _index_quads(n_docs: int, seed: int) -> bytes:
    rng = random.Random(seed)
    out = []
    for i in range(n_docs):
        sha = hashlib.sha256(f"bench-{seed}-{i}".encode()).hexdigest()  # distinct per batch
        doc = f"<{iris.document_iri(sha)}>"
        graph = f"<{GRAPH_BASE}relations/{sha}>"
        sig = tuple(rng.getrandbits(32) for _ in range(minhash.HASHES))
        triples = [f'{doc} <{ENT.minhashSignature}> "{minhash.encode(sig)}"']
        triples += [f'{doc} <{ENT.lshBand}> "{key}"' for key in minhash.band_keys(sig)]
        out += [f"{t} {graph} .\n{t} .\n" for t in triples]
    return "".join(out).encode()


def _indexed_store(n_docs: int, path: Path) -> OxigraphStore:
    """An on-disk store at `path` holding n_docs index entries (the bulk loader needs the
    database to itself, so it is loaded before the store is opened)."""
    OxigraphStore(path).close()
    engine = ox.Store(str(path / "accepted"))
    batch = 5_000
    for start in range(0, n_docs, batch):
        count = min(batch, n_docs - start)
        engine.bulk_load(_index_quads(count, seed=n_docs * 7 + start), format=ox.RdfFormat.N_QUADS)
    del engine
    return OxigraphStore(path)


def _new_document(i: int) -> tuple[str, Graph]:
    from synth import generate

    for n, (name, graph) in enumerate(generate(400, seed=10_000 + i)):
        if n == 0:
            return name, graph
    raise AssertionError("no document generated")


def ingest_cost(n_docs: int, runs: int, *, memory: bool = False) -> float:
    if memory:
        store = OxigraphStore(None)
        assert store._accepted is not None
        store._accepted.bulk_load(_index_quads(n_docs, seed=n_docs), format=ox.RdfFormat.N_QUADS)
        return _ingest_cost(store, runs)
    with tempfile.TemporaryDirectory(prefix="entente-bench-") as tmp:
        return _ingest_cost(_indexed_store(n_docs, Path(tmp) / "store"), runs)


def _ingest_cost(store: OxigraphStore, runs: int) -> float:
    times = []
    for i in range(runs):
        name, delta = _new_document(i)
        started = time.perf_counter()
        corroboration.plan_accept(store, name, delta)
        times.append(time.perf_counter() - started)
    store.close()
    return statistics.median(times)


AS_OF_QUERIES = ("02-export-controls.rq", "08-acquisitions.rq", "10-meetings.rq")
# The synthetic documents are published from 2021-01-01 over about four years. 2022-12-01 needs
# 14 index graphs (2021, eleven months, one day); 2022-12-31 the most a date in 2022 can (43).
AS_OF_DAYS = (date(2022, 12, 1), date(2022, 12, 31))


@dataclass
class AsOfFigures:
    normal: float  # the query set on the whole store, median
    as_of: dict[date, tuple[float, int]]  # day -> (median seconds incl. choosing, index graphs)
    legacy: float | None  # one run on the qualifying document graphs (the old way), mid day
    rebuild: float  # building the index from scratch
    load: float  # bulk-loading the synthetic documents (the baseline for `rebuild`)


def as_of_ratio(
    n_triples: int, runs: int, names: tuple[str, ...] = AS_OF_QUERIES, *, legacy: bool = False
) -> AsOfFigures:
    from synth import build_store

    started = time.perf_counter()
    store = build_store(None, n_triples)
    load = time.perf_counter() - started
    started = time.perf_counter()
    first_stated.rebuild(store)
    rebuild = time.perf_counter() - started
    queries = [(QUERIES / name).read_text(encoding="utf-8") for name in names]
    # As the CLI and /sparql do (screening, which every query goes through, is not timed).
    named = [screen_query(q).reads_named_graphs for q in queries]

    def timed(day: date | None = None) -> float:
        started = time.perf_counter()
        for q, reads_named in zip(queries, named, strict=True):
            kw: dict[str, object] = {}
            if day is not None:
                dataset = as_of(store, day, reads_named_graphs=reads_named)
                kw = {"default_graphs": dataset.default_graphs(), "named_graphs": dataset.dataset()}
            store.query(q, ResultFormat.JSON, **kw)  # type: ignore[arg-type]
        return time.perf_counter() - started

    timed()
    normal: list[float] = []
    by_day: dict[date, list[float]] = {day: [] for day in AS_OF_DAYS}
    for _ in range(runs):  # interleaved, so that load from other work hits both alike
        normal.append(timed())
        for day in AS_OF_DAYS:
            by_day[day].append(timed(day))
    figures = {
        day: (
            statistics.median(times),
            sum(1 for g in as_of(store, day).default if g.startswith(INDEX)),
        )
        for day, times in by_day.items()
    }
    old = None
    if legacy:
        dataset = as_of(store, AS_OF_DAYS[0])
        started = time.perf_counter()
        for q in queries:
            store.query(
                q, ResultFormat.JSON, default_graphs=dataset.graphs, named_graphs=dataset.graphs
            )
        old = time.perf_counter() - started
    store.close()
    return AsOfFigures(statistics.median(normal), figures, old, rebuild, load)


def ingest_bookkeeping_ratio(n_triples: int, docs: int) -> tuple[float, float]:
    """Median seconds per accepted ingest (corroboration plan + the one write) on a store of
    n_triples with the as-of index kept, and on an identical store with its upkeep switched off
    (the cost before the index), the same new documents going into both, interleaved."""
    from synth import build_store, generate

    kept, off = build_store(None, n_triples), build_store(None, n_triples)
    first_stated.rebuild(kept)
    real = first_stated.plan_refile
    new = list(generate(docs * 600, seed=99))[:docs]
    with_index, without = [], []
    for name, graph in new:
        for store, times, upkeep in ((kept, with_index, True), (off, without, False)):
            first_stated.plan_refile = real if upkeep else (lambda store, changes: ([], {}))  # type: ignore[assignment]
            try:
                started = time.perf_counter()
                plan = corroboration.plan_accept(store, name, graph)
                store.put_graphs({name: graph, **plan.put}, remove=plan.remove, edits=plan.edits)
                times.append(time.perf_counter() - started)
            finally:
                first_stated.plan_refile = real  # type: ignore[assignment]
    kept.close()
    off.close()
    return statistics.median(with_index), statistics.median(without)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--memory", action="store_true", help="index in an in-memory store (no RocksDB effects)"
    )
    parser.add_argument("--skip-as-of", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument(
        "--query", action="append", help="example query file name(s) for the as-of part"
    )
    parser.add_argument("--triples", type=int, help="store size for the as-of part")
    parser.add_argument(
        "--legacy", action="store_true", help="also time one as-of run without the index"
    )
    parser.add_argument(
        "--ingest-docs",
        type=int,
        default=20,
        help="new documents ingested with and without the index upkeep (0: skip)",
    )
    args = parser.parse_args(argv)
    small, large = (1_000, 10_000) if args.quick else (10_000, 100_000)
    triples = 200_000 if args.quick else 1_000_000
    for n in () if args.skip_ingest else (small, large):
        base = ingest_cost(n // 10, args.runs, memory=args.memory)
        cost = ingest_cost(n, args.runs, memory=args.memory)
        print(
            f"relations + counts per ingest at {n:,} documents: {cost * 1000:.1f} ms; "
            f"ratio to {n // 10:,} documents: {cost / base:.2f}"
        )
    if args.skip_as_of:
        return 0
    triples = args.triples or triples
    names = tuple(args.query) if args.query else AS_OF_QUERIES
    f = as_of_ratio(triples, args.runs, names, legacy=args.legacy)
    print(
        f"as-of index built in {f.rebuild:.1f} s on ~{triples:,} triples "
        f"(bulk load of the documents: {f.load:.1f} s; ratio {f.rebuild / f.load:.2f})"
    )
    for day, (seconds, graphs) in f.as_of.items():
        print(
            f"as-of {day} {', '.join(names)} ({graphs} index graphs): {seconds * 1000:.0f} ms "
            f"vs {f.normal * 1000:.0f} ms on the whole store; ratio as-of/normal: "
            f"{seconds / f.normal:.2f}"
        )
    if f.legacy is not None:
        print(
            f"as-of on the qualifying document graphs (before the index): "
            f"ratio {f.legacy / f.normal:.1f}"
        )
    if args.ingest_docs:
        kept, off = ingest_bookkeeping_ratio(triples, args.ingest_docs)
        print(
            f"accepted ingest (plan + write) on ~{triples:,} triples: {kept * 1000:.1f} ms with "
            f"the as-of index kept vs {off * 1000:.1f} ms without; ratio {kept / off:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
