"""Helpers shared by the ``hffix verify`` tests: run the command, check nothing leaked."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from hffix.cli import main

REQUIREMENTS = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"

GOOD_MAIN = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/health")
def health() -> dict[str, bool]:
    return {"ok": True}
"""


def process_gone(pid: int, timeout: float = 5.0) -> bool:
    """True once neither the process nor any process of its group (session) exists."""
    deadline = time.monotonic() + timeout
    while True:
        alive = False
        for probe in (os.kill, os.killpg):
            try:
                probe(pid, 0)
            except ProcessLookupError:
                continue
            except PermissionError:
                pass
            alive = True
        if not alive:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def assert_no_leak(data: dict[str, Any]) -> None:
    pid = data["boot"].get("pid")
    if pid:
        assert process_gone(pid), f"the app's process group {pid} is still running"


def verify_json(
    capsys: pytest.CaptureFixture[str], root: Path, *args: str
) -> tuple[int, dict[str, Any]]:
    """``hffix verify ROOT --format json ARGS``: exit status and the parsed report."""
    code = main(["verify", str(root), "--format", "json", "--timeout", "30", *args])
    captured = capsys.readouterr()
    data: dict[str, Any] = json.loads(captured.out)
    assert_no_leak(data)
    assert data["exit_code"] == code
    return code, data


def verify_text(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    code = main(["verify", str(root), "--no-color", "--timeout", "30", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err
