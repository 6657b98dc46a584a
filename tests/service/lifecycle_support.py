"""Helpers for the lifecycle tests: a pipeline that turns a tiny mark-up into real statements
(so that entente.ingest.map and the real gate see contract-shaped graphs without spaCy), a store
holding the shipped reference graphs, and the operator's strict shape from the issue."""

from __future__ import annotations

import re
from pathlib import Path

from entente.ingest.model import Analysis, CleanedText, Document, Entity, Evidence, Statement
from entente.ontology.iris import GAZETTEER_GRAPH
from entente.ontology.vocab import ID
from entente.service.store.bootstrap import ensure_reference_graphs
from entente.service.store.oxigraph import OxigraphStore

NL, CHINA, JAPAN, EU = (
    str(ID["state/netherlands"]),
    str(ID["state/china"]),
    str(ID["state/japan"]),
    str(ID["bloc/european-union"]),
)
CHIPS = str(ID["technology/semiconductors"])
ACTORS = {"NL": NL, "CN": CHINA, "JP": JAPAN, "EU": EU}
assert GAZETTEER_GRAPH  # the entities above are in the shipped gazetteer graph

STRICT_SHAPE = """
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix ent:  <https://w3id.org/entente/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ops:  <https://example.org/our-shapes#> .

ops:ExportControlTarget a sh:NodeShape ;
    sh:targetClass ent:ExportControl ;
    rdfs:comment "Our analysts only want export controls that name whom they are aimed at." ;
    sh:property [
        sh:path ent:target ;
        sh:minCount 1 ;
        sh:severity sh:Violation ;
        sh:message "Every export control must name a target."
    ] .
"""


def write_strict_shape(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "strict.ttl").write_text(STRICT_SHAPE, encoding="utf-8")
    return folder


class MarkupPipeline:
    """Each sentence of the text like `EC NL CN: The Netherlands restricts chips to China.`
    becomes a statement: EC = ExportControl (actor, [target]), CO = Cooperation (parties).
    A target of `-` leaves it out. Sentences without a mark-up are ignored."""

    LINE = re.compile(r"^(EC|CO) (\w\w) (\w\w|-): (.+)$")

    def analyze(self, document: Document) -> Analysis:
        statements: list[Statement] = []
        position = 0
        for line in document.text.splitlines(keepends=True):
            match = self.LINE.match(line.strip())
            if match:
                kind, first, second, sentence = match.groups()
                start = position + line.index(sentence)
                evidence = Evidence(sentence, start, start + len(sentence), 0.9, "markup.v1")
                if kind == "EC":
                    roles: dict[str, tuple[str, ...]] = {
                        "actor": (ACTORS[first],),
                        "technology": (CHIPS,),
                    }
                    if second != "-":
                        roles["target"] = (ACTORS[second],)
                    statements.append(Statement("ExportControl", roles, evidence))
                else:
                    parties = (ACTORS[first], ACTORS[second])
                    statements.append(
                        Statement(
                            "Cooperation", {"party": parties, "technology": (CHIPS,)}, evidence
                        )
                    )
            position += len(line)
        named = {iri for s in statements for values in s.roles.values() for iri in values}
        entities = {iri: Entity(iri, iri.rsplit("/", 1)[1], "State") for iri in sorted(named)}
        return Analysis(
            document=document,
            cleaned=CleanedText(document.text),
            language="en",
            entities=entities,
            statements=statements,
        )


def reference_store(path: Path | None = None) -> OxigraphStore:
    store = OxigraphStore(path)
    ensure_reference_graphs(store)
    return store


def article(body: str, *, title: str = "Chip controls", url: str | None = None) -> Document:
    return Document(text=body, source=f"{title}.txt", title=title, url=url)
