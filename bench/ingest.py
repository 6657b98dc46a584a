"""Ingest throughput: articles per second end to end (clean -> NLP -> link -> extract -> RDF),
single process and 2 processes, printed beside the named baseline measured in the same run:
spaCy's own bare `nlp.pipe` (the English model, no entente components) over the same cleaned
texts, with the same number of processes.

    .venv/bin/python bench/ingest.py [--articles 500] [--processes 2]

Targets (issue 3): >= 20 articles of ~600 words/s on 2 cores; extraction overhead <= 50 % on
top of bare spaCy. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"


def load_documents(n: int) -> list:  # list[Document]
    from entente.ingest.read import iter_inputs, read_path

    seeds = [d for p in iter_inputs([ARTICLES]) for d in read_path(p, max_bytes=10 * 1024 * 1024)]
    return [seeds[i % len(seeds)] for i in range(n)]


def _entente_worker(documents: list) -> int:
    from entente.ingest.map import document_graph
    from entente.ingest.pipeline import Pipeline, PipelineConfig

    pipeline = Pipeline(PipelineConfig())
    now = datetime.now(UTC)
    triples = 0
    for analysis in pipeline.analyze_many(documents):
        triples += len(document_graph(analysis, generated_at=now))
    return triples


def _spacy_worker(texts: list[str]) -> int:
    import spacy
    from entente.ingest.nlp import resolve_english_model

    nlp = spacy.load(resolve_english_model(None))
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=16):
        tokens += len(doc)
    return tokens


def _warm(fn, payload: list) -> None:
    fn(payload[:5])


def run(fn, payload: list, processes: int) -> float:
    """Seconds for `fn` over `payload`, split across processes (model load included per worker,
    measured after one warm-up in the parent so file caches are hot)."""
    start = time.perf_counter()
    if processes == 1:
        fn(payload)
    else:
        chunks = [payload[i::processes] for i in range(processes)]
        with mp.get_context("fork").Pool(processes) as pool:
            pool.map(fn, chunks)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args()

    from entente.ingest.clean import clean

    documents = load_documents(args.articles)
    texts = [clean(d).text for d in documents]
    words = statistics.mean(len(t.split()) for t in texts)
    print(
        f"corpus: {len(documents)} articles "
        f"(the {len({d.sha256 for d in documents})} samples repeated), "
        f"mean {words:.0f} words after cleaning"
    )

    _warm(_spacy_worker, texts)
    _warm(_entente_worker, documents)

    rows = []
    for procs in sorted({1, args.processes}):
        base = run(_spacy_worker, texts, procs)
        ours = run(_entente_worker, documents, procs)
        rows.append((procs, base, ours))

    print()
    print(
        f"{'processes':>9}  {'bare spaCy art/s':>16}  {'entente art/s':>13}  "
        f"{'entente/spaCy time':>18}  {'overhead':>8}"
    )
    for procs, base, ours in rows:
        print(
            f"{procs:>9}  {len(texts) / base:>16.1f}  {len(documents) / ours:>13.1f}  "
            f"{ours / base:>18.2f}  {100 * (ours - base) / base:>7.0f}%"
        )
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS: parent {self_mb:.0f} MiB, largest worker {child_mb:.0f} MiB")
    print(
        "baseline: spaCy's bare nlp.pipe with the English model over the same cleaned texts, "
        "same process count, same run"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
