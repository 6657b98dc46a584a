"""Confidence from the evidence path, as a documented prior (docs/extraction.md#confidence).

The score is a product of factors, so each weakness costs the same share wherever it occurs:
  base 0.9 (an explicit trigger with every key role found by the parser)
  x 0.8  per key role found by the window fallback (no parse: word order and prepositions)
  x 0.75 per key role found from context (pronoun, earlier statement, previous sentence)
  x 0.85 when the trigger itself is anaphoric ("a similar council", "a further round of talks")
  x 0.9  per optional role left empty (technology, target, status, location)
  x 0.85 per key role filled by an entity minted from this document, not known to the
         gazetteer (at most two): a new name is where linking errs most (consolidate.py)
and is clamped to [0.05, 0.95]. These factors are priors to be calibrated against gold
(`entente eval`), not measured probabilities yet.
"""

from __future__ import annotations

from collections.abc import Iterable

BASE = 0.9
PATH_FACTOR = {"parse": 1.0, "window": 0.8, "context": 0.75, "none": 1.0}
ANAPHORIC_TRIGGER = 0.85
MISSING_OPTIONAL = 0.9
NEW_ENTITY = 0.85


def score(paths: Iterable[str], *, missing_optional: int = 0, anaphoric: bool = False) -> float:
    c = BASE
    for p in paths:
        c *= PATH_FACTOR.get(p, 0.75)
    if anaphoric:
        c *= ANAPHORIC_TRIGGER
    c *= MISSING_OPTIONAL**missing_optional
    return round(min(0.95, max(0.05, c)), 2)
