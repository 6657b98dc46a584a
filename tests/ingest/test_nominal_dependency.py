"""A dependence noun with an 'of' phrase names the dependent there and what is depended on in
its 'on' phrase ('the dependence of Canada on the United States'), as the window languages
already read the genitive ('die Abhängigkeit Kanadas von …'). Without an actor on both sides
there is no statement."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "The dependency of Canada on the United States for semiconductors is a risk.",
            (
                "Dependency",
                "dependent=canada",
                "dependsOn=united-states",
                "technology=semiconductors",
            ),
        ),
        (
            "en",
            "The reliance of Mexico on Japan for lithium worries investors.",
            ("Dependency", "dependent=mexico", "dependsOn=japan", "technology=lithium"),
        ),
        (
            "de",
            "Die Abhängigkeit Kanadas von den USA bei Halbleitern wächst.",
            (
                "Dependency",
                "dependent=canada",
                "dependsOn=united-states",
                "technology=semiconductors",
            ),
        ),
    ],
)
def test_the_of_phrase_is_the_dependent(
    pipeline: Pipeline, language: str, text: str, expected: tuple[str, ...]
) -> None:
    assert expected in flat(analyse(pipeline, text, language).statements, "Dependency")


def test_no_actor_in_the_of_phrase_gives_nothing(pipeline: Pipeline) -> None:
    text = "The dependence of the furniture trade on Vietnam is growing."
    assert not flat(analyse(pipeline, text).statements, "Dependency")
