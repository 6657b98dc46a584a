"""The fact families, in trigger priority order, and what follows from them: the statement
identity keys, the statement IRI, and the schema and loading of the lexicon files.

Overlapping trigger matches keep the longest; ties go to the family listed first here (then to
the label listed first in its spec: an Agreement kind before an anaphoric "similar council").
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from entente.errors import EntenteError
from entente.ingest.extract import (
    acquisition,
    agreement,
    cooperation,
    dependency,
    meeting,
    policy,
    position,
    pressure,
    support,
)
from entente.ingest.extract.lexicon import (
    Lexicon,
    LexiconTable,
    read_toml,
    validation_message,
)
from entente.ingest.extract.spec import FamilySpec
from entente.ontology import iris
from pydantic import ValidationError, create_model
from rdflib import URIRef

FAMILIES: tuple[FamilySpec[Any], ...] = (
    agreement.SPEC,
    policy.SPEC,
    support.SPEC,
    acquisition.SPEC,
    dependency.SPEC,
    meeting.SPEC,
    cooperation.SPEC,
    pressure.SPEC,
    position.SPEC,
)

PRIORITY: tuple[str, ...] = tuple(
    label for spec in FAMILIES if spec.triggers is not None for label in spec.trigger_labels
)
BY_LABEL: dict[str, FamilySpec[Any]] = {
    label: spec for spec in FAMILIES for label in spec.trigger_labels
}
BY_TYPE: dict[str, FamilySpec[Any]] = {t: spec for spec in FAMILIES for t in spec.statement_types}
AGREEMENT_KINDS = agreement.SPEC.statement_types
POLICY_KINDS = policy.SPEC.statement_types


def spec_of(statement_type: str) -> FamilySpec[Any]:
    spec = BY_TYPE.get(statement_type)
    if spec is None:
        raise ValueError(f"unknown statement type {statement_type!r}")
    return spec


def key_roles(statement_type: str) -> tuple[str, ...]:
    return spec_of(statement_type).identity


def statement_iri(statement_type: str, roles: dict[str, tuple[str, ...]]) -> URIRef:
    """The statement's node: its class and key roles (value roles such as status, amount or
    title stay out, so that disagreeing reports land on one node)."""
    return iris.statement_iri(statement_type, roles, key_roles(statement_type))


# --- lexicon files ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def lexicon_model() -> type[LexiconTable]:
    """The whole file's declared schema: the general tables plus each family's own table."""
    fields: dict[str, Any] = {
        spec.section: (spec.schema, spec.schema())
        for spec in FAMILIES
        if spec.section is not None and spec.schema is not None
    }
    model: type[LexiconTable] = create_model("LexiconFile", __base__=LexiconTable, **fields)
    return model


def lexicon_from_dict(data: dict[str, Any], *, where: str) -> Lexicon:
    try:
        table = lexicon_model().model_validate(data)
    except ValidationError as exc:
        raise EntenteError("E104", validation_message(exc), where=where) from exc
    sections: dict[str, object] = {}
    prepositions: set[str] = set()
    for spec in FAMILIES:
        if spec.section is None:
            continue
        raw = getattr(table, spec.section)
        for kind in getattr(raw, "kinds", {}) or {}:
            if kind not in spec.statement_types:
                raise EntenteError(
                    "E104",
                    f"{spec.section}.kinds.{kind}: not a {spec.name} class; "
                    f"known: {', '.join(sorted(spec.statement_types))}",
                    where=where,
                )
        compiled = raw.compile()
        sections[spec.section] = compiled
        prepositions |= spec.prepositions(compiled)
    return Lexicon.from_table(table, sections, frozenset(prepositions))


def parse_lexicon(text: str, *, where: str) -> Lexicon:
    return lexicon_from_dict(read_toml(text, where=where), where=where)


def available_languages() -> frozenset[str]:
    root = resources.files("entente.ingest.lexicons")
    names = (p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))
    return frozenset(n for n in names if re.fullmatch(r"[a-z]{2,3}", n))


@lru_cache(maxsize=16)
def load_lexicon(language: str) -> Lexicon | None:
    """The shipped lexicon for a BCP-47 code (its primary subtag), or None when there is none."""
    primary = language.split("-")[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        return None
    resource = resources.files("entente.ingest.lexicons").joinpath(f"{primary}.toml")
    if not resource.is_file():
        return None
    return parse_lexicon(resource.read_text(encoding="utf-8"), where=f"lexicons/{primary}.toml")


def load_lexicon_file(path: Path) -> Lexicon:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EntenteError("E104", f"cannot read lexicon: {exc}", where=str(path)) from exc
    return parse_lexicon(text, where=str(path))
