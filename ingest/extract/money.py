"""Money amounts in a sentence: '903.9 billion yen ($6.3 billion)', '6,3 miljarder dollar'.

Currency symbols and words, and scale words, are lexicon data; amounts come back in the order
the text gives them, as (Decimal amount in units, ISO 4217 code).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from entente.ingest.extract.lexicon import Lexicon

_NUM = r"\d[\d.,\u00a0]*\d|\d"


@lru_cache(maxsize=8)
def _regex(lex: Lexicon) -> re.Pattern[str]:
    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    symbols = [c for c in lex.currencies if not c.isalpha()]
    words = [c for c in lex.currencies if c.isalpha()]
    scales = alt(list(lex.money_scales))
    return re.compile(
        rf"(?:(?P<sym>{alt(symbols)})\s?(?P<n1>{_NUM})(?:\s?(?P<s1>{scales})\b)?)"
        # French joins scale and currency with "de": "2 milliards d'euros", "5 millions de dollars"
        rf"|(?:\b(?P<n2>{_NUM})\s?(?:(?P<s2>{scales})(?:\s+|\s+de\s+|\s+d['’]))?"
        rf"(?P<cur>{alt(words)}|{alt(symbols)})(?!\w))",
        re.IGNORECASE,
    )


def parse_number(text: str, decimal_separator: str) -> Decimal | None:
    t = text.replace("\u00a0", "").replace(" ", "")
    if "," in t and "." in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        parts = t.split(sep)
        thousands = len(parts) > 2 or (len(parts[-1]) == 3 and sep != decimal_separator)
        dec = "" if thousands else sep
    else:
        dec = ""
    other = {",", "."} - {dec}
    for o in other:
        t = t.replace(o, "")
    if dec:
        t = t.replace(dec, ".")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def find_amounts(text: str, lex: Lexicon) -> list[tuple[Decimal, str, int, int]]:
    """(amount, currency, start, end) for each money expression in `text`, in order."""
    out: list[tuple[Decimal, str, int, int]] = []
    for m in _regex(lex).finditer(text):
        if m.group("sym"):
            cur, num, scale = m.group("sym"), m.group("n1"), m.group("s1")
        else:
            cur, num, scale = m.group("cur"), m.group("n2"), m.group("s2")
        code = lex.currencies.get(cur.lower())
        value = parse_number(num, lex.decimal_separator)
        if code is None or value is None:
            continue
        if scale:
            value *= lex.money_scales[scale.lower()]
        if value == value.to_integral_value():
            value = value.to_integral_value()
        out.append((value, code, m.start(), m.end()))
    return out
