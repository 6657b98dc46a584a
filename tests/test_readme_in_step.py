"""The README's settings table, command table and query list follow the code."""

from __future__ import annotations

import re
from pathlib import Path

from entente.service.cli.commands import app
from entente.service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quickstart_is_two_commands() -> None:
    block = README.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make run", "make test"]


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"`ENTENTE_([A-Z_]+)`", README))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields <= documented, f"undocumented settings: {fields - documented}"
    assert documented <= fields, f"README names settings that do not exist: {documented - fields}"


def test_every_command_is_documented() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"`entente {name}" in README, name


def test_every_example_query_is_listed() -> None:
    for query in (ROOT / "examples" / "queries").glob("*.rq"):
        assert f"`{query.name}`" in README, query.name
