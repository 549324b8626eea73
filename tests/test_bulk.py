"""Many repositories in one run: lists, parallel workers, reports, resume, timeouts, commits."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.cli import main
from hffix.fleet import runner as bulk

SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
CLEAN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
SELECT = ["--select", "HF002,HF003", "--no-color"]


def fleet(make_repo: Callable[..., Path], count: int) -> list[Path]:
    return [
        make_repo({"main.py": SERVER if i % 2 == 0 else CLEAN}, name=f"repo{i:02d}")
        for i in range(count)
    ]


def read_report(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_repos_from_file_jobs_and_report(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repos = fleet(make_repo, 6)
    listing = tmp_path / "repos.txt"
    listing.write_text("# fleet\n" + "\n".join(map(str, repos)) + "\n\n")
    report = tmp_path / "report.jsonl"
    code = main(
        [*SELECT, "--write", "--jobs", "2", "--repos-from", str(listing), "--report", str(report)]
    )
    err = capsys.readouterr().err
    assert code == 0
    assert all((r / "main.py").read_text() == CLEAN for r in repos)
    # One line per repository, in the order they finished.
    entries = {e["path"]: e for e in read_report(report)}
    assert sorted(entries) == [str(r) for r in repos] and len(read_report(report)) == 6
    assert [entries[str(r)]["status"] for r in repos] == ["fixed", "compliant"] * 3
    assert entries[str(repos[0])]["findings_by_code"] == {"HF002": 1}
    assert entries[str(repos[0])]["files_changed"] == ["main.py"]
    assert entries[str(repos[0])]["commit"] is None
    assert "6 repositories:" in err and "Most frequent findings: HF002 ×3" in err


def test_parallel_output_equals_serial_output(
    make_repo: Callable[..., Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    repos = [str(r) for r in fleet(make_repo, 5)]
    assert main([*SELECT, "--jobs", "1", *repos]) == 1
    serial = capsysbinary.readouterr().out
    assert main([*SELECT, "--jobs", "2", *repos]) == 1
    parallel = capsysbinary.readouterr().out
    assert serial == parallel and serial.count(b"diff --git") == 3


def test_resume_skips_finished_repositories(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repos = fleet(make_repo, 4)
    report = tmp_path / "report.jsonl"
    main([*SELECT, "--check", "--jobs", "1", "--report", str(report), *map(str, repos[:2])])
    with report.open("a") as handle:
        handle.write('{"path": "cut short')  # a run stopped mid-line
    main([*SELECT, "--check", "--jobs", "1", "--report", str(report), "--resume", *map(str, repos)])
    capsys.readouterr()
    lines = report.read_text().splitlines()
    paths = [json.loads(line)["path"] for line in lines if line.endswith("}")]
    assert paths == [str(r) for r in repos]


def test_repos_from_stdin(
    make_repo: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repos = fleet(make_repo, 2)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(map(str, repos))))
    assert main([*SELECT, "--write", "--repos-from", "-"]) == 0
    assert all((r / "main.py").read_text() == CLEAN for r in repos)


def test_one_failure_does_not_stop_the_run(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = fleet(make_repo, 2)
    broken = make_repo({"main.py": SERVER, "pyproject.toml": "[tool.hffix"}, name="broken")
    report = tmp_path / "r.jsonl"
    code = main(
        [*SELECT, "--write", "--jobs", "2", "--report", str(report), str(broken), *map(str, good)]
    )
    assert code == 2
    statuses = {Path(e["path"]).name: e["status"] for e in read_report(report)}
    assert statuses == {"broken": "failed", "repo00": "fixed", "repo01": "compliant"}
    assert (good[0] / "main.py").read_text() == CLEAN
    assert "1 repository could not be processed." in capsys.readouterr().err


def test_timeout_marks_the_repository_failed_and_writes_nothing(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hffix.rules.hf002_server_start import ServerStartCall

    def slow(self: object, ctx: object) -> None:
        time.sleep(5)

    monkeypatch.setattr(ServerStartCall, "run", slow)
    repo = make_repo({"main.py": SERVER})
    started = time.perf_counter()
    result = hffix.fix(repo, write=True, select=["HF002"], timeout=0.3)
    assert time.perf_counter() - started < 3
    assert result.error is not None and "timed out after 0.3 s" in result.error
    assert (repo / "main.py").read_text() == SERVER


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def git_repo(make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in (("NAME", "t"), ("EMAIL", "t@example.invalid")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    repo = make_repo(
        {"main.py": SERVER, "tools/dev.py": "import uvicorn\nuvicorn.run('main:app')\n"}
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


def test_commit_puts_exactly_the_fix_on_a_branch(
    git_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (git_repo / "notes.txt").write_text("untracked, not ours\n")
    code = main([*SELECT, "--write", "--commit", "--allow-dirty", str(git_repo)])
    assert code == 0, capsys.readouterr().err
    assert git(git_repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "hffix/spaces-compliance"
    changed = git(git_repo, "show", "--name-status", "--format=", "HEAD").split()
    assert changed == ["M", "main.py", "M", "tools/dev.py"]
    message = git(git_repo, "log", "-1", "--format=%B")
    assert message.startswith("hffix: make the repository build and start on Hugging Face Spaces")
    assert "HF002 server-start-call: 2 fixed" in message
    assert "?? notes.txt" in git(git_repo, "status", "--porcelain")
    # Nothing left to fix: no new commit.
    head = git(git_repo, "rev-parse", "HEAD")
    assert main([*SELECT, "--write", "--commit", "--allow-dirty", str(git_repo)]) == 0
    assert git(git_repo, "rev-parse", "HEAD") == head


def test_commit_refuses_a_dirty_tree(git_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (git_repo / "main.py").write_text(SERVER + "# local edit\n")
    assert main([*SELECT, "--write", "--commit", str(git_repo)]) == 2
    assert "uncommitted changes" in capsys.readouterr().err
    assert (git_repo / "main.py").read_text().endswith("# local edit\n")
    assert git(git_repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_commit_needs_a_work_tree(
    make_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo({"main.py": SERVER})
    assert main([*SELECT, "--write", "--commit", str(repo)]) == 2
    assert "not a git work tree" in capsys.readouterr().err
    assert (repo / "main.py").read_text() == SERVER


def test_dask_executor_on_a_local_cluster(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    distributed = pytest.importorskip("distributed")
    repos = fleet(make_repo, 3)
    report = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        code = main(
            [
                *SELECT,
                "--write",
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--report",
                str(report),
                *map(str, repos),
            ]
        )
    assert code == 0, capsys.readouterr().err
    statuses = {e["path"]: e["status"] for e in read_report(report)}
    assert [statuses[str(r)] for r in repos] == ["fixed", "compliant", "fixed"]
    assert all((r / "main.py").read_text() == CLEAN for r in repos)


def test_dask_executor_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--executor", "dask", "."]) == 2
    assert "--scheduler" in capsys.readouterr().err


def test_python_api_for_scripts(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": SERVER})
    checked = hffix.check(repo, select=["HF002"])
    assert checked.status is hffix.RepoStatus.FIXABLE and not checked.written
    assert checked.patch.startswith(b"diff --git a/main.py b/main.py\n")
    assert (repo / "main.py").read_text() == SERVER
    fixed = hffix.fix(repo, write=True, select=["HF002"])
    assert fixed.written and (repo / "main.py").read_text() == CLEAN
    assert hffix.check(repo, select=["HF002"]).status is hffix.RepoStatus.COMPLIANT


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")
def test_workers_fork_only_while_no_other_thread_runs() -> None:
    from hffix.fleet.runner import _start_method

    if threading.active_count() == 1:
        assert _start_method().get_start_method() == "fork"
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert _start_method().get_start_method() == "spawn"  # e.g. the progress bar runs
    finally:
        release.set()
        worker.join()


def test_jobs_are_capped_at_the_number_of_repositories(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[object] = []
    real = bulk._Pool._start

    def counting(self: bulk._Pool) -> bulk._Worker:
        started.append(self)
        return real(self)

    monkeypatch.setattr(bulk._Pool, "_start", counting)
    roots = [str(make_repo({"main.py": "x = 1\n"}, name=f"r{i}")) for i in range(2)]
    results = list(bulk.run_many(roots, bulk.RunOptions(write=False), jobs=8))
    assert [r.error for r in results] == [None, None]
    assert len(started) == 2


def test_commit_stages_a_tracked_file_hffix_moved_under_an_ignore_it_added(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """backend/.env is tracked; the hoist moves it to .env, which HF005 adds to .gitignore:
    `git add` refused the ignored path and left the tree dirty on the new branch."""
    for name, value in (("NAME", "t"), ("EMAIL", "t@example.invalid")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    repo = make_repo(
        {
            "README.md": "# Notes\n",
            "backend/main.py": CLEAN,
            "backend/requirements.txt": "fastapi\nuvicorn\n",
            "backend/.env": "LOG_LEVEL=info\n",
        }
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    assert main(["--write", "--commit", "--no-color", str(repo)]) in (0, 1)
    assert git(repo, "status", "--porcelain").strip() == ""
    assert ".env" in git(repo, "ls-files").split()
