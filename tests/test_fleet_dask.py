"""``--executor dask``: paths mean what they mean where hffix was started, never on a worker."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hffix.cli import main
from hffix.fleet import runner as bulk

SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
CLEAN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
SELECT = ["--select", "HF002,HF003", "--no-color"]


@pytest.fixture
def cluster_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A local Dask cluster of two worker processes, started in another folder than the
    one the test then runs hffix from; that folder has its own `myrepo` (a decoy)."""
    distributed = pytest.importorskip("distributed")
    elsewhere = tmp_path / "workers"
    (elsewhere / "myrepo").mkdir(parents=True)
    (elsewhere / "myrepo" / "main.py").write_text(SERVER)
    monkeypatch.chdir(elsewhere)
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster


def test_a_relative_path_is_the_clients_folder_not_the_workers(
    cluster_elsewhere: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "user"
    (user / "myrepo").mkdir(parents=True)
    (user / "myrepo" / "main.py").write_text(SERVER)
    monkeypatch.chdir(user)
    address = cluster_elsewhere.scheduler_address
    args = ["--write", "--executor", "dask", "--scheduler", address, "--report", "r.jsonl"]
    assert main([*SELECT, *args, "myrepo"]) == 0
    assert (user / "myrepo" / "main.py").read_text() == CLEAN
    assert (tmp_path / "workers" / "myrepo" / "main.py").read_text() == SERVER
    (line,) = [json.loads(x) for x in (user / "r.jsonl").read_text().splitlines()]
    assert line["path"] == "myrepo" and line["status"] == "fixed"


def test_timeout_holds_on_dask_workers(
    cluster_elsewhere: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dask runs tasks in threads: with --timeout each repository runs in a process of its
    own on the worker, so the timeout can stop it."""
    user = tmp_path / "user"
    (user / "myrepo").mkdir(parents=True)
    (user / "myrepo" / "main.py").write_text(SERVER)
    monkeypatch.chdir(user)
    address = cluster_elsewhere.scheduler_address
    args = ["--write", "--executor", "dask", "--scheduler", address, "--timeout", "60"]
    assert main([*SELECT, *args, "myrepo"]) == 0
    assert (user / "myrepo" / "main.py").read_text() == CLEAN


def test_a_worker_refuses_a_path_that_is_another_folder_there(
    make_repo: Callable[..., Path],
) -> None:
    """What a worker on another machine would see: the same path, another folder."""
    ours = make_repo({"main.py": SERVER}, name="ours")
    theirs = make_repo({"main.py": SERVER + "# another clone\n"}, name="theirs")
    assert bulk.identity(str(ours)) == bulk.identity(str(ours))
    assert bulk.identity(str(ours)) != bulk.identity(str(theirs))
    assert bulk.identity(str(ours / "missing")) is None
    options = bulk.RunOptions(write=True, select=("HF002",))
    expected = bulk.identity(str(theirs))
    assert expected is not None
    result, committed = bulk._dask_task(str(ours), expected, options)
    assert result.error is not None and committed is None
    assert result.error.startswith(f"{ours}: on the Dask worker ")
    assert "another folder" in result.error and "\n" not in result.error
    assert (ours / "main.py").read_text() == SERVER
    # The right folder is fixed.
    expected = bulk.identity(str(ours))
    assert expected is not None
    result, _ = bulk._dask_task(str(ours), expected, options)
    assert result.error is None and (ours / "main.py").read_text() == CLEAN


def test_a_scheduler_address_dask_cannot_use_is_a_usage_error_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    (tmp_path / "main.py").write_text(SERVER)
    started = time.monotonic()
    code = main(["--write", "--executor", "dask", "--scheduler", "garbage://", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and time.monotonic() - started < 10
    assert "--scheduler garbage://: unknown address scheme 'garbage'" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert (tmp_path / "main.py").read_text() == SERVER
