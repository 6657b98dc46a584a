"""One registration per fact family (issue 8, item 3): the registry's specs are the only place
that says a family's trigger priority, identity keys, statement classes, dated roles and lexicon
table, and they agree with the ontology. Lexicon files are checked against the declared schema,
with errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ingest.extract.registry import (
    FAMILIES,
    PRIORITY,
    key_roles,
    lexicon_model,
    load_lexicon_file,
    parse_lexicon,
    statement_iri,
)
from entente.ontology.vocab import ENT
from rdflib import OWL, RDF, Graph

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "entente.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_every_statement_class_and_key_role_is_in_the_ontology(ontology: Graph) -> None:
    for spec in FAMILIES:
        for cls in spec.statement_types:
            assert (ENT[cls], RDF.type, OWL.Class) in ontology, cls
        for role in spec.identity:
            assert (ENT[role], RDF.type, OWL.ObjectProperty) in ontology, (spec.name, role)


def test_priority_follows_registration_order() -> None:
    assert PRIORITY[:3] == ("Agreement", "AgreementAnaphor", "Policy")
    assert PRIORITY.index("Support") < PRIORITY.index("Dependency")  # "rely on support from"
    assert "Position" not in PRIORITY  # read in a first pass, not from triggers


def test_identity_leaves_value_roles_out() -> None:
    assert key_roles("ExportControl") == ("actor", "target", "technology")
    assert key_roles("MemorandumOfUnderstanding") == ("party",)
    one = statement_iri("Acquisition", {"acquirer": ("a",), "acquired": ("b",), "status": ("x",)})
    other = statement_iri("Acquisition", {"acquirer": ("a",), "acquired": ("b",)})
    assert one == other
    with pytest.raises(ValueError):
        key_roles("Rumour")


def test_every_family_table_is_part_of_the_file_schema() -> None:
    fields = lexicon_model().model_fields
    for spec in FAMILIES:
        if spec.section is not None:
            assert spec.section in fields


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('language = "xx"\n[cooperation]\ntrigers = ["join hands"]\n', "cooperation.trigers"),
        (
            'language = "xx"\n[meeting]\ntechnology_scope = "paragraph"\n',
            "meeting.technology_scope",
        ),
        ('language = "xx"\n[policy.kinds.Sanctions]\ntriggers = ["embargo"]\n', "Sanctions"),
        ('language = "xx"\n[policy.kinds.Subsidy]\ntriggers = ["... aid"]\n', "triggers"),
        ('language = "xx"\n[status]\nPending = ["awaits"]\n', "status.Pending"),
        ('language = "xx"\n[money.scales]\nlakh = "many"\n', "money.scales"),
        ('[support]\nactive = ["fund"]\n', "language"),
    ],
)
def test_schema_errors_name_the_file_and_the_key(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "xx.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(EntenteError) as err:
        load_lexicon_file(path)
    assert err.value.code == "E104"
    assert key in err.value.message
    assert err.value.where == str(path)


def test_a_minimal_lexicon_loads_with_empty_families() -> None:
    lex = parse_lexicon('language = "xx"\n[pressure]\ntriggers = ["lean on"]\n', where="inline")
    assert lex.language == "xx"
    assert {spec.section for spec in FAMILIES if spec.section} <= set(lex.sections)
