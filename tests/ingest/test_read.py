"""Reading articles: formats, metadata precedence, and a coded error for every bad input."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ingest.read.reader import Metadata, iter_inputs, read_bytes, read_path

MAX = 1_000_000
ARTICLE = "The EU and Japan agreed to cooperate on semiconductors.\n\nMore text follows here.\n"


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def error(exc: pytest.ExceptionInfo[EntenteError]) -> EntenteError:
    return exc.value


# --- formats -----------------------------------------------------------------------------------


def test_plain_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    text = "Title line\r\n\r\nBody with\u00a0no-break space and  two spaces.  \n"
    doc = read_path(write(tmp_path / "a.txt", text), max_bytes=MAX)[0]
    assert doc.text == text
    assert doc.media_type == "text/plain"
    assert doc.source == str(tmp_path / "a.txt")


def test_utf8_bom_is_stripped_and_nothing_else(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path / "a.txt", b"\xef\xbb\xbf" + ARTICLE.encode()), max_bytes=MAX)[0]
    assert doc.text == ARTICLE
    # sha256 is the identity of the text as given (minus the BOM)
    assert doc.sha256 == read_bytes(ARTICLE.encode(), source="x", max_bytes=MAX)[0].sha256


def test_html_file_keeps_its_source_and_reads_embedded_metadata(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Chips | Site</title>"
        '<meta property="og:title" content="EU and Japan on chips">'
        '<meta property="article:published_time" content="2023-07-04T08:15:00+02:00">'
        '<link rel="canonical" href="https://news.example.com/eu-japan"></head>'
        "<body><p>The EU and Japan agreed to cooperate.</p></body></html>"
    )
    doc = read_path(write(tmp_path / "page.html", html), max_bytes=MAX)[0]
    assert doc.text == html
    assert doc.media_type == "text/html"
    assert doc.title == "EU and Japan on chips"
    assert doc.published == date(2023, 7, 4)
    assert doc.url == "https://news.example.com/eu-japan"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("EU and Japan deepen chip ties | Tech Daily", "EU and Japan deepen chip ties"),
        ("EU and Japan deepen chip ties - The Site", "EU and Japan deepen chip ties"),
        ("Chip-makers expand - slowly", "Chip-makers expand - slowly"),  # too short to split
        ("Japan's AI rules", "Japan's AI rules"),
    ],
)
def test_html_title_loses_the_site_name(tmp_path: Path, title: str, expected: str) -> None:
    html = f"<html><head><title>{title}</title></head><body><p>Body text.</p></body></html>"
    assert read_path(write(tmp_path / "p.html", html), max_bytes=MAX)[0].title == expected


def test_embedded_html_metadata_that_does_not_parse_is_ignored(tmp_path: Path) -> None:
    html = (
        '<html><head><meta property="article:published_time" content="yesterday">'
        '<link rel="canonical" href="/relative"></head><body><p>Text.</p></body></html>'
    )
    doc = read_path(write(tmp_path / "page.htm", html), max_bytes=MAX)[0]
    assert doc.published is None and doc.url is None


def test_txt_that_is_an_html_page_is_sniffed_as_html(tmp_path: Path) -> None:
    html = "<html><body><p>The EU and Japan agreed to cooperate.</p></body></html>"
    assert read_path(write(tmp_path / "a.txt", html), max_bytes=MAX)[0].media_type == "text/html"


def test_text_with_angle_brackets_is_not_html(tmp_path: Path) -> None:
    text = "<b> is a tag, and 3 < 4 > 2 in plain prose about HTML.\n"
    assert read_path(write(tmp_path / "a.txt", text), max_bytes=MAX)[0].media_type == "text/plain"


def test_json_object_with_metadata(tmp_path: Path) -> None:
    record = {
        "text": ARTICLE,
        "url": "https://example.com/a",
        "title": "  A   title ",
        "published": "2023-07-03T10:00:00Z",
        "language": "EN-gb",
        "author": "ignored",
    }
    doc = read_path(write(tmp_path / "a.json", json.dumps(record)), max_bytes=MAX)[0]
    assert doc.text == ARTICLE
    assert doc.url == "https://example.com/a"
    assert doc.title == "A title"
    assert doc.published == date(2023, 7, 3)
    assert doc.language == "en-GB"


def test_json_list_yields_one_document_per_object(tmp_path: Path) -> None:
    data = [{"text": "First article text."}, {"text": "Second article text.", "language": "sv"}]
    docs = read_path(write(tmp_path / "a.json", json.dumps(data)), max_bytes=MAX)
    assert [d.text for d in docs] == ["First article text.", "Second article text."]
    assert docs[1].language == "sv"
    assert docs[1].source.endswith("(item 2)")


def test_jsonl_yields_one_document_per_line_and_skips_blank_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "One."}),
        "",
        json.dumps({"text": "Two.", "published": "2024-03-01"}),
    ]
    docs = read_path(write(tmp_path / "a.jsonl", "\n".join(lines) + "\n"), max_bytes=MAX)
    assert [d.text for d in docs] == ["One.", "Two."]
    assert docs[1].published == date(2024, 3, 1)
    assert docs[1].source == f"{tmp_path / 'a.jsonl'}:3"


def test_json_record_text_that_is_html_is_marked_html(tmp_path: Path) -> None:
    record = {"text": "<!doctype html><html><body><p>Hello there.</p></body></html>"}
    doc = read_path(write(tmp_path / "a.json", json.dumps(record)), max_bytes=MAX)[0]
    assert doc.media_type == "text/html"


def test_seed_articles_read_with_their_sidecar_metadata(articles_dir: Path) -> None:
    paths = iter_inputs([articles_dir])
    assert [p.name[:3] for p in paths] == ["000", "001", "002", "003", "004"]
    first = read_path(paths[0], max_bytes=MAX)[0]
    assert first.published == date(2023, 7, 3)
    assert first.title and first.title.startswith("EU, Japan look to partner")
    assert read_path(paths[1], max_bytes=MAX)[0].published is None


# --- metadata precedence -----------------------------------------------------------------------


def test_explicit_metadata_overrides_sidecar_field_by_field(tmp_path: Path) -> None:
    article = write(tmp_path / "a.txt", ARTICLE)
    write(
        tmp_path / "a.meta.json",
        json.dumps({"title": "Sidecar", "published": "2023-07-03", "language": "en"}),
    )
    doc = read_path(article, metadata=Metadata(title="Flag", language="sv"), max_bytes=MAX)[0]
    assert doc.title == "Flag"  # explicit wins
    assert doc.language == "sv"
    assert doc.published == date(2023, 7, 3)  # the sidecar fills what was not given


def test_jsonl_record_fields_override_sidecar_defaults(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "One."}), json.dumps({"text": "Two.", "language": "de"})]
    article = write(tmp_path / "batch.jsonl", "\n".join(lines))
    write(tmp_path / "batch.meta.json", json.dumps({"language": "en", "published": "2024-01-02"}))
    docs = read_path(article, max_bytes=MAX)
    assert [d.language for d in docs] == ["en", "de"]
    assert all(d.published == date(2024, 1, 2) for d in docs)
    explicit = read_path(article, metadata=Metadata(language="fr"), max_bytes=MAX)
    assert [d.language for d in explicit] == ["fr", "fr"]


def test_sidecar_overrides_metadata_embedded_in_html(tmp_path: Path) -> None:
    html = "<html><head><title>Embedded</title></head><body><p>Text here.</p></body></html>"
    article = write(tmp_path / "p.html", html)
    assert read_path(article, max_bytes=MAX)[0].title == "Embedded"
    write(tmp_path / "p.meta.json", json.dumps({"title": "Sidecar"}))
    assert read_path(article, max_bytes=MAX)[0].title == "Sidecar"


def test_read_bytes_applies_explicit_metadata() -> None:
    meta = Metadata.parse({"url": "https://example.com/x", "published": "2023-07-03"}, where="form")
    doc = read_bytes(ARTICLE.encode(), source="<request>", metadata=meta, max_bytes=MAX)[0]
    assert doc.url == "https://example.com/x" and doc.published == date(2023, 7, 3)
    assert doc.source == "<request>"


def test_read_bytes_kind_from_filename_content_type_or_content() -> None:
    body = json.dumps({"text": "Hello from JSON."}).encode()
    assert (
        read_bytes(body, source="s", filename="a.json", max_bytes=MAX)[0].text == "Hello from JSON."
    )
    lines = b'{"text": "a"}\n{"text": "b"}\n'
    assert (
        len(read_bytes(lines, source="s", content_type="application/x-ndjson", max_bytes=MAX)) == 2
    )
    html = b"<html><body><p>Hi there.</p></body></html>"
    sniffed = read_bytes(html, source="s", content_type="text/plain; charset=utf-8", max_bytes=MAX)
    assert sniffed[0].media_type == "text/html"
    # no filename and no content type: the content decides
    assert read_bytes(b"plain words", source="s", max_bytes=MAX)[0].text == "plain words"
    assert read_bytes(body, source="s", max_bytes=MAX)[0].text == "Hello from JSON."
    assert [d.text for d in read_bytes(lines, source="s", max_bytes=MAX)] == ["a", "b"]
    bracket = b"[Update] The EU and Japan agreed to cooperate."
    assert read_bytes(bracket, source="s", max_bytes=MAX)[0].text == bracket.decode()
    with pytest.raises(EntenteError) as exc:
        read_bytes(b'{"text": "unterminated', source="<request>", max_bytes=MAX)
    assert error(exc).code == "E005"
    # a declared text/plain body is never parsed as JSON
    as_text = read_bytes(body, source="s", content_type="text/plain", max_bytes=MAX)
    assert as_text[0].text == body.decode()


# --- bad input: one coded error per problem, naming the input ----------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", "\u00a0\u2003\n".encode()]
)
def test_empty_or_whitespace_only_is_e001(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "empty.txt", data)
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E001"
    assert error(exc).where == str(path)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"Some text\x00with a NUL", "NUL"),
        (bytes(range(1, 32)) * 10 + b"a few letters", "control"),
    ],
)
def test_binary_input_is_e002(tmp_path: Path, data: bytes, what: str) -> None:
    path = write(tmp_path / "file.txt", data)
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E002"
    assert what in error(exc).message
    assert error(exc).where == str(path)


def test_binary_body_with_binary_content_type_is_e002() -> None:
    with pytest.raises(EntenteError) as exc:
        read_bytes(
            b"%PDF-1.4 ...", source="<request>", content_type="application/pdf", max_bytes=MAX
        )
    assert error(exc).code == "E002"


def test_invalid_utf8_is_e003_with_byte_offset(tmp_path: Path) -> None:
    data = b"Line one ok.\nCaf" + b"\xe9 au lait.\n"  # Latin-1 é
    path = write(tmp_path / "latin1.txt", data)
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    err = error(exc)
    assert err.code == "E003"
    offset = data.index(b"\xe9")
    assert f"byte offset {offset}" in err.message
    assert "line 2" in err.message
    assert err.where == str(path)


def test_invalid_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfabc\xff"
    with pytest.raises(EntenteError) as exc:
        read_path(write(tmp_path / "a.txt", data), max_bytes=MAX)
    assert "byte offset 6" in error(exc).message


def test_utf16_is_e003_not_binary(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Hello world".encode("utf-16"))
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E003" and "UTF-16" in error(exc).message


@pytest.mark.parametrize(
    "record",
    [
        {"title": "no text"},
        {"text": ""},
        {"text": "   "},
        {"text": 42},
        {"text": None},
        ["text"],
        "text",
    ],
)
def test_json_without_nonempty_string_text_is_e004(tmp_path: Path, record: object) -> None:
    path = write(tmp_path / "a.json", json.dumps(record))
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E004"
    assert (error(exc).where or "").startswith(str(path))


def test_json_list_item_without_text_names_the_item(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps([{"text": "ok"}, {"body": "no"}]))
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E004" and error(exc).where == f"{path} (item 2)"


def test_empty_json_list_is_e004(tmp_path: Path) -> None:
    with pytest.raises(EntenteError) as exc:
        read_path(write(tmp_path / "a.json", "[]"), max_bytes=MAX)
    assert error(exc).code == "E004"


def test_malformed_json_is_e005_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '{\n  "text": "x",\n  "title": oops\n}')
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E005"
    assert "line 3, column 12" in error(exc).message


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    good = json.dumps({"text": "fine"})
    path = write(tmp_path / "a.jsonl", f"{good}\n\n{good}\n{{broken\n")
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E005"
    assert error(exc).where == f"{path}:4"
    assert "line 4" in error(exc).message

    path = write(tmp_path / "b.jsonl", f"{good}\n{json.dumps({'txt': 'x'})}\n")
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E004" and error(exc).where == f"{path}:2"

    path = write(
        tmp_path / "c.jsonl", f"{good}\n{good}\n{json.dumps({'text': 'x', 'published': '3 July'})}"
    )
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E006" and error(exc).where == f"{path}:3"


@pytest.mark.parametrize(
    "value", ["03/07/2023", "2023-13-01", "July 2023", "2023-07", "soon", "2023-07-03X"]
)
def test_unparseable_date_is_e006_naming_field_and_value(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "a.json", json.dumps({"text": "x", "published": value}))
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E006"
    assert "'published'" in error(exc).message and repr(value) in error(exc).message


def test_dates_accept_plain_and_iso_datetime_taking_the_written_day() -> None:
    parse = Metadata.parse
    assert parse({"published": "2023-07-03"}, where="x").published == date(2023, 7, 3)
    assert parse({"published": "2023-07-03T23:30:00-05:00"}, where="x").published == date(
        2023, 7, 3
    )
    assert parse({"published": "2023-07-03 08:00"}, where="x").published == date(2023, 7, 3)
    assert parse({"published": None}, where="x").published is None
    assert parse({"published": date(2024, 3, 1)}, where="x").published == date(2024, 3, 1)


def test_file_larger_than_max_bytes_is_e007_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written
    start = time.perf_counter()
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=10 * 1024 * 1024)
    assert time.perf_counter() - start < 0.5
    assert error(exc).code == "E007"
    assert "52,428,800" in error(exc).message and error(exc).where == str(path)


def test_bytes_larger_than_max_bytes_is_e007() -> None:
    with pytest.raises(EntenteError) as exc:
        read_bytes(b"x" * 101, source="<request>", max_bytes=100)
    assert error(exc).code == "E007"


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "article", "a.md", "a.meta.json"])
def test_unsupported_extension_is_e008(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, ARTICLE)
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E008" and error(exc).where == str(path)


def test_unsupported_content_type_or_filename_in_read_bytes_is_e008() -> None:
    with pytest.raises(EntenteError) as exc:
        read_bytes(ARTICLE.encode(), source="<request>", filename="x.rtf", max_bytes=MAX)
    assert error(exc).code == "E008"
    with pytest.raises(EntenteError) as exc:
        read_bytes(ARTICLE.encode(), source="<request>", content_type="text/csv", max_bytes=MAX)
    assert error(exc).code == "E008"


def test_directory_is_e008(tmp_path: Path) -> None:
    with pytest.raises(EntenteError) as exc:
        read_path(tmp_path, max_bytes=MAX)
    assert error(exc).code == "E008"


def test_fifo_is_e008_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(EntenteError) as exc:
        read_path(fifo, max_bytes=MAX)
    assert error(exc).code == "E008"


def test_missing_file_is_e009(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    assert error(exc).code == "E009" and error(exc).where == str(path)


@pytest.mark.parametrize(
    ("meta", "problem"),
    [
        ("{not json", "line 1, column 2"),
        ("[1, 2]", "expected a JSON object"),
        ('{"titel": "typo"}', "'titel'"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_malformed_meta_json_is_e010(tmp_path: Path, meta: str | bytes, problem: str) -> None:
    article = write(tmp_path / "a.txt", ARTICLE)
    meta_path = write(tmp_path / "a.meta.json", meta)
    with pytest.raises(EntenteError) as exc:
        read_path(article, max_bytes=MAX)
    assert error(exc).code == "E010"
    assert problem in error(exc).message
    assert error(exc).where == str(meta_path)


def test_bad_date_in_meta_json_is_e006_naming_the_meta_file(tmp_path: Path) -> None:
    article = write(tmp_path / "a.txt", ARTICLE)
    meta_path = write(tmp_path / "a.meta.json", json.dumps({"published": "next week"}))
    with pytest.raises(EntenteError) as exc:
        read_path(article, max_bytes=MAX)
    assert error(exc).code == "E006" and error(exc).where == str(meta_path)


@pytest.mark.parametrize(
    "url",
    [
        "example.com/a",
        "ftp://example.com/a",
        "/relative/path",
        "https://",
        "http://exa mple.com",
        "https://x.com:99999/",
    ],
)
def test_bad_url_is_e011(url: str) -> None:
    with pytest.raises(EntenteError) as exc:
        Metadata.parse({"url": url}, where="flags")
    assert error(exc).code == "E011" and repr(url) in error(exc).message


@pytest.mark.parametrize("lang", ["english", "en_US", "e", "12", "en-", "sv-SE-", "x"])
def test_language_that_is_not_bcp47_is_e011(lang: str) -> None:
    with pytest.raises(EntenteError) as exc:
        Metadata.parse({"language": lang}, where="flags")
    assert error(exc).code == "E011"


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("en", "en"),
        ("SV", "sv"),
        ("en-gb", "en-GB"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
    ],
)
def test_bcp47_tags_are_accepted_in_canonical_case(given: str, canonical: str) -> None:
    assert Metadata.parse({"language": given}, where="x").language == canonical


def test_metadata_value_of_wrong_type_is_e011() -> None:
    with pytest.raises(EntenteError) as exc:
        Metadata.parse({"title": ["a", "list"]}, where="x")
    assert error(exc).code == "E011"


def test_errors_render_code_where_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(EntenteError) as exc:
        read_path(path, max_bytes=MAX)
    rendered = str(exc.value)
    assert str(path) in rendered and "[E009]" in rendered and "Check the path" in rendered


# --- iter_inputs -------------------------------------------------------------------------------


def test_iter_inputs_expands_folders_flat_sorted_skipping_sidecars(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.html",
        "a.meta.json",
        "c.jsonl",
        "d.json",
        "notes.md",
        ".hidden.txt",
        "E.HTM",
    ]:
        write(tmp_path / name, "x")
    sub = tmp_path / "sub"
    sub.mkdir()
    write(sub / "z.txt", "x")
    explicit = tmp_path / "later.pdf"
    got = iter_inputs([tmp_path, explicit, tmp_path / "b.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == [
        "E.HTM",
        "a.html",
        "b.txt",
        "c.jsonl",
        "d.json",
        "later.pdf",
    ]
    assert iter_inputs([sub]) == [sub / "z.txt"]  # subfolders only when named
