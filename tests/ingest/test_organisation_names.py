"""Organisation names as classes (issue 9): each test writes its own sentences about invented
actors and checks the entity the whole pipeline links, with its type. The classes: companies
named for their trade ('Kestrel Semiconductor'), ..."""

from __future__ import annotations

import pytest
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.ontology.gazetteer import Gazetteer

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(PipelineConfig(), Gazetteer.load())


def entities(pipeline: Pipeline, text: str, language: str = "en") -> dict[str, str]:
    """Mention text -> the type of the entity it links to."""
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language=language))
    return {m.text: analysis.entities[m.entity].type for m in analysis.mentions}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The deal values Kestrel Semiconductor at $2bn.", "Kestrel Semiconductor"),
        ("Shares of Bluefield Rare Earths rose on Friday.", "Bluefield Rare Earths"),
        ("Regulators cleared the sale of Tamsin Batteries last week.", "Tamsin Batteries"),
    ],
)
def test_a_company_named_for_its_trade_is_one_company(
    pipeline: Pipeline, text: str, name: str
) -> None:
    got = entities(pipeline, text)
    assert got.get(name) == "Company"


def test_a_technology_after_a_state_stays_two_mentions(pipeline: Pipeline) -> None:
    got = entities(pipeline, "Japan Semiconductor exports rose while US AI rules tightened.")
    assert got.get("Japan") == "State"
    assert "Japan Semiconductor" not in got
