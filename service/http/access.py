"""The write token `entente serve` runs with, and the refusal to expose a server without one.

Every write needs a token. When the operator configured none (ENTENTE_WRITE_TOKEN or
ENTENTE_WRITE_TOKEN_FILE), `serve` creates one the way notebook servers do: random (256 bits),
printed at start, and kept in `<store>/write-token`, readable by its owner only (mode 0600) and
reused at the next start. A server bound to anything but loopback must have a configured token:
a token only printed in a log is easy to miss, and the operator should decide who holds it.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import stat
from pathlib import Path

from entente.errors import EntenteError
from entente.service.settings import Settings

TOKEN_FILE = "write-token"


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address (or `localhost`); names are not resolved."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def configured(settings: Settings) -> bool:
    return settings.write_token is not None or settings.write_token_file is not None


def with_write_token(settings: Settings) -> tuple[Settings, Path | None]:
    """`settings` with a write token: the configured one, else the one kept in the store (created
    now if there is none). Returns the token file when it was created or reused here (the
    caller prints the token), None when the operator configured one. E510 for a non-loopback
    bind without a configured token, E511 when the token file is open to other users. Call it
    once the store is open: the file goes into the store's folder, which must not be a
    stranger's folder."""
    if configured(settings):
        if not settings.resolved_write_token():
            raise EntenteError(
                "E510",
                "the configured write token is empty",
                where="ENTENTE_WRITE_TOKEN_FILE"
                if settings.write_token_file
                else "ENTENTE_WRITE_TOKEN",
            )
        return settings, None
    refuse_public_bind_without_token(settings)
    path = token_file(settings)
    ensure_token_file(path)
    return settings.model_copy(update={"write_token_file": path}), path


def refuse_public_bind_without_token(settings: Settings) -> None:
    """E510 for a non-loopback bind without a configured write token (checked before anything
    is opened)."""
    if not configured(settings) and not is_loopback(settings.host):
        raise EntenteError(
            "E510",
            f"refusing to serve on {settings.host} without a configured write token",
            where="--host",
            hint="Set ENTENTE_WRITE_TOKEN (or ENTENTE_WRITE_TOKEN_FILE) before binding to a "
            "non-loopback address, or bind to 127.0.0.1.",
        )


def token_file(settings: Settings) -> Path:
    return settings.store.expanduser() / TOKEN_FILE


def ensure_token_file(path: Path) -> str:
    """The token in `path`, created (mode 0600, O_EXCL) when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise EntenteError(
                "E511",
                f"the write token file {path} is readable or writable by other users "
                f"(mode {mode:04o})",
                where=str(path),
                hint=f"chmod 600 {path}, or delete it to have a new token created.",
            ) from None
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
        path.unlink()
        return ensure_token_file(path)
    token = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    return token
