"""A bound on XML entity expansion, checked before an RDF/XML body reaches the parser.

The XML parser pyoxigraph uses expands internal entities declared in the document's DOCTYPE
(external ones it refuses). Entities that name entities grow exponentially ("billion laughs"):
a 533-byte body became a 10^8-character literal and 740 MB of memory, past any request-size
limit. So the declarations are read here, each entity's expanded length computed (with the
lengths of the entities it names), and the body is refused when its references would expand to
more than the request-size limit. Ordinary use (namespace abbreviations such as
`<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">`) is far below any limit and passes.
"""

from __future__ import annotations

import re

from entente.errors import EntenteError

_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(?P<subset>.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(
    rb"<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s%\"'>]+)\s+(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')",
    re.DOTALL,
)
_REFERENCE = re.compile(rb"[&%](?P<name>[^\s;&%<>\"']+);")
_PREDEFINED = {b"lt", b"gt", b"amp", b"apos", b"quot"}


def check_entity_expansion(data: bytes, *, limit: int, where: str) -> None:
    """E410 when the internal entities `data` declares would expand to more than `limit`
    characters in total (or refer to themselves)."""
    doctype = _DOCTYPE.search(data)
    if doctype is None:
        return
    values: dict[bytes, bytes] = {}
    for match in _ENTITY.finditer(doctype.group("subset")):
        value = match.group("dq") if match.group("dq") is not None else match.group("sq")
        values.setdefault(match.group("name"), value or b"")
    if not values:
        return
    sizes: dict[bytes, int] = {}

    def size(name: bytes, path: tuple[bytes, ...]) -> int:
        if name in sizes:
            return sizes[name]
        if name in path:
            raise EntenteError(
                "E423",
                f"the entity &{name.decode('utf-8', 'replace')}; refers to itself",
                where=where,
            )
        value = values[name]
        total = len(value)
        for ref in _REFERENCE.finditer(value):
            ref_name = ref.group("name")
            if ref_name in values:
                total += size(ref_name, (*path, name)) - len(ref.group())
            if total > limit:
                break
        sizes[name] = min(total, limit + 1)
        return sizes[name]

    body = data[doctype.end() :]
    expanded = len(body)
    for ref in _REFERENCE.finditer(body):
        ref_name = ref.group("name")
        if ref_name in values and ref_name not in _PREDEFINED:
            expanded += size(ref_name, ()) - len(ref.group())
        if expanded > limit:
            raise EntenteError(
                "E410",
                f"the {where}'s XML entities expand to more than {limit:,} characters "
                f"(&{ref_name.decode('utf-8', 'replace')}; and the entities it names)",
                where=where,
                hint="Write the text out instead of building it from nested entities, or "
                "raise ENTENTE_MAX_REQUEST_BYTES on the server.",
            )
