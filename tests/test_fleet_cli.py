"""The command line of a fleet run: option errors at once, empty lists, the progress bar."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.cli import main

SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--report", "{tmp}/no/such/folder/r.jsonl"], "the folder {tmp}/no/such/folder does not"),
        (["--report", "{tmp}"], "is a folder; give a file name"),
        (["--timeout", "nan"], "--timeout takes a positive number of seconds, not nan"),
        (["--timeout", "inf"], "--timeout takes a positive number of seconds, not inf"),
        (["--repos-from", "{tmp}/latin1.txt"], "--repos-from {tmp}/latin1.txt: not UTF-8 text"),
        (["--repos-from", "{tmp}/missing.txt"], "No such file or directory"),
        (["--app", "does.not:exist"], "--app does.not:exist: {tmp}/repo has no module does.not"),
        (["--app", "app/main.py:app"], "--app app/main.py:app: {tmp}/repo has no file app/main.py"),
        (["--app", "main"], "--app takes MODULE:ATTR or FILE.py:ATTR"),
        (["--resume"], "--resume needs --report FILE"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler goes with --executor dask"),
        (["--jobs", "0"], "--jobs"),
        (["--jobs", "2", "--executor", "dask", "--scheduler", "tcp://h:1"], "--jobs sets local"),
    ],
)
def test_option_values_that_cannot_work_stop_the_run_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], says: str
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.py").write_text(SERVER)
    (tmp_path / "latin1.txt").write_bytes("répertoire\n".encode("latin-1"))
    arguments = [a.replace("{tmp}", str(tmp_path)) for a in arguments]
    started = time.monotonic()
    code = main(["--write", *arguments, str(repo)])
    err = capsys.readouterr().err
    assert code == 2 and time.monotonic() - started < 10
    assert says.replace("{tmp}", str(tmp_path)) in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("hffix: error: ")
    assert (repo / "main.py").read_text() == SERVER  # nothing written
    assert sorted(p.name for p in repo.iterdir()) == ["main.py"]


def test_an_app_that_exists_passes_the_check(
    make_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo({"backend/app/main.py": SERVER})
    assert main(["--check", "--app", "app.main:app", str(repo)]) in (0, 1)
    assert "--app" not in capsys.readouterr().err


@pytest.mark.parametrize("listing", ["", "# only comments\n\n   \n# here\n"])
def test_an_empty_repository_list_is_an_empty_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    listing: str,
) -> None:
    (tmp_path / "main.py").write_text(SERVER)
    (tmp_path / "list.txt").write_text(listing)
    monkeypatch.chdir(tmp_path)
    assert main(["--write", "--repos-from", "list.txt", "--report", "r.jsonl"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "hffix: no repositories in list.txt; nothing to do\n"
    assert captured.out == ""
    assert (tmp_path / "main.py").read_text() == SERVER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.txt", "main.py"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a pseudo-terminal")
@pytest.mark.parametrize("mode", ["--check", "--write"])
def test_the_progress_bar_is_on_standard_error_only(
    make_repo: Callable[..., Path], mode: str
) -> None:
    import pty

    repos = [str(make_repo({"main.py": SERVER}, name=f"r{i}")) for i in range(3)]
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hffix", mode, "--no-color", "--select", "HF002", "-j", "2", *repos],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=secondary,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(secondary)
    terminal = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        terminal += chunk
    out = proc.stdout.read() if proc.stdout else b""
    proc.wait(timeout=60)
    os.close(primary)
    assert b"hffix [" not in out and b"\r" not in out
    assert b"0/3 repositories" in terminal  # drawn before the first repository is done
    assert b"3/3 repositories" in terminal
    assert b"\r\x1b[K" in terminal.rsplit(b"hffix [", 1)[1]  # and is gone at the end
    if mode == "--check":
        assert out.count(b" HF002 [*] ") == 3  # the findings, on standard output
    else:
        assert out == b"" and terminal.count(b"HF002 [fixed]") == 3
