"""schemathesis over entente's OpenAPI description (issue 11, item 5): every operation, with
generated valid and invalid requests, every check schemathesis has: no 5xx, statuses, media types,
headers and bodies as described (errors in entente's shape). Examples are bounded and derandomised
so the run is repeatable and takes about a minute; .ci/run runs it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store.oxigraph import OxigraphStore
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.fuzz

TOKEN = "fuzz-token"
MAX_EXAMPLES = int(os.environ.get("ENTENTE_FUZZ_EXAMPLES", "25"))


class _FuzzIngestor:
    """Accepts nothing, touches nothing: the fuzz run is about HTTP, not about analysis."""

    gate = None

    def ingest(self, doc: Any) -> Any:
        from entente.errors import EntenteError

        raise EntenteError("E012", "fuzz run: documents are not analysed", where=doc.source)


def _app() -> Any:
    import tempfile

    store = OxigraphStore(None)
    settings_ = Settings(
        store=Path(tempfile.gettempdir()) / "entente-fuzz-unused",
        write_token=TOKEN,
        query_timeout=5,
    )
    return create_app(settings_, store, ingestor=_FuzzIngestor())


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _lifespan() -> Iterator[None]:
    from fastapi.testclient import TestClient

    with TestClient(APP):
        yield


# A schema says which requests are well formed, not which texts parse: a schema-valid request
# whose SPARQL, RDF or article text does not parse is refused with the code that says so. Those
# refusals (and only those) are what positive-data acceptance may see besides success.
CONTENT_REFUSALS = {
    "E001", "E002", "E004", "E005", "E006", "E008", "E011", "E012",  # articles and metadata
    "E401", "E402", "E403", "E406", "E416", "E424",  # SPARQL text
    "E420", "E423",  # RDF text, or a change the shapes refuse
    "E203", "E304", "E421", "E422",  # the named document, graph or resource does not exist
    "E404",  # the named result format cannot carry this query's result
    "E419",  # a graph entente manages itself
}  # fmt: skip


# A pattern can say what an IRI looks like, not everything the IRI parser checks.
# Nor which parameters exclude each other (GSP: ?graph or ?default).
IRI_REFUSALS = (
    "is not a valid IRI",
    "is not an absolute IRI",
    "name a graph with",
    "not both",
)


def accepts_well_formed_requests(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's positive_data_acceptance, allowing the content refusals above."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return None
    if response.status_code in (401, 403, 404, 409, 429):
        return None
    code = message = None
    with contextlib.suppress(Exception):
        code = response.json()["error"]["code"]
        message = response.json()["error"]["message"]
    if response.request.method == "HEAD" and response.status_code == 400:
        return None  # no body to say why; the GET of the same request is checked
    if code == "E415" and any(part in str(message) for part in IRI_REFUSALS):
        return None
    assert code in CONTENT_REFUSALS, (
        f"a schema-valid request was refused: {response.status_code} {response.text[:300]}"
    )
    return None


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_behaves_as_described(case: Any) -> None:
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[accepts_well_formed_requests],
    )
