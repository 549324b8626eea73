"""``hffix verify`` on the command line: dispatch, help, usage errors, JSON, --no-boot."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.cli import main
from tests.verify_helpers import GOOD_MAIN, REQUIREMENTS

MakeRepo = Callable[..., Path]


def test_help_says_it_runs_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--help"]) == 0
    out = capsys.readouterr().out
    assert "RUNS THE REPOSITORY'S CODE" in out
    for option in ("--install", "--env-file", "--path", "--timeout", "--format", "--clean-env"):
        assert option in out


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "does-not-exist"],
        ["verify", ".", "-e", "NOVALUE"],
        ["verify", ".", "--env-file", "missing.env"],
        ["verify", ".", "--path", "health"],
        ["verify", ".", "--rebuild"],
        ["verify", ".", "--format", "yaml"],
        ["verify", ".", "--no-such-option"],
        ["verify", ".", "--python", "/no/such/python3"],
    ],
)
def test_usage_errors_exit_2(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert "error" in capsys.readouterr().err


def test_no_boot_runs_only_the_checklist(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS})
    assert main(["verify", str(root), "--no-boot", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["boot"]["pid"] is None and data["boot"]["disabled"]
    assert data["checklist_ok"] and data["ok"]

    broken = make_repo({"main.py": GOOD_MAIN, "Dockerfile": "FROM python\n"}, name="broken")
    assert main(["verify", str(broken), "--no-boot", "--no-color"]) == 1
    out = capsys.readouterr().out
    assert "✘ no Dockerfile" in out
    assert "✘ requirements.txt present" in out
    assert out.rstrip().splitlines()[-1].startswith("✘ checklist: requirements.txt present failed")


def test_json_report_shape(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"main.py": GOOD_MAIN})
    assert main(["verify", str(root), "--no-boot", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    for key in ("path", "checklist", "rules", "env", "boot", "ok", "exit_code", "reason"):
        assert key in data
    assert data["exit_code"] == 1
    item = next(i for i in data["checklist"] if i["label"] == "requirements.txt present")
    assert item["mark"] == "fail" and item["codes"]


def test_console_script_entry(make_repo: MakeRepo) -> None:
    """``python -m hffix verify`` goes through hffix.cli.main like the installed script."""
    root = make_repo({"main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS})
    proc = subprocess.run(
        [sys.executable, "-m", "hffix", "verify", str(root), "--no-boot", "--no-color"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Checklist (SP-HF-10)" in proc.stdout
