"""``--install``: a fresh virtual environment with requirements.txt installed, as a Space builds.

Environments are cached under ``<cache>/venvs/<key>``, where the key hashes the bytes of
requirements.txt and the interpreter (implementation, version, platform, path), so a
second run with the same requirements boots at once and any edit of the file builds a new
one. An environment counts only once its marker file is written after a successful
install; a half-built one (interrupted, failed) is deleted and built again. A lock file
keeps two hffix runs from building the same environment at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_MARKER = ".hffix-complete"
_LOG = "hffix-install.log"


class InstallError(Exception):
    """requirements.txt could not be installed; ``reason`` is one line, ``log`` pip's output."""

    def __init__(self, reason: str, log: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.log = log


@dataclass(frozen=True)
class Environment:
    python: str  # the environment's interpreter
    folder: Path
    cached: bool  # reused from an earlier run
    seconds: float  # time spent building (0 when cached)


def cache_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--cache-dir``, else ``$HFFIX_CACHE_DIR``, else the user's cache folder."""
    if explicit:
        return Path(explicit)
    if os.environ.get("HFFIX_CACHE_DIR"):
        return Path(os.environ["HFFIX_CACHE_DIR"])
    if os.name == "nt":  # pragma: no cover
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "hffix" / "cache"
    if sys.platform == "darwin":  # pragma: no cover
        return Path.home() / "Library" / "Caches" / "hffix"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hffix"


def interpreter_tag(python: str) -> str:
    """What makes environments built by ``python`` differ: implementation, version, path."""
    if os.path.realpath(python) == os.path.realpath(sys.executable):
        version = ".".join(map(str, sys.version_info[:3]))
        return f"{platform.python_implementation()}-{version}-{sys.platform}-{sys.executable}"
    probe = subprocess.run(
        [
            python,
            "-c",
            "import platform, sys; print(platform.python_implementation(), "
            "'.'.join(map(str, sys.version_info[:3])), sys.platform, sys.executable, sep='-')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:
        raise InstallError(f"cannot run {python}: {probe.stderr.strip() or probe.returncode}")
    return probe.stdout.strip()


def environment_key(requirements: bytes, tag: str) -> str:
    digest = hashlib.sha256()
    digest.update(requirements)
    digest.update(b"\0")
    digest.update(tag.encode("utf-8"))
    return digest.hexdigest()[:20]


def _python_in(folder: Path) -> Path:
    if os.name == "nt":  # pragma: no cover
        return folder / "Scripts" / "python.exe"
    return folder / "bin" / "python"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock, builds are still atomic-ish
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _pip_reason(log: str) -> str:
    """The line of pip's output that says why the install failed."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("ERROR:") and "Could not" in line:
            return line.removeprefix("ERROR:").strip()
    for line in lines:
        if line.startswith("ERROR:"):
            return line.removeprefix("ERROR:").strip()
    for line in reversed(lines):
        if re.search(r"error", line, re.I):
            return line
    return lines[-1] if lines else "pip failed without output"


def _run(command: list[str], cwd: Path, log: Path, timeout: float) -> int:
    with log.open("ab") as handle:
        handle.write(("$ " + " ".join(command) + "\n").encode())
        handle.flush()
        try:
            return subprocess.run(
                command,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
                env={**os.environ, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
            ).returncode
        except subprocess.TimeoutExpired:
            handle.write(f"\nERROR: timed out after {timeout:g} s\n".encode())
            return -1


def prepare(
    root: Path,
    *,
    python: str = sys.executable,
    cache: Path | None = None,
    rebuild: bool = False,
    timeout: float = 1800.0,
) -> Environment:
    """The environment for ``root``'s requirements.txt, built (or reused from the cache)."""
    requirements = root / "requirements.txt"
    try:
        data = requirements.read_bytes()
    except OSError as exc:
        raise InstallError(
            "--install needs a requirements.txt at the repository root "
            f"({exc.strerror or exc}); the Space would install nothing"
        ) from exc
    key = environment_key(data, interpreter_tag(python))
    base = (cache or cache_root()) / "venvs"
    folder = base / key
    with _locked(base / f"{key}.lock"):
        if not rebuild and (folder / _MARKER).is_file() and _python_in(folder).exists():
            return Environment(str(_python_in(folder)), folder, True, 0.0)
        if folder.exists():
            shutil.rmtree(folder)
        started = time.monotonic()
        folder.parent.mkdir(parents=True, exist_ok=True)
        log = base / f"{key}.log"
        log.write_bytes(b"")
        if _run([python, "-m", "venv", str(folder)], root, log, timeout) != 0:
            text = log.read_text(encoding="utf-8", errors="replace")
            shutil.rmtree(folder, ignore_errors=True)
            raise InstallError(f"could not create a virtual environment: {_pip_reason(text)}", text)
        env_python = str(_python_in(folder))
        command = [env_python, "-m", "pip", "install", "-r", str(requirements)]
        status = _run(command, root, log, timeout)
        text = log.read_text(encoding="utf-8", errors="replace")
        if status != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise InstallError(f"pip could not install requirements.txt: {_pip_reason(text)}", text)
        (folder / _LOG).write_text(text, encoding="utf-8")
        log.unlink(missing_ok=True)  # kept beside the cache only when the build failed
        (folder / _MARKER).write_text(requirements.name + "\n", encoding="utf-8")
        return Environment(env_python, folder, False, time.monotonic() - started)
