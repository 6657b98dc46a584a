"""What `entente eval` reports: scores (micro-averaged over articles), per type and per article,
value accuracy, evidence agreement, and the list of misses and false positives.

Zero denominators follow the usual vacuous reading: with nothing predicted precision is 1.0, with
nothing to find recall is 1.0, and F1 is 0.0 unless both are non-zero. So an article with no gold
facts and no system facts scores 1.0, and a system that predicts nothing scores F1 0.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from entente.ingest.evaluate.reliability import Point, calibration_error, reliability


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        relevant = self.tp + self.fn
        return self.tp / relevant if relevant else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True)
class Finding:
    """One thing a developer should look at. Roles hold names, never IRIs."""

    article: str
    category: Literal["entity", "fact", "article"]
    kind: Literal["missed", "false_positive", "wrong_type", "wrong_value", "failed"]
    type: str
    roles: dict[str, list[str]] = field(default_factory=dict)
    evidence: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "category": self.category,
            "kind": self.kind,
            "type": self.type,
            "roles": self.roles,
            "evidence": self.evidence,
            "note": self.note,
        }


@dataclass
class ArticleResult:
    stem: str
    language: str | None = None  # the gold file's language (per-language tables)
    entities: Score = field(default_factory=Score)
    facts: Score = field(default_factory=Score)
    facts_lenient: Score = field(default_factory=Score)
    entity_types: dict[str, Score] = field(default_factory=dict)
    fact_types: dict[str, Score] = field(default_factory=dict)
    fact_types_lenient: dict[str, Score] = field(default_factory=dict)
    values: dict[str, list[int]] = field(default_factory=dict)  # "Type.role" -> [correct, total]
    evidence_agreeing: int = 0
    evidence_checked: int = 0
    duplicates: int = 0
    unscored: list[str] = field(default_factory=list)  # "Barcelona (Place)": shown, not scored
    findings: list[Finding] = field(default_factory=list)
    failure: str | None = None  # the pipeline's error, when it could not analyse the article
    # One point per system fact (strict scoring): its confidence and whether it was right.
    calibration: list[Point] = field(default_factory=list)


def _typed(scores: dict[str, Score], key: str) -> Score:
    return scores.setdefault(key, Score())


def count(scores: dict[str, Score], key: str, *, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
    score = _typed(scores, key)
    score.tp += tp
    score.fp += fp
    score.fn += fn


@dataclass
class EvalReport:
    articles: list[ArticleResult]
    skipped: list[str] = field(default_factory=list)  # articles without a gold file

    def _total(self, attr: str) -> Score:
        total = Score()
        for a in self.articles:
            total.add(getattr(a, attr))
        return total

    def _by_type(self, attr: str) -> dict[str, Score]:
        merged: dict[str, Score] = {}
        for a in self.articles:
            for key, score in getattr(a, attr).items():
                _typed(merged, key).add(score)
        return dict(sorted(merged.items()))

    @property
    def entities(self) -> Score:
        return self._total("entities")

    @property
    def facts(self) -> Score:
        return self._total("facts")

    @property
    def facts_lenient(self) -> Score:
        return self._total("facts_lenient")

    @property
    def fact_types(self) -> dict[str, Score]:
        return self._by_type("fact_types")

    @property
    def fact_types_lenient(self) -> dict[str, Score]:
        return self._by_type("fact_types_lenient")

    @property
    def entity_types(self) -> dict[str, Score]:
        return self._by_type("entity_types")

    def by_language(self) -> dict[str, tuple[Score, Score, dict[str, Score]]]:
        """language -> (entities, facts strict, facts strict per type)."""
        out: dict[str, tuple[Score, Score, dict[str, Score]]] = {}
        for a in self.articles:
            ents, facts, types = out.setdefault(a.language or "?", (Score(), Score(), {}))
            ents.add(a.entities)
            facts.add(a.facts)
            for key, score in a.fact_types.items():
                _typed(types, key).add(score)
        return dict(sorted(out.items()))

    @property
    def values(self) -> dict[str, tuple[int, int]]:
        merged: dict[str, list[int]] = {}
        for a in self.articles:
            for key, (ok, total) in a.values.items():
                slot = merged.setdefault(key, [0, 0])
                slot[0] += ok
                slot[1] += total
        return {k: (v[0], v[1]) for k, v in sorted(merged.items())}

    @property
    def evidence(self) -> tuple[int, int]:
        """(matched facts whose evidence agrees with the gold sentence, matched facts)."""
        return (
            sum(a.evidence_agreeing for a in self.articles),
            sum(a.evidence_checked for a in self.articles),
        )

    @property
    def calibration_points(self) -> list[Point]:
        return [p for a in self.articles for p in a.calibration]

    def calibration(self) -> dict[str, Any]:
        points = self.calibration_points
        return {
            "buckets": [b.as_dict() for b in reliability(points)],
            "statements": len(points),
            "right": sum(p.correct for p in points),
            "expected_calibration_error": round(calibration_error(points), 4),
        }

    @property
    def errors(self) -> list[Finding]:
        return [f for a in self.articles for f in a.findings]

    def as_dict(self) -> dict[str, Any]:
        lenient_types = self.fact_types_lenient
        agreeing, checked = self.evidence
        return {
            "entities": self.entities.as_dict(),
            "facts": self.facts.as_dict(),
            "facts_lenient": self.facts_lenient.as_dict(),
            "per_type": {
                t: {**s.as_dict(), "lenient": lenient_types.get(t, Score()).as_dict()}
                for t, s in self.fact_types.items()
            },
            "per_language": {
                lang: {
                    "entities": e.as_dict(),
                    "facts": f.as_dict(),
                    "per_type": {t: s.as_dict() for t, s in sorted(types.items())},
                }
                for lang, (e, f, types) in self.by_language().items()
            },
            "per_article": {
                a.stem: {
                    "entities": a.entities.as_dict(),
                    "facts": a.facts.as_dict(),
                    "facts_lenient": a.facts_lenient.as_dict(),
                    "failure": a.failure,
                }
                for a in self.articles
            },
            "entity_types": {t: s.as_dict() for t, s in self.entity_types.items()},
            "values": {
                k: {"correct": ok, "total": n, "accuracy": round(ok / n, 4) if n else None}
                for k, (ok, n) in self.values.items()
            },
            "evidence": {
                "matched": checked,
                "agreeing": agreeing,
                "rate": round(agreeing / checked, 4) if checked else None,
            },
            "calibration": self.calibration(),
            "duplicates": sum(a.duplicates for a in self.articles),
            "skipped": self.skipped,
            "unscored": {a.stem: a.unscored for a in self.articles if a.unscored},
            "errors": [f.as_dict() for f in self.errors],
        }

    def render(self) -> str:
        return "\n".join(_render(self)) + "\n"


def _row(cells: Iterable[str], widths: list[int]) -> str:
    out = []
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        out.append(cell.ljust(width) if i == 0 else cell.rjust(width))
    return "  ".join(out).rstrip()


def _score_cells(score: Score) -> list[str]:
    return [
        f"{score.precision:.3f}",
        f"{score.recall:.3f}",
        f"{score.f1:.3f}",
        str(score.tp),
        str(score.fp),
        str(score.fn),
    ]


def _table(title: str, rows: list[tuple[str, list[str]]], extra: list[str]) -> list[str]:
    header = [title, "P", "R", "F1", "TP", "FP", "FN", *extra]
    widths = [max(len(header[0]), *(len(r[0]) for r in rows))] + [
        max(len(header[i]), *(len(r[1][i - 1]) for r in rows)) for i in range(1, len(header))
    ]
    lines = [_row(header, widths), _row(["-" * w for w in widths], widths)]
    lines += [_row([name, *cells], widths) for name, cells in rows]
    return lines


def _render(report: EvalReport) -> list[str]:
    n_gold_entities = sum(a.entities.tp + a.entities.fn for a in report.articles)
    n_gold_facts = sum(a.facts.tp + a.facts.fn for a in report.articles)
    lines = [
        f"entente eval: {len(report.articles)} article(s), "
        f"{n_gold_entities} gold entities, {n_gold_facts} gold facts",
        "",
    ]
    lines += _table(
        "overall",
        [
            ("entities", _score_cells(report.entities)),
            ("facts (strict)", _score_cells(report.facts)),
            ("facts (lenient)", _score_cells(report.facts_lenient)),
        ],
        [],
    )
    lenient = report.fact_types_lenient
    if report.fact_types:
        lines += ["", "Facts per type (strict; last column: lenient F1)"]
        rows = [
            (t, [*_score_cells(s), f"{lenient.get(t, Score()).f1:.3f}"])
            for t, s in report.fact_types.items()
        ]
        lines += _table("type", rows, ["F1~"])
    if report.entity_types:
        lines += ["", "Entities per type"]
        lines += _table("type", [(t, _score_cells(s)) for t, s in report.entity_types.items()], [])
    languages = report.by_language()
    if len(languages) > 1:
        lines += ["", "Per language (entities | facts, strict)"]
        rows = []
        for lang, (e, f, _) in languages.items():
            cells = [f"{e.precision:.3f}", f"{e.recall:.3f}", f"{e.f1:.3f}"]
            cells += [f"{f.precision:.3f}", f"{f.recall:.3f}", f"{f.f1:.3f}"]
            rows.append((lang, cells))
        header = ["language", "ent P", "ent R", "ent F1", "fact P", "fact R", "fact F1"]
        widths = [max(len(header[0]), *(len(r[0]) for r in rows))] + [len(h) for h in header[1:]]
        lines += [_row(header, widths), _row(["-" * w for w in widths], widths)]
        lines += [_row([name, *cells], widths) for name, cells in rows]
    if report.articles:
        lines += ["", "Per article (entities | facts, strict)"]
        rows = []
        for a in report.articles:
            e, f = a.entities, a.facts
            cells = [f"{e.precision:.3f}", f"{e.recall:.3f}", f"{e.f1:.3f}"]
            cells += [f"{f.precision:.3f}", f"{f.recall:.3f}", f"{f.f1:.3f}"]
            rows.append((a.stem + (" (FAILED)" if a.failure else ""), cells))
        header = ["article", "ent P", "ent R", "ent F1", "fact P", "fact R", "fact F1"]
        widths = [max(len(header[0]), *(len(r[0]) for r in rows))] + [len(h) for h in header[1:]]
        lines += [_row(header, widths), _row(["-" * w for w in widths], widths)]
        lines += [_row([name, *cells], widths) for name, cells in rows]
    if report.values:
        lines += ["", "Value accuracy on strictly matched facts"]
        width = max(len(k) for k in report.values)
        for key, (ok, n) in report.values.items():
            lines.append(f"  {key.ljust(width)}  {ok}/{n}" + (f"  {ok / n:.3f}" if n else ""))
    agreeing, checked = report.evidence
    if checked:
        lines += [
            "",
            f"Evidence: {agreeing}/{checked} matched facts cite the gold sentence "
            "(or one containing it, or inside it)",
        ]
    lines += _render_calibration(report)
    duplicates = sum(a.duplicates for a in report.articles)
    if duplicates:
        lines.append(f"Restatements of an already matched fact (ignored): {duplicates}")
    unscored = [(a.stem, a.unscored) for a in report.articles if a.unscored]
    if unscored:
        lines += ["", "Mentioned but not scored (types the gold does not annotate, e.g. places)"]
        lines += [f"  [{stem}] {', '.join(names)}" for stem, names in unscored]
    if report.skipped:
        lines += ["", "Articles without a gold file (not scored): " + ", ".join(report.skipped)]
    findings = report.errors
    if findings:
        lines += ["", f"Misses, false positives and wrong values ({len(findings)})"]
        for finding in findings:
            lines += _render_finding(finding)
    return lines


def _render_calibration(report: EvalReport) -> list[str]:
    points = report.calibration_points
    if not points:
        return []
    lines = [
        "",
        "Confidence reliability (system facts by emitted confidence; right = matches a gold fact "
        "with its values right, or restates one)",
    ]
    header = ["confidence", "facts", "right", "mean conf", "precision"]
    rows = []
    for b in reliability(points):
        precision = b.precision
        rows.append(
            [
                f"[{b.low:.1f}, {b.high:.1f}" + ("]" if b.high >= 1 else ")"),
                str(b.n),
                str(b.right),
                f"{b.mean_confidence:.3f}" if b.n else "-",
                f"{precision:.3f}" if precision is not None else "-",
            ]
        )
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    lines += [_row(header, widths), _row(["-" * w for w in widths], widths)]
    lines += [_row(r, widths) for r in rows]
    lines.append(
        f"Expected calibration error: {calibration_error(points):.3f} over {len(points)} facts "
        "(a small set: see docs/evaluation.md, Calibration)"
    )
    return lines


_LABEL = {
    "missed": "MISSED",
    "false_positive": "FALSE POSITIVE",
    "wrong_type": "WRONG TYPE",
    "wrong_value": "WRONG VALUE",
    "failed": "FAILED",
}


def _render_finding(f: Finding) -> list[str]:
    roles = "; ".join(f"{k}={', '.join(v)}" for k, v in f.roles.items())
    lines = [f"  [{f.article}] {_LABEL[f.kind]} {f.category} {f.type}: {roles}".rstrip(": ")]
    if f.evidence:
        lines.append(f"      evidence: {f.evidence}")
    if f.note:
        lines.append(f"      note: {f.note}")
    return lines
