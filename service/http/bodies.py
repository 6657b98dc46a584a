"""Reading request bodies the protocols send: the Content-Type's media type and charset, text in
that charset, and form fields (percent-decoded exactly once). Shared by /sparql, /update and
/store."""

from __future__ import annotations

from urllib.parse import parse_qsl

from entente.errors import EntenteError
from entente.service.http.percent import parse_pairs


def content_type(header: str | None) -> tuple[str, str]:
    """The media type (lower case) and charset (UTF-8 unless given) of a Content-Type header."""
    if not header:
        return "", "utf-8"
    media, *params = (p.strip() for p in header.split(";"))
    charset = "utf-8"
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media.lower(), charset


def media_parameters(header: str | None, name: str) -> list[str]:
    """Every value of the media-type parameter `name` in a Content-Type header (in order)."""
    if not header:
        return []
    _, *params = (p.strip() for p in header.split(";"))
    values = []
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == name:
            values.append(value.strip().strip('"'))
    return values


# SPARQL 1.2 Protocol: a request may name the language version it is written in, as a `version`
# parameter (URL or form) or a media-type parameter; given twice it is a client error.
SPARQL_VERSIONS = ("1.0", "1.1", "1.2")


def check_version(header: str | None, pairs: list[tuple[str, str]]) -> str | None:
    """The request's SPARQL `version` (None when not given); E415 when it is given more than
    once, in any mix of URL, form and Content-Type, or names a version this server does not
    speak."""
    given = media_parameters(header, "version") + [v for n, v in pairs if n == "version"]
    if not given:
        return None
    if len(given) > 1:
        raise EntenteError(
            "E415", f"'version' is given {len(given)} times; give it once", where="version"
        )
    if given[0].strip() not in SPARQL_VERSIONS:
        raise EntenteError(
            "E415",
            f"SPARQL version {given[0]!r} is not one this server speaks "
            f"({', '.join(SPARQL_VERSIONS)})",
            where="version",
        )
    return given[0].strip()


def decode_text(body: bytes, charset: str, *, where: str) -> str:
    try:
        return body.decode(charset)
    except LookupError:
        raise EntenteError("E405", f"unknown charset {charset!r}", where="Content-Type") from None
    except UnicodeDecodeError as exc:
        raise EntenteError(
            "E415", f"the {where} is not valid {charset} (byte {exc.start})", where=where
        ) from None


def decode_form(body: bytes, charset: str) -> list[tuple[str, str]]:
    """Form fields, percent-decoded once ('+' is a space, '%2B' a plus). Decoding twice, as
    rdflib-endpoint did, turns a query's literal '%2B' into '+' and its '+' into a space."""
    try:
        if body.isascii():
            return parse_pairs(body, encoding=charset, errors="strict")
        # Not strictly a form body, but some clients send raw UTF-8: read it in its charset.
        text = decode_text(body, charset, where="form body")
        return parse_qsl(text, keep_blank_values=True, encoding=charset, errors="strict")
    except LookupError:
        raise EntenteError("E405", f"unknown charset {charset!r}", where="Content-Type") from None
    except UnicodeDecodeError as exc:
        raise EntenteError(
            "E415",
            f"a form field is not valid {charset} after percent-decoding ({exc.reason})",
            where="form body",
        ) from None
