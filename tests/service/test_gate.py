"""The validation gate: shipped + operator shapes, delta + context from the store, outcomes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import entente_tests_lifecycle_support as S
import pytest
import rdflib.namespace as rns
from entente.errors import EntenteError
from entente.ontology.iris import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, document_graph, document_iri
from entente.ontology.vocab import ENT, ID, SCHEMA, WD
from entente.service.gate.gate import Gate, ValidationOutcome, context_query, referenced_iris
from entente.service.store.oxigraph import OxigraphStore
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS

SHA = "ab" * 32
DOC = document_iri(SHA)
JAPAN, EU, NL, CHINA = (
    ID["state/japan"],
    ID["bloc/european-union"],
    ID["state/netherlands"],
    ID["state/china"],
)
CHIPS, TOKYO = ID["technology/semiconductors"], ID["place/tokyo"]
SENTENCE = "The Netherlands will restrict exports of chip equipment to China."


def gazetteer() -> Graph:
    g = Graph(identifier=GAZETTEER_GRAPH)
    for iri, cls, label, qid in [
        (JAPAN, ENT.State, "Japan", "Q17"),
        (EU, ENT.Bloc, "European Union", "Q458"),
        (NL, ENT.State, "Netherlands", "Q55"),
        (CHINA, ENT.State, "China", "Q148"),
        (CHIPS, ENT.Technology, "semiconductors", "Q11456"),
        (TOKYO, ENT.Place, "Tokyo", "Q1490"),
    ]:
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label, lang="en")))
        g.add((iri, OWL.sameAs, WD[qid]))
    g.add((CHIPS, SKOS.altLabel, Literal("halvledare", lang="sv")))
    return g


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    s = OxigraphStore(None)
    s.put_graphs({str(GAZETTEER_GRAPH): gazetteer()})
    yield s
    s.close()


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate()


def document(g: Graph) -> None:
    g.add((DOC, RDF.type, ENT.Document))
    g.add((DOC, ENT.sha256, Literal(SHA)))
    g.add((DOC, DCTERMS.title, Literal("Dutch chip controls")))
    g.add((DOC, DCTERMS.language, Literal("en")))
    g.add((DOC, SCHEMA.url, URIRef("https://example.org/dutch-controls")))
    g.add((DOC, SCHEMA.datePublished, Literal("2023-03-08", datatype=rns.XSD.date)))
    g.add((DOC, PROV.generatedAtTime, Literal("2024-01-01T00:00:00Z", datatype=rns.XSD.dateTime)))
    for entity in (NL, CHINA, CHIPS):
        g.add((DOC, ENT.mentions, entity))


def evidence(g: Graph, name: str, sentence: str = SENTENCE, confidence: str = "0.9") -> URIRef:
    ev = ID[f"evidence/{name}"]
    g.add((ev, RDF.type, ENT.Evidence))
    g.add((ev, ENT.document, DOC))
    g.add((ev, ENT.sentence, Literal(sentence)))
    g.add((ev, ENT.charStart, Literal(100)))
    g.add((ev, ENT.charEnd, Literal(100 + len(sentence))))
    g.add((ev, ENT.confidence, Literal(Decimal(confidence))))
    g.add((ev, ENT.extractor, Literal("entente.test.v1")))
    return ev


def export_control(g: Graph, *, target: bool = True, technology: bool = True) -> URIRef:
    node = ID["statement/export-control/nl-china"]
    g.add((node, RDF.type, ENT.ExportControl))
    g.add((node, ENT.actor, NL))
    if target:
        g.add((node, ENT.target, CHINA))
    if technology:
        g.add((node, ENT.technology, CHIPS))
    g.add((node, ENT.status, ENT.Announced))
    g.add((node, ENT.evidence, evidence(g, "ec")))
    return node


def valid_delta() -> Graph:
    g = Graph(identifier=document_graph(SHA))
    document(g)
    export_control(g)
    return g


# --- accept / reject ---


def test_accepts_a_valid_delta(gate: Gate, store: OxigraphStore) -> None:
    outcome = gate.validate(valid_delta(), store)
    assert outcome.conforms
    assert outcome.violations == [] and outcome.warnings == []
    assert outcome.context_triples > 0  # the gazetteer entities' types and labels came along


def test_rejects_an_invalid_delta_with_summaries_and_the_evidence_sentence(
    gate: Gate, store: OxigraphStore
) -> None:
    delta = valid_delta()
    node = ID["statement/export-control/nl-china"]
    delta.remove((node, ENT.technology, None))
    delta.add((node, ENT.status, Literal("announced")))
    outcome = gate.validate(delta, store)
    assert not outcome.conforms
    summary = {(v.path, v.constraint): v for v in outcome.violations}
    assert set(summary) == {
        (str(ENT.technology), str(SH.MinCountConstraintComponent)),
        (str(ENT.status), str(SH.InConstraintComponent)),
    }
    missing = summary[(str(ENT.technology), str(SH.MinCountConstraintComponent))]
    assert missing.severity == "Violation"
    assert missing.focus_node == str(node)
    assert missing.message == "An export control needs an ent:technology: what it restricts."
    assert missing.sentence == SENTENCE
    assert missing.shape == "https://w3id.org/entente/shapes#ExportControl-technology"
    wrong = summary[(str(ENT.status), str(SH.InConstraintComponent))]
    assert wrong.value == "announced"
    assert wrong.sentence == SENTENCE


def test_evidence_focus_reports_its_own_sentence(gate: Gate, store: OxigraphStore) -> None:
    delta = valid_delta()
    ev = ID["evidence/ec"]
    delta.set((ev, ENT.confidence, Literal(Decimal("1.5"))))
    [violation] = gate.validate(delta, store).violations
    assert violation.focus_node == str(ev)
    assert violation.value == "1.5"
    assert violation.sentence == SENTENCE


def test_sees_the_stored_types_of_gazetteer_entities(gate: Gate, store: OxigraphStore) -> None:
    delta = valid_delta()
    alone = gate.validate(delta)  # no store: the actors and the technology are untyped
    assert {(v.path, v.constraint.rsplit("#")[-1]) for v in alone.violations} >= {
        (str(ENT.actor), "ClassConstraintComponent"),
        (str(ENT.target), "ClassConstraintComponent"),
        (str(ENT.technology), "ClassConstraintComponent"),
    }
    assert gate.validate(delta, store).conforms


def test_stored_types_reach_across_documents(gate: Gate, store: OxigraphStore) -> None:
    """The gazetteer says the Netherlands is a State; a document that also types it a Company
    is rejected, although the delta alone would be a well-formed company."""
    delta = valid_delta()
    delta.add((NL, RDF.type, ENT.Company))
    [violation] = gate.validate(delta, store).violations
    assert violation.focus_node == str(NL)
    assert violation.path == str(RDF.type)
    assert violation.constraint == str(SH.QualifiedMaxCountConstraintComponent)


def test_warnings_do_not_reject(gate: Gate, store: OxigraphStore) -> None:
    delta = valid_delta()
    delta.set((ID["evidence/ec"], ENT.confidence, Literal(Decimal("0.1"))))
    minted = ID["company/unknown-startup"]
    delta.add((minted, RDF.type, ENT.Company))
    delta.add((minted, RDFS.label, Literal("Unknown Startup")))
    outcome = gate.validate(delta, store)
    assert outcome.accepted  # the gate's policy: warnings flag, they do not reject
    assert not outcome.conforms  # SHACL: a warning is a result, so the report does not conform
    assert outcome.violations == []
    assert sorted((w.focus_node, w.severity) for w in outcome.warnings) == [
        (str(minted), "Warning"),
        (str(ID["evidence/ec"]), "Warning"),
    ]


def test_delta_is_not_modified(gate: Gate, store: OxigraphStore) -> None:
    delta = valid_delta()
    before = set(delta)
    gate.validate(delta, store)
    assert set(delta) == before


# --- the context: one query, only what the delta touches ---


class CountingStore(OxigraphStore):
    def __init__(self) -> None:
        super().__init__(None)
        self.queries: list[str] = []

    def construct(self, sparql: str, *, partition: Any = "accepted") -> Graph:
        self.queries.append(sparql)
        return super().construct(sparql, partition=partition)

    def select(self, sparql: str, *, partition: Any = "accepted") -> Any:
        self.queries.append(sparql)
        return super().select(sparql, partition=partition)

    def query(self, sparql: str, *args: Any, **kwargs: Any) -> Any:
        self.queries.append(sparql)
        return super().query(sparql, *args, **kwargs)

    def export(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("per-ingest validation must not export the store")


def test_context_is_one_values_query_over_the_touched_nodes(gate: Gate) -> None:
    store = CountingStore()
    unrelated = Graph()
    for i in range(500):
        node = ID[f"state/s{i}"]
        unrelated.add((node, RDF.type, ENT.State))
        unrelated.add((node, RDFS.label, Literal(f"State {i}")))
    store.put_graphs({str(GAZETTEER_GRAPH): gazetteer() + unrelated})
    delta = valid_delta()
    outcome = gate.validate(delta, store)
    assert outcome.conforms
    assert len(store.queries) == 1 and "VALUES" in store.queries[0]
    # Type, label and Wikidata link of the three gazetteer entities the delta names, + 1 alias;
    # nothing of the 500 other states.
    assert outcome.context_triples == 3 * 3 + 1
    store.close()


def test_referenced_iris_leave_out_classes_and_keep_subjects_and_objects() -> None:
    iris = set(referenced_iris(valid_delta()))
    assert {NL, CHINA, CHIPS, DOC, ID["evidence/ec"], ENT.Announced} <= iris
    assert ENT.ExportControl not in iris and ENT.Document not in iris


def test_context_leaves_out_links_to_other_entente_nodes(gate: Gate, store: OxigraphStore) -> None:
    stored = Graph()
    statement = ID["statement/cooperation/x"]
    stored.add((statement, RDF.type, ENT.Cooperation))
    stored.add((statement, ENT.evidence, ID["evidence/other-document"]))
    stored.add((statement, ENT.date, Literal("2023-01-01", datatype=rns.XSD.date)))
    stored.add((statement, SKOS.note, Literal("not read by any shape")))
    store.put_graphs({str(document_graph("cd" * 32)): stored})
    context = store.construct(context_query([statement], gate.context_predicates))
    assert set(context) == {
        (statement, RDF.type, ENT.Cooperation),
        (statement, ENT.date, Literal("2023-01-01", datatype=rns.XSD.date)),
    }


# --- operator shapes ---

TARGET_RULE = S.STRICT_SHAPE


def test_operator_shapes_dir_adds_a_rule_that_rejects(
    tmp_path: Path, gate: Gate, store: OxigraphStore
) -> None:
    delta = Graph()
    document(delta)
    export_control(delta, target=False)
    assert gate.validate(delta, store).conforms  # the shipped shapes leave the target optional

    (tmp_path / "targets.ttl").write_text(TARGET_RULE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a shapes file: ignored", encoding="utf-8")
    strict = Gate([tmp_path])
    outcome = strict.validate(delta, store)
    assert not outcome.conforms
    [violation] = outcome.violations
    assert violation.message == "Every export control must name a target."
    assert violation.path == str(ENT.target)
    assert violation.sentence == SENTENCE
    assert str(tmp_path / "targets.ttl") in strict.shape_sources


def test_operator_can_deactivate_a_shipped_shape(tmp_path: Path, store: OxigraphStore) -> None:
    (tmp_path / "quiet.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix entsh: <https://w3id.org/entente/shapes#> .\n"
        "entsh:Evidence-lowConfidence sh:deactivated true .\n",
        encoding="utf-8",
    )
    delta = valid_delta()
    delta.set((ID["evidence/ec"], ENT.confidence, Literal(Decimal("0.1"))))
    assert Gate().validate(delta, store).warnings
    assert Gate([tmp_path]).validate(delta, store).warnings == []


def test_complex_paths_are_rendered_as_sparql_paths(tmp_path: Path, store: OxigraphStore) -> None:
    (tmp_path / "orphans.ttl").write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ent: <https://w3id.org/entente/ontology#> .
<https://example.org/shapes#EvidenceUsed> a sh:NodeShape ;
    sh:targetClass ent:Evidence ;
    sh:property [ sh:path [ sh:inversePath ent:evidence ] ; sh:minCount 1 ;
                  sh:severity sh:Warning ; sh:message "Evidence supports no statement." ] .
""",
        encoding="utf-8",
    )
    delta = valid_delta()
    evidence(delta, "orphan", "An orphan sentence.")
    [warning] = Gate([tmp_path]).validate(delta, store).warnings
    assert warning.path == f"^<{ENT.evidence}>"
    assert warning.sentence == "An orphan sentence."


def test_malformed_shapes_file_is_E301_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "\n"
        "<urn:x:S> a sh:NodeShape ;\n"
        "    sh:targetClass <urn:x:C>\n"
        "    sh:property [ sh:path <urn:x:p> ] .\n",
        encoding="utf-8",
    )
    with pytest.raises(EntenteError) as err:
        Gate([tmp_path])
    assert err.value.code == "E301"
    assert f"{bad}:5:" in err.value.message
    assert "expected '.'" in err.value.message
    assert err.value.where == str(bad)


def test_shapes_file_that_is_not_utf8_is_E301_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b"@prefix sh: <http://www.w3.org/ns/shacl#> .\n# caf\xe9\n")
    with pytest.raises(EntenteError) as err:
        Gate([tmp_path])
    assert err.value.code == "E301" and f"{bad}:2:" in err.value.message


def test_missing_shapes_dir_is_E302(tmp_path: Path) -> None:
    with pytest.raises(EntenteError) as err:
        Gate([tmp_path / "nowhere"])
    assert err.value.code == "E302"
    assert str(tmp_path / "nowhere") in err.value.message


def test_operator_shape_with_unknown_ent_term_is_E305(tmp_path: Path) -> None:
    (tmp_path / "typo.ttl").write_text(
        TARGET_RULE.replace("ent:ExportControl", "ent:ExportKontrol"), encoding="utf-8"
    )
    with pytest.raises(EntenteError) as err:
        Gate([tmp_path])
    assert err.value.code == "E305" and "ent:ExportKontrol" in err.value.message


def test_operator_shape_that_is_not_valid_shacl_is_E305(tmp_path: Path) -> None:
    (tmp_path / "count.ttl").write_text(
        TARGET_RULE.replace("sh:minCount 1", 'sh:minCount "one"'), encoding="utf-8"
    )
    with pytest.raises(EntenteError) as err:
        Gate([tmp_path])
    assert err.value.code == "E305" and "count.ttl" in err.value.message


# --- outcome forms and full validation ---


def test_outcome_as_dict_is_json_and_report_is_turtle(gate: Gate, store: OxigraphStore) -> None:
    delta = valid_delta()
    delta.remove((ID["statement/export-control/nl-china"], ENT.technology, None))
    outcome = gate.validate(delta, store)
    data = json.loads(json.dumps(outcome.as_dict()))
    assert data["conforms"] is False
    assert data["violations"][0]["sentence"] == SENTENCE
    assert set(data["violations"][0]) >= {
        "severity",
        "focus_node",
        "path",
        "constraint",
        "message",
        "value",
        "sentence",
    }
    report = Graph().parse(data=outcome.report_turtle, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    assert len(list(report.subjects(RDF.type, SH.ValidationResult))) >= 1
    assert "ExportControl-technology" in outcome.violations[0].render()


def test_validate_all_checks_every_accepted_graph_but_the_ontology(
    gate: Gate, store: OxigraphStore
) -> None:
    ontology = Graph()
    ontology.add((ENT.Person, RDFS.subClassOf, ENT.Actor))
    ontology.add((ENT.Person, OWL.equivalentClass, URIRef("https://schema.org/Person")))
    store.put_graphs({str(ONTOLOGY_GRAPH): ontology, str(document_graph(SHA)): valid_delta()})
    clean: ValidationOutcome = gate.validate_all(store)
    assert clean.conforms and clean.warnings == []
    assert (ENT.Person, OWL.equivalentClass, None) not in gate.full_data_graph(store)

    broken = valid_delta()
    broken.remove((ID["statement/export-control/nl-china"], ENT.actor, None))
    store.put_graphs({str(document_graph(SHA)): broken})
    outcome = gate.validate_all(store)
    assert not outcome.conforms
    assert [(v.path, v.sentence) for v in outcome.violations] == [(str(ENT.actor), SENTENCE)]


def test_context_predicates_are_the_shape_paths_and_rdf_type(gate: Gate) -> None:
    predicates = set(gate.context_predicates)
    assert {
        RDF.type,
        RDFS.label,
        SKOS.altLabel,
        OWL.sameAs,
        ENT.party,
        ENT.confidence,
    } <= predicates
    assert SKOS.hiddenLabel not in predicates and SKOS.definition not in predicates


def test_operator_shape_that_cannot_run_is_E305_at_validation(
    tmp_path: Path, store: OxigraphStore
) -> None:
    (tmp_path / "sparql.ttl").write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ent: <https://w3id.org/entente/ontology#> .
<https://example.org/shapes#Broken> a sh:NodeShape ;
    sh:targetClass ent:ExportControl ;
    sh:sparql [ sh:message "x" ; sh:select "SELECT $this WHERE { $this ?p " ] .
""",
        encoding="utf-8",
    )
    gate = Gate([tmp_path])  # SHACL-for-SHACL does not parse the SPARQL inside a shape
    with pytest.raises(EntenteError) as err:
        gate.validate(valid_delta(), store)
    assert err.value.code == "E305" and "cannot be evaluated" in err.value.message
