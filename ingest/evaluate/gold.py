"""Gold annotations for `entente eval`: load and check one NAME.json (format: docs/evaluation.md).

The loader is strict on purpose: an annotator's typo (an unknown role, a key that names no entity,
a misspelt status) would otherwise silently turn into a miss or a false positive in the scores.
Every problem becomes an EntenteError E013 that names the file and the offending fact or entity.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from entente.errors import EntenteError

ENTITY_TYPES = frozenset(
    {
        "Person",
        "State",
        "Bloc",
        "GovernmentBody",
        "Company",
        "ResearchOrganization",
        "OtherOrganization",
        "Technology",
        "Forum",
    }
)
# A Forum (a council, a congress) is a statement node in the graph, not an actor: it is scored
# through its Agreement fact, never as an entity.
SCORED_ENTITY_TYPES = ENTITY_TYPES - {"Forum"}

AGREEMENT_KINDS = (
    "DigitalPartnershipCouncil",
    "JointStatement",
    "TradeAndTechnologyCouncil",
    "Framework",
    "MoU",
    "Other",
)
POLICIES = (
    "DeRisking",
    "Decoupling",
    "AIRegulation",
    "Subsidy",
    "SupplyChainSecurity",
    "Onshoring",
    "InvestmentScreening",
    "Other",
)
STATUSES = (
    "planned",
    "announced",
    "established",
    "signed",
    "in_force",
    "proposed",
    "agreed",
    "completed",
)

RoleKind = Literal["key", "keys", "enum", "number", "text"]


@dataclass(frozen=True)
class RoleSpec:
    kind: RoleKind
    required: bool = False  # must be present and non-null
    min_items: int = 0  # for "keys"
    choices: tuple[str, ...] = ()  # for "enum"


def _r(
    kind: RoleKind, required: bool = False, min_items: int = 0, choices: tuple[str, ...] = ()
) -> RoleSpec:
    return RoleSpec(kind, required, min_items, choices)


# The gold schema (examples/gold/README.md), one entry per fact type.
FACT_SCHEMA: dict[str, dict[str, RoleSpec]] = {
    "Cooperation": {"parties": _r("keys", True, 2), "technologies": _r("keys")},
    "Agreement": {
        "kind": _r("enum", True, choices=AGREEMENT_KINDS),
        "parties": _r("keys", True, 2),
        "technologies": _r("keys"),
        "status": _r("enum", choices=STATUSES),
    },
    "Meeting": {"participants": _r("keys", True, 2), "location": _r("key")},
    "ExportControl": {
        "imposer": _r("key", True),
        "technology": _r("key", True),
        "target": _r("key"),
        "status": _r("enum", choices=STATUSES),
    },
    "PolicyStance": {
        "actor": _r("key", True),
        "policy": _r("enum", True, choices=POLICIES),
        "target": _r("key"),
        "technology": _r("key"),
    },
    "Dependency": {"dependent": _r("key", True), "on": _r("key", True), "technology": _r("key")},
    "Acquisition": {
        "acquirer": _r("key", True),
        "target": _r("key", True),
        "amount": _r("number"),
        "currency": _r("text"),
        "alt_amount": _r("number"),
        "alt_currency": _r("text"),
        "status": _r("enum", choices=STATUSES),
    },
    "Support": {"supporter": _r("key", True), "beneficiary": _r("key", True)},
    "Position": {"person": _r("key", True), "title": _r("text"), "organization": _r("key", True)},
    "Pressure": {"actor": _r("key", True), "target": _r("key"), "aim": _r("text")},
}

ArgValue = str | float | tuple[str, ...] | None
_Bad = Callable[[str], EntenteError]

_QID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class GoldEntity:
    key: str
    name: str
    type: str
    wikidata: str | None
    mentions: tuple[str, ...]

    @property
    def scored(self) -> bool:
        return self.type in SCORED_ENTITY_TYPES


@dataclass(frozen=True)
class GoldFact:
    type: str
    args: dict[str, ArgValue]
    evidence: str
    alternative_evidence: tuple[str, ...] = ()
    index: int = 0  # position in the file, for messages and a stable order

    def keys(self, role: str) -> tuple[str, ...]:
        """Entity keys in a role: () for null, a 1-tuple for a single key."""
        value = self.args.get(role)
        if value is None:
            return ()
        if isinstance(value, tuple):
            return value
        return (str(value),)


@dataclass(frozen=True)
class GoldArticle:
    stem: str
    path: Path
    language: str | None
    entities: dict[str, GoldEntity]  # key -> entity
    facts: tuple[GoldFact, ...] = field(default_factory=tuple)


def norm_name(text: str) -> str:
    """Comparable form of a name or surface form: compatibility-normalised (no-break spaces,
    ligatures), curly quotes and dashes made plain, case-folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PLAIN)
    return " ".join(text.casefold().split()).strip(" .,;:")


def norm_sentence(text: str) -> str:
    """Comparable form of an evidence sentence (case kept: sentences are copied verbatim)."""
    text = unicodedata.normalize("NFKC", text).translate(_PLAIN)
    return " ".join(text.split())


_PLAIN = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"}
)


def load_gold(path: Path) -> GoldArticle:
    """One gold file. EntenteError E009 if missing, E005 if not JSON, E013 if not the format."""
    where = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EntenteError("E009", "gold file not found", where=where) from None
    except UnicodeDecodeError as exc:
        raise EntenteError(
            "E003", f"gold file is not UTF-8 ({exc.reason} at byte {exc.start})", where=where
        ) from None
    except OSError as exc:
        raise EntenteError(
            "E009", f"gold file cannot be read: {exc.strerror}", where=where
        ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise EntenteError(
            "E005",
            f"gold file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            where=where,
        ) from None
    return parse_gold(data, stem=_stem(path), path=path)


def _stem(path: Path) -> str:
    return path.name[: -len(".json")] if path.name.endswith(".json") else path.stem


def parse_gold(data: Any, *, stem: str, path: Path) -> GoldArticle:
    where = str(path)

    def bad(message: str) -> EntenteError:
        return EntenteError("E013", message, where=where)

    if not isinstance(data, dict):
        raise bad(f"expected a JSON object with 'entities' and 'facts', got {type(data).__name__}")
    unknown = set(data) - {"id", "language", "entities", "facts"}
    if unknown:
        raise bad(f"unknown top-level field(s): {', '.join(sorted(unknown))}")
    file_id = data.get("id")
    if file_id is not None and file_id != stem:
        raise bad(f"'id' is {file_id!r} but the file stem is {stem!r}; they must be equal")
    language = data.get("language")
    if language is not None and (not isinstance(language, str) or not language):
        raise bad("'language' must be a BCP-47 code such as 'en'")
    raw_entities = data.get("entities")
    raw_facts = data.get("facts")
    if not isinstance(raw_entities, list):
        raise bad("'entities' must be a list")
    if not isinstance(raw_facts, list):
        raise bad("'facts' must be a list")

    entities: dict[str, GoldEntity] = {}
    for i, raw in enumerate(raw_entities):
        entity = _parse_entity(raw, f"entities[{i}]", bad)
        if entity.key in entities:
            raise bad(f"entities[{i}]: key {entity.key!r} is used twice")
        entities[entity.key] = entity

    facts = tuple(_parse_fact(raw, i, entities, bad) for i, raw in enumerate(raw_facts))
    return GoldArticle(stem=stem, path=path, language=language, entities=entities, facts=facts)


def _parse_entity(raw: Any, at: str, bad: _Bad) -> GoldEntity:
    if not isinstance(raw, dict):
        raise bad(f"{at}: an entity must be an object")
    unknown = set(raw) - {"key", "name", "type", "wikidata", "mentions"}
    if unknown:
        raise bad(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
    key, name, etype = raw.get("key"), raw.get("name"), raw.get("type")
    if not isinstance(key, str) or not key:
        raise bad(f"{at}: 'key' must be a non-empty string")
    at = f"entity {key!r}"
    if not isinstance(name, str) or not name.strip():
        raise bad(f"{at}: 'name' must be a non-empty string")
    if etype not in ENTITY_TYPES:
        raise bad(f"{at}: 'type' is {etype!r}; expected one of {', '.join(sorted(ENTITY_TYPES))}")
    wikidata = raw.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not _QID.match(wikidata)):
        raise bad(f"{at}: 'wikidata' must be a QID such as 'Q17' or null, got {wikidata!r}")
    mentions = raw.get("mentions", [])
    if not isinstance(mentions, list) or not all(isinstance(m, str) and m for m in mentions):
        raise bad(f"{at}: 'mentions' must be a list of non-empty strings")
    return GoldEntity(key=key, name=name, type=etype, wikidata=wikidata, mentions=tuple(mentions))


def _parse_fact(raw: Any, index: int, entities: dict[str, GoldEntity], bad: _Bad) -> GoldFact:
    at = f"facts[{index}]"
    if not isinstance(raw, dict):
        raise bad(f"{at}: a fact must be an object")
    unknown = set(raw) - {"type", "args", "evidence", "alternative_evidence"}
    if unknown:
        raise bad(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
    ftype = raw.get("type")
    if ftype not in FACT_SCHEMA:
        raise bad(f"{at}: 'type' is {ftype!r}; expected one of {', '.join(FACT_SCHEMA)}")
    at = f"{at} ({ftype})"
    evidence = raw.get("evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        raise bad(f"{at}: 'evidence' must be the sentence that states the fact")
    alternatives = raw.get("alternative_evidence", [])
    if not isinstance(alternatives, list) or not all(
        isinstance(a, str) and a.strip() for a in alternatives
    ):
        raise bad(f"{at}: 'alternative_evidence' must be a list of sentences")
    args = raw.get("args")
    if not isinstance(args, dict):
        raise bad(f"{at}: 'args' must be an object")
    schema = FACT_SCHEMA[ftype]
    unknown = set(args) - set(schema)
    if unknown:
        raise bad(
            f"{at}: unknown role(s) {', '.join(sorted(unknown))}; {ftype} has {', '.join(schema)}"
        )
    parsed: dict[str, ArgValue] = {}
    for role, spec in schema.items():
        parsed[role] = _parse_arg(args.get(role), spec, f"{at} role {role!r}", entities, bad)
    return GoldFact(
        type=ftype,
        args=parsed,
        evidence=evidence,
        alternative_evidence=tuple(alternatives),
        index=index,
    )


def _parse_arg(
    value: Any, spec: RoleSpec, at: str, entities: dict[str, GoldEntity], bad: _Bad
) -> ArgValue:
    if value is None:
        if spec.required:
            raise bad(f"{at} is required")
        return () if spec.kind == "keys" else None
    if spec.kind == "keys":
        if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
            raise bad(f"{at} must be a list of entity keys")
        for k in value:
            _known(k, at, entities, bad)
        if len(set(value)) < spec.min_items:
            raise bad(
                f"{at} needs at least {spec.min_items} different entity keys, has {len(set(value))}"
            )
        return tuple(value)
    if spec.kind == "key":
        if not isinstance(value, str):
            raise bad(f"{at} must be an entity key or null")
        _known(value, at, entities, bad)
        return value
    if spec.kind == "enum":
        if value not in spec.choices:
            raise bad(f"{at} is {value!r}; expected one of {', '.join(spec.choices)}")
        return str(value)
    if spec.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad(f"{at} must be a number")
        return float(value)
    if not isinstance(value, str):
        raise bad(f"{at} must be a string")
    return value


def _known(key: str, at: str, entities: dict[str, GoldEntity], bad: _Bad) -> None:
    if key not in entities:
        raise bad(f"{at} names entity {key!r}, which is not in 'entities'")
