"""Confidence calibration: raw evidence priors -> probabilities measured on annotated articles.

The extractors score each statement with a prior (extract/confidence.py: 0.9 for a trigger
with every key role from the parse, less for the window fallback, context and anaphora). Those
priors rank statements but are not probabilities. This module maps them to the precision
observed on gold annotations, per statement family, so that a statement at 0.9 is right about
nine times in ten *on the annotated articles*:

  raw prior --(bin of the raw prior)--> calibrated value of that bin for the family

The mapping is data (`lexicons/calibration.toml`), fitted by

  python -m entente.ingest.evaluate.calibrate ARTICLES_DIR GOLD_DIR [--metadata F] [-o FILE]

which runs the pipeline uncalibrated, marks each system statement right (it matches a gold
fact strictly, or restates one) or wrong (a false positive), and fits per bin:

  global value = (right + PRIOR_WEIGHT * mean raw prior) / (n + PRIOR_WEIGHT)     per bin
  family rate  = (right_f + FAMILY_WEIGHT * other families' rate) / (n_f + FAMILY_WEIGHT)
  family value = (right_fb + PRIOR_WEIGHT * family rate) / (n_fb + PRIOR_WEIGHT)   per bin

then makes each map non-decreasing (pool adjacent violators) and clamps it to
[FLOOR, CEILING]. The pseudo-counts are there because the gold is small (five articles, 92
facts): a bin with three statements cannot move far from what the prior says, and no value
reaches 1.0. The fitter also reports a leave-one-article-out calibration error, the honest
figure for how well the fit carries to an article it did not see, with the held-out reliability
table and the held-out mean confidence of right and of wrong statements (a wrong statement
must score lower than a right one on average).

`entente eval` prints the reliability of the confidences the system emitted (bucketed, with
the precision observed in each bucket and the expected calibration error: reliability.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from entente.errors import EntenteError
from entente.ingest.evaluate.reliability import Point, calibration_error, reliability
from entente.ingest.evaluate.run import evaluate, read_metadata_index
from entente.ingest.extract.calibration import (
    CEILING,
    FAMILY_WEIGHT,
    FIT_EDGES,
    FLOOR,
    GLOBAL,
    PRIOR_WEIGHT,
    Calibration,
    bin_of,
)
from entente.ingest.pipeline import Pipeline, PipelineConfig

# -- fitting ---------------------------------------------------------------------------------


def _monotone(values: list[float], weights: list[float]) -> list[float]:
    """Pool adjacent violators: the closest non-decreasing sequence (weighted least squares)."""
    blocks: list[list[float]] = []  # [value, weight, count]
    for v, w in zip(values, weights, strict=True):
        blocks.append([v, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, c2 = blocks.pop()
            v1, w1, c1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for v, _, c in blocks:
        out.extend([v] * int(c))
    return out


def _clamp(v: float) -> float:
    return round(min(CEILING, max(FLOOR, v)), 3)


def fit(
    points: Sequence[Point],
    edges: Sequence[float] = FIT_EDGES,
    *,
    prior_weight: float = PRIOR_WEIGHT,
    family_weight: float = FAMILY_WEIGHT,
) -> Calibration:
    """A calibration from scored statements whose confidence is the raw prior."""
    nbins = len(edges) - 1
    mids = [(edges[i] + edges[i + 1]) / 2 for i in range(nbins)]

    def counts(selected: Iterable[Point]) -> tuple[list[int], list[int], list[float]]:
        n, k, s = [0] * nbins, [0] * nbins, [0.0] * nbins
        for p in selected:
            b = bin_of(p.confidence, edges)
            n[b] += 1
            k[b] += int(p.correct)
            s[b] += p.confidence
        return n, k, s

    n, k, s = counts(points)
    prior = [s[b] / n[b] if n[b] else mids[b] for b in range(nbins)]
    glob = [(k[b] + prior_weight * prior[b]) / (n[b] + prior_weight) for b in range(nbins)]
    glob = _monotone(glob, [n[b] + prior_weight for b in range(nbins)])
    maps = {GLOBAL: tuple(_clamp(v) for v in glob)}
    mean_prior = sum(s) / sum(n) if sum(n) else 0.5
    for family in sorted({p.family for p in points}):
        nf, kf, _ = counts(p for p in points if p.family == family)
        # On real articles the raw prior hardly tells right from wrong within a family, while
        # families differ a lot (positions are mostly right, policies half wrong). So each bin
        # shrinks toward its family's precision over all bins, and that toward what the other
        # families show (not toward a value that already holds this family's statements).
        n_rest, k_rest = sum(n) - sum(nf), sum(k) - sum(kf)
        rest = (k_rest + prior_weight * mean_prior) / (n_rest + prior_weight)
        family_rate = (sum(kf) + family_weight * rest) / (sum(nf) + family_weight)
        values = [
            (kf[b] + prior_weight * family_rate) / (nf[b] + prior_weight) for b in range(nbins)
        ]
        values = _monotone(values, [nf[b] + prior_weight for b in range(nbins)])
        maps[family] = tuple(_clamp(v) for v in values)
    return Calibration(edges=tuple(edges), maps=maps)


def apply_to(points: Iterable[Point], calibration: Calibration) -> list[Point]:
    return [
        Point(calibration.apply(p.confidence, p.family), p.family, p.correct, p.article)
        for p in points
    ]


def held_out(points: Sequence[Point]) -> list[Point]:
    """Leave one article out: each article's statements with the confidence a fit on the
    other articles gives them (empty with fewer than two articles)."""
    articles = sorted({p.article for p in points})
    if len(articles) < 2:
        return []
    held: list[Point] = []
    for article in articles:
        train = [p for p in points if p.article != article]
        test = [p for p in points if p.article == article]
        held.extend(apply_to(test, fit(train)))
    return held


def cross_validated_error(points: Sequence[Point]) -> float | None:
    """Leave one article out: fit on the others, measure calibration error on it, pooled."""
    held = held_out(points)
    return calibration_error(held) if held else None


def mean_confidence(points: Iterable[Point], *, correct: bool) -> float | None:
    """Mean confidence of the right (or of the wrong) statements."""
    values = [p.confidence for p in points if p.correct == correct]
    return sum(values) / len(values) if values else None


def reliability_lines(points: Sequence[Point]) -> list[str]:
    """The reliability table as text lines (for the TOML header and the terminal)."""
    lines = ["confidence    statements  right  mean conf.  precision"]
    for b in reliability(points):
        if not b.n:
            continue
        precision = b.precision if b.precision is not None else 0.0
        lines.append(
            f"[{b.low:.2f}, {b.high:.2f})  {b.n:10d}  {b.right:5d}  {b.mean_confidence:10.3f}"
            f"  {precision:9.3f}"
        )
    return lines


def to_toml(calibration: Calibration, *, header: Sequence[str] = ()) -> str:
    lines = [f"# {h}" if h else "#" for h in header]
    lines += [
        "",
        "# Raw-prior bins: [edges[i], edges[i+1]); each map gives one probability per bin.",
        "edges = [" + ", ".join(f"{e:g}" for e in calibration.edges) + "]",
        "",
        "[maps]",
    ]
    for family, values in calibration.maps.items():
        key = f'"{family}"' if not family.isidentifier() else family
        lines.append(f"{key} = [" + ", ".join(f"{v:.3f}" for v in values) + "]")
    return "\n".join(lines) + "\n"


# -- the fitting command -----------------------------------------------------------------------


def scored_points(articles_dir: Path, gold_dir: Path, metadata: Path | None = None) -> list[Point]:
    """Run the pipeline uncalibrated over annotated articles; one point per system statement."""
    index = read_metadata_index(metadata) if metadata is not None else None
    report = evaluate(
        articles_dir, gold_dir, Pipeline(PipelineConfig(calibrated=False)), metadata=index
    )
    return [p for a in report.articles for p in a.calibration]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m entente.ingest.evaluate.calibrate",
        description="Fit the confidence calibration on annotated articles (see module doc).",
    )
    parser.add_argument("articles", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="write the TOML here (default: stdout)")
    parser.add_argument(
        "--metadata", type=Path, help="per-article metadata (JSON list, as for entente eval)"
    )
    args = parser.parse_args(argv)
    try:
        points = scored_points(args.articles, args.gold, args.metadata)
    except EntenteError as exc:
        print(exc.render(), file=sys.stderr)
        return 2
    calibration = fit(points)
    right = sum(p.correct for p in points)
    held = held_out(points)
    cv = calibration_error(held) if held else None
    right_mean = mean_confidence(held, correct=True)
    wrong_mean = mean_confidence(held, correct=False)
    means = (
        f"Held out (leave one article out): mean confidence of right statements "
        f"{right_mean:.3f}, of wrong ones {wrong_mean:.3f}."
        if right_mean is not None and wrong_mean is not None
        else "Held out: no right or no wrong statements to compare."
    )
    header = [
        "Confidence calibration (ingest/evaluate/calibrate.py). Generated by",
        "  python -m entente.ingest.evaluate.calibrate ARTICLES GOLD --metadata SOURCES "
        "-o ingest/lexicons/calibration.toml",
        f"from {len(points)} system statements on {len({p.article for p in points})} annotated "
        f"articles ({right} right, {len(points) - right} wrong).",
        f"Pseudo-counts: {PRIOR_WEIGHT:g} toward the raw prior per bin, {FAMILY_WEIGHT:g} toward "
        f"the other families per family; values clamped to [{FLOOR}, {CEILING}].",
        f"Calibration error: uncalibrated {calibration_error(points):.3f}, fitted (in sample) "
        f"{calibration_error(apply_to(points, calibration)):.3f}, leave-one-article-out "
        + (f"{cv:.3f}." if cv is not None else "n/a."),
        means,
        "Reliability of the held-out confidences:",
        *(f"  {line}" for line in reliability_lines(held)),
        "A small set: refit on more annotated articles before trusting the upper bins.",
    ]
    print("\n".join(header[-len(reliability_lines(held)) - 3 :]), file=sys.stderr)
    text = to_toml(calibration, header=header)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
