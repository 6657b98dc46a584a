"""The OpenAPI description, as the server behaves (served at /openapi.json, shown at /docs).

FastAPI derives a description from the route signatures, which says too little and some of it
wrongly for entente: the protocol routes (/sparql, /update, /store) read their parameters and
bodies themselves, so they showed none; every route declared FastAPI's 422 `{"detail": …}`
although entente answers 400 in its own error shape; RDF answers were declared as JSON. This
module completes and corrects it in one place: the protocol routes' parameters, bodies and media
types, the error shape on every operation (each 4xx and 5xx status), and bearer-token security
on the routes that need a token. schemathesis checks the result against the running server
(tests/http/test_openapi_fuzz.py, run by .ci/run).
"""

from __future__ import annotations

import copy
from typing import Any

from entente.service.http.cors import is_read
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
]
GRAPH_INPUT_TYPES = [*GRAPH_TYPES, "text/n3"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "title", "message", "where", "hint"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": "^E[0-9]{3}$"},
                "title": {"type": "string"},
                "message": {"type": "string"},
                "where": {"type": ["string", "null"]},
                "hint": {"type": "string"},
            },
        }
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_ERROR_CONTENT = {"application/json": {"schema": _ERROR_REF}}
_ANY: dict[str, Any] = {"schema": {}}
_TEXT = {"schema": {"type": "string", "pattern": r"\S"}}
_RDF = {"schema": {"type": "string"}}
_RDF_BODIES: dict[str, Any] = {
    t: ({"schema": {}} if t == "application/ld+json" else _RDF) for t in GRAPH_INPUT_TYPES
}


def _param(name: str, description: str, *, many: bool = False, **schema: Any) -> dict[str, Any]:
    value_schema = {"type": "string", **schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "array", "items": value_schema} if many else value_schema,
        **({"style": "form", "explode": True} if many else {}),
    }


# An absolute IRI, as far as a pattern can say; the store's IRI parser is stricter (E415).
IRI = r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$"
# An empty format or timeout is taken as not given.
FORMATS = ["", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"]
TIMEOUT = r"^\s*$|^\s*(?:[1-9][0-9]{0,5}(?:\.[0-9]+)?|0?\.[0-9]*[1-9][0-9]*)\s*$"  # > 0 seconds
_DATASET = [
    _param(
        "default-graph-uri",
        "A graph of the default graph (replaces FROM).",
        many=True,
        pattern=IRI,
    ),
    _param(
        "named-graph-uri",
        "A named graph of the dataset (replaces FROM NAMED).",
        many=True,
        pattern=IRI,
    ),
]
_VERSION = _param(
    "version",
    "SPARQL version the request is written in (SPARQL 1.2 Protocol); at most once.",
    enum=["1.0", "1.1", "1.2"],
)
_QUERY_PARAMS = [
    _param("query", "The SPARQL query. Without one, GET describes the service.", pattern=r"\S"),
    *_DATASET,
    _param(
        "format",
        "A result format overriding Accept: " + ", ".join(FORMATS[1:]) + ", or a media type.",
    ),
    _param(
        "timeout", "Seconds; shortens the server's deadline, never lengthens it.", pattern=TIMEOUT
    ),
    _VERSION,
]
_IRIS = {"type": "array", "items": {"type": "string", "pattern": IRI}}
# The other protocol parameters may come in the form too; described in the URL only, since
# one parameter given in both is refused (E415).
_FORM_QUERY = {
    "type": "object",
    "required": ["query"],
    "properties": {"query": {"type": "string", "pattern": r"\S"}},
}
_FORM_UPDATE = {
    "type": "object",
    "required": ["update"],
    "properties": {"update": {"type": "string", "pattern": r"\S"}},
}
_GRAPH_PARAMS = [
    _param("graph", "The graph's IRI.", pattern=IRI),
    {
        "name": "default",
        "in": "query",
        "required": False,
        "description": "The default graph (the union of the accepted graphs; read only).",
        "schema": {"type": "string"},
        "allowEmptyValue": True,
    },
]
_REQUIRED_GRAPH = {**_GRAPH_PARAMS[0], "required": True}
_JSON_OBJECT = {"application/json": {"schema": {"type": "object"}}}
_QUERY_ANSWER = {
    "description": "The query's answer, in the negotiated format; without a query, the "
    "SPARQL Service Description (Turtle, or the query page for a browser).",
    "content": {t: _ANY for t in [*RESULT_TYPES, *GRAPH_TYPES, "text/html"]},
}

# (method, path) -> what FastAPI cannot see in the route's signature.
EXTRA: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/sparql"): {
        "parameters": _QUERY_PARAMS,
        "responses": {"200": _QUERY_ANSWER},
    },
    ("post", "/sparql"): {
        "parameters": [*_DATASET, _QUERY_PARAMS[3], _QUERY_PARAMS[4], _VERSION],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": _FORM_QUERY},
                "application/sparql-query": _TEXT,
            },
        },
        "responses": {"200": _QUERY_ANSWER},
    },
    ("post", "/update"): {
        "parameters": [
            _param("using-graph-uri", "A graph of every WHERE's default graph.", many=True),
            _param("using-named-graph-uri", "A named graph of every WHERE.", many=True),
            _VERSION,
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/sparql-update": _TEXT,
                "application/x-www-form-urlencoded": {"schema": _FORM_UPDATE},
            },
        },
        "responses": {
            "200": {
                "description": "What changed, and the gate's warnings.",
                "content": _JSON_OBJECT,
            }
        },
    },
    ("get", "/store"): {
        "parameters": _GRAPH_PARAMS,
        "responses": {
            "200": {"description": "The graph.", "content": {t: _ANY for t in GRAPH_TYPES}}
        },
    },
    ("head", "/store"): {
        "parameters": _GRAPH_PARAMS,
        "responses": {"200": {"description": "The graph exists."}},
    },
    ("put", "/store"): {
        "parameters": [_REQUIRED_GRAPH],
        # A Content-Type is required; an empty body is an empty graph.
        "requestBody": {"required": True, "content": _RDF_BODIES},
        "responses": {
            "200": {"description": "The graph was replaced.", "content": _JSON_OBJECT},
            "201": {"description": "The graph was created.", "content": _JSON_OBJECT},
        },
    },
    ("post", "/store"): {
        "parameters": [_REQUIRED_GRAPH],
        # A Content-Type is required; an empty body is an empty graph.
        "requestBody": {"required": True, "content": _RDF_BODIES},
        "responses": {
            "200": {"description": "The triples were added.", "content": _JSON_OBJECT},
            "201": {"description": "The graph was created.", "content": _JSON_OBJECT},
        },
    },
    ("delete", "/store"): {
        "parameters": [_REQUIRED_GRAPH],
        "responses": {"200": {"description": "The graph was dropped.", "content": _JSON_OBJECT}},
    },
    ("post", "/documents"): {
        "requestBody": {
            "required": True,
            "content": {
                "text/plain": _TEXT,
                "text/html": _TEXT,
                "application/json": {"schema": {}},
                "application/x-ndjson": _TEXT,
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "published": {"type": "string"},
                            "url": {"type": "string"},
                            "title": {"type": "string"},
                            "lang": {"type": "string"},
                        },
                    }
                },
            },
        },
        "responses": {
            "200": {
                "description": "One outcome per document.",
                "content": {"application/json": {"schema": {"type": "array"}}},
            }
        },
    },
    ("get", "/quarantine/{doc_id}"): {
        "parameter_schemas": {
            "format": {
                "anyOf": [
                    {
                        "type": "string",
                        "enum": ["json", "turtle", "ttl", "text/turtle", "application/json"],
                    },
                    {"type": "null"},
                ]
            }
        },
        "responses": {
            "200": {
                "description": "The entry's results, or its SHACL report.",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "text/turtle": _ANY,
                },
            }
        },
    },
    ("get", "/.well-known/void"): {
        "responses": {
            "200": {
                "description": "The VoID description.",
                "content": {t: _ANY for t in GRAPH_TYPES},
            }
        },
    },
    ("get", "/id/{path}"): {
        "responses": {
            "200": {
                "description": "The resource's description.",
                "content": {t: _ANY for t in [*GRAPH_TYPES, "text/html"]},
            }
        },
    },
}


def describe(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI description (built once, then cached on the app as FastAPI does)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "The write token (writes); the read or write token for reads when "
            "ENTENTE_READ_TOKEN is set.",
        }
    }
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            _complete(operation, method, path)
    if not schemas:
        components.pop("schemas")
    app.openapi_schema = spec
    return spec


def _complete(operation: dict[str, Any], method: str, path: str) -> None:
    extra = copy.deepcopy(EXTRA.get((method, path), {}))
    if "parameters" in extra:
        have = {p["name"] for p in operation.get("parameters", [])}
        operation["parameters"] = [
            *operation.get("parameters", []),
            *(p for p in extra.pop("parameters") if p["name"] not in have),
        ]
    for parameter in operation.get("parameters", []):
        override = extra.get("parameter_schemas", {}).get(parameter["name"])
        if override is not None:
            parameter["schema"] = override
    extra.pop("parameter_schemas", None)
    if "requestBody" in extra:
        operation["requestBody"] = extra.pop("requestBody")
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)  # FastAPI's validation error: entente answers 400 (E415)
    for status, response in extra.pop("responses", {}).items():
        responses[status] = response
    if "200" in responses and method == "head":
        responses["200"].pop("content", None)
    responses["4XX"] = {
        "description": "A client error, in entente's error shape.",
        "content": _ERROR_CONTENT,
    }
    responses["5XX"] = {
        "description": "A server or engine failure, in entente's error shape.",
        "content": _ERROR_CONTENT,
    }
    if not is_read(method.upper(), path) or (path == "/documents/{doc_id}" and method == "delete"):
        operation["security"] = [{"bearer": []}]
    else:
        operation["security"] = [{}, {"bearer": []}]  # open unless ENTENTE_READ_TOKEN is set
    if method == "head":
        for key in ("4XX", "5XX"):
            responses[key] = {"description": responses[key]["description"]}
