"""Fact matching for `entente eval`: system statements and gold facts on one footing, then paired.

Both sides become FactViews in the gold's terms (fact type, role names, entity keys). System
statement classes map to gold types by the table in docs/evaluation.md ("Mapping the vocabulary to
gold fact types"); system entity IRIs become gold keys through the entity alignment. A system fact
matches a gold fact when the type, the kind (Agreement kind, PolicyStance policy) and the key roles
agree; value roles (status, amount, title, an Agreement's technologies, ...) are scored separately
on matched pairs. The rules, strict and lenient, are written out in docs/evaluation.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from entente.ingest.evaluate.gold import GoldArticle, GoldFact, norm_name, norm_sentence
from entente.ingest.extract.registry import AGREEMENT_KINDS, POLICY_KINDS
from entente.ingest.model import Statement

# Roles that identify a fact (gold role names). The rest are value roles.
KEY_ROLES: dict[str, tuple[str, ...]] = {
    "Cooperation": ("parties", "technologies"),
    "Agreement": ("parties",),
    "Meeting": ("participants",),
    "ExportControl": ("imposer", "technology", "target"),
    "PolicyStance": ("actor", "target"),
    "Dependency": ("dependent", "on"),
    "Acquisition": ("acquirer", "target"),
    "Support": ("supporter", "beneficiary"),
    "Position": ("person", "organization"),
    "Pressure": ("actor", "target"),
}
# Compared only when the gold fact fills them: a system that also names a target is not wrong.
OPTIONAL_KEYS = frozenset(
    {("ExportControl", "target"), ("PolicyStance", "target"), ("Pressure", "target")}
)
# Key roles that hold a set in the gold schema; every other key role holds one entity, so a system
# statement with several values there (actor = {EU, Japan}) is read as one fact per value.
SET_KEYS = frozenset({"parties", "participants", "technologies"})
# Lenient scoring lets these sets overlap instead of being equal.
OVERLAP_KEYS = frozenset({("Cooperation", "technologies")})

# System role (ent: property local name) -> gold role, per gold fact type.
SYSTEM_ROLES: dict[str, dict[str, str]] = {
    "Cooperation": {"party": "parties", "technology": "technologies"},
    "Agreement": {"party": "parties", "technology": "technologies", "status": "status"},
    "Meeting": {"participant": "participants", "location": "location"},
    "ExportControl": {
        "actor": "imposer",
        "technology": "technology",
        "target": "target",
        "status": "status",
    },
    "PolicyStance": {
        "actor": "actor",
        "target": "target",
        "technology": "technology",
        "status": "status",
    },
    "Dependency": {"dependent": "dependent", "dependsOn": "on", "technology": "technology"},
    "Acquisition": {"acquirer": "acquirer", "acquired": "target", "status": "status"},
    "Support": {"supporter": "supporter", "beneficiary": "beneficiary"},
    "Position": {"holder": "person", "organization": "organization"},
    "Pressure": {"actor": "actor", "target": "target"},
}
# Value roles scored on matched facts. Pressure's `aim` is free text with no fair comparison.
VALUE_ROLES: dict[str, tuple[str, ...]] = {
    "Agreement": ("status", "technologies"),
    "Meeting": ("location",),
    "ExportControl": ("status",),
    "PolicyStance": ("technology",),
    "Dependency": ("technology",),
    "Acquisition": ("amount", "alt_amount", "status"),
    "Position": ("title",),
}

AGREEMENT_KIND_CLASS = {
    "Framework": "CooperationFramework",
    "MoU": "MemorandumOfUnderstanding",
    "Other": "Agreement",
}
# The gold README: PolicyStance `Other` is ent:IndustrialPolicy in the vocabulary contract.
POLICY_CLASS = {"Other": "IndustrialPolicy"}
STATUS_CLASS = {
    "planned": "Planned",
    "announced": "Announced",
    "established": "Established",
    "signed": "Signed",
    "in_force": "InForce",
    "proposed": "Proposed",
    "agreed": "Agreed",
    "completed": "Completed",
}

LiteralValue = str | Decimal | date
Amount = tuple[float, str]  # (amount, ISO 4217 currency)


@dataclass(frozen=True, eq=False)
class FactView:
    """One fact in gold terms. `keys` hold entity tokens: gold keys, or '<iri>' for a system
    entity that aligns with no gold entity. `generic` marks a kind that stands for 'some kind'
    (gold Other; system ent:Agreement or ent:Policy)."""

    type: str
    kind: str | None
    generic: bool
    keys: dict[str, frozenset[str]]
    values: dict[str, frozenset[str]]  # status, title, technology/technologies, location
    amounts: dict[str, frozenset[Amount]]  # amount, alt_amount
    evidence: str
    alternatives: tuple[str, ...] = ()
    gold: GoldFact | None = None
    statement: Statement | None = None

    def key_set(self, role: str) -> frozenset[str]:
        return self.keys.get(role, frozenset())


def gold_views(article: GoldArticle) -> list[FactView]:
    return [_gold_view(f) for f in article.facts]


def _gold_view(fact: GoldFact) -> FactView:
    kind: str | None = None
    generic = False
    if fact.type == "Agreement":
        raw = str(fact.args["kind"])
        kind, generic = AGREEMENT_KIND_CLASS.get(raw, raw), raw == "Other"
    elif fact.type == "PolicyStance":
        raw = str(fact.args["policy"])
        kind, generic = POLICY_CLASS.get(raw, raw), raw == "Other"
    keys = {role: frozenset(fact.keys(role)) for role in KEY_ROLES[fact.type]}
    values: dict[str, frozenset[str]] = {}
    amounts: dict[str, frozenset[Amount]] = {}
    for role in VALUE_ROLES.get(fact.type, ()):
        arg = fact.args.get(role)
        if role in ("amount", "alt_amount"):
            currency = fact.args.get("currency" if role == "amount" else "alt_currency")
            if isinstance(arg, float):
                amounts[role] = frozenset({(arg, str(currency or ""))})
        elif role == "technologies":
            values[role] = frozenset(fact.keys(role))  # a list: always scored, [] included
        elif arg is None:
            continue  # the gold does not say: nothing to score
        elif role == "status":
            values[role] = frozenset({STATUS_CLASS[str(arg)]})
        elif role == "title":
            values[role] = frozenset({norm_name(str(arg))})
        else:
            values[role] = frozenset(fact.keys(role))
    return FactView(
        type=fact.type,
        kind=kind,
        generic=generic,
        keys=keys,
        values=values,
        amounts=amounts,
        evidence=fact.evidence,
        alternatives=fact.alternative_evidence,
        gold=fact,
    )


def gold_type_of(statement_type: str) -> tuple[str, str | None, bool]:
    """(gold fact type, kind, generic) of a system statement class."""
    if statement_type in AGREEMENT_KINDS:
        return "Agreement", statement_type, statement_type == "Agreement"
    if statement_type == "ExportControl":
        return "ExportControl", None, False
    if statement_type in POLICY_KINDS:
        return "PolicyStance", statement_type, statement_type == "Policy"
    return statement_type, None, False


def system_views(statements: Iterable[Statement], resolve: Callable[[str], str]) -> list[FactView]:
    views: list[FactView] = []
    for st in statements:
        gtype, kind, generic = gold_type_of(st.type)
        role_map = SYSTEM_ROLES.get(gtype, {})
        mapped: dict[str, tuple[str, ...]] = {}
        for role, iris in st.roles.items():
            if role in role_map:
                mapped[role_map[role]] = tuple(iris)
        key_roles = KEY_ROLES.get(gtype, ())
        sets = {
            r: frozenset(resolve(i) for i in mapped.get(r, ())) for r in key_roles if r in SET_KEYS
        }
        singles = [r for r in key_roles if r not in SET_KEYS]
        # One view per combination of single-valued roles; an empty role stays empty.
        choices: list[list[str | None]] = [
            [*sorted({resolve(i) for i in mapped.get(r, ())})] or [None] for r in singles
        ]
        values = _system_values(gtype, mapped, st.values, resolve)
        amounts = _amounts(st.values)
        for combo in itertools.product(*choices):
            keys = dict(sets)
            keys.update(
                {
                    r: frozenset([v]) if v is not None else frozenset()
                    for r, v in zip(singles, combo, strict=True)
                }
            )
            views.append(
                FactView(
                    type=gtype,
                    kind=kind,
                    generic=generic,
                    keys=keys,
                    values=values,
                    amounts={"amount": amounts, "alt_amount": amounts},
                    evidence=st.evidence.sentence,
                    statement=st,
                )
            )
    return views


def _system_values(
    gtype: str,
    mapped: Mapping[str, tuple[str, ...]],
    literals: Mapping[str, tuple[LiteralValue, ...]],
    resolve: Callable[[str], str],
) -> dict[str, frozenset[str]]:
    values: dict[str, frozenset[str]] = {}
    for role in VALUE_ROLES.get(gtype, ()):
        if role == "status":
            values[role] = frozenset(local_name(i) for i in mapped.get("status", ()))
        elif role == "title":
            values[role] = frozenset(norm_name(str(t)) for t in literals.get("title", ()))
        elif role not in ("amount", "alt_amount"):
            values[role] = frozenset(resolve(i) for i in mapped.get(role, ()))
    return values


def _amounts(literals: Mapping[str, tuple[LiteralValue, ...]]) -> frozenset[Amount]:
    """(amount, currency) pairs. Amounts and currencies pair by position when the extractor
    gives as many of each ('903.9 billion yen ($6.3 billion)'), else every pairing is offered."""
    amounts = [float(a) for a in literals.get("amount", ()) if isinstance(a, Decimal | int | float)]
    currencies = [str(c) for c in literals.get("currency", ())] or [""]
    if len(amounts) == len(currencies):
        return frozenset(zip(amounts, currencies, strict=True))
    return frozenset(itertools.product(amounts, currencies))


def local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def kinds_compatible(system: FactView, gold: FactView, lenient: bool) -> bool:
    if system.kind == gold.kind:
        return True
    return lenient and (system.generic or gold.generic)


def compatible(system: FactView, gold: FactView, lenient: bool) -> bool:
    if system.type != gold.type or not kinds_compatible(system, gold, lenient):
        return False
    for role in KEY_ROLES[gold.type]:
        want, got = gold.key_set(role), system.key_set(role)
        if not want and (gold.type, role) in OPTIONAL_KEYS:
            continue
        if lenient and (gold.type, role) in OVERLAP_KEYS:
            if want and not want & got:
                return False
        elif want != got:
            return False
    return True


def evidence_agrees(system: FactView, gold: FactView) -> bool:
    """The system's sentence is the gold sentence (or an accepted alternative), or contains it,
    or lies inside it: sentence splitters disagree on where a sentence ends."""
    mine = norm_sentence(system.evidence)
    return any(
        _sentences_agree(mine, norm_sentence(s)) for s in (gold.evidence, *gold.alternatives)
    )


def _sentences_agree(mine: str, theirs: str) -> bool:
    return bool(mine and theirs) and (mine == theirs or mine in theirs or theirs in mine)


@dataclass
class FactMatching:
    pairs: list[tuple[FactView, FactView]] = field(default_factory=list)  # (system, gold)
    missed: list[FactView] = field(default_factory=list)
    spurious: list[FactView] = field(default_factory=list)
    duplicates: list[FactView] = field(default_factory=list)  # restate a matched gold fact


def match_facts(system: list[FactView], gold: list[FactView], *, lenient: bool) -> FactMatching:
    """Maximum one-to-one matching (augmenting paths). Each system fact tries its gold candidates
    best first: a strict match before a lenient one, then one whose evidence agrees."""
    candidates: list[list[int]] = []
    for s in system:
        ok = [j for j, g in enumerate(gold) if compatible(s, g, lenient)]
        ok.sort(
            key=lambda j: (not compatible(s, gold[j], False), not evidence_agrees(s, gold[j]), j)
        )
        candidates.append(ok)

    owner: dict[int, int] = {}  # gold index -> system index

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(system)):
        augment(i, set())

    result = FactMatching()
    result.pairs = [(system[owner[j]], gold[j]) for j in sorted(owner)]
    matched_system = set(owner.values())
    for i, s in enumerate(system):
        if i in matched_system:
            continue
        # Every gold fact it could match is taken (the matching is maximum): a restatement. So is
        # a partial restatement from a sentence the annotator listed as alternative evidence
        # ("cooperation in fields including AI" restating a cooperation on AI and chips).
        if candidates[i] or any(_restates(s, g) for g in gold):
            result.duplicates.append(s)
        else:
            result.spurious.append(s)
    result.missed = [g for j, g in enumerate(gold) if j not in owner]
    return result


def _restates(system: FactView, gold: FactView) -> bool:
    if not gold.alternatives or not compatible(system, gold, lenient=True):
        return False
    mine = norm_sentence(system.evidence)
    return any(_sentences_agree(mine, norm_sentence(a)) for a in gold.alternatives)


def value_checks(system: FactView, gold: FactView) -> dict[str, bool]:
    """Per value role the gold fact fills: does the system fact give the same value?"""
    checks = {
        role: system.values.get(role, frozenset()) == want for role, want in gold.values.items()
    }
    for role, wanted in gold.amounts.items():
        got = system.amounts.get(role, frozenset())
        checks[role] = all(any(_same_amount(a, b) for b in got) for a in wanted)
    return checks


def _same_amount(a: Amount, b: Amount) -> bool:
    return a[1] == b[1] and abs(a[0] - b[0]) <= 1e-6 * max(abs(a[0]), 1.0)


def closest(gold: FactView, system: Iterable[FactView]) -> tuple[FactView, list[str]] | None:
    """The system fact of the same type that agrees on most key roles, with the roles (and kind)
    it gets wrong: what a developer looks at first when a fact is missed."""
    best: tuple[int, FactView, list[str]] | None = None
    for s in system:
        if s.type != gold.type:
            continue
        wrong = [r for r in KEY_ROLES[gold.type] if not _role_agrees(s, gold, r)]
        agree = len(KEY_ROLES[gold.type]) - len(wrong)
        if s.kind != gold.kind:
            wrong.insert(0, "kind")
        if agree and (best is None or agree > best[0]):
            best = (agree, s, wrong)
    return (best[1], best[2]) if best else None


def _role_agrees(system: FactView, gold: FactView, role: str) -> bool:
    want = gold.key_set(role)
    return want == system.key_set(role) or (not want and (gold.type, role) in OPTIONAL_KEYS)
