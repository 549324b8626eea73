"""The unsafe HF003 fix really runs the moved work when a server starts the app.

Each scenario writes a small app, lets hffix move its ``__main__`` work into the startup,
then starts the app's lifespan in a fresh interpreter (Starlette's TestClient, as a server
would) and checks what ran, in which order.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix

PROBE = """
import main
from fastapi.testclient import TestClient
with TestClient(main.app) as client:
    print("GET", client.get("/").status_code)
print("EVENTS", main.EVENTS)
"""

APPS = {
    "plain app": """
from fastapi import FastAPI
import uvicorn
EVENTS = []
app = FastAPI()

@app.get("/")
def root():
    return {}

def init():
    EVENTS.append("init")

if __name__ == "__main__":
    init()
    uvicorn.run(app)
""",
    "existing lifespan": """
from contextlib import asynccontextmanager
from fastapi import FastAPI
import asyncio, uvicorn
EVENTS = []

@asynccontextmanager
async def lifespan(app):
    EVENTS.append("lifespan start")
    yield
    EVENTS.append("lifespan stop")

app = FastAPI(lifespan=lifespan)

@app.get("/")
def root():
    return {}

async def seed():
    EVENTS.append("seed")

if __name__ == "__main__":
    EVENTS.append("init")
    asyncio.run(seed())
    uvicorn.run(app)
""",
    "startup handler": """
from fastapi import FastAPI
import uvicorn
EVENTS = []
app = FastAPI()

@app.on_event("startup")
def on_start():
    EVENTS.append("on_event startup")

@app.get("/")
def root():
    return {}

if __name__ == "__main__":
    EVENTS.append("init")
    uvicorn.run(app)
""",
}

EXPECTED = {
    "plain app": ["init"],
    "existing lifespan": ["init", "seed", "lifespan start", "lifespan stop"],
    "startup handler": ["init", "on_event startup"],
}


@pytest.mark.parametrize("name", sorted(APPS))
def test_moved_work_runs_at_startup(name: str, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": APPS[name].lstrip()})
    result = hffix.fix(repo, write=True, select=["HF002", "HF003"], unsafe_fixes=True)
    assert result.error is None and not result.remaining, result.findings
    source = (repo / "main.py").read_text()
    assert "__main__" not in source.replace('`if __name__ == "__main__":`', "")
    assert "uvicorn" not in source
    proc = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE],
        cwd=repo,
        capture_output=True,
        text=True,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "GET 200" in proc.stdout
    events = proc.stdout.split("EVENTS ", 1)[1].strip()
    assert events == repr(EXPECTED[name])
