"""AI-regulation vocabulary as technology mentions (extraction): 'general-purpose AI' is the AI
regulation's own class of models and systems, distinct from AI as a whole, in all five
languages. Sentences written for these tests."""

from __future__ import annotations

import pytest
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline

pytestmark = pytest.mark.model


def technologies(pipeline: Pipeline, text: str, language: str) -> dict[str, str]:
    """Mention text -> the label of the Technology it links to."""
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language=language))
    return {
        m.text: analysis.entities[m.entity].label
        for m in analysis.mentions
        if analysis.entities[m.entity].type == "Technology"
    }


@pytest.mark.parametrize(
    ("text", "language", "surface"),
    [
        (
            "Canada wants the providers of general-purpose AI models to publish test results.",
            "en",
            "general-purpose AI models",
        ),
        (
            "Ottawa veut encadrer les modèles d'IA à usage général dès l'an prochain.",
            "fr",
            "modèles d'IA à usage général",
        ),
        (
            "Österreich will KI-Modelle mit allgemeinem Verwendungszweck strenger prüfen.",
            "de",
            "KI-Modelle mit allgemeinem Verwendungszweck",
        ),
        (
            "België wil AI-modellen voor algemene doeleinden strenger toetsen.",
            "nl",
            "AI-modellen voor algemene doeleinden",
        ),
        (
            "Norge vill granska AI-modeller för allmänna ändamål hårdare.",
            "sv",
            "AI-modeller för allmänna ändamål",
        ),
    ],
)
def test_general_purpose_ai_is_its_own_technology(
    pipeline: Pipeline, text: str, language: str, surface: str
) -> None:
    assert technologies(pipeline, text, language).get(surface) == "general-purpose AI"
