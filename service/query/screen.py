"""Screen SPARQL text before it reaches the engine: know what kind of query it is, and refuse
what would make the server fetch a URL on a user's behalf (SSRF).

pyoxigraph follows any IRI named by `SERVICE` (queries) or `LOAD` (updates), loopback and internal
addresses included, with no timeout and no switch to turn it off (measured: docs/architecture.md,
"Where the libraries reach the network"). So every update, and every query in which either word
could occur (below, "Queries read by their words"), is parsed here first, with rdflib's SPARQL
1.1 parser, and the *parse tree* is checked: comments, prefixed names, odd case or
whitespace and patterns nested in OPTIONAL, UNION, MINUS, GRAPH, sub-queries or EXISTS cannot hide
a SERVICE from a tree walk.

Two parsers reading the same text can still disagree. The one known disagreement: rdflib expands
`\\uXXXX` escapes over the whole text before parsing (as the SPARQL spec says), Oxigraph only
inside strings and IRIs, so `FILTER("\\u0022") SERVICE <…> {…} FILTER("\\u0022")` is a harmless
long string to rdflib and a live SERVICE to Oxigraph. A lexical pass over the raw text (Oxigraph's
view: strings, IRIs, comments and names skipped) therefore also looks for the bare keywords; when
the two checks disagree, the query is refused. Everything here fails closed: text rdflib cannot
parse (some SPARQL 1.2 / RDF-star syntax that Oxigraph would accept) is refused, never passed on
unscreened.

Parsing costs milliseconds (9 ms for a 1 kB query on an idle machine), more than most queries
take on Oxigraph, so screenings are cached by text: analysts and their tools repeat the same
queries.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from entente.errors import EntenteError
from entente.service.store.base import QueryKind
from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

T = TypeVar("T")

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_RESULT_KINDS: dict[QueryForm, QueryKind] = {
    "SELECT": "solutions",
    "ASK": "boolean",
    "CONSTRUCT": "graph",
    "DESCRIBE": "graph",
}

_SCREEN_PARSER_NOTE = (
    "entente parses a query that spells SERVICE or LOAD (anywhere, even in a comment) with "
    "rdflib's SPARQL 1.1 parser before it runs, and refuses text that parser cannot read "
    "(including SPARQL 1.2 / RDF-star syntax)"
)


@dataclass(frozen=True)
class ScreenedQuery:
    """A query that passed screening; `text` is exactly what the engine will receive."""

    text: str
    form: QueryForm
    services: tuple[str, ...] = ()  # allow-listed SERVICE endpoints it calls
    has_dataset_clause: bool = False  # FROM / FROM NAMED in the query itself
    reads_named_graphs: bool = True  # has a GRAPH pattern (False: the named graphs are unused)

    @property
    def result_kind(self) -> QueryKind:
        return _RESULT_KINDS[self.form]


@dataclass(frozen=True)
class ScreenedUpdate:
    """An update that passed screening: its operations in order (rdflib's names: InsertData,
    DeleteData, DeleteWhere, Modify, Load, Clear, Drop, Create, Add, Move, Copy)."""

    text: str
    operations: tuple[str, ...]
    loads: tuple[str, ...] = ()  # allow-listed LOAD sources
    services: tuple[str, ...] = ()


# --- public API --------------------------------------------------------------------------------


def screen_query(text: str, *, service_allowlist: Sequence[str] = ()) -> ScreenedQuery:
    """Parse `text` as a SPARQL query and refuse what must not reach the engine.

    Raises EntenteError: E401 (syntax, with line and column; or not parseable by the screening
    parser), E402 (SERVICE to an endpoint not on `service_allowlist`, or to a variable),
    E403 (LOAD: an update), E416 (any other update sent as a query)."""
    allowlist = _allowlist(service_allowlist)
    hit = _CACHE.get(text, allowlist)
    if hit is not None:
        return hit
    refuse_surrogate_escapes(text, where="query")
    screened = _by_its_words(text) or _screen_query(text, allowlist)
    _CACHE.put(text, allowlist, screened)
    return screened


def screened_before(text: str, *, service_allowlist: Sequence[str] = ()) -> ScreenedQuery | None:
    """The screening of `text` if it is in the cache, else None: callers that would run
    screen_query() in a worker thread can skip the thread hop for a query seen before."""
    return _CACHE.get(text, _allowlist(service_allowlist))


def screened_quickly(text: str, *, service_allowlist: Sequence[str] = ()) -> ScreenedQuery | None:
    """The screening of `text` from the cache, or from its words when it cannot hold a SERVICE
    or LOAD (below, "Queries read by their words"); None when it needs the parser. Cheap
    enough for the event loop: a regular expression over at most WORDS_ONLY_MAX characters."""
    allowlist = _allowlist(service_allowlist)
    hit = _CACHE.get(text, allowlist)
    if hit is not None:
        return hit
    screened = _by_its_words(text)
    if screened is not None:
        _CACHE.put(text, allowlist, screened)
    return screened


def screen_update(
    text: str, load_allowlist: Sequence[str] = (), *, service_allowlist: Sequence[str] = ()
) -> ScreenedUpdate:
    """Parse `text` as a SPARQL Update; refuse LOAD from a source not on `load_allowlist` (E403)
    and SERVICE to an endpoint not on `service_allowlist` (E402). Syntax errors: E401."""
    refuse_surrogate_escapes(text, where="update")
    try:
        tree = _parse(parseUpdate, text)
    except Exception as exc:
        raise _syntax_error(exc, text, what="update") from exc
    operations: list[str] = []
    loads: list[str] = []
    services: list[str] = []
    allowed_loads = _allowlist(load_allowlist)
    allowed_services = _allowlist(service_allowlist)
    scope = _Prologue()
    # Each operation has its own prologue, which adds to the ones before it (SPARQL 1.1 Update).
    # An update of only comments or prefixes has no request list at all.
    for prologue, operation in zip(tree.prologue or (), tree.request or (), strict=False):
        scope = scope.extended(prologue)
        operations.append(str(operation.name))
        if operation.name == "Load":
            loads.append(
                _check_endpoint(operation.iri, scope, allowed_loads, keyword="LOAD", where="update")
            )
        services.extend(_services(operation, scope, allowed_services, where="update"))
    _cross_check(text, services_found=bool(services), loads_found=bool(loads), where="update")
    return ScreenedUpdate(text, tuple(operations), tuple(loads), tuple(services))


_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")


def refuse_surrogate_escapes(text: str, *, where: str) -> None:
    """E401 for a \\uD800-\\uDFFF escape: it names half of a UTF-16 pair, no character, and
    no literal or IRI can hold it (the engine and every answer are UTF-8)."""
    found = _SURROGATE_ESCAPE.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    raise EntenteError(
        "E401",
        f"line {line}, column {column}: the escape {found.group()} is a lone UTF-16 surrogate, "
        "not a character; write the character itself or its \\U00XXXXXX code point",
        where=where,
    )


def parse_update(text: str) -> Any:
    """rdflib's parse tree of an update (serialised with every other parse: rdflib's parser is
    not thread-safe). For code that has screened `text` and needs its structure."""
    try:
        return _parse(parseUpdate, text)
    except Exception as exc:
        raise _syntax_error(exc, text, what="update") from exc


# --- queries read by their words ---------------------------------------------------------------

# Parsing a fresh query with rdflib takes milliseconds (9 ms for a 1 kB query on an idle
# machine, holding the GIL), twenty times what the engine needs to answer it. The parse tree is
# needed to find SERVICE (and LOAD) and check their endpoints; a text in which no spelling of
# those words occurs at all cannot hold them, whichever parser reads it: not in any letter case
# (upper, lower and case-folded forms are all searched, so Unicode letters that fold to ASCII
# ones count), and not through `\u` escapes (refused from this path: rdflib and the SPARQL spec
# expand them over the whole text, Oxigraph only inside strings). Such a query is screened by
# its words in Oxigraph's lexical view (_TOKEN): its form is the first word after the prologue
# (BASE, PREFIX, VERSION), and it names a dataset or a GRAPH pattern if those words occur. Its
# syntax is left to the engine, whose errors come back as E401 with line and column
# (store/base.engine_syntax_error).
# Everything else (SERVICE or LOAD spelled anywhere, even in a string or a comment; escapes;
# text that does not start like a query; long texts) takes the parser, as before.
# docs/decisions/0018-queries-screened-by-their-words.md.
WORDS_ONLY_MAX = 16 * 1024
# Deeper nesting takes the parser, which refuses what it cannot parse (the engine's own parser
# recurses, and a few thousand nested brackets overflow its stack: measured).
WORDS_ONLY_DEPTH = 16
_NEVER_WITHOUT_PARSER = ("SERVICE", "LOAD")
_PROLOGUE_WORDS = frozenset({"BASE", "PREFIX", "VERSION"})  # VERSION: SPARQL 1.2


def _by_its_words(text: str) -> ScreenedQuery | None:
    if len(text) > WORDS_ONLY_MAX or "\\u" in text or "\\U" in text:
        return None
    for folded in {text.upper(), text.lower().upper(), text.casefold().upper()}:
        if any(word in folded for word in _NEVER_WITHOUT_PARSER):
            return None
    words: list[str] = []
    depth = deepest = 0
    for token in _WORDS_AND_BRACKETS.finditer(text):
        kind = token.lastgroup
        if kind == "word":
            words.append(token.group().upper())
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    if deepest > WORDS_ONLY_DEPTH:
        return None
    form = next((w for w in words if w not in _PROLOGUE_WORDS), None)
    if form not in _FORM_WORDS:
        return None
    return ScreenedQuery(
        text=text,
        form=_FORM_WORDS[form],
        has_dataset_clause="FROM" in words,
        reads_named_graphs="GRAPH" in words,
    )


_FORM_WORDS: dict[str | None, QueryForm] = {
    "SELECT": "SELECT",
    "ASK": "ASK",
    "CONSTRUCT": "CONSTRUCT",
    "DESCRIBE": "DESCRIBE",
}


# --- query screening ---------------------------------------------------------------------------


class _ScreenCache:
    """Screenings of recent query texts (least recently used dropped first). Refusals are not
    cached: they are rare, and their messages are worth recomputing."""

    def __init__(self, size: int = 512, max_text: int = 64 * 1024) -> None:
        self.size = size
        self.max_text = max_text  # longer texts are not kept: at most size x max_text bytes
        self._entries: OrderedDict[tuple[str, frozenset[str]], ScreenedQuery] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, allowlist: frozenset[str]) -> ScreenedQuery | None:
        with self._lock:
            hit = self._entries.get((text, allowlist))
            if hit is not None:
                self._entries.move_to_end((text, allowlist))
            return hit

    def put(self, text: str, allowlist: frozenset[str], screened: ScreenedQuery) -> None:
        if len(text) > self.max_text:
            return
        with self._lock:
            self._entries[(text, allowlist)] = screened
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CACHE = _ScreenCache()


def _screen_query(text: str, service_allowlist: frozenset[str]) -> ScreenedQuery:
    try:
        tree = _parse(parseQuery, without_bulk_values(text))
    except Exception as exc:
        _refuse_if_update(text)
        raise _syntax_error(exc, text, what="query") from exc
    prologue, query = tree[0], tree[1]
    form = _FORMS.get(str(query.name))
    if form is None:  # the grammar has no other forms; fail closed if rdflib ever adds one
        raise EntenteError("E401", f"unsupported query form {query.name}", where="query")
    scope = _Prologue().extended(prologue)
    services = _services(query, scope, service_allowlist, where="query")
    _cross_check(text, services_found=bool(services), loads_found=False, where="query")
    return ScreenedQuery(
        text=text,
        form=form,
        services=tuple(services),
        has_dataset_clause=bool(query.datasetClause),
        reads_named_graphs=_has_graph_pattern(query),
    )


def _has_graph_pattern(node: object) -> bool:
    if isinstance(node, CompValue):
        return node.name == "GraphGraphPattern" or any(_has_graph_pattern(v) for v in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_has_graph_pattern(item) for item in node)
    return False


def _refuse_if_update(text: str) -> None:
    """Text that is not a query may be an update: say so precisely instead of 'syntax error'."""
    try:
        tree = _parse(parseUpdate, text)
    except Exception:
        return
    names = [str(op.name) for op in tree.request]
    if not names:  # an empty update parses; it is no query either
        return
    if "Load" in names:
        raise EntenteError(
            "E403",
            "the query endpoint runs queries only, and LOAD (an update) fetches a URL",
            where="query",
        )
    raise EntenteError(
        "E416",
        f"this is a SPARQL Update ({', '.join(names)}), not a query; use /update",
        where="query",
    )


# rdflib's pyparsing grammar is not safe to use from two threads at once (measured: concurrent
# parses fail with errors from inside pyparsing, and can leave it broken for later parses).
_PARSER_LOCK = threading.Lock()


def _parse(parser: Callable[[str], T], text: str) -> T:
    with _PARSER_LOCK:
        return parser(text)


# --- parse-tree walking ------------------------------------------------------------------------


class _Prologue:
    """BASE and PREFIX declarations in scope, resolved the strict way: only absolute IRIs count."""

    def __init__(self, base: str | None = None, prefixes: dict[str, str] | None = None) -> None:
        self.base = base
        self.prefixes = dict(prefixes or {})

    def extended(self, declarations: Any) -> _Prologue:
        new = _Prologue(self.base, self.prefixes)
        for decl in declarations or ():
            if decl.name == "Base":
                new.base = str(decl.iri)
            elif decl.name == "PrefixDecl":
                new.prefixes[str(decl.prefix or "")] = str(decl.iri)
        return new


def _walk(node: Any) -> Iterator[CompValue]:
    """Every CompValue in a parse tree, depth first, whatever container holds it."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            yield current
            stack.extend(current.values())
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple) or _is_parse_results(current):
            stack.extend(current)


def _is_parse_results(node: Any) -> bool:
    return type(node).__name__ == "ParseResults"


def _services(tree: Any, scope: _Prologue, allowlist: frozenset[str], *, where: str) -> list[str]:
    return [
        _check_endpoint(node.term, scope, allowlist, keyword="SERVICE", where=where)
        for node in _walk(tree)
        if node.name == "ServiceGraphPattern"
    ]


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _check_endpoint(
    term: Any, scope: _Prologue, allowlist: frozenset[str], *, keyword: str, where: str
) -> str:
    """The endpoint IRI a SERVICE or LOAD names, if it is allowed; else EntenteError.

    Only exact matches with the allow-list pass. A variable endpoint, a relative IRI (resolved
    against BASE, where two parsers' resolution could differ) or a prefix bound to a relative IRI
    is refused outright: there is nothing to check it against."""
    code = "E402" if keyword == "SERVICE" else "E403"
    if isinstance(term, Variable):
        raise EntenteError(
            code, f"{keyword} with a variable endpoint (?{term}) is refused", where=where
        )
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = str(term.prefix or "")
        if prefix not in scope.prefixes:
            raise EntenteError("E401", f"undefined prefix '{prefix}:' in {keyword}", where=where)
        namespace = scope.prefixes[prefix]
        if not _ABSOLUTE.match(namespace):
            raise EntenteError(
                code,
                f"{keyword} endpoint uses prefix '{prefix}:' bound to a relative IRI",
                where=where,
            )
        iri = namespace + str(term.localname or "")
    elif isinstance(term, URIRef | str):
        iri = str(term)
        if not _ABSOLUTE.match(iri):
            raise EntenteError(
                code, f"{keyword} endpoint <{iri}> is a relative IRI; give it in full", where=where
            )
    else:
        raise EntenteError(code, f"{keyword} endpoint could not be read", where=where)
    if iri not in allowlist:
        what = "federated query (SERVICE)" if keyword == "SERVICE" else "LOAD"
        raise EntenteError(
            code,
            f"{what} to <{iri}> is refused: it is not on the allow-list",
            where=where,
        )
    return iri


# --- the lexical cross-check -------------------------------------------------------------------

# Text in which no keyword or brace counts: comments, strings (escapes taken as two characters),
# IRIs. One definition for both lexers (this screen and update_text), so they never disagree.
SKIPPED_TEXT = r"""\#[^\n\r]*
        | '''(?:[^'\\]|\\.|'(?!''))*'''
        | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '(?:[^'\\\n\r]|\\.)*'
        | "(?:[^"\\\n\r]|\\.)*"
        | <[^<>"{}|^`\\\x00-\x20]*>"""

# Oxigraph's lexical view of the raw text: comments, strings (escapes taken as two characters,
# `\u0022` included), IRIs, variables and prefixed names are skipped; what is left are keywords.
# Anything this pattern does not recognise falls through to the `word` branch, so a mismatch with
# Oxigraph's lexer errs toward seeing a keyword (a refusal), never toward hiding one.
_NOT_KEYWORDS = (
    SKIPPED_TEXT
    + r"""
        | [?$][A-Za-z0-9_\u00B7-\uFFFF]+
        | @[A-Za-z]+(?:-[A-Za-z0-9]+)*
        | [A-Za-z_][\w.\-]*:[\w.\-%:\\]*
        | :[\w.\-%:\\]*"""
)
_TOKEN = re.compile(r"(?P<skip>" + _NOT_KEYWORDS + r")|(?P<word>[A-Za-z]+)", re.VERBOSE)
# The same view with the brackets that nest (groups, expressions, collections and blank nodes,
# quoted triples), for the depth of a query read by its words.
_WORDS_AND_BRACKETS = re.compile(
    r"(?P<skip>" + _NOT_KEYWORDS + r")|(?P<word>[A-Za-z]+)"
    r"|(?P<open>[{(\[]|<<)|(?P<close>[})\]]|>>)",
    re.VERBOSE,
)


def bare_keywords(text: str) -> set[str]:
    """The bare words of SPARQL text in upper case, outside strings, IRIs, comments and names."""
    return {m.group("word").upper() for m in _TOKEN.finditer(text) if m.group("word")}


def _cross_check(text: str, *, services_found: bool, loads_found: bool, where: str) -> None:
    words = bare_keywords(text)
    if "SERVICE" in words and not services_found:
        raise EntenteError(
            "E402",
            "the text holds a SERVICE keyword that the parser did not see as one "
            "(\\u escapes outside strings?); refused",
            where=where,
        )
    if "LOAD" in words and not loads_found:
        raise EntenteError(
            "E403",
            "the text holds a LOAD keyword that the parser did not see as one; refused",
            where=where,
        )


# --- bulk VALUES ------------------------------------------------------------------------------

# rdflib's parser takes seconds per ten thousand VALUES rows (44 s for 100k on a busy machine),
# while a data block can hold nothing but terms. So before parsing, a VALUES block that holds
# only terms in Oxigraph's lexical view (the engine's view: what it would run) is cut to its
# first row; the rows cut are data to the engine, so no SERVICE or LOAD can be among them, and
# the text sent to the engine is the original. A block with anything else in it is left whole.
_VALUES_HEAD = re.compile(
    r"VALUES\s*(?:[?$][A-Za-z0-9_\u00B7-\uFFFF]+|\((?:\s*[?$][A-Za-z0-9_\u00B7-\uFFFF]+)*\s*\))\s*\{",
    re.IGNORECASE,
)
_DATA_TERM = re.compile(
    r"""\s*(?:
        (?:"""
    + SKIPPED_TEXT.replace(r"\#[^\n\r]*", r"(?!)")
    + r""")
        (?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*
          |\^\^(?:<[^<>"{}|^`\\\x00-\x20]*>|[A-Za-z_][\w.\-]*:[\w.\-%]*|:[\w.\-%]*))?
      | [+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
      | (?:UNDEF|true|false)(?![\w:])
      | [A-Za-z_][\w.\-]*:[\w.\-%]*
      | :[\w.\-%]*
      | [()]
    )""",
    re.VERBOSE,
)
_BULK_ROWS = 64  # blocks with fewer rows are parsed as they are


def without_bulk_values(text: str) -> str:
    """`text` with each all-terms VALUES block of many rows cut to its first row (newlines kept,
    so that line numbers in syntax errors stay right)."""
    if len(text) < 4096 or "values" not in text.lower():
        return text
    out: list[str] = []
    pos = 0
    search_from = 0
    while True:
        token = _TOKEN.search(text, search_from)
        if token is None:
            break
        search_from = token.end()
        if (token.group("word") or "").upper() != "VALUES":
            continue
        head = _VALUES_HEAD.match(text, token.start())
        if head is None:
            continue
        block = _data_block(text, head.end(), multi=head.group().rstrip("{ \t\r\n").endswith(")"))
        if block is None:
            continue
        first_row_end, block_end = block
        out.append(text[pos:first_row_end])
        out.append("\n" * text.count("\n", first_row_end, block_end))
        pos = search_from = block_end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _data_block(text: str, start: int, *, multi: bool) -> tuple[int, int] | None:
    """(end of the first row, position of the closing brace) of an all-terms data block opening
    at `start`, when it has at least _BULK_ROWS rows; None otherwise."""
    pos = start
    rows = 0
    depth = 0
    first_row_end = -1
    while True:
        closing = re.compile(r"\s*\}").match(text, pos)
        if closing is not None and depth == 0:
            if rows < _BULK_ROWS or first_row_end < 0:
                return None
            return first_row_end, closing.end() - 1
        term = _DATA_TERM.match(text, pos)
        if term is None or term.end() == pos:
            return None
        value = term.group().strip()
        if value == "(":
            if depth:
                return None
            depth = 1
        elif value == ")":
            if not depth:
                return None
            depth = 0
            rows += 1
        elif not depth:
            if multi:
                return None
            rows += 1
        pos = term.end()
        if rows == 1 and first_row_end < 0 and not depth:
            first_row_end = pos


# --- errors ------------------------------------------------------------------------------------


def _syntax_error(exc: Exception, text: str, *, what: str) -> EntenteError:
    if isinstance(exc, ParseBaseException):
        line, column = exc.lineno, exc.col
        return EntenteError(
            "E401",
            f"line {line}, column {column}: {exc.msg} (found {_near(exc)}). {_SCREEN_PARSER_NOTE}.",
            where=f"{what}, line {line}, column {column}",
        )
    if isinstance(exc, RecursionError):
        # rdflib's grammar recurses deeply on nested patterns (without end on SERVICE directly
        # inside SERVICE); the limit is not raised, so such text fails fast instead of hanging.
        return EntenteError(
            "E401", f"the {what} nests too deeply to be parsed. {_SCREEN_PARSER_NOTE}.", where=what
        )
    return EntenteError("E401", f"{exc}. {_SCREEN_PARSER_NOTE}.", where=what)


def _near(exc: ParseBaseException) -> str:
    rest = exc.line[exc.col - 1 :].strip() if exc.line else ""
    return repr(rest[:20]) if rest else "end of text"


def _allowlist(entries: Sequence[str]) -> frozenset[str]:
    return frozenset(e.strip() for e in entries if e.strip())
