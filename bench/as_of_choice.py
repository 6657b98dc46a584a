"""Choosing the as-of dataset: read from the store per query (the baseline) against read once per
store state (service/query/as_of.py keeps the documents' days until the next write).

    .venv/bin/python bench/as_of_choice.py                    # 200k triples, 15 choices
    .venv/bin/python bench/as_of_choice.py --triples 50000 --queries 30

Both are measured in the same run on the same synthetic store (bench/synth.py): the baseline
calls as_of() after a write each time (a write renews the choice, so it is read again), the
cached figure calls it with no write in between. Medians over the choices (a shared machine:
single timings vary by 2x).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402  (bench/synth.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=15)
    args = parser.parse_args()
    from entente.service.query.as_of import as_of

    with tempfile.TemporaryDirectory(prefix="entente-asof-") as tmp:
        store = synth.build_store(Path(tmp) / "store", args.triples)
        try:
            day = date(2024, 6, 1)
            note = Graph()
            uncached, cached = [], []
            for i in range(args.queries):
                # A write of a graph of the client's own: it changes no document, but the
                # store cannot know that, so the next choice is read again.
                note.set((URIRef("http://example.org/n"), URIRef("http://example.org/p"),
                          Literal(i)))  # fmt: skip
                store.put_graphs({"http://example.org/notes": note})
                started = time.perf_counter()
                first = as_of(store, day)
                uncached.append(time.perf_counter() - started)
                started = time.perf_counter()
                again = as_of(store, day)
                cached.append(time.perf_counter() - started)
                assert first == again
            stats = store.stats()
        finally:
            store.close()
    base, ours = statistics.median(uncached), statistics.median(cached)
    print(
        f"as-of dataset choice, {stats.triples:,} triples in {stats.documents:,} documents, "
        f"median of {args.queries}:"
    )
    print(
        f"  read per query (baseline) {base * 1000:7.1f} ms | once per store state "
        f"{ours * 1000:7.3f} ms | ratio {ours / base:.4f}"
    )


if __name__ == "__main__":
    main()
