"""Large articles: time and peak memory of one `Pipeline.analyze` on a big text, against the
same words cut into ordinary sentences (the baseline), measured in the same run.

    .venv/bin/python bench/large_article.py                    # 1 and 5 MiB, all shapes
    .venv/bin/python bench/large_article.py --mib 1 --shape unpunctuated

Shapes (each the given size, English, language given so detection is not what is measured):
  sentences     the baseline: the words below, a full stop every 20 words
  unpunctuated  the same words without any punctuation or line break (one run-on "sentence")
  one-word      a single word repeated, no punctuation, one line
  short-lines   many short lines of three words, no punctuation

Each case runs in its own process, so the peak RSS printed (ru_maxrss of that child, model
loading included) is the case's own; a warm-up article runs first and time counts only the
big one. Printed ratios are time and peak RSS over the `sentences` baseline of the same size;
"cpu" is the child's CPU time (on a shared machine, the figure a free core would give).

The cases run with the article length limit lifted (PipelineConfig(max_article_chars=None)),
to show how cost grows with length; a last line per size shows what the default limit
(ENTENTE_MAX_ARTICLE_CHARS) does with the same input: how fast it is refused (E175).
Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

WORDS = ("alpha", "beta", "gamma", "delta", "semiconductor", "export", "control", "sweden")
SHAPES = ("sentences", "unpunctuated", "one-word", "short-lines")


def make_text(shape: str, size: int) -> str:
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        if shape == "one-word":
            word, sep = "semiconductor", " "
        else:
            word = WORDS[i % len(WORDS)]
            if shape == "sentences":
                sep = ". " if i % 20 == 19 else " "
                if i % 20 == 0:
                    word = word.capitalize()
            elif shape == "short-lines":
                sep = "\n" if i % 3 == 2 else " "
            else:
                sep = " "
        parts.append(word + sep)
        total += len(word) + len(sep)
        i += 1
    return "".join(parts)


def run_case(shape: str, mib: float) -> dict[str, float]:
    from entente.ingest.model import Document
    from entente.ingest.pipeline import Pipeline, PipelineConfig

    try:
        pipeline = Pipeline(PipelineConfig(max_article_chars=None))
    except TypeError:  # a baseline tree from before the limit (run through PYTHONPATH)
        pipeline = Pipeline(PipelineConfig())
    pipeline.analyze(
        Document(text="Sweden and Japan signed an agreement.", source="<warm-up>", language="en")
    )
    text = make_text(shape, int(mib * 1024 * 1024))
    started, cpu = time.perf_counter(), time.process_time()
    analysis = pipeline.analyze(Document(text=text, source="<bench>", language="en"))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mib": peak_kib / 1024,
        "statements": len(analysis.statements),
        "mentions": len(analysis.mentions),
    }


def refusal(mib: float) -> tuple[float, str]:
    """Seconds until the default pipeline refuses the unpunctuated input, and the error code
    ('-' when it is under the limit and was not refused)."""
    from entente.errors import EntenteError
    from entente.ingest.model import Document
    from entente.ingest.pipeline import Pipeline

    text = make_text("unpunctuated", int(mib * 1024 * 1024))
    started = time.perf_counter()
    try:
        Pipeline().prepare(Document(text=text, source="<bench>", language="en"))
    except EntenteError as exc:
        return time.perf_counter() - started, exc.code
    return time.perf_counter() - started, "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=float, action="append")
    parser.add_argument("--shape", choices=SHAPES, action="append")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child[0], float(args.child[1]))))
        return
    sizes = args.mib or [1.0, 5.0]
    shapes = args.shape or list(SHAPES)
    if "sentences" not in shapes:
        shapes = ["sentences", *shapes]
    for mib in sizes:
        results: dict[str, dict[str, float]] = {}
        for shape in shapes:
            out = subprocess.run(
                [sys.executable, __file__, "--child", shape, str(mib)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[shape] = json.loads(out.strip().splitlines()[-1])
        base = results["sentences"]
        print(f"{mib:g} MiB (baseline: the same words in sentences of 20 words)")
        for shape, r in results.items():
            print(
                f"  {shape:13s} {r['seconds']:7.1f} s (cpu {r.get('cpu', 0):6.1f} s)  "
                f"peak {r['peak_mib']:6.0f} MiB  "
                f"time x{r['seconds'] / base['seconds']:.2f}  "
                f"memory x{r['peak_mib'] / base['peak_mib']:.2f}  "
                f"({r['statements']:.0f} statements, {r['mentions']:.0f} mentions)",
                flush=True,
            )
        seconds, code = refusal(mib)
        print(f"  with the default ENTENTE_MAX_ARTICLE_CHARS: {code} after {seconds:.2f} s")


if __name__ == "__main__":
    main()
