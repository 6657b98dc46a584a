"""Shared fixtures. Paths come from this file's location, never from the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    return EXAMPLES / "articles"


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return EXAMPLES / "gold"
