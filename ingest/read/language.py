"""Detect an article's language with py3langid (its model ships inside the wheel: offline).

Decisions:
- The candidate set is the 97 languages of the original langid.py model (ISO 639-1 codes and
  a few three-letter ones: every major news language, en, sv, de, fr, nl, es, it, ja, zh, ko,
  ru among them). py3langid 0.4 adds regional varieties and dialects (wuu, yue, an, lij, vec,
  nn, lb, ...) that take probability mass from their neighbours on short text (a Chinese
  sentence came out 25 % Wu, a Spanish one 17 % Aragonese). Restricting to the original set
  keeps an unsupported language reported as itself rather than forced into en or sv, which a
  list of only the languages the pipeline handles would do.
- Too little text to judge (under MIN_EVIDENCE letters, counting an ideograph as three) and a
  best guess below MIN_CONFIDENCE both give ("und", 0.0): the pipeline then warns instead of
  silently using a wrong model. 'und' is BCP-47 for 'undetermined'.
- Only the first SAMPLE_CHARS characters are scored: the classifier walks every byte in
  Python, and a page of text decides the language as well as two megabytes do. (More is not
  better here: py3langid tempers its probabilities by the square root of the length, so a long
  repetitive text comes out less confident than a page of it.)
- The model is loaded once, lazily, on the first call (about a second).
"""

from __future__ import annotations

import re
import threading
from typing import Any

MIN_EVIDENCE = 12
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 5_000
UNDETERMINED = ("und", 0.0)

# Scripts with no spaces between words carry more per character.
_IDEOGRAPHIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

_lock = threading.Lock()
_identifier: Any = None


def _load() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            labels: list[str] = list(identifier.labels)
            # The original langid.py languages come first, up to 'zxx' (no linguistic content).
            original = labels[: labels.index("zxx")] if "zxx" in labels else labels
            identifier.set_languages(original)
            _identifier = identifier
    return _identifier


def supported_languages() -> tuple[str, ...]:
    """The codes detect_language can return (besides 'und')."""
    return tuple(dict.fromkeys(_identifier_or_load().nb_classes))


def _identifier_or_load() -> Any:
    return _identifier if _identifier is not None else _load()


def evidence(text: str) -> int:
    """How much text there is to judge: letters, an ideograph counting as three."""
    ideographs = len(_IDEOGRAPHIC.findall(text))
    letters = sum(1 for ch in text if ch.isalpha())
    return letters + 2 * ideographs


def detect_language(text: str) -> tuple[str, float]:
    """(BCP-47 code, confidence in [0, 1]); ('und', 0.0) when the text is too short or unclear."""
    sample = text[:SAMPLE_CHARS]
    if evidence(sample) < MIN_EVIDENCE:
        return UNDETERMINED
    code, confidence = _identifier_or_load().classify(sample)
    confidence = float(confidence)
    if code == "zxx" or confidence < MIN_CONFIDENCE:
        return UNDETERMINED
    return str(code), round(min(confidence, 1.0), 4)


__all__ = ["detect_language", "evidence", "supported_languages"]
