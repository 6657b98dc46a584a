"""`entente eval`: score the extractor against gold annotations (rules: docs/evaluation.md).

evaluate() pairs every gold file NAME.json with the article NAME.txt/.html/.htm/.json in the
articles folder (its NAME.meta.json is read with it), runs the pipeline on each, and scores
entities and facts. evaluate_analyses() scores analyses made elsewhere (tests build them by hand).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from entente.errors import EntenteError
from entente.ingest.evaluate.entities import EntityAlignment, NameSource, align_entities
from entente.ingest.evaluate.facts import (
    KEY_ROLES,
    OPTIONAL_KEYS,
    FactMatching,
    FactView,
    closest,
    evidence_agrees,
    gold_views,
    local_name,
    match_facts,
    system_views,
    value_checks,
)
from entente.ingest.evaluate.gold import GoldArticle, load_gold
from entente.ingest.evaluate.reliability import Point
from entente.ingest.evaluate.report import ArticleResult, EvalReport, Finding, count
from entente.ingest.extract.calibration import family_of
from entente.ingest.model import Analysis, Document
from entente.ingest.read.reader import METADATA_FIELDS, Metadata

__all__ = [
    "ARTICLE_SUFFIXES",
    "Analyzer",
    "EvalReport",
    "evaluate",
    "evaluate_analyses",
    "pair_files",
    "read_metadata_index",
    "score_article",
]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".json")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # the default of ENTENTE_MAX_DOCUMENT_BYTES
UNALIGNED = "?"  # prefix of a system entity token that aligns with no gold entity


class Analyzer(Protocol):
    """What evaluate() needs of entente.ingest.pipeline.Pipeline."""

    def analyze(self, document: Document) -> Analysis: ...


def pair_files(articles_dir: Path, gold_dir: Path) -> tuple[list[tuple[Path, Path]], list[str]]:
    """(gold file, article file) pairs by file stem, and the stems of articles with no gold file.

    Raises EntenteError E009 when a folder is missing, a gold file has no article, or the gold
    folder holds no gold file; E013 when two articles share a stem (NAME.txt and NAME.html)."""
    for folder, what in ((articles_dir, "articles"), (gold_dir, "gold")):
        if not folder.is_dir():
            raise EntenteError("E009", f"{what} folder not found", where=str(folder))
    gold_files = sorted(
        p for p in gold_dir.iterdir() if p.is_file() and p.suffix == ".json" and not _is_meta(p)
    )
    if not gold_files:
        raise EntenteError(
            "E009",
            "no gold files (NAME.json) in the gold folder",
            where=str(gold_dir),
            hint="Give the folder that holds the gold annotations; see docs/evaluation.md.",
        )
    articles: dict[str, list[Path]] = {}
    for p in sorted(articles_dir.iterdir()):
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not _is_meta(p):
            if p.resolve().parent == gold_dir.resolve() and p.suffix == ".json":
                continue  # the same folder for both: its NAME.json files are gold, not articles
            articles.setdefault(p.stem, []).append(p)
    pairs: list[tuple[Path, Path]] = []
    for gold_file in gold_files:
        found = articles.get(gold_file.stem, [])
        if not found:
            raise EntenteError(
                "E009",
                f"gold file {gold_file.name} has no article "
                f"{gold_file.stem}.txt/.html/.htm/.json in {articles_dir}",
                where=str(gold_file),
                hint="Put the article beside the others under the same file stem, "
                "or remove the gold file.",
            )
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise EntenteError(
                "E013",
                f"gold file {gold_file.name} matches several articles ({names})",
                where=str(gold_file),
                hint="Keep one article per file stem.",
            )
        pairs.append((gold_file, found[0]))
    gold_stems = {g.stem for g in gold_files}
    unannotated = sorted(stem for stem in articles if stem not in gold_stems)
    return pairs, unannotated


def _is_meta(path: Path) -> bool:
    return path.name.endswith(".meta.json")


def evaluate(
    articles_dir: Path,
    gold_dir: Path,
    pipeline: Analyzer,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    names: NameSource | None = None,
    progress: Callable[[str], None] | None = None,
    metadata: Mapping[str, Metadata] | None = None,
) -> EvalReport:
    """Run `pipeline` on every annotated article and score it against its gold file.

    `names` adds the gazetteer's names to entity matching (default: the pipeline's `gazetteer`
    attribute, when it has one); `progress` is called with each article's stem before it is
    analysed; `metadata` (article stem -> Metadata, see read_metadata_index) overrides what
    each article's NAME.meta.json says. Every input problem (folders, pairing, gold files,
    unreadable articles) raises EntenteError before any article is analysed. An article the
    pipeline fails on is reported as failed (its gold entities and facts count as misses) and
    the run goes on.
    """
    from entente.ingest.read.reader import (
        read_path,  # the reader is only needed here, not for scoring
    )

    pairs, unannotated = pair_files(articles_dir, gold_dir)
    inputs: list[tuple[GoldArticle, Document]] = []
    for gold_file, article in pairs:
        gold = load_gold(gold_file)
        meta = metadata.get(article.stem) if metadata is not None else None
        documents = read_path(article, metadata=meta, max_bytes=max_bytes)
        if len(documents) != 1:
            raise EntenteError(
                "E013",
                f"article {article.name} holds {len(documents)} documents; a gold file scores one",
                where=str(article),
            )
        inputs.append((gold, documents[0]))
    if names is None:
        gazetteer = getattr(pipeline, "gazetteer", None)
        names = gazetteer if callable(getattr(gazetteer, "get", None)) else None

    results: list[ArticleResult] = []
    for gold, document in inputs:
        if progress is not None:
            progress(gold.stem)
        try:
            analysis = pipeline.analyze(document)
        except EntenteError as exc:
            results.append(_failed(gold, exc))
            continue
        results.append(score_article(gold, analysis, names))
    return EvalReport(articles=results, skipped=unannotated)


def evaluate_analyses(
    pairs: Iterable[tuple[GoldArticle, Analysis]], names: NameSource | None = None
) -> EvalReport:
    return EvalReport(articles=[score_article(gold, analysis, names) for gold, analysis in pairs])


def _failed(gold: GoldArticle, exc: EntenteError) -> ArticleResult:
    result = ArticleResult(stem=gold.stem, language=gold.language, failure=exc.render())
    for entity in gold.entities.values():
        if entity.scored:
            result.entities.fn += 1
            count(result.entity_types, entity.type, fn=1)
    for fact in gold.facts:
        for score, types in (
            (result.facts, result.fact_types),
            (result.facts_lenient, result.fact_types_lenient),
        ):
            score.fn += 1
            count(types, fact.type, fn=1)
    result.findings.append(
        Finding(
            gold.stem, "article", "failed", "article", note=f"the pipeline failed: {exc.render()}"
        )
    )
    return result


def score_article(
    gold: GoldArticle, analysis: Analysis, names: NameSource | None = None
) -> ArticleResult:
    result = ArticleResult(stem=gold.stem, language=gold.language)
    alignment = align_entities(gold, analysis, names)
    _score_entities(result, gold, analysis, alignment)

    resolved: dict[str, str] = alignment.resolve
    gold_names: dict[str, str] = {k: e.name for k, e in gold.entities.items()}

    def resolve(iri: str) -> str:
        return resolved.get(iri, UNALIGNED + iri)

    def display(token: str) -> str:
        if token in gold_names:
            return gold_names[token]
        if token.startswith(UNALIGNED):
            iri = token[len(UNALIGNED) :]
            entity = analysis.entities.get(iri)
            return f"{entity.label if entity else local_name(iri)} [not in gold]"
        return token

    golds = gold_views(gold)
    systems = system_views(analysis.statements, resolve)
    strict = match_facts(systems, golds, lenient=False)
    lenient = match_facts(systems, golds, lenient=True)
    _count_facts(result, strict, lenient)
    result.calibration = _calibration_points(gold.stem, strict)
    _check_matched(result, strict, display)
    _fact_findings(result, strict, lenient, systems, display)
    return result


def _score_entities(
    result: ArticleResult, gold: GoldArticle, analysis: Analysis, alignment: EntityAlignment
) -> None:
    result.entities.tp, result.entities.fp, result.entities.fn = (
        alignment.tp,
        alignment.fp,
        alignment.fn,
    )
    result.unscored = sorted(f"{e.label} ({e.type})" for e in alignment.unscored)
    mentions: dict[str, set[str]] = {}
    for m in analysis.mentions:
        mentions.setdefault(m.entity, set()).add(m.text)
    for g, _ in alignment.matched:
        count(result.entity_types, g.type, tp=1)
    for g, s in alignment.wrong_type:
        count(result.entity_types, g.type, fn=1)
        count(result.entity_types, s.type, fp=1)
        result.findings.append(
            Finding(
                gold.stem,
                "entity",
                "wrong_type",
                g.type,
                {"name": [g.name], "system": [f"{s.label} ({s.type})"]},
                note=f"the system calls it {s.type}; the gold says {g.type}",
            )
        )
    for g in alignment.missed:
        count(result.entity_types, g.type, fn=1)
        result.findings.append(
            Finding(
                gold.stem,
                "entity",
                "missed",
                g.type,
                {"name": [g.name], "mentions": list(g.mentions)},
            )
        )
    for s in alignment.spurious:
        count(result.entity_types, s.type, fp=1)
        result.findings.append(
            Finding(
                gold.stem,
                "entity",
                "false_positive",
                s.type,
                {"name": [s.label], "mentions": sorted(mentions.get(s.iri, ()))},
            )
        )


def _count_facts(result: ArticleResult, strict: FactMatching, lenient: FactMatching) -> None:
    for matching, score, types in (
        (strict, result.facts, result.fact_types),
        (lenient, result.facts_lenient, result.fact_types_lenient),
    ):
        score.tp, score.fp, score.fn = (
            len(matching.pairs),
            len(matching.spurious),
            len(matching.missed),
        )
        for _, g in matching.pairs:
            count(types, g.type, tp=1)
        for s in matching.spurious:
            count(types, s.type, fp=1)
        for g in matching.missed:
            count(types, g.type, fn=1)
    result.duplicates = len(strict.duplicates)


def _calibration_points(stem: str, strict: FactMatching) -> list[Point]:
    """Right: the system fact matches a gold fact strictly with every scored value right (a
    wrong status or amount is a wrong statement in the graph), or restates a matched fact.
    Wrong: a false positive, or a match with a wrong value."""
    judged: list[tuple[FactView, bool]] = [
        (s, all(value_checks(s, g).values())) for s, g in strict.pairs
    ]
    judged += [(s, True) for s in strict.duplicates]
    judged += [(s, False) for s in strict.spurious]
    points: list[Point] = []
    for view, right in judged:
        st = view.statement
        if st is not None:
            ev = st.evidence
            points.append(Point(ev.confidence, family_of(ev.extractor), right, stem))
    return points


def _check_matched(
    result: ArticleResult, strict: FactMatching, display: Callable[[str], str]
) -> None:
    for s, g in strict.pairs:
        result.evidence_checked += 1
        result.evidence_agreeing += evidence_agrees(s, g)
        wrong: list[str] = []
        for role, ok in value_checks(s, g).items():
            slot = result.values.setdefault(f"{g.type}.{role}", [0, 0])
            slot[0] += ok
            slot[1] += 1
            if not ok:
                want, got = _value_text(g, role, display), _value_text(s, role, display)
                wrong.append(f"{role}: gold {want}, system {got}")
        if wrong:
            result.findings.append(
                Finding(
                    result.stem,
                    "fact",
                    "wrong_value",
                    g.type,
                    _roles(g, display),
                    g.evidence,
                    note="; ".join(wrong),
                )
            )


def _fact_findings(
    result: ArticleResult,
    strict: FactMatching,
    lenient: FactMatching,
    systems: Sequence[FactView],
    display: Callable[[str], str],
) -> None:
    lenient_gold_of = {id(s): g for s, g in lenient.pairs}
    lenient_system_of = {id(g): s for s, g in lenient.pairs}
    for g in strict.missed:
        note = None
        near = lenient_system_of.get(id(g))
        if near is not None:
            note = f"matched leniently by: {_describe(near, display)}"
        else:
            found = closest(g, systems)
            if found is not None:
                s, wrong = found
                note = f"closest system fact differs in {', '.join(wrong)}: {_describe(s, display)}"
        result.findings.append(
            Finding(result.stem, "fact", "missed", g.type, _roles(g, display), g.evidence, note)
        )
    for s in strict.spurious:
        g_near = lenient_gold_of.get(id(s))
        note = f"lenient match for gold: {_describe(g_near, display)}" if g_near else None
        result.findings.append(
            Finding(
                result.stem, "fact", "false_positive", s.type, _roles(s, display), s.evidence, note
            )
        )


def _kind_text(view: FactView) -> str | None:
    if view.gold is not None:
        raw = view.gold.args.get("kind" if view.type == "Agreement" else "policy")
        return str(raw) if raw is not None else None
    return view.statement.type if view.statement is not None and view.kind else None


def _roles(view: FactView, display: Callable[[str], str]) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    kind = _kind_text(view)
    if kind is not None and view.type in ("Agreement", "PolicyStance"):
        roles["kind" if view.type == "Agreement" else "policy"] = [kind]
    for role in KEY_ROLES.get(view.type, ()):
        tokens = view.key_set(role)
        if tokens or (view.type, role) not in OPTIONAL_KEYS:
            roles[role] = sorted(display(t) for t in tokens)
    for role in view.values:
        text = _value_list(view, role, display)
        if text:
            roles[role] = text
    for role, amounts in view.amounts.items():
        if amounts and (view.gold is not None or role == "amount"):
            roles[role] = [_amount_text(a, c) for a, c in sorted(amounts)]
    return roles


def _value_list(view: FactView, role: str, display: Callable[[str], str]) -> list[str]:
    if role == "title":  # compared normalised, shown as written
        if view.gold is not None:
            return [str(view.gold.args["title"])]
        if view.statement is not None:
            return [str(t) for t in view.statement.values.get("title", ())]
    return sorted(display(v) for v in view.values.get(role, ()))


def _amount_text(amount: float, currency: str) -> str:
    return f"{amount:,.2f}".removesuffix(".00") + (f" {currency}" if currency else "")


def _describe(view: FactView, display: Callable[[str], str]) -> str:
    roles = "; ".join(f"{k}=[{', '.join(v)}]" for k, v in _roles(view, display).items())
    return f"{view.type} {roles} «{view.evidence}»"


def _value_text(view: FactView, role: str, display: Callable[[str], str]) -> str:
    if role in view.amounts:
        return ", ".join(_amount_text(a, c) for a, c in sorted(view.amounts[role])) or "none"
    return ", ".join(_value_list(view, role, display)) or "none"


def read_metadata_index(path: Path) -> dict[str, Metadata]:
    """Per-article metadata from one JSON file: a list of objects with an "id" (the article's
    file stem) and any of url, title, published, language (other fields are ignored), or an
    object mapping each stem to such an object. Null values mean 'not given'."""
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise EntenteError(
            "E010", f"cannot read metadata file ({exc.strerror})", where=where
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EntenteError("E010", f"metadata is not valid JSON: {exc}", where=where) from exc
    records: list[tuple[str, Any]]
    if isinstance(data, list):
        records = []
        for n, item in enumerate(data):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise EntenteError(
                    "E010", f'record {n} must be an object with a string "id"', where=where
                )
            records.append((item["id"], item))
    elif isinstance(data, dict):
        records = list(data.items())
    else:
        raise EntenteError("E010", "expected a JSON list or object", where=where)
    out: dict[str, Metadata] = {}
    for stem, item in records:
        if not isinstance(item, dict):
            raise EntenteError("E010", f"metadata of {stem!r} must be an object", where=where)
        fields = {k: v for k, v in item.items() if k in METADATA_FIELDS}
        out[stem] = Metadata.parse(fields, where=f"{where} ({stem})")
    return out
