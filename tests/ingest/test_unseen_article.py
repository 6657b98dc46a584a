"""An article written after the extractor was tuned, on actors and technologies the seed articles
do not mention together: the extractor must read it from the parse and the lexicons, not from
what it learnt on the seeds. It found one real defect when first run (a company after 'maker'
typed as a place by the model, so the acquisition was lost) and one gap in the technology
scheme (hydrogen, added as a Turtle edit); the expectations are what a careful
analyst extracts, no more."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from entente.ingest.model import Analysis, Document
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.ontology.gazetteer import Gazetteer

pytestmark = pytest.mark.model

ID = "https://w3id.org/entente/id/"
GERMANY, INDIA, US, CHINA = (
    ID + f"state/{s}" for s in ("germany", "india", "united-states", "china")
)

TEXT = """Germany and India sign pact on green hydrogen and chips

BERLIN, March 4 (Reuters) - Germany and India signed a memorandum of understanding on Tuesday to \
cooperate on green hydrogen and semiconductors, German Chancellor Olaf Scholz said after meeting \
Indian Prime Minister Narendra Modi in Berlin.

The agreement comes as both countries seek to reduce their dependence on China for critical \
minerals.

Meanwhile, the United States announced new export controls on advanced AI chips to China on \
Monday, the Commerce Department said.

Samsung Electronics agreed to buy Dutch chip equipment maker Nexperia for 2.1 billion euros \
($2.3 billion), the company said.
"""


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    pipeline = Pipeline(PipelineConfig(), Gazetteer.load())
    doc = Document(text=TEXT, source="<test>", published=date(2025, 3, 6), language="en")
    return pipeline.analyze(doc)


def of_type(analysis: Analysis, *types: str) -> list[dict[str, tuple[object, ...]]]:
    return [
        {**s.roles, **s.values, "type": (s.type,)} for s in analysis.statements if s.type in types
    ]


def test_the_memorandum_between_germany_and_india(analysis: Analysis) -> None:
    (mou,) = of_type(analysis, "MemorandumOfUnderstanding")
    assert set(mou["party"]) == {GERMANY, INDIA}
    assert set(mou["technology"]) == {ID + "technology/semiconductors", ID + "technology/hydrogen"}


def test_the_us_export_control_on_ai_chips_to_china(analysis: Analysis) -> None:
    (control,) = of_type(analysis, "ExportControl")
    assert control["actor"] == (US,)
    assert control["target"] == (CHINA,)
    assert control["technology"] == (ID + "technology/ai-chips",)


def test_the_acquisition_with_both_figures(analysis: Analysis) -> None:
    (deal,) = of_type(analysis, "Acquisition")
    assert deal["acquired"] == (ID + "company/nexperia",)
    assert deal["acquirer"][0].startswith(ID + "company/samsung")
    assert Decimal(2_100_000_000) in deal["amount"]
    assert analysis.entities[ID + "company/nexperia"].type == "Company"


def test_positions_and_the_meeting(analysis: Analysis) -> None:
    holders = {s["holder"][0]: s["organization"][0] for s in of_type(analysis, "Position")}
    assert holders == {ID + "person/olaf-scholz": GERMANY, ID + "person/narendra-modi": INDIA}
    (meeting,) = of_type(analysis, "Meeting")
    assert set(meeting["participant"]) >= {ID + "person/olaf-scholz", ID + "person/narendra-modi"}


def test_dependence_on_china_and_nothing_invented(analysis: Analysis) -> None:
    dependents = {s["dependent"][0] for s in of_type(analysis, "Dependency")}
    assert dependents <= {GERMANY, INDIA} and dependents
    assert all(s["dependsOn"] == (CHINA,) for s in of_type(analysis, "Dependency"))
    kinds = {s.type for s in analysis.statements}
    assert kinds <= {
        "MemorandumOfUnderstanding",
        "Cooperation",
        "ExportControl",
        "Acquisition",
        "Position",
        "Meeting",
        "Dependency",
    }


SWEDISH = """Sverige och Sydkorea stärker samarbetet om halvledare

Sverige och Sydkorea kommer att samarbeta om halvledare och kvantteknik, sade näringsminister \
Ebba Busch på tisdagen efter ett möte med sin sydkoreanska kollega i Stockholm.

Kina införde förra månaden exportrestriktioner på gallium och germanium.

Ericsson har gått med på att köpa det amerikanska bolaget Vonage för 6,2 miljarder dollar.
"""


@pytest.fixture(scope="module")
def swedish() -> Analysis:
    pipeline = Pipeline(PipelineConfig(), Gazetteer.load())
    doc = Document(text=SWEDISH, source="<test>", published=date(2025, 3, 6), language="sv")
    return pipeline.analyze(doc)


def test_swedish_cooperation_export_control_and_acquisition(swedish: Analysis) -> None:
    (coop,) = of_type(swedish, "Cooperation")
    assert set(coop["party"]) == {ID + "state/sweden", ID + "state/south-korea"}
    controls = of_type(swedish, "ExportControl")  # one statement per technology
    assert {c["actor"] for c in controls} == {(CHINA,)}
    assert {c["technology"] for c in controls} == {
        (ID + "technology/gallium",),
        (ID + "technology/germanium",),
    }
    (deal,) = of_type(swedish, "Acquisition")
    assert deal["acquirer"] == (ID + "company/ericsson",)
    assert deal["acquired"] == (ID + "company/vonage",)
    assert deal["status"] == (ID.replace("/id/", "/ontology#") + "Agreed",)


PRESSURE = """Washington presses Seoul to curb chip sales to Beijing

SEOUL, June 12 (Reuters) - The United States is pressing South Korea to restrict sales of memory \
chips to China, two people familiar with the matter said on Wednesday.

South Korean President Yoon Suk Yeol said his government would provide 26 trillion won \
($19 billion) in subsidies to the country's semiconductor industry.

The European Parliament approved the AI Act, the world's first comprehensive rules for \
artificial intelligence, last month.

France backed the Dutch position on export controls, while Germany said it would continue to \
de-risk from China by diversifying its supply chains for batteries.

Taiwan remains heavily dependent on the United States for its security, analysts said.
"""


@pytest.fixture(scope="module")
def pressure() -> Analysis:
    pipeline = Pipeline(PipelineConfig(), Gazetteer.load())
    doc = Document(text=PRESSURE, source="<test>", published=date(2024, 6, 14), language="en")
    return pipeline.analyze(doc)


def test_pressure_subsidy_regulation_de_risking_dependency(pressure: Analysis) -> None:
    (press,) = of_type(pressure, "Pressure")
    assert (press["actor"], press["target"]) == ((US,), (ID + "state/south-korea",))
    (subsidy,) = of_type(pressure, "Subsidy")
    assert subsidy["actor"] == (ID + "state/south-korea",)
    (rule,) = of_type(pressure, "AIRegulation")
    assert rule["actor"] == (ID + "governmentbody/european-parliament",)
    (derisk,) = of_type(pressure, "DeRisking")
    assert (derisk["actor"], derisk["target"]) == ((GERMANY,), (CHINA,))
    (dependency,) = of_type(pressure, "Dependency")
    assert (dependency["dependent"], dependency["dependsOn"]) == ((ID + "state/taiwan",), (US,))


def test_an_export_control_is_never_without_its_technology(pressure: Analysis) -> None:
    """'France backed the Dutch position on export controls, while Germany ... batteries' once
    gave ExportControl(France, batteries): the technology came from the other clause. Without
    one the shapes reject the statement, and with it the whole article."""
    assert of_type(pressure, "ExportControl") == []
