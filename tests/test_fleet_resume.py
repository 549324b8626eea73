"""Fleet bookkeeping: stopped runs, the report, ``--resume`` and its totals."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hffix.cli import main

SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
CLEAN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
TOKEN = "ghp_Vb3Nm8Qw2Er7Ty1Ui6Op4As9Df5Gh0JkLzX"
SECRET = f'{SERVER}API_TOKEN = "{TOKEN}"\n'
SELECT = ["--select", "HF002,HF005", "--no-color"]
ROOT = Path(__file__).resolve().parent.parent
BRANCH = "hffix/spaces-compliance"


def lines(report: Path) -> list[dict[str, Any]]:
    found = []
    for line in report.read_text().splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # a line cut short by a kill
            found.append(json.loads(line))
    return found


def last_lines(report: Path) -> dict[str, dict[str, Any]]:
    return {Path(e["path"]).name: e for e in lines(report)}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def hffix(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hffix", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for_lines(report: Path, count: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not (report.exists() and len(lines(report)) >= count):
        assert proc.poll() is None, "hffix ended before it was stopped"
        assert time.monotonic() < deadline
        time.sleep(0.01)


def wait_until_quiet(report: Path) -> None:
    """Until the report stops growing (workers finish their repository after a kill)."""
    size, still = -1, 0
    while still < 10:
        now = report.stat().st_size
        still = still + 1 if now == size else 0
        size = now
        time.sleep(0.1)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_run_loses_no_written_repository_and_resume_reports_true_totals(
    make_repo: Callable[..., Path], tmp_path: Path, jobs: str
) -> None:
    """The main process is killed mid-run. Every repository it wrote has its line (status
    fixed, the variable to set); --resume does the rest and counts all of them."""
    repos = [make_repo({"main.py": SECRET}, name=f"r{i:02d}") for i in range(30)]
    listing = tmp_path / "repos.txt"
    listing.write_text("\n".join(map(str, repos)) + "\n")
    report = tmp_path / "report.jsonl"
    common = [*SELECT, "--write", "--jobs", jobs, "--repos-from", str(listing)]
    proc = hffix(*common, "--report", str(report), "--timeout", "60")
    wait_for_lines(report, 3, proc)
    proc.kill()
    proc.wait()
    wait_until_quiet(report)
    recorded = last_lines(report)
    for repo in repos:
        written = "uvicorn.run" not in (repo / "main.py").read_text()
        if written:
            assert recorded[repo.name]["status"] == "fixed", repo.name
            assert recorded[repo.name]["variables"] == ["API_TOKEN"]
    assert len(recorded) < len(repos), "the run was not stopped early enough to test anything"
    resumed = subprocess.run(
        [sys.executable, "-m", "hffix", *common, "--report", str(report), "--resume"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    recorded = last_lines(report)
    assert sorted(recorded) == sorted(r.name for r in repos)
    assert {e["status"] for e in recorded.values()} == {"fixed"}
    assert all(e["variables"] == ["API_TOKEN"] for e in recorded.values())
    assert "30 repositories:" in resumed.stderr
    assert "Set these as Space secrets: API_TOKEN." in resumed.stderr
    assert len(lines(report)) == len(repos)  # none was done twice


def test_resume_where_everything_was_done_reports_the_recorded_totals(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "All checks passed." and exit 0 while a repository still needs manual work."""
    manual = make_repo({"main.py": SERVER.replace("uvicorn.run", "server = uvicorn.run")}, "manual")
    fixed = make_repo({"main.py": SECRET}, name="fixed")
    report = tmp_path / "r.jsonl"
    args = [*SELECT, "--write", "--report", str(report), str(manual), str(fixed)]
    assert main(args) == 1
    first = capsys.readouterr().err
    assert main([*args, "--resume"]) == 1
    err = capsys.readouterr().err
    assert "All checks passed." not in err
    assert "2 of 2 repositories already done" in err
    assert "needs-manual-work       1" in err and "fixed                   1" in err
    assert "Set these as Space secrets: API_TOKEN." in err
    assert first.splitlines()[-8:] == err.splitlines()[-8:]  # the same totals
    assert len(lines(report)) == 2


def test_resume_retries_failed_repositories(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = make_repo({"main.py": SERVER, "pyproject.toml": "[tool.hffix"}, name="broken")
    done = make_repo({"main.py": SERVER}, name="done")
    report = tmp_path / "r.jsonl"
    args = [*SELECT, "--write", "--report", str(report), str(broken), str(done)]
    assert main(args) == 2
    assert {e["status"] for e in lines(report)} == {"failed", "fixed"}
    (broken / "pyproject.toml").write_text("[tool.hffix]\n")
    assert main([*args, "--resume"]) == 0
    assert capsys.readouterr().err.count("1 of 2 repositories already done") == 1
    recorded = last_lines(report)
    assert recorded["broken"]["status"] == "fixed" and recorded["done"]["status"] == "fixed"
    assert (broken / "main.py").read_text() == CLEAN
    assert len(lines(report)) == 3  # done was not run again


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_write_and_commit_leaves_each_repository_committed_or_untouched(
    make_repo: Callable[..., Path], tmp_path: Path, jobs: str
) -> None:
    env = {"NAME": "t", "EMAIL": "t@example.invalid"}
    for name, value in env.items():
        os.environ[f"GIT_AUTHOR_{name}"] = os.environ[f"GIT_COMMITTER_{name}"] = value
    repos = []
    for i in range(16):
        repo = make_repo({"main.py": SECRET}, name=f"g{i:02d}")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "initial")
        repos.append(repo)
    report = tmp_path / "report.jsonl"
    proc = hffix(*SELECT, "--write", "--commit", "--jobs", jobs, "--report", str(report),
                 *map(str, repos))  # fmt: skip
    wait_for_lines(report, 1, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert b"stopping once the repositories in progress are done" in err
    assert b"repositories not started" in err and b"Traceback" not in err
    recorded = last_lines(report)
    untouched = 0
    for repo in repos:
        assert git(repo, "status", "--porcelain") == "", repo.name
        branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
        if branch == BRANCH:
            entry = recorded[repo.name]
            assert entry["commit"] == {"branch": BRANCH, "sha": git(repo, "rev-parse", "HEAD")[:-1]}
            assert entry["variables"] == ["API_TOKEN"]
        else:
            assert branch == "main" and repo.name not in recorded
            assert (repo / "main.py").read_text() == SECRET
            untouched += 1
    assert 0 < untouched < len(repos)
