"""docs/http.md's route table is the app's (issue 8, item 6): every documented route exists
with the documented tag, and every route of the app is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

DOC = Path(__file__).resolve().parents[2] / "docs" / "http.md"
_ROW = re.compile(r"^\| `([A-Z, ]+) (/[^`]*)` \| .* \| (?:read|write|open) \| ([^|]+) \|$", re.M)


def _normal(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def documented() -> dict[tuple[str, str], str]:
    rows: dict[tuple[str, str], str] = {}
    for methods, path, tag in _ROW.findall(DOC.read_text(encoding="utf-8")):
        for method in methods.split(","):
            rows[(method.strip(), _normal(path))] = tag.strip()
    return rows


def served(client: TestClient) -> dict[tuple[str, str], str]:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    routes = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            tags = operation.get("tags", [])
            assert len(tags) == 1, f"{method.upper()} {path} has tags {tags}"
            routes[(method.upper(), _normal(path))] = tags[0]
    return routes


def test_route_table_is_the_apps(client: TestClient) -> None:
    doc = documented()
    assert len(doc) >= 18
    assert doc == served(client)


def test_version_comes_from_package_metadata(client: TestClient) -> None:
    from importlib.metadata import version

    assert client.get("/openapi.json").json()["info"]["version"] == version("entente")
