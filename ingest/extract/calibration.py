"""Confidence calibration at run time: raw evidence priors -> probabilities, per statement family.

The extractors score each statement with a prior (extract/confidence.py). This module applies
the mapping fitted on annotated articles (`lexicons/calibration.toml`) so that a statement at 0.9
is right about nine times in ten on those articles. The fitting itself, and the reliability
table `entente eval` prints, live in ingest/evaluate/calibrate.py.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from entente.errors import EntenteError

CALIBRATION_FILE = "calibration.toml"
GLOBAL = "*"
# Raw-prior bins the mapping is fitted on: the priors cluster at 0.9 (parse), ~0.7 (one role
# from the window or context) and ~0.5 (two such roles).
FIT_EDGES: tuple[float, ...] = (0.0, 0.45, 0.55, 0.65, 0.75, 0.85, 1.0)
# Buckets of the reliability table `entente eval` prints (emitted confidence).
REPORT_EDGES: tuple[float, ...] = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
PRIOR_WEIGHT = 10.0
FAMILY_WEIGHT = 10.0
# No value above 0.95: the gold also served to develop the rules, so precision measured on
# it overstates precision on unseen articles.
FLOOR, CEILING = 0.05, 0.95


@dataclass(frozen=True)
class Calibration:
    """Piecewise-constant maps from the raw prior to a probability, per family ('*' for all)."""

    edges: tuple[float, ...]
    maps: dict[str, tuple[float, ...]] = field(default_factory=dict)

    @property
    def identity(self) -> bool:
        return not self.maps

    def apply(self, raw: float, family: str) -> float:
        values = self.maps.get(family) or self.maps.get(GLOBAL)
        if values is None:
            return raw
        return values[bin_of(raw, self.edges)]


IDENTITY = Calibration(edges=FIT_EDGES)


def family_of(extractor: str) -> str:
    """'entente.cooperation.v1' -> 'cooperation': calibration is kept per extractor family."""
    parts = extractor.split(".")
    return parts[1] if len(parts) >= 3 else extractor


def bin_of(value: float, edges: Sequence[float]) -> int:
    """Index of the bin [edges[i], edges[i+1]) holding value; the last bin is closed."""
    for i in range(len(edges) - 1):
        if value < edges[i + 1]:
            return i
    return len(edges) - 2


# -- loading ---------------------------------------------------------------------------------


def parse_calibration(data: dict[str, Any], *, where: str) -> Calibration:
    edges = data.get("edges")
    if (
        not isinstance(edges, list)
        or len(edges) < 2
        or not all(isinstance(e, int | float) for e in edges)
        or list(edges) != sorted(edges)
        or edges[0] != 0
        or edges[-1] != 1
    ):
        raise EntenteError(
            "E104", "'edges' must be an ascending list of numbers from 0 to 1", where=where
        )
    maps_in = data.get("maps", {})
    if not isinstance(maps_in, dict):
        raise EntenteError("E104", "[maps] must be a table", where=where)
    maps: dict[str, tuple[float, ...]] = {}
    for family, values in maps_in.items():
        if (
            not isinstance(values, list)
            or len(values) != len(edges) - 1
            or not all(isinstance(v, int | float) and 0 <= v <= 1 for v in values)
        ):
            raise EntenteError(
                "E104",
                f"maps.{family} must list {len(edges) - 1} probabilities, one per bin",
                where=where,
            )
        maps[str(family)] = tuple(float(v) for v in values)
    return Calibration(edges=tuple(float(e) for e in edges), maps=maps)


@lru_cache(maxsize=8)
def load_calibration(path: Path | None = None) -> Calibration:
    """The shipped calibration (or the file at `path`); a missing shipped file is the identity."""
    if path is None:
        resource = resources.files("entente.ingest.lexicons") / CALIBRATION_FILE
        if not resource.is_file():
            return IDENTITY
        raw, where = resource.read_text(encoding="utf-8"), f"lexicons/{CALIBRATION_FILE}"
    else:
        where = str(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise EntenteError("E104", f"cannot read calibration: {exc}", where=where) from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise EntenteError("E104", f"calibration does not parse: {exc}", where=where) from exc
    return parse_calibration(data, where=where)
