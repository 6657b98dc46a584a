"""The `entente` command line: thin commands over the importable functions.

Every command takes `--store PATH` (default: ENTENTE_STORE, else $XDG_DATA_HOME/entente/store).
Settings are read once from the environment and overridden by options. Errors are printed as
`error[E0xx]: where: message` with a hint on stderr, or as the JSON error shape with --json;
never as a traceback. Heavy modules (spaCy, the HTTP app) are imported by the commands that
need them, so that `entente --help` and `entente stats` start at once.

Exit codes: 0 success; 1 a negative answer (a document quarantined, a store that does not
conform); 2 an error (bad input or usage, store locked, ...). docs/cli.md lists them per command.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from entente.errors import EntenteError
from entente.service.cli.output import print_error, results_table, table
from entente.service.settings import Settings
from entente.service.write.ingestion import Analyzer, Ingestor, Mapper, Validator
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from collections.abc import Sequence

    from entente.ingest.model import Document
    from entente.ingest.read.reader import Metadata
    from entente.service.gate.gate import ResultSummary, ValidationOutcome
    from entente.service.store.base import Partition, Store
    from entente.service.write.ingestion import IngestOutcome
    from rdflib import Graph

EXIT_OK, EXIT_NEGATIVE, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="entente",
    help="Technology-geopolitics news -> validated RDF knowledge graph, served over SPARQL 1.1.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
documents_app = typer.Typer(help="List, show and delete accepted documents.", no_args_is_help=True)
quarantine_app = typer.Typer(
    help="List, show, revalidate, release and drop quarantined ingests.", no_args_is_help=True
)
app.add_typer(documents_app, name="documents")
app.add_typer(quarantine_app, name="quarantine")

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        metavar="PATH",
        help="Store directory. Default: $ENTENTE_STORE, else $XDG_DATA_HOME/entente/store "
        "(~/.local/share/entente/store).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
ShapesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--shapes",
        metavar="DIR",
        help="A directory of extra SHACL shapes (Turtle), added to the shipped ones. Repeatable.",
    ),
]


# --- plumbing ---


class _CliLogFormatter(logging.Formatter):
    """`warning: message` on stderr; tracebacks only with ENTENTE_DEBUG (the CLI promises no
    tracebacks, while the server's log keeps them for operators)."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and os.environ.get("ENTENTE_DEBUG"):
            text += "\n" + self.formatException(record.exc_info)
        return text


@app.callback()
def _configure_logging() -> None:
    handler = logging.StreamHandler()  # sys.stderr at the time of the call
    handler.setFormatter(_CliLogFormatter())
    root = logging.getLogger("entente")
    root.handlers = [handler]
    root.setLevel(logging.DEBUG if os.environ.get("ENTENTE_DEBUG") else logging.WARNING)
    root.propagate = False


def _stderr() -> Console:
    return Console(stderr=True)


@contextmanager
def _reported(as_json: bool = False, *, locked_hint: str | None = None) -> Iterator[None]:
    """Turn an EntenteError into its printed form and exit code 2."""
    try:
        yield
    except EntenteError as exc:
        if exc.code == "E201" and locked_hint:
            exc = EntenteError("E201", exc.message, where=exc.where, hint=locked_hint)
        print_error(exc, as_json=as_json)
        raise typer.Exit(EXIT_ERROR) from None


def _settings(store: Path | None, **overrides: Any) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if store is not None:
        values["store"] = store
    try:
        return Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first.get("loc", ())) or "setting"
        raise EntenteError(
            "E501",
            f"{first.get('msg', 'invalid value')} (from ENTENTE_{name.upper()} or --{name})",
            where=name,
        ) from None


def _open(settings: Settings, *, writer: bool = False) -> Store:
    """The store; a writer (ingest, serve) creates it and brings the reference graphs up to
    date, a reader refuses a path where no store exists, so that a mistyped --store is an error
    rather than an empty answer."""
    from entente.service.store import open_store
    from entente.service.store.oxigraph import MARKER

    path = settings.store.expanduser()
    if not writer and settings.store_url is None and not (path / MARKER).is_file():
        raise EntenteError(
            "E202",
            f"no entente store at {path}",
            where=str(path),
            hint="Check --store / ENTENTE_STORE; `entente ingest` creates the store.",
        )
    store = open_store(settings)
    if writer:
        from entente.service.store.bootstrap import with_reference_graphs

        return with_reference_graphs(store)
    return store


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def _usage(message: str, where: str) -> NoReturn:
    raise EntenteError("E502", message, where=where)


QUERY_LOCKED_HINT = (
    "Query the running server instead (GET/POST http://HOST:PORT/sparql), or stop it first."
)
READ_LOCKED_HINT = "Use the running server's HTTP API instead, or stop the server first."
WRITE_LOCKED_HINT = (
    "The running server holds the store: make this change through its HTTP API "
    "(/documents, /quarantine, with the write token), or stop the server first."
)


# --- ingest ---


def _cli_metadata(
    published: str | None, url: str | None, title: str | None, lang: str | None
) -> Metadata | None:
    from entente.ingest.read.reader import Metadata, parse_language, parse_published, parse_url

    if published is None and url is None and title is None and lang is None:
        return None
    return Metadata(
        url=parse_url(url, where="--url") if url is not None else None,
        title=" ".join(title.split()) or None if title is not None else None,
        published=parse_published(published, where="--published")
        if published is not None
        else None,
        language=parse_language(lang, where="--lang") if lang is not None else None,
    )


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Article files (.txt, .html, .json, .jsonl) or folders of them.",
            show_default=False,
        ),
    ],
    shapes: ShapesOption = None,
    published: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Publication date for every input.")
    ] = None,
    url: Annotated[
        str | None, typer.Option(metavar="URL", help="Source URL (for a single article).")
    ] = None,
    title: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Title (for a single article).")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            metavar="CODE", help="Language as a BCP-47 code (e.g. en, sv); else detected."
        ),
    ] = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Read, analyse, validate and store articles. Exit 0: all accepted or duplicate; 1: any
    quarantined; 2: any error."""
    from entente.ingest.read.reader import iter_inputs

    with _reported(json_output):
        metadata = _cli_metadata(published, url, title, lang)
        settings = _settings(store)
        files = iter_inputs(paths)
        if not files:
            raise EntenteError(
                "E008",
                "no articles found (.txt, .html, .htm, .json, .jsonl)",
                where=", ".join(str(p) for p in paths),
            )
        if (url is not None or title is not None) and len(files) > 1:
            _usage("--url and --title describe one article; give a single file", "--url/--title")
        # The batch is read and checked whole before the first article is stored (as POST
        # /documents does): one unreadable input stops the batch with nothing ingested.
        documents, refused = _read_batch(files, metadata, settings.max_document_bytes)
        if refused:
            outcomes = refused
        else:
            ingestor_parts = _ingest_parts(_with_shapes(settings, shapes))
            outcomes = _run_ingest(settings, documents, ingestor_parts, json_output)
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in _STATUSES}
    if refused:
        for outcome in refused:
            _print_outcome(outcome, json_output, _stderr())
        if not json_output:
            sys.stderr.write(
                f"nothing was ingested: {len(refused)} of {len(files)} input(s) could not be "
                "read, and a batch is checked whole before its first article is stored; fix "
                "or leave out the inputs above and run the batch again\n"
            )
    if not json_output:
        summary = ", ".join(f"{n} {s}" for s, n in counts.items())
        typer.echo(f"{len(outcomes)} document(s): {summary}")
    if counts["error"]:
        raise typer.Exit(EXIT_ERROR)
    if counts["quarantined"]:
        raise typer.Exit(EXIT_NEGATIVE)


_STATUSES = ("accepted", "duplicate", "quarantined", "error")


def _with_shapes(settings: Settings, shapes: list[Path] | None) -> Settings:
    """--shapes adds to ENTENTE_SHAPES_DIRS."""
    if not shapes:
        return settings
    return settings.model_copy(update={"shapes_dirs": [*settings.shapes_dirs, *shapes]})


@dataclass(frozen=True)
class IngestParts:
    gate: Validator
    pipeline: Analyzer
    mapper: Mapper | None = None  # None: entente.ingest.map.document_graph

    def ingestor(self, store: Store, settings: Settings) -> Ingestor:
        return Ingestor(
            store,
            self.gate,
            self.pipeline,
            max_document_bytes=settings.max_document_bytes,
            mapper=self.mapper,
        )


def _ingest_parts(settings: Settings) -> IngestParts:
    """The gate and the pipeline, built before the store is opened so that bad shapes or a
    missing model fail without touching it."""
    from entente.ingest.pipeline import Pipeline, PipelineConfig
    from entente.service.gate.gate import Gate

    gate = Gate(extra_shapes_dirs=settings.shapes_dirs)
    pipeline = Pipeline(
        PipelineConfig(
            spacy_model=settings.spacy_model, max_article_chars=settings.max_article_chars
        )
    )
    return IngestParts(gate, pipeline)


def _read_batch(
    files: list[Path], metadata: Metadata | None, max_bytes: int
) -> tuple[list[Document], list[IngestOutcome]]:
    """Every document of the batch, and an error outcome for each input that cannot be read
    (empty, binary, not UTF-8, JSON without text, a bad date, too large, missing)."""
    from entente.ingest.read.reader import read_path
    from entente.service.write.ingestion import IngestOutcome

    documents: list[Document] = []
    refused: list[IngestOutcome] = []
    for path in files:
        try:
            documents.extend(read_path(path, metadata=metadata, max_bytes=max_bytes))
        except EntenteError as exc:
            refused.append(IngestOutcome(str(path), None, "error", 0, exc.render(), error=exc))
    return documents, refused


def _run_ingest(
    settings: Settings,
    documents: list[Document],
    parts: IngestParts,
    json_output: bool,
) -> list[IngestOutcome]:
    outcomes: list[IngestOutcome] = []
    console = _stderr()
    with _open(settings, writer=True) as store:
        ingestor = parts.ingestor(store, settings)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            # Only when both streams are a terminal: the bar routes printed lines through the
            # stderr console, which would empty `entente ingest … > results.txt`.
            disable=json_output or not (console.is_terminal and sys.stdout.isatty()),
        )
        with progress:
            task = progress.add_task("ingesting", total=len(documents))
            for document in documents:
                progress.update(task, description=f"ingesting {Path(document.source).name}")
                outcome = ingestor.ingest(document)
                outcomes.append(outcome)
                _print_outcome(outcome, json_output, progress.console)
                progress.advance(task)
    return outcomes


def _print_outcome(outcome: IngestOutcome, json_output: bool, console: Console) -> None:
    if json_output:
        data: dict[str, Any] = {
            "path": outcome.source,
            "document": outcome.document,
            "status": outcome.status,
            "statements": outcome.statements,
            "message": outcome.message,
        }
        if outcome.warnings:
            data["warnings"] = outcome.warnings
        if outcome.error is not None:
            data["error"] = outcome.error.as_dict()["error"]
        _echo_json(data)
        return
    if outcome.error is not None:
        print_error(outcome.error, as_json=False)
        return
    line = f"{outcome.status:<11} {outcome.source}: {outcome.message}"
    if outcome.status == "quarantined":
        sys.stderr.write(line + "\n")
    else:
        typer.echo(line)
    for warning in _grouped_warnings(outcome):
        sys.stderr.write(f"  warning: {warning}\n")


def _grouped_warnings(outcome: IngestOutcome, shown: int = 3) -> list[str]:
    """Warnings for a terminal: the analysis's as they are, SHACL results grouped by message
    (one line per message, naming a few focus nodes), since one missing Wikidata link can
    concern a dozen entities. --json gives every warning in full."""
    from entente.service.gate.gate import compact

    results = list(outcome.validation.warnings) if outcome.validation is not None else []
    rendered = {r.render() for r in results}
    lines = [w for w in outcome.warnings if w not in rendered]
    groups: dict[str, list[str]] = {}
    for r in results:
        groups.setdefault(r.message or r.constraint, []).append(compact(r.focus_node))
    for message, nodes in groups.items():
        more = f" and {len(nodes) - shown} more" if len(nodes) > shown else ""
        lines.append(f"{message} ({', '.join(nodes[:shown])}{more})")
    return lines


# --- query ---


class QueryFormat(StrEnum):
    json = "json"
    csv = "csv"
    tsv = "tsv"
    table = "table"
    turtle = "turtle"


def _query_text(query: str) -> str:
    if not query.startswith("@"):
        return query
    path = Path(query[1:])
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EntenteError("E009", "no such query file", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise EntenteError(
            "E003", f"the query file is not UTF-8 ({exc.reason})", where=str(path)
        ) from None
    except OSError as exc:
        raise EntenteError(
            "E009", f"cannot read the query file ({exc.strerror})", where=str(path)
        ) from None


@app.command()
def query(
    query: Annotated[
        str,
        typer.Argument(metavar="QUERY", help="A SPARQL query, or @FILE to read it from a file."),
    ],
    fmt: Annotated[
        QueryFormat | None,
        typer.Option(
            "--format",
            help="json (W3C SPARQL JSON), csv, tsv, table (SELECT/ASK); turtle (CONSTRUCT/"
            "DESCRIBE). Default: table, or turtle for CONSTRUCT/DESCRIBE.",
            show_default=False,
        ),
    ] = None,
    store: StoreOption = None,
    as_of_day: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="Answer on the documents published by that day (undated ones: ingested by "
            "it); the dataset used is reported on stderr.",
        ),
    ] = None,
) -> None:
    """Run a SPARQL query on the accepted graphs (their union is the default graph)."""
    from entente.service.query.as_of import as_of, parse_day
    from entente.service.query.screen import screen_query
    from entente.service.store.base import ResultFormat

    with _reported(locked_hint=QUERY_LOCKED_HINT):
        settings = _settings(store)
        text = _query_text(query)
        screened = screen_query(text, service_allowlist=settings.service_allowlist)
        graph_result = screened.result_kind == "graph"
        chosen = fmt or (QueryFormat.turtle if graph_result else QueryFormat.table)
        if graph_result != (chosen is QueryFormat.turtle):
            what = "CONSTRUCT/DESCRIBE" if graph_result else "SELECT/ASK"
            allowed = "turtle" if graph_result else "json, csv, tsv or table"
            raise EntenteError(
                "E404",
                f"a {what} query cannot be printed as {chosen.value}",
                where="--format",
                hint=f"Use --format {allowed}.",
            )
        media = {
            QueryFormat.json: ResultFormat.JSON,
            QueryFormat.table: ResultFormat.JSON,
            QueryFormat.csv: ResultFormat.CSV,
            QueryFormat.tsv: ResultFormat.TSV,
            QueryFormat.turtle: ResultFormat.TURTLE,
        }[chosen]
        day = parse_day(as_of_day, where="--as-of") if as_of_day is not None else None
        with _open(settings) as st:
            if day is None:
                result = st.query(text, media)
            else:
                dataset = as_of(st, day, reads_named_graphs=screened.reads_named_graphs)
                _stderr().print(dataset.describe(), highlight=False)
                result = st.query(
                    text,
                    media,
                    default_graphs=dataset.default_graphs(),
                    named_graphs=dataset.dataset(),
                )
    if chosen is QueryFormat.table:
        typer.echo(results_table(result.body), nl=False)
        return
    out = sys.stdout.buffer
    out.write(result.body)
    if not result.body.endswith(b"\n"):
        out.write(b"\n")
    out.flush()


# --- serve ---


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(metavar="HOST", help="Address to bind (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(metavar="PORT", help="Port (default 8000).")] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            metavar="served|embedded",
            help="served (default): queries run in an Oxigraph server child process, with hard "
            "timeouts; embedded: in this process, with no hard timeouts (ENTENTE_ENGINE).",
        ),
    ] = None,
    shapes: ShapesOption = None,
    store: StoreOption = None,
) -> None:
    """Serve the SPARQL endpoint and the document API over HTTP."""
    import uvicorn
    from entente.service.http import request_log
    from entente.service.http.access import refuse_public_bind_without_token, with_write_token
    from entente.service.http.app import create_app
    from entente.service.store.open_for_server import describe, open_for_serving

    # The server's log is for operators: full tracebacks, in uvicorn's layout.
    for handler in logging.getLogger("entente").handlers:
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
    with _reported():
        settings = _with_shapes(_settings(store, host=host, port=port, engine=engine), shapes)
        # E510 now for a non-loopback bind without a configured write token; the token itself
        # (configured, or created and kept in the store) once the store is open.
        refuse_public_bind_without_token(settings)
        parts = _ingest_parts(settings)
        with open_for_serving(settings) as st:
            settings, token_path = with_write_token(settings)
            http_app = create_app(settings, st, ingestor=parts.ingestor(st, settings))
            _stderr().print(
                f"entente: serving {describe(settings, st)} on "
                f"http://{settings.host}:{settings.port}/sparql"
            )
            if token_path is not None:
                _stderr().print(
                    f"entente: write token (kept in {token_path}, mode 0600): "
                    f"{settings.resolved_write_token()}",
                    soft_wrap=True,
                    highlight=False,
                )
            # The app writes each request's access line itself, after the response
            # (request_log.py); uvicorn's would come before it, on the client's time.
            if settings.access_log:
                request_log.write_to_stdout()
            uvicorn.run(
                http_app,
                host=settings.host,
                port=settings.port,
                log_level="info",
                access_log=False,
            )


# --- validate ---


class EngineChoice(StrEnum):
    sparql = "sparql"
    pyshacl = "pyshacl"


@app.command()
def validate(
    all_graphs: Annotated[
        bool,
        typer.Option(
            "--all", help="Validate the whole accepted store (what `validate` does; explicit)."
        ),
    ] = False,
    shapes: ShapesOption = None,
    engine: Annotated[
        EngineChoice,
        typer.Option(
            "--engine",
            help="sparql: shapes compiled to SPARQL, run on the store (fast); pyshacl: the "
            "reference engine over an in-memory copy (slow).",
        ),
    ] = EngineChoice.sparql,
    json_output: JsonOption = False,
    store: StoreOption = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Validate this RDF file (Turtle, N-Triples, TriG, N-Quads, JSON-LD) instead of "
            "the store: no store is opened. Exit 0: conforms; 1: does not; 2: error.",
        ),
    ] = None,
    report_format: Annotated[
        str | None,
        typer.Option("--format", help="turtle: print the SHACL validation report graph."),
    ] = None,
) -> None:
    """Validate the accepted graphs (or, with --data, an RDF file) against the shipped and
    operator shapes. Conformance is SHACL's: any result, warnings included, means the data does
    not conform. Store: exit 0 when the gate would accept it (warnings only), 1 when a result
    rejects, 2 on error. --data: exit 0 conforms, 1 does not, 2 error."""
    from entente.service.gate.gate import Gate

    if report_format not in (None, "turtle"):
        with _reported(json_output):
            raise EntenteError("E502", f"--format {report_format}: only turtle is known")
    if data is not None:
        _validate_file(data, shapes, engine, json_output, report_format == "turtle")
        return
    del all_graphs  # `validate` and `validate --all` both validate everything (docs/cli.md)
    with _reported(json_output, locked_hint=READ_LOCKED_HINT):
        settings = _with_shapes(_settings(store), shapes)
        gate = Gate(extra_shapes_dirs=settings.shapes_dirs)
        with _open(settings) as st, _stderr().status("validating the store"):
            outcome = gate.validate_all(st, engine=engine.value, with_report=False)
    if json_output:
        _echo_json(outcome.as_dict())
    else:
        for result in outcome.violations:
            typer.echo(result.render())
        for line in _grouped_results(outcome.warnings):
            typer.echo(line)
        for shape, reason in outcome.fallback_shapes:
            sys.stderr.write(f"note: {shape} {reason}: validated with pyshacl\n")
        typer.echo(_verdict(outcome))
    raise typer.Exit(EXIT_OK if outcome.accepted else EXIT_NEGATIVE)


def _verdict(outcome: ValidationOutcome) -> str:
    """SHACL's verdict (any result means the data does not conform), then the gate's."""
    verdict = "conforms" if outcome.conforms else "does not conform"
    policy = (
        ""
        if outcome.conforms
        else (
            "; the gate would accept it (warnings only)"
            if outcome.accepted
            else "; the gate would reject it"
        )
    )
    return (
        f"{verdict}: {len(outcome.violations)} violation(s), {len(outcome.warnings)} "
        f"warning(s) over {outcome.data_triples:,} triples in {outcome.seconds:.1f} s "
        f"({outcome.engine}){policy}"
    )


_DATA_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}


def _read_data_file(path: Path) -> Graph:
    """The triples of an RDF file (every graph of a dataset, merged), literals as written."""
    import rdflib
    from rdflib import Dataset, Graph

    kind = _DATA_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(_DATA_FORMATS))
        raise EntenteError("E520", f"{path}: unknown RDF file type (use {known})", where=str(path))
    if not path.is_file():
        raise EntenteError("E520", f"{path}: no such file", where=str(path))
    # SHACL compares literals as written: rdflib must not rewrite them while parsing (one
    # command, one thread: the global is restored before anything else runs).
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        dataset = Dataset()
        dataset.parse(path, format=kind)
    except Exception as exc:
        raise EntenteError("E520", f"{path}: not valid {kind}: {exc}", where=str(path)) from None
    finally:
        rdflib.NORMALIZE_LITERALS = previous
    merged = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def _validate_file(
    path: Path, shapes: list[Path] | None, engine: EngineChoice, as_json: bool, turtle: bool
) -> None:
    from entente.service.gate.gate import Gate

    with _reported(as_json):
        settings = _with_shapes(_settings(None), shapes)
        graph = _read_data_file(path)
        gate = Gate(extra_shapes_dirs=settings.shapes_dirs, engine=engine.value)
        outcome = gate.validate(graph, None, with_report=True)
    if turtle:
        typer.echo(outcome.report_turtle)
    elif as_json:
        _echo_json(outcome.as_dict())
    else:
        for result in outcome.violations + outcome.warnings:
            typer.echo(result.render())
        for shape, reason in outcome.fallback_shapes:
            sys.stderr.write(f"note: {shape} {reason}: validated with pyshacl\n")
        typer.echo(_verdict(outcome))
    raise typer.Exit(EXIT_OK if outcome.conforms else EXIT_NEGATIVE)


def _grouped_results(results: Sequence[ResultSummary], shown: int = 3) -> list[str]:
    """Warnings for a terminal: one line per message with a count and a few focus nodes (a
    large store can have thousands of entities without a Wikidata link). --json lists all."""
    from entente.service.gate.gate import compact

    groups: dict[tuple[str, str], list[str]] = {}
    for r in results:
        groups.setdefault((r.severity, r.message or r.constraint), []).append(compact(r.focus_node))
    lines = []
    for (severity, message), nodes in groups.items():
        more = f" and {len(nodes) - shown} more" if len(nodes) > shown else ""
        lines.append(f"{severity} x{len(nodes)}: {message} ({', '.join(nodes[:shown])}{more})")
    return lines


# --- export, stats ---


class ExportFormat(StrEnum):
    trig = "trig"
    nquads = "nquads"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="trig or nquads.")] = (
        ExportFormat.trig
    ),
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
    quarantine: Annotated[
        bool, typer.Option("--quarantine", help="Export the quarantine partition instead.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Write every accepted graph (documents, ontology, gazetteer) as TriG or N-Quads."""
    partition: Partition = "quarantine" if quarantine else "accepted"
    with _reported(locked_hint=READ_LOCKED_HINT):
        settings = _settings(store)
        with _open(settings) as st:
            if output is None:
                st.export(sys.stdout.buffer, fmt=fmt.value, partition=partition)
                sys.stdout.buffer.flush()
                return
            # Written beside the target and renamed: an interrupted export never leaves a
            # truncated file under the name asked for.
            partial = output.with_name(output.name + ".partial")
            try:
                with partial.open("wb") as out:
                    st.export(out, fmt=fmt.value, partition=partition)
                os.replace(partial, output)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise EntenteError(
                    "E009", f"cannot write the export ({exc.strerror})", where=str(output)
                ) from None
            except BaseException:
                partial.unlink(missing_ok=True)
                raise


@app.command()
def stats(json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Triples, graphs, documents and quarantined documents in the store."""
    with _reported(json_output, locked_hint=READ_LOCKED_HINT):
        settings = _settings(store)
        with _open(settings) as st:
            s = st.stats()
    data = {
        "triples": s.triples,
        "graphs": s.graphs,
        "documents": s.documents,
        "quarantined": s.quarantined,
    }
    if json_output:
        _echo_json(data)
        return
    width = max(len(k) for k in data)
    for key, value in data.items():
        typer.echo(f"{key:<{width}}  {value:>10,}")


# --- conflicts ---


@app.command()
def conflicts(json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Statements whose sources disagree on a value (an amount, a status, a date),
    each value with its sources; a status that moves forward with the publish dates of its
    sources is shown as a timeline instead."""
    from entente.service.query.source_conflicts import find_disagreements

    with _reported(json_output, locked_hint=READ_LOCKED_HINT):
        settings = _settings(store)
        with _open(settings) as st:
            found = find_disagreements(st)
    if json_output:
        _echo_json({"disagreements": [d.as_dict() for d in found]})
        return
    if not found:
        typer.echo("no conflicting values")
        return
    for d in found:
        typer.echo(f"{d.kind} {d.type}.{d.property}: {d.summary() or d.label or d.statement}")
        typer.echo(f"  {d.statement}")
        for v in d.values:
            typer.echo(f"  {v.value}")
            for source in v.sources:
                when = source.published or "date unknown"
                typer.echo(f"    {source.document} ({when}) {source.title or ''}".rstrip())


@app.command()
def recount(json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Recompute every statement's source counts from scratch and rebuild the as-of index
    (docs/corroboration.md): for a store made by an older entente, or to check for drift."""
    from entente.service.write.corroboration import recount as recount_store

    with (
        _reported(json_output, locked_hint=WRITE_LOCKED_HINT),
        _open(_settings(store), writer=True) as st,
    ):
        done = recount_store(st)
    if json_output:
        _echo_json(done.as_dict())
        return
    typer.echo(
        f"recounted {done.statements:,} statement(s) in {done.shards:,} shard(s): "
        f"{done.stale:,} stale shard(s) rewritten, {done.dropped:,} dropped; as-of index rebuilt"
    )


# --- eval ---


@app.command(name="eval")
def evaluate_command(
    articles_dir: Annotated[
        Path, typer.Argument(metavar="ARTICLES_DIR", help="Folder of articles.")
    ],
    gold_dir: Annotated[
        Path, typer.Argument(metavar="GOLD_DIR", help="Folder of gold annotation files (JSON).")
    ],
    json_output: JsonOption = False,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", metavar="PATH", help="Accepted for uniformity; eval uses no store."
        ),
    ] = None,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            metavar="FILE",
            help="JSON list of {id, published, language, title, url} per article stem "
            "(overrides NAME.meta.json; null means not given).",
        ),
    ] = None,
) -> None:
    """Score the extractor against gold annotations: precision, recall, F1."""
    del store
    with _reported(json_output):
        for path in (articles_dir, gold_dir):
            if not path.is_dir():
                raise EntenteError("E009", "no such directory", where=str(path))
        from entente.ingest.evaluate.run import evaluate, read_metadata_index
        from entente.ingest.pipeline import Pipeline, PipelineConfig

        index = read_metadata_index(metadata) if metadata is not None else None
        settings = _settings(None)
        pipeline = Pipeline(
            PipelineConfig(
                spacy_model=settings.spacy_model, max_article_chars=settings.max_article_chars
            )
        )
        report = evaluate(
            articles_dir,
            gold_dir,
            pipeline,
            max_bytes=settings.max_document_bytes,
            metadata=index,
        )
    if json_output:
        _echo_json(report.as_dict())
    else:
        typer.echo(report.render(), nl=False)


# --- documents ---


@documents_app.command("list")
def documents_list(json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Accepted documents: ID, published date, statements, title."""
    from entente.service.write.catalog import list_documents

    with _reported(json_output, locked_hint=READ_LOCKED_HINT), _open(_settings(store)) as st:
        records = list_documents(st)
    if json_output:
        _echo_json([r.as_dict() for r in records])
        return
    rows = [
        [r.id[:12], r.published or "", str(r.statements), r.language or "", r.title or r.url or ""]
        for r in records
    ]
    typer.echo(table(["id", "published", "statements", "lang", "title"], rows), nl=False)


IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="sha256, a prefix of it (6+ digits), or the IRI.")
]


@documents_app.command("show")
def documents_show(
    doc_id: IdArgument,
    shapes: ShapesOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """One document's metadata, counts, and what the current shapes say of it."""
    from entente.service.gate.gate import Gate
    from entente.service.write.catalog import get_document, validate_document

    with _reported(json_output, locked_hint=READ_LOCKED_HINT):
        settings = _with_shapes(_settings(store), shapes)
        gate = Gate(extra_shapes_dirs=settings.shapes_dirs)  # bad shapes fail before the store
        with _open(settings) as st:
            record = validate_document(st, gate, get_document(st, doc_id))
    data = record.as_dict()
    if json_output:
        _echo_json(data)
        return
    validation = data.pop("validation", None)
    _print_record(data, json_output=False)
    if validation is not None:
        verdict = "conforms" if validation["conforms"] else "does not conform"
        policy = (
            ""
            if validation["conforms"]
            else (
                "; the gate would accept it (warnings only)"
                if validation["accepted"]
                else "; the gate would reject it"
            )
        )
        typer.echo(
            f"{'validation':<12}  {verdict}: {len(validation['violations'])} violation(s), "
            f"{len(validation['warnings'])} warning(s){policy}"
        )
        assert record.validation is not None
        for result in record.validation.violations:
            typer.echo(f"- {result.render()}")
        for line in _grouped_results(record.validation.warnings):
            typer.echo(f"- {line}")


@documents_app.command("delete")
def documents_delete(
    doc_id: IdArgument, json_output: JsonOption = False, store: StoreOption = None
) -> None:
    """Drop a document's graph. Statements other documents also support stay, with theirs."""
    from entente.service.write.catalog import delete_document

    with _reported(json_output, locked_hint=WRITE_LOCKED_HINT), _open(_settings(store)) as st:
        record = delete_document(st, doc_id)
    if json_output:
        _echo_json({"deleted": record.as_dict()})
    else:
        typer.echo(f"deleted {record.id} ({record.title or record.url or record.iri})")


# --- quarantine ---


@quarantine_app.command("list")
def quarantine_list(json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Quarantined ingests: ID, when, why."""
    from entente.service.write.catalog import list_quarantine

    with _reported(json_output, locked_hint=READ_LOCKED_HINT), _open(_settings(store)) as st:
        records = list_quarantine(st)
    if json_output:
        _echo_json([r.as_dict() for r in records])
        return
    rows = [
        [
            r.document.id[:12],
            (r.quarantined_at or "")[:19],
            r.document.title or r.source or "",
            r.reason,
        ]
        for r in records
    ]
    typer.echo(table(["id", "quarantined", "title", "reason"], rows), nl=False)


@quarantine_app.command("show")
def quarantine_show(
    doc_id: IdArgument,
    report: Annotated[
        bool, typer.Option("--report", help="Print the SHACL report as Turtle.")
    ] = False,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Why an ingest was quarantined: each failing node, path, constraint and evidence."""
    from entente.service.write.catalog import get_quarantined, quarantine_report

    with _reported(json_output, locked_hint=READ_LOCKED_HINT), _open(_settings(store)) as st:
        record = get_quarantined(st, doc_id)
        turtle = quarantine_report(st, doc_id).serialize(format="turtle") if report else None
    if report and turtle is not None:
        typer.echo(turtle)
        return
    if json_output:
        _echo_json(record.as_dict())
        return
    doc = record.document
    typer.echo(f"id           {doc.id}")
    typer.echo(f"title        {doc.title or ''}")
    typer.echo(f"source       {record.source or ''}")
    typer.echo(f"quarantined  {record.quarantined_at or ''}")
    typer.echo(f"reason       {record.reason}")
    for result in record.results:
        typer.echo(f"- {result.render()}")


@quarantine_app.command("revalidate")
def quarantine_revalidate(
    doc_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="One entry (sha256, prefix or IRI); all entries when omitted."
        ),
    ] = None,
    shapes: ShapesOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Re-run the current shapes on quarantined ingests and accept what now conforms. Exit 0:
    all accepted (or nothing to do); 1: some stay in quarantine; 2: error."""
    from datetime import UTC, datetime

    from entente.service.gate.gate import Gate
    from entente.service.write.catalog import REVALIDATION_STATUSES, revalidate_quarantined

    with _reported(json_output, locked_hint=WRITE_LOCKED_HINT):
        settings = _with_shapes(_settings(store), shapes)
        gate = Gate(extra_shapes_dirs=settings.shapes_dirs)
        with _open(settings) as st:
            outcomes = revalidate_quarantined(st, gate, doc_id, at=datetime.now(UTC))
    for outcome in outcomes:
        if json_output:
            _echo_json(outcome.as_dict())
            continue
        name = outcome.document.title or outcome.document.url or outcome.document.iri
        typer.echo(f"{outcome.status:<11} {outcome.document.id[:12]} {name}: {outcome.message}")
    if not json_output:
        counts = {s: sum(1 for o in outcomes if o.status == s) for s in REVALIDATION_STATUSES}
        typer.echo(
            f"{len(outcomes)} quarantined document(s): "
            + ", ".join(f"{n} {s}" for s, n in counts.items())
        )
    if any(o.status != "accepted" for o in outcomes):
        raise typer.Exit(EXIT_NEGATIVE)


@quarantine_app.command("release")
def quarantine_release(
    doc_id: IdArgument, json_output: JsonOption = False, store: StoreOption = None
) -> None:
    """Accept a quarantined ingest WITHOUT it passing validation (an operator's decision). Who
    and when are recorded in the document's graph; `validate` reports its violations."""
    import getpass
    import socket
    from datetime import UTC, datetime

    from entente.service.write.catalog import release_quarantined

    with _reported(json_output, locked_hint=WRITE_LOCKED_HINT), _open(_settings(store)) as st:
        who = f"{getpass.getuser()}@{socket.gethostname()} (entente CLI)"
        record = release_quarantined(st, doc_id, by=who, at=datetime.now(UTC))
    if json_output:
        _echo_json({"released": record.as_dict()})
    else:
        typer.echo(f"released {record.id} ({record.title or record.url or record.iri})")


@quarantine_app.command("drop")
def quarantine_drop(
    doc_id: IdArgument, json_output: JsonOption = False, store: StoreOption = None
) -> None:
    """Delete a quarantined ingest and its report for good."""
    from entente.service.write.catalog import drop_quarantined

    with _reported(json_output, locked_hint=WRITE_LOCKED_HINT), _open(_settings(store)) as st:
        record = drop_quarantined(st, doc_id)
    if json_output:
        _echo_json({"dropped": record.as_dict()})
    else:
        typer.echo(f"dropped {record.id} ({record.title or record.iri})")


def _print_record(data: dict[str, Any], json_output: bool) -> None:
    if json_output:
        _echo_json(data)
        return
    width = max(len(k) for k in data)
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        typer.echo(f"{key:<{width}}  {'' if value is None else value}")


def main() -> None:
    """Console entry point. An unexpected exception is a bug: one line, not a traceback,
    unless ENTENTE_DEBUG is set."""
    try:
        app()
    except Exception as exc:  # pragma: no cover - exercised by hand
        if os.environ.get("ENTENTE_DEBUG"):
            raise
        sys.stderr.write(
            f"error: internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in entente; set ENTENTE_DEBUG=1 to see the traceback and "
            "report it.\n"
        )
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    main()
