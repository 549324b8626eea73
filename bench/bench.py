"""Benchmark: hffix against the parse baseline, measured in the same run.

    python bench/bench.py [--repos 300] [--modules 25] [--repeat 3] [--keep DIR]

Builds a deterministic synthetic corpus (a fifth of the repositories non-compliant), then
times, each as a fresh process over the whole corpus:

  (a) baseline: read every .py file and ast.parse it (what no Python tool beats by much)
  (b) hffix's floor: --check --select HF010, start-up, discovery, every file read, decoded
      and parsed once, and the one rule that needs nothing more than that parse
  (c) hffix --check --jobs 1
  (d) hffix --dry-run --jobs 1
  (e) hffix --dry-run --jobs 2

and prints files/s, repositories/s, peak memory and each ratio to (a). Best of --repeat
runs, to damp the noise of a shared machine, after one untimed warm-up run of each command.
Every process may write bytecode caches, even where PYTHONDONTWRITEBYTECODE is set, so hffix
is measured as an installed copy runs (pip compiles bytecode at install), not recompiling its
own modules at every start. This is a script, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = """
import ast, os, sys
count = 0
for line in open(sys.argv[1]):
    for folder, dirs, files in os.walk(line.strip()):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), "rb") as handle:
                    ast.parse(handle.read())
                count += 1
print(count)
"""

MODULE = '''"""Module {index} of service {repo}: {name} records, stored with SQLModel."""
from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Header, HTTPException
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

log = logging.getLogger(__name__)
router = APIRouter(prefix="/{name}", tags=["{name}"])


class {cls}In(BaseModel):
    title: str
    size: int = {size}


class {cls}Record(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(index=True, max_length=200)
    owner: str = Field(default="", index=True)


_DB: dict[int, {cls}Record] = {{}}


def current_owner(authorization: str = Header(default="")) -> str:
    """The caller the Authorization header names (a bearer token), or "anonymous"."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return "anonymous"
    return token


@router.get("/")
def list_{name}(owner: str = Depends(current_owner)) -> list[dict[str, object]]:
    mine = sorted((r for r in _DB.values() if r.owner == owner), key=lambda r: r.id or 0)
    return [{{"id": r.id, "title": r.title}} for r in mine]


@router.post("/")
def create_{name}(item: {cls}In, owner: str = Depends(current_owner)) -> dict[str, object]:
    record = {cls}Record(id=len(_DB) + 1, title=item.title, owner=owner)
    _DB[record.id or 0] = record
    log.info("created %s for %s", record.id, owner)
    return {{"id": record.id}}


@router.get("/{{item_id}}")
def get_{name}(item_id: int) -> dict[str, object]:
    try:
        record = _DB[item_id]
    except KeyError:
        raise HTTPException(status_code=404) from None
    return {{"id": item_id, "title": record.title}}
'''

COMPLIANT_MAIN = """from fastapi import FastAPI

{imports}

app = FastAPI()
{includes}
"""

BROKEN_MAIN = """import os

import uvicorn
from fastapi import FastAPI

{imports}

OPENAI_API_KEY = "sk-proj-{fake}"
app = FastAPI()
{includes}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
"""


def build_corpus(root: Path, repos: int, modules: int) -> list[Path]:
    rng = random.Random(20261126)
    paths = []
    for r in range(repos):
        repo = root / f"service{r:04d}"
        (repo / "routers").mkdir(parents=True)
        names = [f"thing{m}" for m in range(modules - 1)]
        for m, name in enumerate(names):
            text = MODULE.format(
                index=m, repo=r, name=name, cls=name.capitalize(), size=rng.randint(1, 99)
            )
            (repo / "routers" / f"{name}.py").write_text(text)
        (repo / "routers" / "__init__.py").write_text("")
        imports = "\n".join(f"from routers.{n} import router as {n}_router" for n in names)
        includes = "\n".join(f"app.include_router({n}_router)" for n in names)
        broken = r % 5 == 0
        template = BROKEN_MAIN if broken else COMPLIANT_MAIN
        fake = "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789") for _ in range(48)
        )
        (repo / "main.py").write_text(
            template.format(imports=imports, includes=includes, fake=fake)
        )
        (repo / "requirements.txt").write_text(
            "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"
        )
        paths.append(repo)
    return paths


def measure(command: list[str], repeat: int) -> tuple[float, int]:
    """Best wall time over ``repeat`` runs, and the peak resident memory (KiB) seen.

    One untimed run goes first, so every run is timed with warm file and bytecode caches."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best, peak = float("inf"), 0
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        exit_code = os.waitstatus_to_exitcode(status)
        if exit_code not in (0, 1):
            raise SystemExit(f"{' '.join(command[:4])}... exited {exit_code}")
        if attempt:
            best, peak = min(best, elapsed), max(peak, usage.ru_maxrss)
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=300)
    parser.add_argument("--modules", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="hffix-bench-"))
    try:
        if root.exists() and any(root.iterdir()):
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        repos = build_corpus(root, args.repos, args.modules)
        listing = root / "repos.txt"
        listing.write_text("\n".join(map(str, repos)) + "\n")
        files = sum(1 for _ in root.rglob("*.py"))
        hffix = [sys.executable, "-m", "hffix", "--repos-from", str(listing), "--no-color"]
        runs = {
            "(a) baseline: read + ast.parse": [sys.executable, "-c", BASELINE, str(listing)],
            # hffix's own floor: start-up, discovery, every file read, decoded and parsed
            # once, and the one rule (HF010) that needs no more than that parse.
            "(b) floor: --check --select HF010": [
                *hffix,
                "--check",
                "--jobs",
                "1",
                "--select",
                "HF010",
            ],
            "(c) hffix --check --jobs 1": [*hffix, "--check", "--jobs", "1"],
            "(d) hffix --dry-run --jobs 1": [*hffix, "--dry-run", "--jobs", "1"],
            "(e) hffix --dry-run --jobs 2": [*hffix, "--dry-run", "--jobs", "2"],
        }
        print(
            f"corpus: {len(repos)} repositories, {files} Python files, "
            f"{args.repos // 5} non-compliant"
        )
        print(
            f"{'run':<32} {'seconds':>8} {'files/s':>9} {'repos/s':>8} {'peak MiB':>9} {'ratio':>6}"
        )
        baseline = None
        for name, command in runs.items():
            seconds, peak = measure(command, args.repeat)
            baseline = baseline or seconds
            print(
                f"{name:<32} {seconds:>8.2f} {files / seconds:>9.0f} {len(repos) / seconds:>8.1f}"
                f" {peak / 1024:>9.0f} {seconds / baseline:>6.2f}"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
