"""Worker processes: timeouts in every local executor, crashes, and no orphans."""

from __future__ import annotations

import faulthandler
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix import api
from hffix.cli import main
from hffix.fleet import runner as bulk

SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
CLEAN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
ROOT = Path(__file__).resolve().parent.parent


def slow_repository(make_repo: Callable[..., Path], name: str = "slow") -> Path:
    """A repository whose planning takes well over a second: 800 modules to fix."""
    module = SERVER + "\n\ndef f(x):\n    return [y * 2 for y in range(x)]\n"
    return make_repo({f"pkg/m{i:03d}.py": module for i in range(800)}, name=name)


# Tasks for the worker processes (module level: a spawned worker imports them).


def pid_task(root: str, options: bulk.RunOptions) -> api.Result:
    return api.Result(Path(root), error=f"pid {os.getpid()}")


def hanging_task(root: str, options: bulk.RunOptions) -> api.Result:
    """Like a native parser that hangs: deaf to every signal the worker could catch."""
    if root.endswith("hang"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGTERM})
        time.sleep(60)
    return api.Result(Path(root))


def crashing_task(root: str, options: bulk.RunOptions) -> api.Result:
    if root.endswith("crash"):
        faulthandler.disable()
        signal.signal(signal.SIGSEGV, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGSEGV)
    return api.Result(Path(root))


def napping_task(root: str, options: bulk.RunOptions) -> api.Result:
    """Takes a while, and leaves marks of when it started and whether it finished."""
    (Path(root) / "started").write_text(str(os.getpid()))
    time.sleep(2)
    (Path(root) / "finished").write_text("")
    return api.Result(Path(root))


def test_a_timeout_runs_even_one_job_in_a_worker_process(tmp_path: Path) -> None:
    options = bulk.RunOptions(timeout=30)
    results = list(bulk.run_many([str(tmp_path)], options, jobs=1, task=pid_task))
    assert results[0].error is not None and results[0].error != f"pid {os.getpid()}"
    # Without a timeout, one job runs here.
    results = list(bulk.run_many([str(tmp_path)], bulk.RunOptions(), jobs=1, task=pid_task))
    assert results[0].error == f"pid {os.getpid()}"


def test_timeout_with_one_job_names_the_repository_and_the_run_goes_on(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = slow_repository(make_repo)
    fast = make_repo({"main.py": SERVER}, name="fast")
    report = tmp_path / "r.jsonl"
    args = ["--select", "HF002", "--no-color", "--write", "--jobs", "1", "--timeout", "0.2"]
    code = main([*args, "--report", str(report), str(slow), str(fast)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"error: {slow}: timed out after 0.2 s; nothing written" in err
    assert (slow / "pkg" / "m000.py").read_text().startswith(SERVER)
    assert (fast / "main.py").read_text() == CLEAN
    assert "1 repository could not be processed." in err


def test_a_repository_that_hangs_past_the_grace_period_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "MIN_GRACE", 0.5)
    roots = [str(tmp_path / "hang"), str(tmp_path / "next")]
    started = time.monotonic()
    options = bulk.RunOptions(timeout=0.2)
    results = list(bulk.run_many(roots, options, jobs=1, task=hanging_task))
    assert time.monotonic() - started < 20
    assert results[0].error == f"{roots[0]}: timed out after 0.2 s; its worker process was stopped"
    assert results[1].error is None  # a new worker took the next repository


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crashed_worker_is_one_repositorys_error(
    tmp_path: Path, jobs: int, capsys: pytest.CaptureFixture[str]
) -> None:
    roots = [str(tmp_path / name) for name in ("a", "crash", "b", "c")]
    options = bulk.RunOptions(timeout=60, report=str(tmp_path / "r.jsonl"))
    results = list(bulk.run_many(roots, options, jobs=jobs, task=crashing_task))
    assert [r.error for r in results] == [
        None,
        f"{roots[1]}: the worker process died on this repository (killed by SIGSEGV)",
        None,
        None,
    ]
    # The main process records what the dead worker could not.
    assert '"status": "failed"' in (tmp_path / "r.jsonl").read_text()


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == parent and fields[0] != "Z":
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_finish_their_repository_and_exit_when_the_main_process_dies(
    tmp_path: Path, signum: int
) -> None:
    roots = [tmp_path / f"r{i}" for i in range(4)]
    for root in roots:
        root.mkdir()
    script = (
        "import sys\n"
        "from hffix.fleet import runner as bulk\n"
        "from tests.test_fleet_workers import napping_task\n"
        "for _ in bulk.run_many(sys.argv[1:], bulk.RunOptions(), jobs=2, task=napping_task):\n"
        "    pass\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, *map(str, roots)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while sum((r / "started").exists() for r in roots) < 2:
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        workers = _children(parent.pid)
        assert len(workers) == 2
        parent.send_signal(signum)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived the main process"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
    busy = [r for r in roots if (r / "started").exists()]
    assert len(busy) == 2 and all((r / "finished").exists() for r in busy)


def test_a_repository_in_a_process_of_its_own_keeps_its_timeout(
    make_repo: Callable[..., Path],
) -> None:
    """How a Dask worker runs a repository when --timeout is given (tasks run in threads)."""
    slow = slow_repository(make_repo)
    result, committed = bulk._in_child(str(slow), bulk.RunOptions(write=True, timeout=0.2))
    assert result.error == f"{slow}: timed out after 0.2 s; nothing written"
    assert committed is None
    assert (slow / "pkg" / "m000.py").read_text().startswith(SERVER)
    fast = make_repo({"main.py": SERVER}, name="fast")
    options = bulk.RunOptions(write=True, select=("HF002",), timeout=60)
    result, committed = bulk._in_child(str(fast), options)
    assert result.error is None and result.written and committed is None
    assert (fast / "main.py").read_text() == CLEAN
