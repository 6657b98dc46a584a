"""MinHash signatures of word shingles, and the LSH band keys that index them.

A document's cleaned text becomes the set of its 3-word shingles (lower-cased Unicode words);
128 hash functions of the form (a*x + b) mod (2^61 - 1) over a 32-bit hash of each shingle give
its signature. The fraction of positions where two signatures agree estimates the Jaccard
similarity of the two shingle sets (Broder 1997). Cutting the signature into 64 bands of 2 rows
gives band keys: two documents share a key with probability 1 - (1 - J^2)^64 (0.77 at J = 0.15,
0.998 at J = 0.3, 0.025 at J = 0.02), so a near-duplicate is found by looking its keys up in an
index, not by comparing it with every stored document (docs/corroboration.md).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence

SHINGLE_WORDS = 3
HASHES = 128
BANDS = 64
ROWS = HASHES // BANDS
METHOD = (
    f"entente.minhash-lsh.v1 ({SHINGLE_WORDS}-word shingles, {HASHES} hashes, "
    f"{BANDS} bands of {ROWS})"
)

_PRIME = (1 << 61) - 1
_MASK = 0xFFFFFFFF
# Fixed parameters: signatures stored yesterday must compare with signatures made today.
_rng = random.Random(0x5EED_E17E)
_PARAMS = tuple((_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(HASHES))
_WORD = re.compile(r"\w+", re.UNICODE)

Signature = tuple[int, ...]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> Signature | None:
    """The MinHash signature of `text`'s shingles; None for a text without words."""
    hashed = [
        int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "big")
        for s in shingles(text)
    ]
    if not hashed:
        return None
    return tuple(min((a * x + b) % _PRIME for x in hashed) & _MASK for a, b in _PARAMS)


def similarity(one: Sequence[int], other: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    if len(one) != len(other) or not one:
        return 0.0
    return sum(1 for x, y in zip(one, other, strict=True) if x == y) / len(one)


def band_keys(sig: Signature) -> list[str]:
    """'band:digest' for each band: equal keys mean equal rows in that band."""
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(
            b"".join(v.to_bytes(4, "big") for v in rows), digest_size=6
        ).hexdigest()
        keys.append(f"{band}:{digest}")
    return keys


def encode(sig: Signature) -> str:
    return " ".join(f"{v:08x}" for v in sig)


def decode(text: str) -> Signature | None:
    try:
        values = tuple(int(v, 16) for v in text.split())
    except ValueError:
        return None
    return values if len(values) == HASHES else None
