"""How reliable the emitted confidences are: statements scored against gold (`Point`), bucketed
by confidence with the precision observed in each bucket, and the expected calibration error.
`entente eval` reports these (report.py); the calibration fitter (calibrate.py) measures its
fit with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from entente.ingest.extract.calibration import REPORT_EDGES, bin_of


@dataclass(frozen=True)
class Point:
    """One system statement as scored against gold."""

    confidence: float
    family: str  # extractor family (family_of): cooperation, agreement, policy, ..., position
    correct: bool
    article: str = ""


@dataclass(frozen=True)
class Bucket:
    low: float
    high: float
    n: int
    right: int
    mean_confidence: float

    @property
    def precision(self) -> float | None:
        return self.right / self.n if self.n else None

    def as_dict(self) -> dict[str, Any]:
        precision = self.precision
        return {
            "range": [self.low, self.high],
            "statements": self.n,
            "right": self.right,
            "mean_confidence": round(self.mean_confidence, 4),
            "precision": round(precision, 4) if precision is not None else None,
        }


def reliability(points: Iterable[Point], edges: Sequence[float] = REPORT_EDGES) -> list[Bucket]:
    """Statements bucketed by confidence, with the precision observed in each bucket."""
    sums = [[0, 0, 0.0] for _ in range(len(edges) - 1)]
    for p in points:
        slot = sums[bin_of(p.confidence, edges)]
        slot[0] += 1
        slot[1] += int(p.correct)
        slot[2] += p.confidence
    return [
        Bucket(edges[i], edges[i + 1], int(n), int(k), (c / n) if n else 0.0)
        for i, (n, k, c) in enumerate(sums)
    ]


def calibration_error(points: Sequence[Point], edges: Sequence[float] = REPORT_EDGES) -> float:
    """Expected calibration error: the statement-weighted mean |confidence - precision|."""
    total = len(points)
    if not total:
        return 0.0
    return sum(
        b.n / total * abs(b.mean_confidence - (b.precision or 0.0))
        for b in reliability(points, edges)
        if b.n
    )
