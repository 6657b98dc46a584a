"""The `entente` CLI through typer's CliRunner, each test on its own store under tmp_path.

Ingest tests use the fake pipeline, mapper and gate from conftest.py (no spaCy); the test marked
`model` runs the real pipeline and gate over examples/articles."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from entente.ontology.vocab import ENT
from entente.service.cli import commands as cli
from entente.service.store import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

runner = CliRunner()
Run = Callable[..., Any]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def run(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the CLI with --store appended; never reads the developer's real store."""
    monkeypatch.delenv("ENTENTE_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(store_path.parent / "xdg"))

    def invoke(*args: str, store: bool = True) -> Any:
        argv = [*args, "--store", str(store_path)] if store else list(args)
        return runner.invoke(cli.app, argv, catch_exceptions=False)

    return invoke


@pytest.fixture
def fakes(
    monkeypatch: pytest.MonkeyPatch, fake_gate: Any, fake_pipeline: Any, fake_map: Any
) -> None:
    monkeypatch.setattr(
        cli, "_ingest_parts", lambda settings: cli.IngestParts(fake_gate, fake_pipeline, fake_map)
    )


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The EU and Japan cooperate on chips.", encoding="utf-8")
    (folder / "b.json").write_text(
        json.dumps({"text": "Japan and the EU meet in Tokyo.", "title": "Meeting"}),
        encoding="utf-8",
    )
    return folder


def state(run: Run) -> tuple[dict[str, int], bytes]:
    """stats --json and an N-Quads export of both partitions, to compare before and after."""
    stats = run("stats", "--json")
    assert stats.exit_code == 0, stats.output
    exported = run("export", "--format", "nquads")
    quarantine = run("export", "--format", "nquads", "--quarantine")
    body = b"".join(
        sorted(exported.stdout_bytes.splitlines() + quarantine.stdout_bytes.splitlines())
    )
    return json.loads(stats.stdout), body


# --- ingest ---


@pytest.mark.usefixtures("fakes")
def test_ingest_accepts_and_reports_duplicates(run: Run, articles: Path) -> None:
    r = run("ingest", str(articles))
    assert r.exit_code == 0, r.output
    assert "2 document(s): 2 accepted, 0 duplicate, 0 quarantined, 0 error" in r.stdout
    r = run("ingest", str(articles / "a.txt"))
    assert r.exit_code == 0
    assert r.stdout.startswith("duplicate")
    stats, _ = state(run)
    assert stats["documents"] == 2 and stats["quarantined"] == 0
    # two documents, the ontology, the gazetteer, and graph:relations/… + graph:sources/… graphs,
    # and the as-of index: the year, month and day graphs of their one ingest day, its marker
    assert stats["graphs"] == 4 + 2 + 2 + 4


@pytest.mark.usefixtures("fakes")
def test_ingest_json_lines_and_exit_1_on_quarantine(run: Run, articles: Path) -> None:
    (articles / "c.txt").write_text("A story with a bad title.", encoding="utf-8")
    (articles / "c.meta.json").write_text(json.dumps({"title": "BAD story"}), encoding="utf-8")
    r = run("ingest", "--json", str(articles))
    assert r.exit_code == 1, r.output
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [Path(o["path"]).name for o in lines] == ["a.txt", "b.json", "c.txt"]
    assert [o["status"] for o in lines] == ["accepted", "accepted", "quarantined"]
    for o in lines:
        assert {"path", "document", "status", "statements", "message"} <= set(o)
        assert o["document"].startswith("https://w3id.org/entente/id/document/")
        assert o["statements"] == 1
    assert "title must not say BAD" in lines[2]["message"]
    stats, _ = state(run)
    assert (stats["documents"], stats["quarantined"]) == (2, 1)


@pytest.mark.usefixtures("fakes")
def test_ingest_metadata_options(run: Run, articles: Path, store_path: Path) -> None:
    r = run(
        "ingest", "--published", "2023-07-03", "--url", "https://example.com/a",
        "--title", "EU  and Japan", "--lang", "EN-gb", str(articles / "a.txt"),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    with OxigraphStore(store_path) as s:
        rows = s.select(
            "SELECT ?t ?u WHERE { GRAPH ?g { ?d <http://purl.org/dc/terms/title> ?t ; "
            "<https://schema.org/url> ?u } "
            'FILTER(STRSTARTS(STR(?g), "https://w3id.org/entente/graph/document/")) }'
        )
    assert [(str(r["t"]), str(r["u"])) for r in rows] == [("EU and Japan", "https://example.com/a")]


@pytest.mark.usefixtures("fakes")
def test_url_and_title_need_a_single_file(run: Run, articles: Path) -> None:
    r = run("ingest", "--url", "https://example.com/a", str(articles))
    assert r.exit_code == 2
    assert "error[E502]" in r.stderr


def _bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    folder.mkdir()
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    binary = folder / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    latin1 = folder / "latin1.txt"
    latin1.write_bytes("Européiska unionen och Japan".encode("latin-1"))
    no_text = folder / "no-text.json"
    no_text.write_text(json.dumps({"title": "only a title"}), encoding="utf-8")
    huge = folder / "huge.txt"
    with huge.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    return {
        "empty": (empty, "E001"),
        "binary": (binary, "E002"),
        "utf8": (latin1, "E003"),
        "no-text": (no_text, "E004"),
        "huge": (huge, "E007"),
    }


@pytest.mark.usefixtures("fakes")
@pytest.mark.parametrize("case", ["empty", "binary", "utf8", "no-text", "huge"])
def test_bad_input_is_a_clear_error_and_changes_nothing(
    run: Run, articles: Path, tmp_path: Path, case: str
) -> None:
    assert run("ingest", str(articles)).exit_code == 0
    before = state(run)
    path, code = _bad_inputs(tmp_path / "bad")[case]
    r = run("ingest", str(path))
    assert r.exit_code == 2
    assert f"error[{code}]: {path}: " in r.stderr, r.stderr
    assert "hint: " in r.stderr
    assert "Traceback" not in r.output
    assert state(run) == before
    r = run("ingest", "--json", str(path))
    assert r.exit_code == 2
    line = json.loads(r.stdout)
    assert (line["status"], line["error"]["code"], line["path"]) == ("error", code, str(path))
    assert state(run) == before


@pytest.mark.usefixtures("fakes")
@pytest.mark.parametrize(
    ("option", "value", "code"),
    [
        ("--published", "03/07/2023", "E006"),
        ("--published", "2023-02-30", "E006"),
        ("--url", "not a url", "E011"),
        ("--lang", "english!", "E011"),
    ],
)
def test_bad_option_values_change_nothing(
    run: Run, articles: Path, option: str, value: str, code: str
) -> None:
    assert run("ingest", str(articles)).exit_code == 0
    before = state(run)
    r = run("ingest", option, value, str(articles / "a.txt"))
    assert r.exit_code == 2
    assert f"error[{code}]: {option}: " in r.stderr
    assert state(run) == before
    r = run("ingest", "--json", option, value, str(articles / "a.txt"))
    assert json.loads(r.stderr)["error"]["code"] == code


@pytest.mark.usefixtures("fakes")
def test_mixed_batch_reports_each_input_and_stores_nothing(run: Run, articles: Path) -> None:
    # Issue 11: a batch is read and checked whole before its first article is stored, as POST
    # /documents does; the good articles before and after the bad inputs are not committed.
    first = articles.parent / "first"
    first.mkdir()
    (first / "c.txt").write_text("Sweden and Korea work together on batteries.", encoding="utf-8")
    assert run("ingest", str(first)).exit_code == 0
    before = state(run)
    (articles / "b-empty.txt").write_text("   \n", encoding="utf-8")
    r = run("ingest", str(articles), str(articles / "missing.txt"))
    assert r.exit_code == 2
    assert "0 accepted" in r.stdout and "2 error" in r.stdout
    assert "error[E001]" in r.stderr and "error[E009]" in r.stderr
    assert "nothing was ingested" in r.stderr
    assert state(run) == before
    r = run("ingest", "--json", str(articles), str(articles / "missing.txt"))
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert r.exit_code == 2 and [line["status"] for line in lines] == ["error", "error"]
    assert state(run) == before
    # Without the bad inputs the same batch goes in whole.
    (articles / "b-empty.txt").unlink()
    r = run("ingest", str(articles))
    assert r.exit_code == 0 and "2 accepted" in r.stdout


@pytest.mark.usefixtures("fakes")
def test_a_bug_in_analysis_is_one_error_line(run: Run, articles: Path) -> None:
    (articles / "crash.txt").write_text(
        "This text makes the fake pipeline CRASH.", encoding="utf-8"
    )
    r = run("ingest", str(articles))
    assert r.exit_code == 2
    assert "error[E105]" in r.stderr and "ZeroDivisionError" in r.stderr
    assert "Traceback" not in r.output
    assert "2 accepted" in r.stdout  # the rest of the batch went on


def test_folder_without_articles(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_ingest_parts", lambda settings: pytest.fail("must not be built"))
    (tmp_path / "nothing").mkdir()
    r = run("ingest", str(tmp_path / "nothing"))
    assert r.exit_code == 2 and "error[E008]" in r.stderr


# --- query ---


@pytest.fixture
def filled(run: Run, articles: Path, fakes: None) -> None:
    assert run("ingest", str(articles)).exit_code == 0


SELECT_TITLES = (
    "SELECT ?title WHERE { ?d a <https://w3id.org/entente/ontology#Document> ; "
    "<http://purl.org/dc/terms/title> ?title } ORDER BY ?title"
)


@pytest.mark.usefixtures("filled")
def test_query_formats(run: Run, tmp_path: Path) -> None:
    r = run("query", "--format", "json", SELECT_TITLES)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["head"]["vars"] == ["title"]
    assert [b["title"]["value"] for b in data["results"]["bindings"]] == ["Meeting", "untitled"]

    r = run("query", "--format", "csv", SELECT_TITLES)
    assert list(csv.reader(io.StringIO(r.stdout))) == [["title"], ["Meeting"], ["untitled"]]
    r = run("query", "--format", "tsv", SELECT_TITLES)
    assert r.stdout.splitlines() == ["?title", '"Meeting"', '"untitled"']

    r = run("query", SELECT_TITLES)  # table by default
    lines = r.stdout.splitlines()
    assert lines[0].strip() == "?title" and lines[2:4] == ["Meeting", "untitled"]
    assert lines[-1] == "(2 rows)"

    r = run("query", "ASK { ?s a <https://w3id.org/entente/ontology#Document> }")
    assert r.stdout == "true\n"

    construct = (
        "CONSTRUCT { ?d a ?c } WHERE { ?d a ?c "
        "FILTER(?c = <https://w3id.org/entente/ontology#Document>) }"
    )
    r = run("query", construct)
    g = Graph().parse(data=r.stdout, format="turtle")
    assert len(list(g.subjects(RDF.type, ENT.Document))) == 2
    r = run("query", "--format", "turtle", construct)
    assert r.exit_code == 0

    query_file = tmp_path / "q.rq"
    query_file.write_text(SELECT_TITLES, encoding="utf-8")
    r = run("query", "--format", "csv", f"@{query_file}")
    assert r.stdout.split() == ["title", "Meeting", "untitled"]


@pytest.mark.usefixtures("filled")
def test_table_compacts_iris(run: Run) -> None:
    r = run(
        "query", "SELECT ?d WHERE { ?d a <https://w3id.org/entente/ontology#Document> } LIMIT 1"
    )
    assert r.stdout.splitlines()[2].startswith("id:document/")


@pytest.mark.parametrize(
    ("query", "fmt", "code"),
    [
        ("SELEC ?x WHERE { ?x ?p ?o }", None, "E401"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", None, "E402"),
        ("LOAD <http://127.0.0.1:9/data.ttl>", None, "E403"),
        ("SELECT * WHERE { ?s ?p ?o }", "turtle", "E404"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", "E404"),
        ("@/no/such/file.rq", None, "E009"),
    ],
)
def test_query_errors(run: Run, query: str, fmt: str | None, code: str) -> None:
    args = ["query", query] if fmt is None else ["query", "--format", fmt, query]
    r = run(*args)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"error[{code}]"), r.stderr
    assert "Traceback" not in r.output


# --- export, stats ---


@pytest.mark.usefixtures("filled")
def test_export_trig_to_stdout_and_nquads_to_file(run: Run, tmp_path: Path) -> None:
    stats = json.loads(run("stats", "--json").stdout)
    r = run("export")
    assert r.exit_code == 0
    ds = Dataset()
    ds.parse(data=r.stdout_bytes, format="trig")
    assert len(ds) == stats["triples"]
    target = tmp_path / "out.nq"
    r = run("export", "--format", "nquads", "-o", str(target))
    assert r.exit_code == 0 and r.stdout == ""
    # Every quad once; the as-of index repeats document triples in graph:asof/… graphs.
    layers = [f"/entente/graph/asof/{k}/".encode() for k in ("year", "month", "day")]
    lines = [q for q in target.read_bytes().splitlines() if not any(x in q for x in layers)]
    assert len(lines) == stats["triples"]
    assert not (tmp_path / "out.nq.partial").exists()


def test_stats_text_and_json(run: Run, store_path: Path) -> None:
    OxigraphStore(store_path).close()
    r = run("stats")
    assert r.exit_code == 0
    assert [line.split()[0] for line in r.stdout.splitlines()] == [
        "triples", "graphs", "documents", "quarantined",
    ]  # fmt: skip
    assert json.loads(run("stats", "--json").stdout) == {
        "triples": 0, "graphs": 0, "documents": 0, "quarantined": 0,
    }  # fmt: skip


def test_locked_store_is_e201_with_a_hint(run: Run, store_path: Path) -> None:
    with OxigraphStore(store_path):
        r = run("stats")
        assert r.exit_code == 2
        assert r.stderr.startswith("error[E201]")
        assert "entente serve" in r.stderr and "hint:" in r.stderr
        r = run("query", "ASK { ?s ?p ?o }")
        assert "/sparql" in r.stderr


def test_store_defaults_to_xdg_data_home(run: Run, store_path: Path) -> None:
    default = store_path.parent / "xdg" / "entente" / "store"
    r = run("stats", store=False)
    assert r.exit_code == 2 and r.stderr.startswith(f"error[E202]: {default}: no entente store")
    assert not default.exists()  # a reader never creates a store
    OxigraphStore(default).close()
    r = run("stats", "--json", store=False)
    assert r.exit_code == 0 and json.loads(r.stdout)["triples"] == 0


def test_bad_setting_is_e501(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_MAX_DOCUMENT_BYTES", "lots")
    r = run("stats")
    assert r.exit_code == 2 and r.stderr.startswith("error[E501]: max_document_bytes")


# --- validate ---


def test_validate_exit_codes(run: Run, store_path: Path) -> None:
    OxigraphStore(store_path).close()
    r = run("validate")
    assert r.exit_code == 0, r.output
    assert "conforms" in r.stdout
    # A cooperation with one party and no evidence breaks the shipped shapes.
    bad = Graph()
    node = URIRef("https://w3id.org/entente/id/statement/cooperation/broken")
    bad.add((node, RDF.type, ENT.Cooperation))
    bad.add((node, ENT.party, URIRef("https://w3id.org/entente/id/state/japan")))
    with OxigraphStore(store_path) as s:
        s.put_graphs({"https://w3id.org/entente/graph/document/" + "0" * 64: bad})
    r = run("validate", "--all")
    assert r.exit_code == 1
    assert "does not conform" in r.stdout
    r = run("validate", "--json")
    data = json.loads(r.stdout)
    assert data["conforms"] is False and data["violations"]


def test_validate_rejects_missing_shapes_dir(run: Run, tmp_path: Path) -> None:
    r = run("validate", "--shapes", str(tmp_path / "nowhere"))
    assert r.exit_code == 2 and r.stderr.startswith("error[E302]")


# --- documents, quarantine ---


@pytest.mark.usefixtures("fakes")
def test_documents_and_quarantine_commands(run: Run, articles: Path) -> None:
    (articles / "c.txt").write_text("Rejected text.", encoding="utf-8")
    (articles / "c.meta.json").write_text(json.dumps({"title": "BAD"}), encoding="utf-8")
    lines = [json.loads(x) for x in run("ingest", "--json", str(articles)).stdout.splitlines()]
    accepted = [o["document"].rsplit("/", 1)[1] for o in lines if o["status"] == "accepted"]
    rejected = [o["document"].rsplit("/", 1)[1] for o in lines if o["status"] == "quarantined"]

    listed = json.loads(run("documents", "list", "--json").stdout)
    assert sorted(d["id"] for d in listed) == sorted(accepted)
    assert run("documents", "list").stdout.count("\n") == 4  # header, rule, two rows

    shown = json.loads(run("documents", "show", accepted[0][:8], "--json").stdout)
    assert shown["id"] == accepted[0] and shown["statements"] == 1 and shown["triples"] > 0
    r = run("documents", "show", rejected[0])
    assert r.exit_code == 2 and "error[E203]" in r.stderr and "quarantine" in r.stderr
    r = run("documents", "show", "abc")
    assert r.exit_code == 2 and "error[E203]" in r.stderr

    q = json.loads(run("quarantine", "list", "--json").stdout)
    assert [e["document"]["id"] for e in q] == rejected
    r = run("quarantine", "show", rejected[0][:10])
    assert r.exit_code == 0 and "title must not say BAD" in r.stdout
    r = run("quarantine", "show", rejected[0], "--report")
    assert "ValidationReport" in r.stdout

    assert run("documents", "delete", accepted[0]).exit_code == 0
    assert run("quarantine", "drop", rejected[0]).exit_code == 0
    stats = json.loads(run("stats", "--json").stdout)
    assert (stats["documents"], stats["quarantined"]) == (1, 0)
    r = run("quarantine", "drop", rejected[0])
    assert r.exit_code == 2 and "error[E304]" in r.stderr


# --- help, eval ---


def test_every_command_has_help_and_store(run: Run) -> None:
    for command in (
        ["ingest"], ["query"], ["serve"], ["validate"], ["export"], ["stats"], ["eval"],
        ["documents", "list"], ["documents", "show"], ["documents", "delete"],
        ["quarantine", "list"], ["quarantine", "show"], ["quarantine", "drop"],
    ):  # fmt: skip
        r = run(*command, "--help", store=False)
        assert r.exit_code == 0, command
        assert "--store" in r.stdout, command


def test_eval_missing_directory(run: Run, tmp_path: Path) -> None:
    r = run("eval", str(tmp_path / "none"), str(tmp_path), store=False)
    assert r.exit_code == 2 and "error[E009]" in r.stderr


# --- end to end with the real pipeline and gate ---


@pytest.mark.model
@pytest.mark.slow
def test_ingest_the_sample_articles_end_to_end(run: Run, articles_dir: Path) -> None:
    r = run("ingest", "--json", str(articles_dir))
    assert r.exit_code in (0, 1), r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == len(list(articles_dir.glob("*.txt")))
    assert all(o["status"] in ("accepted", "quarantined") for o in lines), lines
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["documents"] + stats["quarantined"] == len(lines)
    assert stats["documents"] >= 1
    again = run("ingest", "--json", str(articles_dir))
    statuses = {json.loads(x)["status"] for x in again.stdout.splitlines()}
    assert statuses <= {"duplicate", "quarantined"}
    assert json.loads(run("stats", "--json").stdout) == stats
    # Every accepted statement carries its evidence sentence and source document.
    r = run(
        "query", "--format", "json",
        "PREFIX ent: <https://w3id.org/entente/ontology#> SELECT ?s ?sentence ?doc WHERE { "
        "?s ent:evidence ?e . ?e ent:sentence ?sentence ; ent:document ?doc }",
    )  # fmt: skip
    bindings = json.loads(r.stdout)["results"]["bindings"]
    assert bindings
    assert all(
        b["doc"]["value"].startswith("https://w3id.org/entente/id/document/") for b in bindings
    )
    assert run("validate").exit_code == 0


def test_an_article_over_the_length_limit_is_a_clear_error(
    run: Run, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real pipeline refuses a text longer than ENTENTE_MAX_ARTICLE_CHARS (after cleaning)
    with E175 before any NLP runs; the rest of the batch is ingested."""
    monkeypatch.setenv("ENTENTE_MAX_ARTICLE_CHARS", "1000")
    long = articles / "long.txt"
    long.write_text("copper lantern harbour " * 100, encoding="utf-8")
    r = run("ingest", "--json", "--lang", "en", str(long))
    assert r.exit_code == 2
    line = json.loads(r.stdout)
    assert (line["status"], line["error"]["code"]) == ("error", "E175")
    assert "1,000 characters (ENTENTE_MAX_ARTICLE_CHARS)" in line["error"]["message"]
    assert "Split the article" in line["error"]["hint"]
    assert json.loads(run("stats", "--json").stdout)["documents"] == 0
