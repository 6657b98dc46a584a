"""Graphs of the shipped ontology files, parsed once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
SHAPES_DIR = Path(__file__).resolve().parents[2] / "shapes"


def parse(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    return graph


@pytest.fixture(scope="session")
def parse_files() -> Callable[..., Graph]:
    """parse_files("entente.ttl", "gazetteer.ttl") -> a fresh graph of those shipped files."""
    return parse


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return parse("entente.ttl")


@pytest.fixture(scope="session")
def gazetteer_graph() -> Graph:
    return parse("gazetteer.ttl")


@pytest.fixture(scope="session")
def technologies() -> Graph:
    return parse("technologies.ttl")


@pytest.fixture(scope="session")
def policy_types() -> Graph:
    return parse("policy-types.ttl")
