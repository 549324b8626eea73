"""A real ``hffix --write`` process interrupted at different moments: all or nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FILES = 150
SOURCE = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
FIXED = "from fastapi import FastAPI\n\napp = FastAPI()\n"


@pytest.mark.parametrize("delay", [0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 2.0])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_write_is_all_or_nothing(tmp_path: Path, delay: float, signum: int) -> None:
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
