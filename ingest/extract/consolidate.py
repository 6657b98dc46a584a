"""Drafts -> Statements: merge, collapse restatements, fix evidence.

A document records a real-world fact once (gold convention). Within a sentence, cooperation
phrases with the same parties merge ('deepen ties …, their global partnership … with a focus on
AI and semiconductor cooperation'). Across the document, a later statement with the same
identity (registry.statement_iri) is dropped and the first evidence kept; so is one that adds no new
technology to earlier statements with the same other key roles, and a generic Agreement whose
parties an earlier, more specific arrangement already has.
"""

from __future__ import annotations

from entente.ingest.extract.calibration import IDENTITY, Calibration, family_of
from entente.ingest.extract.confidence import NEW_ENTITY
from entente.ingest.extract.context import DocContext, Draft
from entente.ingest.extract.registry import key_roles, statement_iri
from entente.ingest.model import Evidence, Statement
from entente.ingest.spacy_names import ENTITIES_ATTR
from entente.ontology.vocab import ENT
from spacy.tokens import Doc


def _merge_in_sentence(drafts: list[Draft]) -> list[Draft]:
    out: list[Draft] = []
    cooperations: dict[tuple[int, frozenset[str]], Draft] = {}  # (unit, parties) -> first draft
    for d in drafts:
        if d.type == "Cooperation":
            key = (d.unit.index, frozenset(d.roles["party"]))
            twin = cooperations.get(key)
            if twin is None:
                cooperations[key] = d
            else:
                for t in d.roles.get("technology", []):
                    if t not in twin.roles["technology"]:
                        twin.roles["technology"].append(t)
                twin.confidence = max(twin.confidence, d.confidence)
                continue
        out.append(d)
    return out


def _drop_targetless_twins(drafts: list[Draft]) -> list[Draft]:
    """'ordered X to sell … on national security grounds', or a later or earlier 'blocked the
    sale to a Chinese firm': the same policy by the same actor on the same technology, once
    with its target found. The one without it adds no party (gold: a restatement)."""
    targeted = {
        (d.type, tuple(d.roles.get("actor", [])), tuple(d.roles.get("technology", [])))
        for d in drafts
        if d.family == "Policy" and d.roles.get("target")
    }
    return [
        d
        for d in drafts
        if not (
            d.family == "Policy"
            and not d.roles.get("target")
            and (d.type, tuple(d.roles.get("actor", [])), tuple(d.roles.get("technology", [])))
            in targeted
        )
    ]


def _drop_unnamed_twins(drafts: list[Draft], provisional: frozenset[str]) -> list[Draft]:
    """'Germany blocked the sale of the plant to a Chinese firm' beside the same measure against
    the named buyer: the unnamed party ('a Chinese firm', ingest/link/unnamed_parties.py) is a
    re-description of a party the article names, so the fact with it adds nothing."""
    if not provisional:
        return drafts
    named: set[tuple[object, ...]] = set()
    for d in drafts:
        keys = key_roles(d.type)
        for role in keys:
            values = d.roles.get(role, [])
            if values and not any(v in provisional for v in values):
                named.add(_masked(d, role, keys))
    out: list[Draft] = []
    for d in drafts:
        keys = key_roles(d.type)
        unnamed = [r for r in keys if any(v in provisional for v in d.roles.get(r, []))]
        if any(_masked(d, r, keys) in named for r in unnamed):
            continue
        out.append(d)
    return out


def _masked(d: Draft, role: str, keys: tuple[str, ...]) -> tuple[object, ...]:
    return (
        d.type,
        tuple((r, "*" if r == role else tuple(sorted(d.roles.get(r, [])))) for r in sorted(keys)),
    )


def _provisional(ctx: DocContext) -> frozenset[str]:
    doc = ctx.doc
    entities = doc._.get(ENTITIES_ATTR) if Doc.has_extension(ENTITIES_ATTR) else None
    return frozenset(iri for iri, e in (entities or {}).items() if getattr(e, "provisional", False))


def _new_entities(ctx: DocContext) -> frozenset[str]:
    doc = ctx.doc
    entities = doc._.get(ENTITIES_ATTR) if Doc.has_extension(ENTITIES_ATTR) else None
    return frozenset(iri for iri, e in (entities or {}).items() if getattr(e, "is_new", False))


def _with_novelty(d: Draft, new: frozenset[str]) -> float:
    """The raw prior, lowered per key role filled by an entity the gazetteer does not know."""
    fillers = {i for r in key_roles(d.type) for i in d.roles.get(r, []) if i in new}
    return round(d.confidence * NEW_ENTITY ** min(len(fillers), 2), 3)


def _key(
    d: Draft, without: str | None = None
) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    return d.type, tuple(
        (r, tuple(sorted(d.roles.get(r, [])))) for r in key_roles(d.type) if r != without
    )


def consolidate(ctx: DocContext, calibration: Calibration = IDENTITY) -> list[Statement]:
    """Statements in document order; evidence confidence is the draft's prior mapped through
    `calibration` (ingest/evaluate/calibrate.py)."""
    drafts = sorted(ctx.drafts, key=lambda d: d.unit.index)  # stable: keeps extraction order
    drafts = _drop_unnamed_twins(_merge_in_sentence(drafts), _provisional(ctx))
    drafts = _drop_targetless_twins(drafts)
    seen: set[str] = set()
    techs_by_rest: dict[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], set[str]] = {}
    agreement_parties: set[frozenset[str]] = set()
    out: list[Statement] = []
    new = _new_entities(ctx)
    for d in drafts:
        roles = {k: tuple(v) for k, v in d.roles.items() if v}
        ident = str(statement_iri(d.type, roles))
        if ident in seen:
            continue
        keys = key_roles(d.type)
        if "technology" in keys:
            rest = _key(d, without="technology")
            earlier = techs_by_rest.get(rest)
            mine = set(d.roles.get("technology", []))
            if earlier is not None and mine <= earlier:
                continue
            techs_by_rest.setdefault(rest, set()).update(mine)
        if d.family == "Agreement":
            parties = frozenset(d.roles.get("party", []))
            if d.type == "Agreement" and parties in agreement_parties:
                continue
            agreement_parties.add(parties)
        seen.add(ident)
        if "status" in roles:
            roles["status"] = tuple(str(getattr(ENT, s)) for s in roles["status"])
        out.append(
            Statement(
                type=d.type,
                roles=roles,
                values={k: tuple(v) for k, v in d.values.items() if v},
                evidence=Evidence(
                    sentence=d.unit.text,
                    start=d.unit.char_start,
                    end=d.unit.char_end,
                    confidence=calibration.apply(_with_novelty(d, new), family_of(d.extractor)),
                    extractor=d.extractor,
                ),
            )
        )
    return out
