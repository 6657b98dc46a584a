"""Shared fixtures. Paths come from this file's location, never from the working directory."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# No example database: a test run leaves no .hypothesis/ folder behind in the working directory,
# and every property test is reproducible from its own seed and explicit examples.
settings.register_profile("entente", database=None)
settings.load_profile("entente")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _register(name: str, path: Path) -> None:
    """Make a helper beside the tests importable by name: under --import-mode=importlib it is not,
    and conftest files load before the test modules that import it."""
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_register("entente_tests_servers", Path(__file__).with_name("servers.py"))
_register("entente_tests_statements", Path(__file__).parent / "ingest" / "statement_views.py")
# The import-graph walker bench/import_graph.py prints figures with; tests/test_architecture.py
# holds the graph to its rules with the same code.
_register("entente_bench_import_graph", ROOT / "bench" / "import_graph.py")
_register(
    "entente_tests_lifecycle_support", Path(__file__).parent / "service" / "lifecycle_support.py"
)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    return EXAMPLES / "articles"


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return EXAMPLES / "gold"
