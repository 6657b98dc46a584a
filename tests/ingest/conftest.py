"""The analysis pipeline the ingest tests share: one per session, since building one loads the
spaCy models (English, French) and the Swedish lemma table anew."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.ontology.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(PipelineConfig(), Gazetteer.load())
