"""Docs that a test keeps in step with the code."""

from __future__ import annotations

from pathlib import Path

from entente.errors import CATALOGUE, catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_error_catalogue_doc_is_generated_from_code() -> None:
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert doc == catalogue_markdown(), (
        "regenerate: python -c 'from entente.errors import catalogue_markdown as m; "
        'print(m(), end="")\' > docs/errors.md'
    )


def test_error_codes_are_well_formed_and_ordered() -> None:
    codes = list(CATALOGUE)
    assert codes == sorted(codes)
    assert all(len(c) == 4 and c[0] == "E" and c[1:].isdigit() for c in codes)
