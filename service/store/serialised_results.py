"""Query results in their serialised form: counted while they stream, told whole from cut, counted
whole, and graph results converted from N-Triples to the syntax a client asked for.

The query runner (entente.service.query.runner) and the remote store hold results only as
bytes; this is where the knowledge of those bytes lives (the engine's parsers, the Oxigraph
server's cancellation marker), so that no engine type or behaviour leaves the store package.

The engine's answer reaches entente as bytes in the format the client asked for (solutions) or as
N-Triples (graphs, converted later if the client wants another syntax). A counter is fed the
chunks as they arrive, so that the result cap (`result_limit` rows or triples) is enforced
without building the result in memory, and `finish()` checks that the body ends as a complete
document of its format.

That check is what makes the Oxigraph server's timeout safe: when it cancels a query it has already
sent `200 OK` and part of the body, and ends the body with the text "The SPARQL operation has been
cancelled" (docs/architecture.md). A body that ends with that text is a timeout (E407); a body cut
short in any other way is an engine failure (E412). Never a result.

Counting is done with bytes methods and one regex (XML), never a Python step per character or
per row: it runs over every byte of every large result.
"""

from __future__ import annotations

import csv
import io
import re
from abc import ABC, abstractmethod

import pyoxigraph as ox
from entente.errors import EntenteError
from entente.service.store.base import QueryKind, ResultFormat

CANCELLED_MARKER = b"The SPARQL operation has been cancelled"
_TAIL = 64  # bytes kept from the end of the body, for the checks in finish()


class RowCounter(ABC):
    """Rows (solutions) or triples seen so far in a streamed result."""

    def __init__(self) -> None:
        self.rows = 0
        self.size = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._tail = (self._tail + chunk)[-_TAIL:]
        self._count(chunk)

    def finish(self) -> None:
        """Raise E407 if the engine cancelled the result, E412 if the body is cut short."""
        if self._tail.rstrip().endswith(CANCELLED_MARKER):
            raise EntenteError(
                "E407",
                "the engine cancelled the query at its deadline",
                where="query",
            )
        if not self._complete(self._tail):
            raise EntenteError(
                "E412",
                "the engine's answer ended before the result was complete",
                where="query",
            )

    @abstractmethod
    def _count(self, chunk: bytes) -> None: ...

    @abstractmethod
    def _complete(self, tail: bytes) -> bool: ...


class LineCounter(RowCounter):
    """TSV (a header line, then one line per row: TSV escapes newlines in values) and N-Triples
    as the engine writes it (one triple per line, no comments)."""

    def __init__(self, *, header: bool) -> None:
        super().__init__()
        self._header = header
        self._lines = 0

    def _count(self, chunk: bytes) -> None:
        self._lines += chunk.count(b"\n")
        self.rows = max(self._lines - (1 if self._header else 0), 0)

    def _complete(self, tail: bytes) -> bool:
        if self.size == 0:
            return not self._header
        return tail.endswith(b"\n")


class CsvCounter(RowCounter):
    """CSV: a quoted field may hold newlines, and `""` is a quote inside a quoted field. Only
    quotes and newlines matter: everything else is deleted, `""` pairs (an escaped quote, or an
    empty field) are dropped without changing the quoted state, and what is left between quotes
    is newlines inside quoted fields."""

    _DELETE = bytes(b for b in range(256) if b not in b'"\n')
    _QUOTED = re.compile(rb'"[^"]*"')

    def __init__(self) -> None:
        super().__init__()
        self._quoted = False
        self._lines = 0

    def _count(self, chunk: bytes) -> None:
        marks = chunk.translate(None, self._DELETE)
        if self._quoted:
            end = marks.find(b'"')
            if end < 0:
                return
            marks, self._quoted = marks[end + 1 :], False
        marks = marks.replace(b'""', b"")
        if b'"' in marks:
            marks = self._QUOTED.sub(b"", marks)
            start = marks.find(b'"')
            if start >= 0:
                marks, self._quoted = marks[:start], True
        self._lines += len(marks)
        self.rows = max(self._lines - 1, 0)

    def _complete(self, tail: bytes) -> bool:
        return not self._quoted and tail.endswith(b"\n")


class XmlCounter(RowCounter):
    """SPARQL XML: one `<result>` element per row (`<` inside values is escaped)."""

    _RESULT = re.compile(rb"<result[\s>]")

    def __init__(self) -> None:
        super().__init__()
        self._carry = b""

    def _count(self, chunk: bytes) -> None:
        text = self._carry + chunk
        start = len(self._carry)
        # A match wholly inside the carried bytes was counted with the previous chunk.
        self.rows += sum(1 for m in self._RESULT.finditer(text) if m.end() > start)
        self._carry = text[-8:]

    def _complete(self, tail: bytes) -> bool:
        return tail.rstrip().endswith(b"</sparql>")


class JsonCounter(RowCounter):
    """SPARQL JSON: rows are the objects of the "bindings" array. Outside strings, a row opens
    with `[{` (the first) or `,{` (the others), while a term object follows its key (`:{`) and
    "head" holds only strings; so the rows are the `[{` and `,{` pairs of the text with the
    strings taken out.

    It runs over every byte of every large result, so it is done with bytes methods, never a
    Python step per character: escaped backslashes and quotes are dropped (then every quote
    delimits a string), everything but `"{}[],:` is deleted (whitespace and string contents
    with it), and the empty strings `""` that are left are removed; the few strings that held a
    brace or a bracket go with a regex. A string cut by a chunk boundary, a run of backslashes
    at the end of a chunk and the last structural character (a pair may straddle two chunks)
    carry over to the next chunk."""

    _KEEP = b'"{}[],:'
    _DELETE = bytes(b for b in range(256) if b not in b'"{}[],:')
    _STRING = re.compile(rb'"[^"]*"')

    def __init__(self) -> None:
        super().__init__()
        self._in_string = False
        self._carry = b""  # trailing backslashes of the previous chunk
        self._last = b""  # the last structural character so far
        self._depth = 0
        self._opened = False

    def _count(self, chunk: bytes) -> None:
        text = self._carry + chunk
        kept = text.rstrip(b"\\")
        self._carry = text[len(kept) :]
        if b"\\" in kept:
            kept = kept.replace(b"\\\\", b"").replace(b'\\"', b"")
        structure = kept.translate(None, self._DELETE)
        if self._in_string:  # the string the previous chunk ended in
            end = structure.find(b'"')
            if end < 0:
                return
            structure, self._in_string = structure[end + 1 :], False
        structure = structure.replace(b'""', b"")
        if b'"' in structure:
            structure = self._STRING.sub(b"", structure)
            start = structure.find(b'"')  # a string the next chunk finishes
            if start >= 0:
                structure, self._in_string = structure[:start], True
        if not structure:
            return
        joined = self._last + structure
        self.rows += joined.count(b"[{") + joined.count(b",{")
        self._last = structure[-1:]
        opened = structure.count(b"{") + structure.count(b"[")
        self._opened = self._opened or opened > 0
        self._depth += opened - structure.count(b"}") - structure.count(b"]")

    def _complete(self, tail: bytes) -> bool:
        return (
            self._opened
            and self._depth == 0
            and not self._in_string
            and not self._carry
            and tail.rstrip()[-1:] == b"}"
        )


class BooleanCounter(RowCounter):
    """An ASK result: small, and complete when it holds its boolean."""

    def __init__(self, fmt: ResultFormat) -> None:
        super().__init__()
        self._fmt = fmt
        self._body = b""

    def _count(self, chunk: bytes) -> None:
        self._body += chunk[: 4096 - len(self._body)]

    def _complete(self, tail: bytes) -> bool:
        body = self._body.strip()
        if self._fmt in (ResultFormat.CSV, ResultFormat.TSV):
            return body in (b"true", b"false")
        if self._fmt is ResultFormat.XML:
            return body.endswith(b"</sparql>") and b"<boolean>" in body
        return body.endswith(b"}") and b'"boolean"' in body


def counter_for(kind: QueryKind, fmt: ResultFormat) -> RowCounter:
    """A counter for a result of this kind in this format (graphs: N-Triples only)."""
    if kind == "boolean":
        return BooleanCounter(fmt)
    if fmt is ResultFormat.TSV:
        return LineCounter(header=True)
    if fmt is ResultFormat.NTRIPLES:
        return LineCounter(header=False)
    if fmt is ResultFormat.CSV:
        return CsvCounter()
    if fmt is ResultFormat.XML:
        return XmlCounter()
    if fmt is ResultFormat.JSON:
        return JsonCounter()
    raise ValueError(f"cannot count a streamed result in {fmt.value}")


# --- whole bodies -------------------------------------------------------------------------------

_XML_RESULT = re.compile(rb"<result[\s>]")

_SOLUTION_PARSE = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
}
_GRAPH_PARSE = {
    ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
    ResultFormat.TRIG: ox.RdfFormat.TRIG,
    ResultFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ResultFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


def count_results(body: bytes, fmt: ResultFormat) -> int:
    """Solutions in a SELECT result, or triples in a graph result, in its serialised form."""
    if fmt is ResultFormat.TSV:
        # A header line, then one line per row (an empty line is a row of unbound values): TSV
        # writes newlines inside literals as \n.
        lines = body.count(b"\n")
        return lines - 1 if body.endswith(b"\n") else lines
    if fmt in (ResultFormat.NTRIPLES, ResultFormat.NQUADS):
        return sum(
            1 for line in body.splitlines() if line.strip() and not line.lstrip().startswith(b"#")
        )
    if fmt is ResultFormat.XML:
        # `<` inside values is escaped, so every `<result` is a row.
        return len(_XML_RESULT.findall(body))
    if fmt is ResultFormat.CSV:
        # Quoted CSV fields may hold newlines: read it as CSV, minus the header.
        reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        return max(sum(1 for _ in reader) - 1, 0)
    if fmt in _SOLUTION_PARSE:
        parsed = ox.parse_query_results(body, format=_SOLUTION_PARSE[fmt])
        if isinstance(parsed, ox.QueryBoolean):
            return 0
        return sum(1 for _ in parsed)
    if fmt in _GRAPH_PARSE:
        return sum(1 for _ in ox.parse(body, format=_GRAPH_PARSE[fmt]))
    raise ValueError(f"cannot count results in {fmt.value}")


def convert_ntriples(ntriples: bytes, fmt: ResultFormat) -> bytes:
    """A graph result received as N-Triples, in the syntax `fmt`."""
    out = ox.serialize(
        ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.from_media_type(fmt.value),
    )
    assert out is not None
    return out
