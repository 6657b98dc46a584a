"""Fact-recall classes (issue 9, second pass), each shown on sentences written for this test
about invented or unrelated actors: one policy statement per technology it names."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat

pytestmark = pytest.mark.model


def facts(pipeline: Pipeline, text: str, language: str = "en") -> set[tuple[str, ...]]:
    return flat(analyse(pipeline, text, language).statements)


def test_an_export_control_on_several_technologies_is_one_statement_per_technology(
    pipeline: Pipeline,
) -> None:
    got = facts(pipeline, "Canada imposed export controls on gallium, germanium and graphite.")
    controls = {f for f in got if f[0] == "ExportControl"}
    assert controls == {
        ("ExportControl", "actor=canada", "technology=gallium"),
        ("ExportControl", "actor=canada", "technology=germanium"),
        ("ExportControl", "actor=canada", "technology=graphite"),
    }


def test_a_policy_stance_on_two_technologies_is_two_statements(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Peru announced subsidies for drones and quantum computers.")
    subsidies = {f for f in got if f[0] == "Subsidy"}
    assert {f[-1] for f in subsidies} >= {"technology=drones", "technology=quantum-computing"}
    assert all(len(f[-1].split(",")) == 1 for f in subsidies)


@pytest.mark.parametrize(
    ("language", "text", "holder", "state"),
    [
        (
            "de",
            "Österreich baut Chips. Bundesinnenministerin Lena Hofer sprach in Wien über "
            "Österreich und die Halbleiter.",
            "lena-hofer",
            "austria",
        ),
        (
            "fr",
            "Le Portugal investit dans les puces. La ministre Clara Matos a parlé à Lisbonne du "
            "Portugal.",
            "clara-matos",
            "portugal",
        ),
        (
            "nl",
            "Denemarken investeert in chips. Minister Sofie Lund sprak in Kopenhagen over "
            "Denemarken.",
            "sofie-lund",
            "denmark",
        ),
    ],
)
def test_a_state_office_with_no_state_named_serves_the_article_s_state_in_every_language(
    pipeline: Pipeline, language: str, text: str, holder: str, state: str
) -> None:
    got = facts(pipeline, text, language)
    assert ("Position", f"holder={holder}", f"organization={state}") in got


def test_an_untagged_office_belongs_to_a_state_whose_language_the_article_is_written_in(
    pipeline: Pipeline,
) -> None:
    # Japan is named more often, but a German report's federal minister is Germany's.
    text = (
        "Japan baut Chips. Japan liefert Gallium, und Japan forscht. Deutschland prüft das. "
        "Bundesforschungsministerin Lena Hofer sagte, Deutschland wolle mit Japan reden."
    )
    got = facts(pipeline, text, "de")
    assert ("Position", "holder=lena-hofer", "organization=germany") in got
    assert not any(f[0] == "Position" and f[2] == "organization=japan" for f in got)
