"""Relative dates ('last week', 'on Monday', 'next month', 'the first half of next year') resolved
against an article's publish date. Without a publish date a relative expression resolves to
None: we never guess. Words are lexicon data ([dates] in ingest/lexicons/<lang>.toml).

Conventions (docs/extraction.md#dates) — one date per expression, the start of the period it
names unless it names a deadline:
  weekday            past tense: the latest such day on or before publication; future: the
                     next such day on or after it (Swedish 'i måndags' is always past)
  last/this/next week    the Monday of that ISO week
  last/this/next month   the first day of that month
  last/this/next year    1 January of that year
  first/second half      1 January / 1 July of the year named (publication year by default)
  Nth quarter            the first day of that quarter
  by year-end            31 December of the publication year (a deadline: its end)
  'April 10', '10 april' that day; without a year, the occurrence on the tense's side of the
                     publish date
  'in April', 'as early as April'   the first day of that month, on the tense's side
  today / yesterday / tomorrow      publication day, -1, +1
  2023-07-03, 'July 3, 2023'        absolute: resolved even without a publish date
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from entente.ingest.extract.lexicon import Lexicon
from entente.ingest.extract.registry import load_lexicon


@dataclass(frozen=True)
class DateExpression:
    start: int  # character offsets into the text searched
    end: int
    text: str
    value: date | None


def _alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!x)x"


@lru_cache(maxsize=8)
def _rules(lex: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    d = lex.dates

    def w(key: str) -> str:
        return _alt(d.get(key, ()))

    months = d.get("months", ())
    abbr = d.get("month_abbreviations", ())
    month = _alt([*months, *[a + "." for a in abbr], *abbr])
    rel = f"(?P<rel>{w('last')}|{w('this')}|{w('next')})"
    flags = re.IGNORECASE
    return [
        ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
        (
            "half",
            re.compile(
                rf"\b(?P<half>{w('first_half')}|{w('second_half')})(?:\s+(?:of|av))?"
                rf"(?:\s+{rel}\s+(?:{w('year')})|\s+(?P<y>\d{{4}}))?\b",
                flags,
            ),
        ),
        (
            "quarter",
            re.compile(
                rf"\b(?P<q>{w('quarters')})(?:\s+(?:of|av))?(?:\s+{rel}\s+(?:{w('year')})|\s+(?P<y>\d{{4}}))?\b",
                flags,
            ),
        ),
        ("yearend", re.compile(rf"\b(?:(?:{w('by')})\s+)?(?:the\s+)?(?:{w('year_end')})\b", flags)),
        (
            "mdy",
            re.compile(
                rf"\b(?P<mon>{month})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?",
                flags,
            ),
        ),
        (
            "dmy",
            re.compile(
                rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|:e|:a)?\s+(?:of\s+)?(?P<mon>{month})\b(?:\s+(?P<y>\d{{4}}))?",
                flags,
            ),
        ),
        (
            "relunit",
            re.compile(rf"\b{rel}\s+(?P<unit>{w('week')}|{w('month')}|{w('year')})\b", flags),
        ),
        ("weekday", re.compile(rf"\b(?P<wd>{w('weekdays')})(?P<suffix>s|en|ar)?\b", flags)),
        ("month", re.compile(rf"\b(?P<mon>{_alt(list(months))})\b(?:\s+(?P<y>\d{{4}}))?", flags)),
        (
            "today",
            re.compile(rf"\b(?P<day>{w('today')}|{w('yesterday')}|{w('tomorrow')})\b", flags),
        ),
    ]


def _month_number(lex: Lexicon, word: str) -> int | None:
    word = word.lower().rstrip(".")
    for key in ("months", "month_abbreviations"):
        names = lex.dates.get(key, ())
        if word in names:
            return names.index(word) + 1
    return None


def _which(lex: Lexicon, word: str | None) -> int:
    if not word:
        return 0
    word = word.lower()
    if word in lex.dates.get("last", ()):
        return -1
    if word in lex.dates.get("next", ()):
        return 1
    return 0


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _on_side(candidates: list[date], published: date, future: bool) -> date:
    if future:
        after = [c for c in candidates if c >= published]
        return min(after) if after else max(candidates)
    before = [c for c in candidates if c <= published]
    return max(before) if before else min(candidates)


def _resolve(
    kind: str, m: re.Match[str], lex: Lexicon, published: date | None, future: bool
) -> date | None:
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else None
    if kind == "iso":
        try:
            return date(int(g["y"]), int(g["m"]), int(g["d"]))
        except ValueError:
            return None
    if kind in ("mdy", "dmy"):
        mon = _month_number(lex, g["mon"])
        if mon is None:
            return None
        try:
            if year is not None:
                return date(year, mon, int(g["d"]))
            if published is None:
                return None
            cands = [date(published.year + k, mon, int(g["d"])) for k in (-1, 0, 1)]
        except ValueError:
            return None
        return _on_side(cands, published, future)
    if kind == "month":
        mon = _month_number(lex, g["mon"])
        if mon is None:
            return None
        if year is not None:
            return date(year, mon, 1)
        if published is None:
            return None
        cands = [date(published.year + k, mon, 1) for k in (-1, 0, 1)]
        return _on_side(cands, published.replace(day=1), future)
    if published is None:
        return None
    if kind == "half":
        y = year if year is not None else published.year + _which(lex, g.get("rel"))
        second = g["half"].lower() in lex.dates.get("second_half", ())
        return date(y, 7 if second else 1, 1)
    if kind == "quarter":
        y = year if year is not None else published.year + _which(lex, g.get("rel"))
        q = list(lex.dates.get("quarters", ())).index(g["q"].lower())
        return date(y, 3 * q + 1, 1)
    if kind == "yearend":
        return date(published.year, 12, 31)
    if kind == "relunit":
        n = _which(lex, g["rel"])
        unit = g["unit"].lower()
        if unit in lex.dates.get("week", ()):
            monday = published - timedelta(days=published.weekday())
            return monday + timedelta(weeks=n)
        if unit in lex.dates.get("month", ()):
            return _add_months(published.replace(day=1), n)
        return date(published.year + n, 1, 1)
    if kind == "weekday":
        wd = list(lex.dates.get("weekdays", ())).index(g["wd"].lower())
        past_form = lex.language == "sv" and (g.get("suffix") or "").lower() == "s"
        if future and not past_form:
            return published + timedelta(days=(wd - published.weekday()) % 7)
        return published - timedelta(days=(published.weekday() - wd) % 7)
    if kind == "today":
        day = g["day"].lower()
        if day in lex.dates.get("yesterday", ()):
            return published - timedelta(days=1)
        if day in lex.dates.get("tomorrow", ()):
            return published + timedelta(days=1)
        return published
    return None


def find_dates(
    text: str, *, language: str, published: date | None, future: bool = False
) -> list[DateExpression]:
    """Every date expression in `text`, longest first where they overlap, in text order."""
    lex = load_lexicon(language)
    if lex is None or not lex.dates:
        return []
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, rx in _rules(lex):
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, str, re.Match[str]]] = []
    for f in found:
        if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
            kept.append(f)
    out = [
        DateExpression(s, e, text[s:e], _resolve(kind, m, lex, published, future))
        for s, e, kind, m in sorted(kept, key=lambda f: f[0])
    ]
    # "May" alone is usually the modal verb: keep a bare month only when it has a year or a cue.
    return [d for d in out if not _bare_may(d, text)]


def _bare_may(d: DateExpression, text: str) -> bool:
    return (
        d.text.lower() in ("may", "maj")
        and not re.search(r"\d", d.text)
        and not re.search(
            r"\b(in|by|since|until|early|late|mid|i|från|till)\s*$", text[: d.start], re.IGNORECASE
        )
    )


def resolve(
    expression: str, *, language: str, published: date | None, future: bool = False
) -> date | None:
    """The date of the first expression found in `expression` (None if none or unresolvable)."""
    found = find_dates(expression, language=language, published=published, future=future)
    return found[0].value if found else None
