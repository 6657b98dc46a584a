"""An export curb in the German or Dutch verb bracket: the export noun in the middle field, the
participle or infinitive that curbs it at the clause's end, often more than four tokens later
('hat den Export … seit Montag vollständig gestoppt'). Exports that merely rose are no measure."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "nl",
            "Peking heeft de export van gallium naar Japan en Zuid-Korea vorige week stilgelegd.",
        ),
        (
            "nl",
            "De Chinese regering heeft de export van gallium naar de Verenigde Staten met "
            "onmiddellijke ingang beperkt.",
        ),
        ("de", "China hat den Export von Gallium in die USA seit Montag vollständig gestoppt."),
        (
            "de",
            "Die chinesische Regierung hat die Ausfuhr von Gallium nach Japan mit sofortiger "
            "Wirkung eingeschränkt.",
        ),
    ],
)
def test_an_export_curb_across_the_bracket(pipeline: Pipeline, language: str, text: str) -> None:
    got = flat(analyse(pipeline, text, language).statements, "ExportControl")
    assert any("actor=china" in f and "technology=gallium" in f for f in got), got


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Der Export von Gallium nach Japan ist im vergangenen Jahr stark gestiegen."),
        ("nl", "De export van gallium naar Japan is vorig jaar sterk gestegen."),
    ],
)
def test_exports_that_rose_are_no_measure(pipeline: Pipeline, language: str, text: str) -> None:
    assert not flat(analyse(pipeline, text, language).statements, "ExportControl")
