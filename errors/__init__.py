"""The coded error catalogue. Every error a user can meet has a code, a message that names the
input and the problem, and a hint that says what to do. CLI and HTTP render the same fields.

Ranges: E0xx input and reading, E1xx language/NLP/extraction, E2xx store, E3xx validation and
shapes, E4xx SPARQL and HTTP, E5xx configuration and CLI. Codes are never reused or renumbered;
docs/errors.md is generated from CATALOGUE and a test keeps it in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    title: str
    hint: str


def _spec(code: str, title: str, hint: str) -> tuple[str, ErrorSpec]:
    return code, ErrorSpec(code, title, hint)


CATALOGUE: dict[str, ErrorSpec] = dict(
    [
        # E0xx input and reading
        _spec("E001", "empty input", "Give an article with some text in it."),
        _spec(
            "E002",
            "binary input",
            "Give text, HTML or JSON; binary files such as PDFs or images are not read.",
        ),
        _spec("E003", "invalid UTF-8", "Re-encode the file as UTF-8."),
        _spec(
            "E004", "JSON has no text", "Give a JSON object with a non-empty string field 'text'."
        ),
        _spec("E005", "malformed JSON", "Fix the JSON syntax at the position given."),
        _spec("E006", "unparseable date", "Give the date as YYYY-MM-DD, e.g. 2023-07-03."),
        _spec("E007", "input too large", "Split the input, or raise ENTENTE_MAX_DOCUMENT_BYTES."),
        _spec("E008", "unsupported file type", "Give .txt, .html/.htm, .json or .jsonl files."),
        _spec("E009", "file not found", "Check the path."),
        _spec("E010", "malformed metadata", "Fix the NAME.meta.json beside the article."),
        _spec(
            "E011",
            "invalid metadata value",
            "Give url as an absolute http(s) URL and language as a BCP-47 code.",
        ),
        _spec(
            "E012",
            "no content left after cleaning",
            "The article is all boilerplate; give the article body.",
        ),
        _spec(
            "E013",
            "malformed gold annotation",
            "Fix the gold file named in the message; the format is in docs/evaluation.md.",
        ),
        # E1xx language, NLP, extraction
        _spec(
            "E101",
            "language model not installed",
            "Install the pinned model package (see README) or set ENTENTE_SPACY_MODEL.",
        ),
        _spec(
            "E102",
            "unsupported language",
            "Give the language with --lang; unsupported languages use gazetteer-only extraction.",
        ),
        _spec("E103", "gazetteer is malformed", "Fix the Turtle file named in the message."),
        _spec("E104", "lexicon is malformed", "Fix the lexicon file named in the message."),
        _spec(
            "E105",
            "analysis failed unexpectedly",
            "This is a bug in entente: report it with the input. Other inputs of the batch are not affected.",
        ),
        _spec(
            "E175",
            "article too long",
            "Split the article into parts under the limit and ingest them one by one, or raise "
            "ENTENTE_MAX_ARTICLE_CHARS (analysis time and memory grow with the length; "
            "docs/performance.md gives the figures).",
        ),
        # E2xx store
        _spec(
            "E201",
            "store is locked by another process",
            "Ingest through the running server (POST /documents), or stop it first.",
        ),
        _spec("E202", "store cannot be opened", "Check the store path and its permissions."),
        _spec("E203", "unknown document", "List documents with `entente documents list`."),
        _spec(
            "E204",
            "remote store unreachable",
            "Check ENTENTE_STORE_URL and that the server is running.",
        ),
        _spec(
            "E205",
            "store write failed",
            "Nothing was written; retry, and report it if it persists.",
        ),
        _spec(
            "E206",
            "query engine process not running",
            "Check that the `oxigraph` package is installed and the store directory is readable; "
            "the server log has the engine's output. `entente serve --engine embedded` runs "
            "without it (no hard query timeouts).",
        ),
        # E3xx validation and shapes
        _spec("E301", "shapes file does not parse", "Fix the Turtle syntax at the line given."),
        _spec("E302", "shapes directory not found", "Check --shapes / ENTENTE_SHAPES_DIRS."),
        _spec(
            "E303",
            "document failed validation",
            "See the report; fix the shapes or the gazetteer and revalidate.",
        ),
        _spec("E304", "unknown quarantine entry", "List entries with `entente quarantine list`."),
        _spec(
            "E305",
            "shapes are not valid",
            "Fix the shape named in the message: it is not valid SHACL, or it names an ent: term the vocabulary lacks.",
        ),
        _spec(
            "E306",
            "a newer version is already accepted",
            "Drop the quarantine entry, or delete the newer version of the URL first.",
        ),
        # E4xx SPARQL and HTTP
        _spec("E401", "SPARQL syntax error", "Fix the query at the position given."),
        _spec(
            "E402",
            "SERVICE is not allowed",
            "Federated queries are refused unless the endpoint is on ENTENTE_SERVICE_ALLOWLIST.",
        ),
        _spec(
            "E403",
            "LOAD is not allowed",
            "LOAD is refused on the query endpoint; use /update with an allow-listed source.",
        ),
        _spec("E404", "not acceptable", "Ask for one of the media types listed in the message."),
        _spec(
            "E405",
            "unsupported media type",
            "Send application/sparql-query or application/x-www-form-urlencoded.",
        ),
        _spec(
            "E406",
            "missing query",
            "Pass the query in the 'query' parameter or as the request body.",
        ),
        _spec(
            "E407",
            "query timed out",
            "Simplify the query, add LIMIT, or raise the timeout within ENTENTE_QUERY_TIMEOUT.",
        ),
        _spec(
            "E408",
            "authentication required",
            "Send 'Authorization: Bearer <token>' with the write token.",
        ),
        _spec(
            "E409",
            "writes are disabled",
            "Set ENTENTE_WRITE_TOKEN (or ENTENTE_WRITE_TOKEN_FILE) on the server to enable writes.",
        ),
        _spec("E410", "request body too large", "Send a smaller body or raise the server's limit."),
        _spec("E411", "result too large", "Add LIMIT or narrow the query."),
        _spec("E412", "query failed", "The engine rejected the query; see the message."),
        _spec("E413", "forbidden token", "The bearer token is wrong."),
        _spec("E414", "not found", "Check the path."),
        _spec("E415", "bad request parameter", "Fix the parameter named in the message."),
        _spec(
            "E416",
            "update sent to the query endpoint",
            "Send SPARQL Update to /update with the write token.",
        ),
        _spec("E417", "method not allowed", "Use one of the methods listed in the Allow header."),
        _spec(
            "E418",
            "internal server error",
            "The server logged the details; retry, and report it if it persists.",
        ),
        _spec(
            "E419",
            "graph is not writable",
            "Write into a graph of your own or an accepted document's graph; the default graph "
            "is the union of the named graphs, the reference graphs come from ontology/*.ttl, "
            "and new documents enter through POST /documents.",
        ),
        _spec(
            "E420",
            "write failed validation",
            "The change would break a SHACL shape; see the violations, fix the data and retry.",
        ),
        _spec(
            "E421",
            "unknown graph",
            "List the graphs with SELECT DISTINCT ?g WHERE { GRAPH ?g { } }.",
        ),
        _spec(
            "E422",
            "unknown resource",
            "Nothing in the accepted graphs has this IRI; search for it with /sparql.",
        ),
        _spec(
            "E423",
            "RDF syntax error",
            "Fix the RDF in the request body at the position given, or send the Content-Type "
            "that matches it.",
        ),
        _spec(
            "E424",
            "update cannot be checked as one change",
            "Send the operations as separate requests: a later one reads what an earlier one "
            "wrote.",
        ),
        _spec(
            "E425",
            "LOAD source could not be read",
            "Check that the allow-listed source answers 200 with RDF, without a redirect.",
        ),
        _spec(
            "E430",
            "cross-origin request refused",
            "Writes are not accepted from other origins; the operator can list yours in "
            "ENTENTE_CORS_WRITE_ORIGINS (reads: ENTENTE_CORS_ORIGINS).",
        ),
        _spec(
            "E431",
            "query too large to check",
            "Send bulk data as a VALUES block of terms (it is checked quickly), split the "
            "query, or raise ENTENTE_QUERY_TIMEOUT.",
        ),
        # E5xx configuration and CLI
        _spec("E501", "invalid setting", "Fix the setting named in the message."),
        _spec("E502", "bad command-line usage", "See --help."),
        _spec(
            "E510",
            "server would accept writes without a token",
            "Set ENTENTE_WRITE_TOKEN or ENTENTE_WRITE_TOKEN_FILE, or bind to 127.0.0.1.",
        ),
        _spec(
            "E511",
            "secret file open to other users",
            "Make the file readable by its owner only (chmod 600), or delete it to have it "
            "created again.",
        ),
        _spec(
            "E512",
            "Oxigraph child cannot be isolated",
            "Allow unprivileged user namespaces, run `entente serve --engine embedded`, or set "
            "ENTENTE_CHILD_ISOLATION=none on a machine with no other users.",
        ),
        _spec(
            "E520",
            "the data file to validate cannot be read",
            "Give an RDF file in Turtle (.ttl), N-Triples (.nt), TriG (.trig), N-Quads (.nq) or "
            "JSON-LD (.jsonld, .json); fix the syntax error at the line named.",
        ),
        _spec(
            "E540",
            "invalid as-of date",
            "Give the date as YYYY-MM-DD, without a dataset of your own (FROM, default-graph-uri).",
        ),
    ]
)


class EntenteError(Exception):
    """An error with a catalogue code. `where` names the input (path, parameter, line...)."""

    def __init__(
        self, code: str, message: str, *, where: str | None = None, hint: str | None = None
    ):
        if code not in CATALOGUE:
            raise ValueError(f"error code {code} is not in the catalogue")
        self.code = code
        self.message = message
        self.where = where
        self.hint = hint or CATALOGUE[code].hint
        super().__init__(self.render())

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    def render(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{where}{self.message} [{self.code}] — {self.hint}"

    def as_dict(self) -> dict[str, Any]:
        """The one JSON error shape shared by CLI (--json) and HTTP."""
        return {
            "error": {
                "code": self.code,
                "title": self.title,
                "message": self.message,
                "where": self.where,
                "hint": self.hint,
            }
        }


def catalogue_markdown() -> str:
    """docs/errors.md, generated from CATALOGUE (tests/test_docs_in_step.py says how)."""
    lines = [
        "# Error catalogue",
        "",
        "Every error entente reports carries one of these codes, in the CLI (`error[E001]: …`) and in",
        'the HTTP error body (`{"error": {"code": "E001", …}}`). Generated from `errors/__init__.py`.',
        "",
        "| code | what went wrong | what to do |",
        "|---|---|---|",
    ]
    for spec in CATALOGUE.values():
        lines.append(f"| {spec.code} | {spec.title} | {spec.hint} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
