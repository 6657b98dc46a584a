"""Read articles from files or bytes into `Document`s, refusing bad input with a coded error.

Formats: plain text (.txt), HTML (.html/.htm, or text that is unmistakably an HTML page), JSON
(one object or a list of objects) and JSONL (one object per line). A JSON record carries `text`
and optionally `url`, `title`, `published`, `language`.

`Document.text` is the decoded input exactly as given (for HTML: the page source), minus a UTF-8
byte order mark: `Document.sha256` is the identity of what was sent, so nothing is normalised
here. Cleaning happens later, in `clean`.

Metadata precedence, the more specific winning: explicit `metadata` (CLI flags, API fields) >
fields of a JSON/JSONL record > `NAME.meta.json` beside the file (a default for every record of a
.jsonl) > metadata embedded in an HTML page (`<title>`, canonical link, published-time meta
tags). Embedded HTML metadata is best effort: a value that does not parse is ignored rather than
failing the article, because the reader did not write it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from entente.errors import EntenteError
from entente.ingest.model import Document

Kind = Literal["text", "html", "json", "jsonl"]

SUFFIX_KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}
META_SUFFIX = ".meta.json"

# Media types an HTTP client may send; parameters (charset) are stripped before lookup.
CONTENT_TYPE_KINDS: dict[str, Kind] = {
    "text/plain": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl",
}
# Sent by clients that do not know better; the content decides.
GENERIC_CONTENT_TYPES = frozenset({"application/octet-stream", "text/*", "*/*", ""})

UTF8_BOM = b"\xef\xbb\xbf"

# Leading bytes of formats people mistake for articles (checked before decoding).
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document such as .docx)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "a Windows executable"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# C0 controls other than tab, newline, vertical tab, form feed and carriage return, plus DEL.
CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
MAX_CONTROL_RATIO = 0.05  # real text has none; a few stray ones are tolerated

# RFC 5646 well-formedness (not registry validity): langtag or private use. The primary subtag is
# limited to ISO 639's 2-3 letters (no 4-8 letter language subtag is registered), so that a word
# such as 'english' is refused rather than taken for a tag. Grandfathered tags are refused.
BCP47 = re.compile(
    r"""^(?:
      (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})
      (?:-(?P<script>[a-z]{4}))?
      (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
      (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*
      (?:-x(?:-[a-z0-9]{1,8})+)?
    |x(?:-[a-z0-9]{1,8})+
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

METADATA_FIELDS = ("url", "title", "published", "language")

# Sniffing: only an unmistakable page counts as HTML, never text that merely contains a '<'.
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_FRAGMENT = re.compile(r"^\s*<(?:head|body|article|main|div|p|section|h1)[\s>]", re.I)
_HTML_CLOSING = re.compile(r"</(?:p|div|body|article|section|h1|h2|main)>", re.I)


@dataclass(frozen=True)
class Metadata:
    """What is known about an article besides its text. None means 'not given'."""

    url: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None  # BCP-47, canonical case (en, sv, zh-Hant, en-GB)

    @classmethod
    def parse(cls, data: Mapping[str, Any], *, where: str, strict: bool = False) -> Metadata:
        """Metadata from a mapping (a meta.json, a JSON record, form fields).

        Missing, null and empty-string values mean 'not given'. `strict` rejects unknown keys
        (for NAME.meta.json, where a misspelt key would otherwise silently lose a date); JSON
        records may carry other fields, which are ignored.
        """
        if strict:
            unknown = sorted(set(data) - set(METADATA_FIELDS))
            if unknown:
                raise EntenteError(
                    "E010",
                    f"unknown metadata key(s) {', '.join(map(repr, unknown))}; "
                    f"allowed: {', '.join(METADATA_FIELDS)}",
                    where=where,
                )
        values: dict[str, Any] = {}
        for name in METADATA_FIELDS:
            raw = data.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if name == "published" and isinstance(raw, date):  # from Python callers
                raw = raw.isoformat()
            if not isinstance(raw, str):
                raise EntenteError(
                    "E011",
                    f"metadata field '{name}' must be a string, got {type(raw).__name__} {raw!r}",
                    where=where,
                )
            values[name] = raw
        return cls(
            url=parse_url(values["url"], where=where) if "url" in values else None,
            title=" ".join(values["title"].split()) if "title" in values else None,
            published=(
                parse_published(values["published"], where=where, field="published")
                if "published" in values
                else None
            ),
            language=(
                parse_language(values["language"], where=where) if "language" in values else None
            ),
        )

    def over(self, base: Metadata | None) -> Metadata:
        """This metadata, with the gaps filled from `base` (self wins where both give a value)."""
        if base is None:
            return self
        return Metadata(
            **{
                f.name: getattr(self, f.name)
                if getattr(self, f.name) is not None
                else getattr(base, f.name)
                for f in fields(self)
            }
        )


def parse_url(value: str, *, where: str) -> str:
    """An absolute http(s) URL, stripped of surrounding whitespace."""
    url = value.strip()
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536  # .port raises on junk
    except ValueError as exc:
        raise EntenteError(
            "E011", f"url {value!r} is not a valid URL ({exc})", where=where
        ) from exc
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or not port_ok
        or any(c.isspace() for c in url)
    ):
        raise EntenteError("E011", f"url {value!r} is not an absolute http(s) URL", where=where)
    return url


def parse_published(value: str, *, where: str, field: str = "published") -> date:
    """YYYY-MM-DD, or a full ISO 8601 datetime whose calendar date is taken as written.

    The date is not converted to UTC: '2023-07-03T23:30:00-05:00' was published on 3 July where
    it was published, and relative dates in the text ('on Monday') are relative to that day.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        if len(text) > 10 and text[10] in "Tt ":
            return datetime.fromisoformat(text[:10] + "T" + text[11:]).date()
    except ValueError:
        pass
    raise EntenteError(
        "E006",
        f"field '{field}' has unparseable date {value!r}; "
        "expected YYYY-MM-DD or an ISO 8601 datetime",
        where=where,
    )


def parse_language(value: str, *, where: str) -> str:
    """A well-formed BCP-47 tag in its canonical case ('EN-gb' -> 'en-GB')."""
    tag = value.strip()
    match = BCP47.match(tag)
    if not match:
        raise EntenteError(
            "E011", f"language {value!r} is not a BCP-47 tag (e.g. en, sv, en-GB)", where=where
        )
    subtags = tag.split("-")
    out = [subtags[0].lower()]
    private = False
    for sub in subtags[1:]:
        if private or len(sub) == 1:
            private = private or sub.lower() == "x"
            out.append(sub.lower())
        elif len(sub) == 4 and sub.isalpha() and match.group("script") == sub:
            out.append(sub.title())
        elif len(sub) == 2 and sub.isalpha() and match.group("region") == sub:
            out.append(sub.upper())
        else:
            out.append(sub.lower())
    return "-".join(out)


# ---------------------------------------------------------------------------------------------
# Paths


def iter_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files to read: files as given, folders expanded to the articles directly inside them.

    Folders yield .txt/.html/.htm/.json/.jsonl files in sorted order, skipping NAME.meta.json
    sidecars and hidden files. Folders are not searched recursively: a sibling folder of other
    JSON (gold annotations, exports) must not be ingested by accident; pass subfolders
    explicitly. Explicit file paths are kept as given (read_path judges them), so a missing or
    unsupported file still gets its own clear error. Duplicates are dropped.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and p.suffix.lower() in SUFFIX_KINDS
                and not p.name.lower().endswith(META_SUFFIX)
            )
        else:
            found = [path]
        for p in found:
            key = p.resolve() if p.exists() else p
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def meta_path_for(path: Path) -> Path:
    """NAME.meta.json beside NAME.ext."""
    return path.with_name(path.stem + META_SUFFIX)


def read_meta_file(path: Path) -> Metadata | None:
    """The sidecar metadata of an article, or None when there is none."""
    meta = meta_path_for(path)
    if not meta.is_file():
        return None
    where = str(meta)
    try:
        raw = meta.read_bytes()
        text = raw.removeprefix(UTF8_BOM).decode("utf-8")
    except OSError as exc:
        raise EntenteError(
            "E010", f"cannot read metadata file ({exc.strerror})", where=where
        ) from exc
    except UnicodeDecodeError as exc:
        raise EntenteError(
            "E010", f"metadata is not valid UTF-8 (byte {exc.start})", where=where
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EntenteError(
            "E010",
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            where=where,
        ) from exc
    if not isinstance(data, dict):
        raise EntenteError("E010", f"expected a JSON object, got {_json_type(data)}", where=where)
    return Metadata.parse(data, where=where, strict=True)


def read_path(path: Path, *, metadata: Metadata | None = None, max_bytes: int) -> list[Document]:
    """The documents in one file (several for .jsonl or a JSON list)."""
    where = str(path)
    if not path.exists():
        raise EntenteError("E009", "no such file", where=where)
    if path.is_dir():
        raise EntenteError(
            "E008", "is a directory; give the files in it (the CLI expands folders)", where=where
        )
    if not path.is_file():  # a FIFO or device would block or never end
        raise EntenteError("E008", "is not a regular file", where=where)
    if path.name.lower().endswith(META_SUFFIX):
        raise EntenteError(
            "E008",
            "is article metadata (NAME.meta.json), not an article; give the article file",
            where=where,
        )
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    if kind is None:
        raise EntenteError(
            "E008", f"unsupported file extension {path.suffix or '(none)'!r}", where=where
        )
    try:
        # Size first: a huge file is refused without reading a byte of it.
        size = path.stat().st_size
        _check_size(size, max_bytes, where)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise EntenteError("E009", "no such file", where=where) from exc
        raise EntenteError(
            "E009", f"cannot read the file ({exc.strerror or exc})", where=where
        ) from exc
    _check_size(len(data), max_bytes, where)
    sidecar = read_meta_file(path)
    return _documents(
        data,
        source=where,
        kind=kind,
        defaults=sidecar,
        overrides=metadata,
        sniff="html" if kind == "text" else "none",
    )


def read_bytes(
    data: bytes,
    *,
    source: str,
    filename: str | None = None,
    content_type: str | None = None,
    metadata: Metadata | None = None,
    max_bytes: int,
) -> list[Document]:
    """The documents in an uploaded body. The kind comes from the filename's extension, else the
    content type, else the content itself (JSON or JSONL, an HTML page, or plain text)."""
    _check_size(len(data), max_bytes, source)
    kind: Kind | None = None
    sniff = False
    if filename:
        suffix = Path(filename).suffix.lower()
        kind = SUFFIX_KINDS.get(suffix)
        if kind is None or filename.lower().endswith(META_SUFFIX):
            raise EntenteError(
                "E008",
                f"unsupported file extension {suffix or '(none)'!r} of {filename!r}",
                where=source,
            )
        sniff = kind == "text"
    elif content_type is not None:
        media = content_type.split(";", 1)[0].strip().lower()
        if media not in GENERIC_CONTENT_TYPES:
            kind = CONTENT_TYPE_KINDS.get(media)
            if kind is None:
                _check_binary(data, source)  # a PDF sent as application/pdf deserves E002
                raise EntenteError("E008", f"unsupported content type {media!r}", where=source)
            sniff = kind == "text"
    if kind is None:
        return _documents(
            data, source=source, kind="text", defaults=None, overrides=metadata, sniff="any"
        )
    return _documents(
        data,
        source=source,
        kind=kind,
        defaults=None,
        overrides=metadata,
        sniff="html" if sniff else "none",
    )


# ---------------------------------------------------------------------------------------------
# Decoding and parsing


def _check_size(size: int, max_bytes: int, where: str) -> None:
    if size > max_bytes:
        raise EntenteError(
            "E007",
            f"input is {size:,} bytes, more than the limit of {max_bytes:,} bytes",
            where=where,
        )


def _check_binary(data: bytes, where: str) -> None:
    for magic, what in MAGIC_NUMBERS:
        if data.startswith(magic):
            raise EntenteError("E002", f"input is binary: it looks like {what}", where=where)
    if data.startswith(UTF16_BOMS):
        raise EntenteError(
            "E003",
            "input is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8",
            where=where,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EntenteError(
            "E002", f"input is binary: it contains a NUL byte at offset {nul}", where=where
        )
    controls = len(data) - len(data.translate(None, CONTROL_BYTES))
    if controls and controls > MAX_CONTROL_RATIO * len(data):
        raise EntenteError(
            "E002",
            f"input is binary: {controls} of its {len(data)} bytes are control characters",
            where=where,
        )


def _decode(data: bytes, where: str) -> str:
    if not data.strip():
        raise EntenteError(
            "E001", "input is empty" if not data else "input is only whitespace", where=where
        )
    _check_binary(data, where)
    bom = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        line = data.count(b"\n", 0, offset) + 1
        raise EntenteError(
            "E003",
            f"invalid UTF-8 at byte offset {offset} (line {line}): {exc.reason}",
            where=where,
        ) from exc
    if not text.strip():
        raise EntenteError("E001", "input is only whitespace", where=where)
    return text


def _documents(
    data: bytes,
    *,
    source: str,
    kind: Kind,
    defaults: Metadata | None,
    overrides: Metadata | None,
    sniff: Literal["none", "html", "any"],
) -> list[Document]:
    """`sniff`: what plain text may turn out to be ('any' when the sender said nothing)."""
    text = _decode(data, source)
    if kind == "text" and sniff == "any":
        kind = _sniff_json(text) or kind
    if kind == "text" and sniff != "none" and looks_like_html(text):
        kind = "html"
    if kind in ("text", "html"):
        base = defaults
        if kind == "html":
            base = (defaults or Metadata()).over(html_metadata(text))
        meta = (overrides or Metadata()).over(base)
        return [_document(text, source, "text/html" if kind == "html" else "text/plain", meta)]
    records = _json_records(text, source) if kind == "json" else _jsonl_records(text, source)
    docs = []
    for where, record in records:
        docs.append(_record_document(record, where, defaults, overrides))
    return docs


def _sniff_json(text: str) -> Kind | None:
    """JSON or JSONL for a body sent without a name or type. A body opening with '{' is taken as
    JSON even when it does not parse (no article starts with a brace; the sender gets E005);
    one opening with '[' only if it parses, since a text may start with '[Update]'."""
    head = text.lstrip()
    if not head.startswith(("{", "[")):
        return None
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines):
        try:
            json.loads(text)
        except json.JSONDecodeError:
            return "jsonl"
        except RecursionError:
            return "json"  # parsed again by _json_records, which says what is wrong
        return "json"
    if head.startswith("{"):
        return "json"
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return None
    except RecursionError:
        return "json"
    return "json"


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def _json_error(exc: json.JSONDecodeError, where: str) -> EntenteError:
    line = exc.lineno
    return EntenteError(
        "E005", f"malformed JSON at line {line}, column {exc.colno}: {exc.msg}", where=where
    )


def _too_deep(where: str) -> EntenteError:
    # The C scanner recurses once per nesting level and stops at the interpreter's recursion
    # limit (about a thousand levels); an article record needs two or three.
    return EntenteError(
        "E005",
        "the JSON is nested too deeply to be an article (more than about 900 levels)",
        where=where,
    )


def _json_records(text: str, source: str) -> list[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(exc, source) from exc
    except RecursionError:
        raise _too_deep(source) from None
    if isinstance(data, list):
        if not data:
            raise EntenteError("E004", "the JSON list holds no articles", where=source)
        return [(f"{source} (item {i})", item) for i, item in enumerate(data, start=1)]
    return [(source, data)]


def _jsonl_records(text: str, source: str) -> Iterator[tuple[str, Any]]:
    # Only '\n' ends a record (JSON Lines); splitlines() would also split on U+2028 in strings.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise EntenteError(
                "E005",
                f"malformed JSON on line {lineno}, column {exc.colno}: {exc.msg}",
                where=where,
            ) from exc
        except RecursionError:
            raise _too_deep(where) from None


def _record_document(
    record: Any, where: str, defaults: Metadata | None, overrides: Metadata | None
) -> Document:
    if not isinstance(record, dict):
        raise EntenteError(
            "E004", f"expected a JSON object with 'text', got {_json_type(record)}", where=where
        )
    text = record.get("text")
    if not isinstance(text, str):
        got = "no 'text' field" if "text" not in record else f"'text' is {_json_type(text)}"
        raise EntenteError(
            "E004", f"the JSON object has {got}; 'text' must be a non-empty string", where=where
        )
    if not text.strip():
        raise EntenteError("E004", "the JSON object's 'text' is empty", where=where)
    record_meta = Metadata.parse(record, where=where)
    html = looks_like_html(text)
    base = (defaults or Metadata()).over(html_metadata(text)) if html else defaults
    meta = (overrides or Metadata()).over(record_meta.over(base))
    return _document(text, where, "text/html" if html else "text/plain", meta)


def _document(text: str, source: str, media_type: str, meta: Metadata) -> Document:
    for name, value in (("text", text), ("title", meta.title), ("url", meta.url)):
        if value is not None:
            _check_unicode(value, name, source)
    return Document(
        text=text,
        source=source,
        media_type=media_type,
        url=meta.url,
        title=meta.title,
        published=meta.published,
        language=meta.language,
    )


def _check_unicode(value: str, name: str, where: str) -> None:
    """E005 for a lone surrogate: JSON's \\uD800 escape decodes to a code point that is no
    character and that no UTF-8 text (the store, the hash, the answer) can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EntenteError(
            "E005",
            f"the {name!r} field holds a lone surrogate \\u{ord(value[exc.start]):04x} at "
            f"character {exc.start}: a \\uD800-\\uDFFF escape must be one half of a pair",
            where=where,
        ) from None


def looks_like_html(text: str) -> bool:
    """True for an HTML page or an HTML fragment that opens with a block element and closes one."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return bool(_HTML_FRAGMENT.match(head) and _HTML_CLOSING.search(text))


# ---------------------------------------------------------------------------------------------
# Metadata embedded in HTML

_PUBLISHED_META_KEYS = frozenset(
    {
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "citation_publication_date",
        "parsely-pub-date",
        "sailthru.date",
    }
)


def html_metadata(html: str) -> Metadata:
    """Title, canonical URL and publication date a page declares about itself (best effort)."""
    try:
        import lxml.html

        root = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises several types on junk; embedded metadata is optional
        return Metadata()
    title: str | None = None
    url: str | None = None
    published: date | None = None
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if not content:
            continue
        if key == "og:title" and title is None:
            title = content
        elif key == "og:url" and url is None:
            url = _best_effort(parse_url, content)
        elif key in _PUBLISHED_META_KEYS and published is None:
            published = _best_effort(parse_published, content)
    for el in root.iter("link"):
        if url is None and "canonical" in (el.get("rel") or "").lower().split():
            url = _best_effort(parse_url, el.get("href") or "")
    if published is None:
        for el in root.iter("time"):
            if el.get("itemprop", "").lower() == "datepublished" or el.get("pubdate") is not None:
                published = _best_effort(parse_published, el.get("datetime") or "")
                if published:
                    break
    if title is None:
        found = root.find(".//title")
        if found is not None and found.text_content().strip():
            title = _without_site_name(" ".join(found.text_content().split()))
    title = " ".join(title.split()) if title else None
    return Metadata(url=url, title=title or None, published=published)


_SITE_SUFFIX = re.compile(r"^(?P<title>.+?)\s+(?:\||-|–|—|::|·)\s+(?P<site>[^|–—·]+)$")


def _without_site_name(title: str) -> str:
    """'EU and Japan deepen chip ties | Tech Daily' -> 'EU and Japan deepen chip ties'."""
    match = _SITE_SUFFIX.match(title)
    if match and len(match["site"].split()) <= 4 and len(match["title"].split()) >= 3:
        return match["title"]
    return title


def _best_effort(parse: Any, value: str) -> Any:
    try:
        return parse(value, where="<html>")
    except EntenteError:
        return None


__all__ = [
    "Metadata",
    "iter_inputs",
    "looks_like_html",
    "meta_path_for",
    "parse_language",
    "parse_published",
    "parse_url",
    "read_bytes",
    "read_path",
]
