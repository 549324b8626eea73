"""The requirements HF007 (with HF006 and HF010) writes really install and import.

For corpus cases whose fix changes requirements.txt, ``after/requirements.txt`` is installed
from the package index into a fresh virtual environment of Python 3.10 (the Space's; the
running Python when no 3.10 is found) and ``main`` is imported from a copy of ``after/``:
"Module not found" (FR-02) must not happen. A case can also run a line of code that
proves a runtime-implied package works (passlib hashing with the pinned bcrypt).

Virtual environments are cached per (Python, requirements) hash under
``$HFFIX_TEST_CACHE`` (default ``~/.cache/hffix-tests``), and pip's own cache is kept, so
a second run installs nothing.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import CORPUS

pytestmark = pytest.mark.slow

INSTALL_TIMEOUT = 1200
IMPORT_TIMEOUT = 120


@dataclass(frozen=True)
class InstallCase:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    probe: str = ""  # Python run after `import main`
    files: dict[str, str] = field(default_factory=dict)  # written into the copy first


CASES = (
    InstallCase("hf007-missing-file"),
    InstallCase(
        "hf007-runtime-drivers",
        probe=(
            "from app.security import context; h = context.hash('s3cret'); "
            "assert context.verify('s3cret', h); "
            "from app.db import engine; assert engine.dialect.driver == 'asyncpg'"
        ),
    ),
    InstallCase("hf007-pipfile"),
    InstallCase(
        "hf007-pydantic-1-code-keeps-pydantic-1",
        probe="import pydantic; assert pydantic.VERSION.startswith('1.')",
    ),
    InstallCase("hf006-multistage-harvests-the-running-image"),
    InstallCase("hf006-docker-harvest", env={"OPENAI_API_KEY": "placeholder"}),
    InstallCase(
        "hf010-tomllib-fallback",
        env={"CONFIG": "config.toml"},
        files={"config.toml": 'title = "from toml"\n'},
        probe="assert main.app.title == 'from toml'",
    ),
)


def _runs(python: str) -> bool:
    try:
        proc = subprocess.run([python, "-c", "pass"], capture_output=True, timeout=60)
    except OSError:
        return False
    return proc.returncode == 0


def _python310() -> str:
    """A Python 3.10 that runs (pyenv shims may exist without a 3.10 behind them)."""
    override = os.environ.get("HFFIX_TEST_PYTHON")
    if override:
        return override
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10.*/bin/python3.10")))
    candidates += [c for c in (shutil.which("python3.10"),) if c]
    return next((c for c in reversed(candidates) if _runs(c)), sys.executable)


def _version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _venv(python: str, requirements: Path) -> Path:
    cache = Path(os.environ.get("HFFIX_TEST_CACHE", Path.home() / ".cache" / "hffix-tests"))
    key = hashlib.sha256(_version(python).encode() + b"\0" + requirements.read_bytes()).hexdigest()[
        :16
    ]
    venv = cache / "venvs" / key
    venv.parent.mkdir(parents=True, exist_ok=True)
    # Two test runs may share the cache: one builds while the other waits, never deleting a
    # venv the other is installing into.
    with open(venv.parent / f"{key}.lock", "w") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if not (venv / ".complete").exists():
            _build(python, venv, requirements)
    return venv


def _build(python: str, venv: Path, requirements: Path) -> None:
    shutil.rmtree(venv, ignore_errors=True)  # a half-built one, under the lock
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
         "-q", "-r", str(requirements)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    assert proc.returncode == 0, f"pip install -r {requirements} failed:\n{proc.stderr[-4000:]}"
    (venv / ".complete").write_text(requirements.read_text(encoding="utf-8"), encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_after_requirements_install_and_main_imports(case: InstallCase, tmp_path: Path) -> None:
    after = CORPUS / case.name / "after"
    requirements = after / "requirements.txt"
    assert requirements.exists(), f"{case.name} has no after/requirements.txt"
    # The case must really change requirements, or this test proves nothing about HF007.
    before = CORPUS / case.name / "before" / "requirements.txt"
    assert not before.exists() or before.read_bytes() != requirements.read_bytes()

    venv = _venv(_python310(), requirements)
    work = tmp_path / "app"
    shutil.copytree(after, work)
    for name, text in case.files.items():
        (work / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(case.env)
    code = "; ".join(p for p in ("import main", case.probe, "print('imported', main.app)") if p)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=IMPORT_TIMEOUT,
    )
    assert proc.returncode == 0, f"import main failed in {case.name}:\n{proc.stderr[-4000:]}"
    assert "imported" in proc.stdout
