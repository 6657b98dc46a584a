"""Statement extraction: a linked spaCy Doc -> n-ary statements with evidence.

    extract_statements(doc, language="en", published=date(2023, 7, 3)) -> list[Statement]

Pass 1 reads Positions everywhere (so that 'Breton' can stand for the EU as a party); pass 2
walks the body sentences in order and runs each trigger's family extractor; then restatements
collapse and relative dates are attached. docs/extraction.md describes the approach.
"""

from __future__ import annotations

from datetime import date

from entente.ingest.extract import dates as _dates
from entente.ingest.extract import passive_agent
from entente.ingest.extract.calibration import Calibration, load_calibration
from entente.ingest.extract.consolidate import consolidate
from entente.ingest.extract.context import DocContext, Draft
from entente.ingest.extract.lexicon import Lexicon
from entente.ingest.extract.modality import asserted
from entente.ingest.extract.negation import negated
from entente.ingest.extract.position import extract_positions
from entente.ingest.extract.registry import BY_LABEL, available_languages, load_lexicon
from entente.ingest.extract.roles import Roles
from entente.ingest.extract.status import is_future
from entente.ingest.extract.triggers import find_triggers
from entente.ingest.model import Statement
from spacy.tokens import Doc

__all__ = ["available_languages", "extract_statements", "supports_language"]


def supports_language(language: str) -> bool:
    """True when a trigger lexicon ships for the language; other languages get no statements."""
    return load_lexicon(language) is not None


def extract_statements(
    doc: Doc, *, language: str, published: date | None, calibration: Calibration | None = None
) -> list[Statement]:
    """Statements with evidence; confidences go through `calibration` (default: the shipped
    lexicons/calibration.toml; entente.ingest.extract.calibration.IDENTITY keeps the raw priors)."""
    lexicon = load_lexicon(language)
    if lexicon is None or len(doc) == 0:
        return []
    return extract_with(doc, lexicon, published=published, calibration=calibration)


def extract_with(
    doc: Doc, lexicon: Lexicon, *, published: date | None, calibration: Calibration | None = None
) -> list[Statement]:
    """extract_statements with an explicit lexicon (tests and custom lexicons)."""
    ctx = DocContext(doc, lexicon, published)
    body = [u for u in ctx.units if not u.headline]
    for unit in body:
        for d in extract_positions(ctx, unit):
            ctx.add(d)
    for unit in body:
        for trig in find_triggers(ctx, unit):
            if negated(ctx, unit, trig):
                continue
            extractor = BY_LABEL[trig.family].extractor
            got = extractor(ctx, unit, trig) if extractor is not None else None
            drafts = got if isinstance(got, list) else ([got] if got is not None else [])
            drafts = [d for d in (passive_agent.apply(ctx, unit, trig, x) for x in drafts) if d]
            for d in drafts:
                if not asserted(ctx, d):
                    continue
                if d.trigger is not None and BY_LABEL[d.family].dated:
                    _attach_date(ctx, d)
                ctx.add(d)
    return consolidate(ctx, calibration if calibration is not None else load_calibration())


def _attach_date(ctx: DocContext, d: Draft) -> None:
    trig = d.trigger
    assert trig is not None
    roles = Roles(ctx, d.unit)
    future = is_future(roles, trig)
    found = _dates.find_dates(
        d.unit.text, language=ctx.lexicon.language, published=ctx.published, future=future
    )
    found = [f for f in found if f.value is not None]
    if not found:
        return
    anchor = ctx.doc[trig.start].idx - d.unit.char_start
    reporting = _reporting_spans(ctx, d)
    candidates = [f for f in found if not any(a <= f.start < b for a, b in reporting)] or []
    if not candidates:
        return
    best = min(candidates, key=lambda f: abs(f.start - anchor))
    assert best.value is not None
    d.values["date"] = [best.value]


def _reporting_spans(ctx: DocContext, d: Draft) -> list[tuple[int, int]]:
    """Character ranges (unit-relative) governed by a reporting verb and not by the trigger:
    'he said in a video posted on Twitter on Sunday' dates the video, not the meeting."""
    if not ctx.parsed or d.trigger is None:
        return []
    trig_tokens = {t.i for t in ctx.doc[d.trigger.head].subtree}
    head = ctx.doc[d.trigger.head]
    while head.head.i != head.i and not ctx.has(
        ctx.lexicon.reporting, head.head.i, head.head.i + 1
    ):
        head = head.head
    trig_tokens |= {t.i for t in head.subtree}
    out: list[tuple[int, int]] = []
    for _, e, _ in ctx.find(ctx.lexicon.reporting, d.unit.start, d.unit.end):
        verb = ctx.doc[e - 1]
        for c in verb.children:
            if c.i in trig_tokens or c.dep_ in ("ccomp", "parataxis"):
                continue
            idx = [t.i for t in c.subtree if t.i not in trig_tokens]
            if idx:
                a = ctx.doc[min(idx)].idx - d.unit.char_start
                last = ctx.doc[max(idx)]
                out.append((a, last.idx + len(last.text) - d.unit.char_start))
    return out
