"""A real ``hffix --write`` process interrupted at different moments.

SIGINT and SIGTERM wait for the write: all or nothing. SIGKILL cannot be held: the next
``--write`` undoes what the killed one left (from its journal) and writes anew, which must
give exactly what an uninterrupted run gives.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hffix.repository.journal import JOURNAL, SIDECAR
from tests.test_writer import leftovers, tree

FILES = 150
SOURCE = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
FIXED = "from fastapi import FastAPI\n\napp = FastAPI()\n"


@pytest.mark.parametrize("delay", [0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 2.0])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_write_is_all_or_nothing(tmp_path: Path, delay: float, signum: int) -> None:
    if signum == signal.SIGINT and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        # Started with SIGINT ignored (nohup, a background job): the child inherits that,
        # and no Ctrl-C reaches it. Nothing to test.
        pytest.skip("SIGINT is ignored in this process, and so in hffix's")
    for index in range(FILES):
        (tmp_path / f"m{index:03d}.py").write_text(SOURCE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hffix", "--write", "--select", "HF002", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    contents = [p.read_text() for p in sorted(tmp_path.glob("m*.py"))]
    fixed = sum(text == FIXED for text in contents)
    untouched = sum(text == SOURCE for text in contents)
    assert fixed + untouched == FILES, "a file holds something else than before or after"
    assert fixed in (0, FILES), f"{fixed} of {FILES} files written: the change set was split"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hffix-")]
    if fixed == 0:
        assert proc.returncode != 0
    assert b"Traceback" not in err or signum == signal.SIGINT


# ----------------------------------------------------------------- kill -9 during a hoist

BACKEND = {
    "README.md": "# Notes API\n\nA FastAPI backend for the notes app.\n",
    "requirements.txt": "requests\n",
    "backend/Dockerfile": (
        "FROM python:3.11-slim\nWORKDIR /code\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt && pip install httpx\nCOPY . .\n"
        'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]\n'
    ),
    "backend/requirements.txt": "fastapi\nuvicorn\n",
    "backend/main.py": (
        "import uvicorn\nfrom fastapi import FastAPI\n\nfrom app.routes import router\n\n"
        "app = FastAPI()\napp.include_router(router)\n\n"
        'if __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8000)\n'
    ),
    "backend/app/__init__.py": "",
    "backend/app/routes.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
    "backend/app/mods/__init__.py": "",
    "backend/tools/seed.sh": "#!/bin/sh\nexec python -m app.seed\n",
}


def hoist_repository(root: Path, modules: int) -> Path:
    """A backend nested in backend/ with ``modules`` modules: hffix hoists it to the root,
    deletes the Dockerfile (its `pip install httpx` goes to requirements.txt) and merges
    the requirement files."""
    for rel, text in BACKEND.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (root / "backend" / "tools" / "seed.sh").chmod(0o755)
    mods = root / "backend" / "app" / "mods"
    for index in range(modules):
        (mods / f"m{index:04d}.py").write_text(
            f"VALUE = {index}\n\n\ndef value():\n    return VALUE\n"
        )
    return root


def hffix_write(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hffix", "--write", str(repo)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_killed(repo: Path, marker: str, delay: float) -> bool:
    """Start ``hffix --write repo``, wait until ``marker`` appears at its root (the write
    phase has begun), wait ``delay`` seconds more, then SIGKILL it. True when it was killed
    while its journal was in place (in the middle of the write)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "hffix", "--write", str(repo)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not os.path.lexists(repo / marker) and proc.poll() is None:
        assert time.monotonic() < deadline, "hffix never began to write"
        time.sleep(0.001)
    time.sleep(delay)
    proc.kill()
    proc.wait(timeout=60)
    return (repo / JOURNAL).exists()


def write_phase(repo: Path) -> float:
    """Seconds from the journal's appearance to the end of an uninterrupted ``--write``."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "hffix", "--write", str(repo)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while not (repo / JOURNAL).exists() and proc.poll() is None:
        time.sleep(0.001)
    started = time.monotonic()
    assert proc.wait(timeout=600) in (0, 1)
    return time.monotonic() - started


def kill_at_random_points(tmp_path: Path, modules: int, kills: int, seed: int) -> list[str]:
    """Kill ``hffix --write`` on a large hoist at ``kills`` random moments of its write
    phase (the first right as its journal appears, one before), run ``--write`` again, and
    compare with one uninterrupted run: every file's bytes and mode, every folder, and no
    journal or temporary file left. Returns one line per kill."""
    base = hoist_repository(tmp_path / "base", modules)
    clean = shutil.copytree(base, tmp_path / "clean", symlinks=True)
    duration = write_phase(clean)
    expected = tree(clean)
    assert leftovers(clean) == []
    assert "main.py" in expected and "backend" not in expected, "the example must hoist"
    rng = random.Random(seed)
    lines: list[str] = []
    for kill in range(kills):
        repo = shutil.copytree(base, tmp_path / f"kill{kill}", symlinks=True)
        marker, delay = JOURNAL, rng.uniform(0, 0.8 * duration)
        if kill == 0:
            delay = 0.0
        elif kill == kills - 1 and kills > 3:
            marker, delay = SIDECAR, 0.0  # while the journal itself is written
        pending = write_killed(repo, marker, delay)
        if pending:
            before_check = tree(repo)
            check = subprocess.run(
                [sys.executable, "-m", "hffix", "--check", str(repo)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert check.returncode == 2 and "run hffix --write to undo it" in check.stdout
            assert tree(repo) == before_check, "--check changed the repository"
        second = hffix_write(repo)
        assert second.returncode in (0, 1), second.stderr
        assert ("was interrupted" in second.stderr) == pending, second.stderr
        same = tree(repo) == expected and leftovers(repo) == []
        lines.append(
            f"kill {kill}: {marker} +{delay:.3f}s of {duration:.2f}s, "
            f"{'mid-write' if pending else 'before or after the write'}: "
            f"{'equal to a clean run' if same else 'DIFFERENT'}"
        )
        assert same, "\n".join(lines)
        shutil.rmtree(repo)
    return lines


def test_kill_9_during_a_hoist_is_repaired_by_the_next_write(tmp_path: Path) -> None:
    lines = kill_at_random_points(tmp_path, modules=300, kills=3, seed=19)
    assert any("mid-write" in line for line in lines), "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_at_many_points_of_a_large_hoist(tmp_path: Path, seed: int) -> None:
    lines = kill_at_random_points(tmp_path, modules=1500, kills=6, seed=seed)
    assert sum("mid-write" in line for line in lines) >= 3, "\n".join(lines)
