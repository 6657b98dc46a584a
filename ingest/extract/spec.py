"""FamilySpec: everything the pipeline needs to know about one fact family, in one value.

A family module (cooperation.py, policy.py, …) ends with its SPEC; extract/registry.py lists
the specs in trigger priority order. Adding a family is one module, one line in the registry,
and its class and shape in ontology/ and shapes/ (docs/extraction.md, "Adding a family").

    name        the family ("Policy"); Draft.family and the TriggerMatch label
    types       the statement classes it produces ({"ExportControl", "DeRisking", …})
    identity    key roles: the same class and key roles from two articles is one statement node
    section     its table in the lexicon files ("policy"), with `schema` (a pydantic model of
                that table with a compile() method) and what compile() returns is what the
                extractor reads through spec.lexicon(lexicon)
    triggers    (label, kind, patterns) lists found in a unit; labels rank in `labels` order
    extractor   the function that turns one trigger into drafts (None: Position, read in pass 1)
    dated       whether a date near the trigger is attached to the statement
    hosts       trigger phrases (phrase_key form) whose match may hold another family's trigger
                that is reported as well ('from selling' in 'barred X from selling its plant
                to Y': the stance is one fact, the deal it stopped another)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

from entente.ingest.extract.context import DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.lexicon import Lexicon, Pattern

S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)

Extractor = Callable[[DocContext, Unit, TriggerMatch], "Draft | list[Draft] | None"]
TriggerSet = tuple[str, str, tuple[Pattern, ...]]  # (label, kind, patterns)


class SectionSchema(Protocol[S_co]):
    """A pydantic model of one lexicon table that compiles to what its extractor reads."""

    def compile(self) -> S_co: ...


@dataclass(frozen=True)
class FamilySpec(Generic[S]):
    name: str
    identity: tuple[str, ...]
    types: frozenset[str] = frozenset()
    section: str | None = None
    schema: type[Any] | None = None  # a pydantic model class implementing SectionSchema[S]
    triggers: Callable[[S], Iterable[TriggerSet]] | None = None
    labels: tuple[str, ...] = ()
    extractor: Extractor | None = None
    dated: bool = False
    # Prepositions the family's roles hang on (a token after one is not a clause subject).
    prepositions: Callable[[S], frozenset[str]] = field(default=lambda _: frozenset())
    hosts: Callable[[S], frozenset[str]] = field(default=lambda _: frozenset())

    @property
    def statement_types(self) -> frozenset[str]:
        return self.types or frozenset({self.name})

    @property
    def trigger_labels(self) -> tuple[str, ...]:
        return self.labels or (self.name,)

    def lexicon(self, lexicon: Lexicon) -> S:
        """The family's compiled table in a lexicon."""
        if self.section is None:
            raise KeyError(f"family {self.name} has no lexicon table")
        return cast(S, lexicon.section(self.section))

    def hosting_phrases(self, lexicon: Lexicon) -> frozenset[str]:
        if self.section is None:
            return frozenset()
        return self.hosts(self.lexicon(lexicon))

    def trigger_sets(self, lexicon: Lexicon) -> list[TriggerSet]:
        if self.triggers is None or self.section is None:
            return []
        return list(self.triggers(self.lexicon(lexicon)))
