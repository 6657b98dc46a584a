"""entente.ontology.resources finds the shipped Turtle files through the installed packages."""

from __future__ import annotations

from pathlib import Path

from entente.ontology import resources
from entente.ontology.iris import GAZETTEER_GRAPH, ONTOLOGY_GRAPH

ROOT = Path(__file__).resolve().parents[2]


def test_paths_point_at_the_shipped_files() -> None:
    expected = {
        resources.ontology_path(): "entente.ttl",
        resources.technologies_path(): "technologies.ttl",
        resources.policy_types_path(): "policy-types.ttl",
        resources.gazetteer_path(): "gazetteer.ttl",
    }
    for path, name in expected.items():
        assert path.is_file(), path
        assert path.resolve() == (ROOT / "ontology" / name).resolve()


def test_shapes_are_globbed() -> None:
    assert resources.shapes_dir().resolve() == (ROOT / "shapes").resolve()
    assert resources.shapes_paths() == sorted(resources.shapes_dir().glob("*.ttl"))
    assert all(p.suffix == ".ttl" for p in resources.shapes_paths())


def test_reference_graphs() -> None:
    graphs = resources.reference_graphs()
    assert set(graphs) == {ONTOLOGY_GRAPH, GAZETTEER_GRAPH}
    assert resources.gazetteer_path() in graphs[GAZETTEER_GRAPH]
    assert resources.ontology_path() in graphs[ONTOLOGY_GRAPH]
    assert all(p.is_file() for paths in graphs.values() for p in paths)
