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
2. A query as of a date against the same query on the whole store (~1M triples, synthetic
   documents from bench/synth.py, as-of date in the middle of their publish dates, so about
   half the documents qualify).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from entente.ontology import iris  # noqa: E402
from entente.ontology.vocab import ENT, GRAPH_BASE  # noqa: E402
from entente.service.query.as_of import as_of  # noqa: E402
from entente.service.store.base import ResultFormat  # noqa: E402
from entente.service.store.oxigraph import OxigraphStore  # noqa: E402
from entente.service.write import corroboration, minhash  # noqa: E402
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


def as_of_ratio(
    n_triples: int, runs: int, names: tuple[str, ...] = AS_OF_QUERIES
) -> tuple[float, float, int]:
    from synth import build_store

    store = build_store(None, n_triples)
    queries = [(QUERIES / name).read_text(encoding="utf-8") for name in names]
    dataset = as_of(store, date(2022, 12, 1))
    graphs = list(dataset.graphs)

    def timed(**kw: object) -> float:
        started = time.perf_counter()
        for q in queries:
            store.query(q, ResultFormat.JSON, **kw)  # type: ignore[arg-type]
        return time.perf_counter() - started

    timed()
    normal = statistics.median(timed() for _ in range(runs))
    started = time.perf_counter()
    as_of(store, date(2022, 12, 1))
    choose = time.perf_counter() - started
    # One run: at a million triples a restricted query set takes minutes.
    restricted = timed(default_graphs=graphs, named_graphs=graphs)
    store.close()
    return normal, restricted + choose, len(graphs)


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
    normal, restricted, graphs = as_of_ratio(triples, args.runs, names)
    print(
        f"as-of {', '.join(names)} on ~{triples:,} triples "
        f"({graphs:,} graphs in the as-of dataset): "
        f"{restricted * 1000:.0f} ms vs {normal * 1000:.0f} ms on the whole store; "
        f"ratio as-of/normal: {restricted / normal:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
