"""What the ingest tests compare statements as (registered as `entente_tests_statements` by
tests/conftest.py): an article analysed by the session pipeline, and its statements as flat,
readable tuples (`("Meeting", "participant=japan,korea", "title=minister")`) or checked role by
role. One copy for every test module that writes sentences of its own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from entente.ingest.model import Analysis, Document, Statement
from entente.ingest.pipeline import Pipeline


def analyse(pipeline: Pipeline, text: str, language: str = "en") -> Analysis:
    return pipeline.analyze(Document(text=text, source="t.txt", language=language))


def short(iri: str) -> str:
    """The last segment of an IRI: `japan`, `Agreed`."""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def flat(
    statements: Iterable[Statement],
    *types: str,
    drop: Sequence[str] = ("status",),
    values: Sequence[str] = (),
) -> set[tuple[str, ...]]:
    """Each statement (of `types`, if given) as its type, then `role=a,b` for every role not
    dropped, then `value=x` for the values named."""
    out: set[tuple[str, ...]] = set()
    for s in statements:
        if types and s.type not in types:
            continue
        roles = tuple(
            f"{k}={','.join(sorted(short(v) for v in vals))}"
            for k, vals in sorted(s.roles.items())
            if k not in drop
        )
        shown = tuple(f"{name}={v}" for name in values for v in s.values.get(name, ()))
        out.add((s.type, *roles, *shown))
    return out


def of_type(got: set[tuple[str, ...]], *types: str) -> set[tuple[str, ...]]:
    return {f for f in got if f[0] in types}


def has(found: Iterable[Statement], kind: str, roles: dict[str, set[str]]) -> bool:
    """Whether a statement of `kind` has at least the roles given (by short name)."""
    return any(matches(s, kind, roles) for s in found)


def matches(s: Statement, kind: str, roles: dict[str, set[str]]) -> bool:
    got = {k: {short(v) for v in vs} for k, vs in s.roles.items()}
    return s.type == kind and all(want <= got.get(k, set()) for k, want in roles.items())


def mention_types(pipeline: Pipeline, text: str, language: str = "en") -> dict[str, str]:
    """Mention text -> the type of the entity it links to."""
    analysis = analyse(pipeline, text, language)
    return {m.text: analysis.entities[m.entity].type for m in analysis.mentions}
