"""The raw text of a SPARQL Update, cut into its operations, and the WHERE pattern of each.

entente does not hand a user's update to the engine: it computes what the update would change,
validates that, and commits it in one store transaction (service/write/graph_edit.py). For
DELETE/INSERT
… WHERE and DELETE WHERE the solutions of the WHERE pattern come from the engine, so the pattern's
text is needed verbatim. rdflib's parse tree (used for everything else) keeps no source positions,
so this module finds it lexically: operations are separated by `;` outside braces, and the WHERE
pattern of an operation is its last top-level `{ … }` block (the grammar ends both forms with it).

The lexer skips comments, strings and IRIs, which is all it takes to find braces and semicolons
reliably: neither can occur inside an IRI reference. It reads the text as Oxigraph does, with
`\\u` escapes live only inside strings and IRIs; rdflib expands them everywhere first, so text
with an escape outside strings and IRIs is refused: the two readings could disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from entente.errors import EntenteError
from entente.service.query.screen import SKIPPED_TEXT

_LEX = re.compile(
    r"""
      (?P<skip>
          """
    + SKIPPED_TEXT
    + r"""
      )
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<semi>;)
    | (?P<escape>\\[uU])
    """,
    re.VERBOSE,
)

_WORD = re.compile(r"[A-Za-z]+")
_PROLOGUE_ONLY = re.compile(
    r"""^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*$""", re.IGNORECASE
)


@dataclass(frozen=True)
class OperationText:
    text: str  # the operation, prologue declarations before it included
    last_group: str | None  # its last top-level { … } block, braces included


def split_operations(text: str) -> list[OperationText]:
    """The operations of an update, in order. Segments holding only a prologue (or nothing, as
    after a trailing `;`) are not operations and are left out."""
    segments: list[tuple[str, str | None]] = []
    depth = 0
    start = 0
    group_start: int | None = None
    last_group: str | None = None
    for match in _LEX.finditer(text):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "escape":
            raise EntenteError(
                "E401",
                "a \\u or \\U escape outside a string or IRI is not accepted in an update "
                "(rdflib and Oxigraph read such text differently)",
                where="update",
            )
        elif kind == "open":
            if depth == 0:
                group_start = match.start()
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth < 0:
                raise EntenteError("E401", "unbalanced '}' in the update", where="update")
            if depth == 0 and group_start is not None:
                last_group = text[group_start : match.end()]
        elif kind == "semi" and depth == 0:
            segments.append((text[start : match.start()], last_group))
            start, last_group, group_start = match.end(), None, None
    if depth != 0:
        raise EntenteError("E401", "unbalanced '{' in the update", where="update")
    segments.append((text[start:], last_group))
    return [
        OperationText(segment, group)
        for segment, group in segments
        if _WORD.search(segment) and not _PROLOGUE_ONLY.match(segment)
    ]
