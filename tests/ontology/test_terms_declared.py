"""Every ent: term that the gazetteer, the schemes and the shapes use is declared in the
ontology: a misspelt property in a Turtle file fails here rather than silently matching nothing.
Shapes are globbed, so a new shapes file is checked without editing this test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from entente.ontology.vocab import ENT
from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
ENT_NS = str(ENT)
DATA_FILES = sorted(
    [ONTOLOGY_DIR / name for name in ("gazetteer.ttl", "technologies.ttl", "policy-types.ttl")]
    + list(SHAPES_DIR.glob("*.ttl"))
)
# ent:Term in SPARQL strings (sh:select, sh:ask) and full IRIs anywhere in the text.
PREFIXED = re.compile(r"(?<![\w:/#])ent:([A-Za-z_][\w-]*)")
FULL = re.compile(re.escape(ENT_NS) + r"([A-Za-z_][\w-]*)")


def declared(ontology: Graph) -> set[str]:
    return {str(s)[len(ENT_NS) :] for s in ontology.subjects() if str(s).startswith(ENT_NS)}


def used_terms(path: Path) -> set[str]:
    graph = Graph().parse(path, format="turtle")
    names = {
        str(term)[len(ENT_NS) :]
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(ENT_NS)
    }
    text = path.read_text(encoding="utf-8")
    names |= set(PREFIXED.findall(text)) | set(FULL.findall(text))
    return names


def test_ontology_uses_only_its_own_terms(ontology: Graph) -> None:
    used = {
        str(t)[len(ENT_NS) :]
        for triple in ontology
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(ENT_NS)
    }
    assert used <= declared(ontology), sorted(used - declared(ontology))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_ent_terms_are_declared(ontology: Graph, path: Path) -> None:
    undeclared = used_terms(path) - declared(ontology)
    assert not undeclared, f"{path.name} uses undeclared ent: terms {sorted(undeclared)}"


def test_the_check_catches_a_typo(ontology: Graph, tmp_path: Path) -> None:
    bad = tmp_path / "typo.ttl"
    bad.write_text(
        "@prefix ent: <https://w3id.org/entente/ontology#> .\n"
        "<https://w3id.org/entente/id/state/x> a ent:Stat .\n",
        encoding="utf-8",
    )
    assert used_terms(bad) - declared(ontology) == {"Stat"}
