"""Where the shipped Turtle files are, and which named graph each belongs in.

The files are package data of `entente.ontology` and `entente.shapes`; importlib.resources finds
them in a wheel and in an editable install alike (both packages carry an __init__.py for this).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from entente.ontology.iris import GAZETTEER_GRAPH, ONTOLOGY_GRAPH
from rdflib import URIRef

ONTOLOGY_PACKAGE = "entente.ontology"
SHAPES_PACKAGE = "entente.shapes"


def _package_dir(package: str) -> Path:
    # Installed unzipped (wheel or editable), a package's files() is a real directory; entente
    # never runs from a zip, so a plain Path is what every caller (rdflib, pyshacl) wants.
    return Path(str(files(package)))


def ontology_dir() -> Path:
    return _package_dir(ONTOLOGY_PACKAGE)


def ontology_path() -> Path:
    """The OWL ontology, ontology/entente.ttl."""
    return ontology_dir() / "entente.ttl"


def technologies_path() -> Path:
    """The SKOS technology scheme, ontology/technologies.ttl."""
    return ontology_dir() / "technologies.ttl"


def policy_types_path() -> Path:
    """The SKOS policy type scheme, ontology/policy-types.ttl."""
    return ontology_dir() / "policy-types.ttl"


def territory_names_path() -> Path:
    """Names of the gazetteer's states in every supported language, generated from CLDR
    (entente.ontology.territory_names)."""
    return ontology_dir() / "territory-names.ttl"


def technology_labels_path() -> Path:
    """French, Dutch and German names of the technology scheme's concepts."""
    return ontology_dir() / "technology-labels.ttl"


def gazetteer_path() -> Path:
    """Known actors and places, ontology/gazetteer.ttl."""
    return ontology_dir() / "gazetteer.ttl"


def shapes_dir() -> Path:
    return _package_dir(SHAPES_PACKAGE)


def shapes_paths() -> list[Path]:
    """Every shipped SHACL shapes file, sorted by name."""
    return sorted(shapes_dir().glob("*.ttl"))


def reference_graphs() -> dict[URIRef, tuple[Path, ...]]:
    """The named graph each shipped reference file is loaded into: the ontology with its two
    schemes in one graph, the gazetteer in another (docs/architecture.md, "Named graphs")."""
    return {
        ONTOLOGY_GRAPH: (
            ontology_path(),
            technologies_path(),
            technology_labels_path(),
            policy_types_path(),
        ),
        GAZETTEER_GRAPH: (gazetteer_path(), territory_names_path()),
    }
