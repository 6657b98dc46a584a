"""Query strings and form bodies, percent-decoded at C speed.

A SPARQL query travels percent-encoded, one `%XX` for nearly every third character, and
`urllib.parse.parse_qsl` decodes it one escape at a time in Python: about a tenth of what entente
spends on a small query (docs/decisions/0016-query-shortcut.md). `binascii.a2b_qp` decodes
`=XX` escapes in C; written with `=` for `%` (and a literal `=` as `=3D`), a query string is
quoted-printable, so it decodes in one call. The result is parse_qsl's, exactly: anything the
translation would read differently (an escape that is not two hex digits, a byte outside
printable ASCII, which is where quoted-printable has rules of its own) is left to parse_qsl;
tests/http/test_percent.py compares the two on generated input.
"""

from __future__ import annotations

import binascii
import re
from urllib.parse import parse_qsl

_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_PRINTABLE = bytes(range(0x20, 0x7F))


def parse_pairs(
    raw: bytes, *, encoding: str = "utf-8", errors: str = "replace"
) -> list[tuple[str, str]]:
    """`parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding=…, errors=…)`, as
    Starlette reads a query string, faster."""
    if raw.translate(None, _PRINTABLE) or _BAD_ESCAPE.search(raw) is not None:
        return parse_qsl(
            raw.decode("latin-1"), keep_blank_values=True, encoding=encoding, errors=errors
        )
    pairs = []
    for field in raw.split(b"&"):
        if not field:
            continue
        name, _, value = field.partition(b"=")
        pairs.append((_unquote(name, encoding, errors), _unquote(value, encoding, errors)))
    return pairs


def _unquote(part: bytes, encoding: str, errors: str) -> str:
    part = part.replace(b"+", b" ")
    if b"%" not in part:
        return part.decode("ascii")  # as unquote: no escape, no decoding (nor charset lookup)
    quoted_printable = part.replace(b"=", b"=3D").replace(b"%", b"=")
    return binascii.a2b_qp(quoted_printable).decode(encoding, errors)
