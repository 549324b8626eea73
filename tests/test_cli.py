"""The command-line contract: modes, exit codes, output streams and formats."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.cli import main
from hffix.rules import ALL_RULES

SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
CLEAN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["--no-color", "--select", "HF002,HF003", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_dry_run_is_the_default_and_writes_nothing(
    run: Run, make_repo: Callable[..., Path]
) -> None:
    repo = make_repo({"main.py": SERVER})
    code, out, err = run(str(repo))
    assert code == 1
    assert out.startswith("diff --git a/main.py b/main.py\n")
    assert "-uvicorn.run(app)" in out
    assert "HF002" in err and "Would change 1 file" in err
    assert (repo / "main.py").read_text() == SERVER


def test_write_then_compliant(run: Run, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": SERVER})
    code, out, err = run("--write", str(repo))
    assert (code, out) == (0, "")
    assert "Changed 1 file" in err
    assert (repo / "main.py").read_text() == CLEAN
    code, out, err = run(str(repo))
    assert (code, out) == (0, "")
    assert "All checks passed." in err


def test_check_prints_findings_on_stdout(run: Run, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": SERVER})
    code, out, _ = run("--check", str(repo))
    assert code == 1
    assert f"{repo}/main.py:5:1: HF002 [*] `uvicorn.run()` starts its own server" in out
    assert "diff --git" not in out


def test_write_exits_1_when_findings_remain(run: Run, make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        {"main.py": CLEAN + "\n\ndef f():\n    return uvicorn.run(app)\n\n\nimport uvicorn\n"}
    )
    code, _, err = run("--write", str(repo))
    assert code == 1
    assert "[manual]" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--write", "--check"], "choose one of"),
        (["--format", "xml"], "xml"),
        (["--no-such-flag"], "No such option"),
        (["--explain", "HF999"], "unknown rule"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and err.startswith("hffix: error:")


def test_missing_path_and_file_path_exit_2(run: Run, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": SERVER})
    code, _, err = run(str(repo / "nope"))
    assert code == 2 and "no such file or folder" in err
    code, _, err = run(str(repo / "main.py"))
    assert code == 2 and "not a folder" in err


def test_broken_pyproject_is_reported_not_a_crash(run: Run, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": SERVER, "pyproject.toml": "[tool.hffix\nselect = 1\n"})
    code, out, err = run("--write", str(repo))
    assert (code, out) == (2, "")
    assert "pyproject.toml: invalid TOML" in err
    assert "Traceback" not in err
    assert (repo / "main.py").read_text() == SERVER


def test_other_repositories_go_on_after_a_failure(run: Run, make_repo: Callable[..., Path]) -> None:
    good = make_repo({"main.py": SERVER}, name="good")
    code, _, err = run("--write", str(good.parent / "missing"), str(good))
    assert code == 2
    assert "missing: no such file or folder" in err
    assert (good / "main.py").read_text() == CLEAN


def test_several_repositories_get_prefixed_patch_paths(
    run: Run, make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    one = make_repo({"main.py": SERVER}, name="one")
    two = make_repo({"main.py": SERVER}, name="two")
    monkeypatch.chdir(one.parent)
    code, out, _ = run("one", "two")
    assert code == 1
    assert "diff --git a/one/main.py b/one/main.py" in out
    assert "diff --git a/two/main.py b/two/main.py" in out
    subprocess.run(["git", "apply", "-"], input=out.encode(), cwd=one.parent, check=True)
    assert (one / "main.py").read_text() == CLEAN and (two / "main.py").read_text() == CLEAN


def test_select_ignore_and_config(run: Run, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": SERVER})
    code, out, _ = run("--ignore", "HF002", str(repo))
    assert (code, out) == (0, "")
    repo2 = make_repo(
        {"main.py": SERVER, "pyproject.toml": '[tool.hffix]\nignore = ["HF002"]\n'}, "r2"
    )
    code, out, _ = run(str(repo2))
    assert (code, out) == (0, "")
    repo3 = make_repo(
        {
            "main.py": SERVER,
            "pyproject.toml": '[tool.hffix.per-file-ignores]\n"main.py" = ["HF002"]\n',
        },
        "r3",
    )
    code, out, _ = run(str(repo3))
    assert (code, out) == (0, "")


def test_suppression_comment(run: Run, make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        {"main.py": SERVER.replace("uvicorn.run(app)", "uvicorn.run(app)  # hffix: ignore")}
    )
    assert run(str(repo))[0] == 0


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_machine_formats(run: Run, make_repo: Callable[..., Path], fmt: str) -> None:
    repo = make_repo({"main.py": SERVER})
    code, out, _ = run("--format", fmt, str(repo))
    assert code == 1
    if fmt == "json":
        data = json.loads(out)
        finding = data["repositories"][0]["findings"][0]
        assert finding["code"] == "HF002" and finding["line"] == 5
        assert finding["status"] == "fixable", "--check wrote nothing: the fix is to come"
        assert data["repositories"][0]["status"] == "fixable"
    elif fmt == "sarif":
        data = json.loads(out)
        assert data["version"] == "2.1.0"
        result = data["runs"][0]["results"][0]
        assert result["ruleId"] == "HF002"
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    else:
        # --check fixed nothing: the finding is annotated at its severity, not as a notice.
        assert out.startswith(f"::error file={repo}/main.py,line=5,col=1,title=HF002::")
    assert "diff --git" not in out


def test_severity_in_ci_formats(
    capsys: pytest.CaptureFixture[str], make_repo: Callable[..., Path]
) -> None:
    """A secret or a server start is an error, a missing dependency a warning, whatever the
    status; once --write fixed a finding, CI shows it as a notice (SARIF: note)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--no-color", *args])
        out, err = capsys.readouterr()
        return code, out, err

    files = {
        "main.py": SERVER + 'SECRET_KEY = "Zq8vX2mLp9rT4wKe-real"\nimport httpx\n',
        "requirements.txt": "fastapi\nuvicorn\n",
    }
    repo = make_repo(files)
    _, out, _ = run("--format", "json", str(repo))
    severities = {f["code"]: f["severity"] for f in json.loads(out)["repositories"][0]["findings"]}
    assert severities["HF002"] == "error" and severities["HF005"] == "error"
    assert severities["HF007"] == "warning"
    _, out, _ = run("--format", "sarif", str(repo))
    sarif = json.loads(out)["runs"][0]
    levels = {r["ruleId"]: r["level"] for r in sarif["results"]}
    assert levels["HF005"] == "error" and levels["HF007"] == "warning"
    rules = {r["id"]: r["defaultConfiguration"]["level"] for r in sarif["tool"]["driver"]["rules"]}
    assert rules["HF008"] == "warning" and rules["HF006"] == "error"
    _, out, _ = run("--format", "github", str(repo))
    assert out.count("::error file=") >= 2 and "::warning file=" in out
    _, out, _ = run("--write", "--format", "github", str(repo))
    assert "::notice file=" in out and "title=HF002" in out


def test_explain_and_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", "hf002"]) == 0
    out = capsys.readouterr().out
    for heading in ("## What it does", "## Why it matters", "## Example", "## Fix safety"):
        assert heading in out
    assert main(["--list-rules"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()] == [r.code for r in ALL_RULES]


def test_console_script_and_module_entry_points(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": CLEAN})
    for command in (
        [sys.executable, "-m", "hffix", "--select", "HF002", str(repo)],
        [str(Path(sys.executable).parent / "hffix"), "--help"],
    ):
        proc = subprocess.run(command, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr


def test_internal_error_is_one_line_unless_verbose(
    run: Run, make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hffix.rules.hf002_server_start import ServerStartCall

    def boom(self: object, ctx: object) -> None:
        raise RuntimeError("rule exploded")

    monkeypatch.setattr(ServerStartCall, "run", boom)
    repo = make_repo({"main.py": SERVER})
    code, _, err = run(str(repo))
    assert code == 2
    assert "internal error: RuntimeError: rule exploded" in err and "Traceback" not in err
    code, _, err = run("--verbose", str(repo))
    assert "Traceback" in err


def test_redact_masks_secrets_in_the_patch(run: Run, make_repo: Callable[..., Path]) -> None:
    token = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH"
    repo = make_repo({"main.py": CLEAN + f'\nOPENAI_API_KEY = "{token}"\n'})
    code, plain, err = run("--select", "HF005", str(repo))
    assert code == 1 and token in plain, "the plain patch shows the removed line"
    assert token not in err and "Rotate every secret" in err
    code, masked, err = run("--select", "HF005", "--redact", str(repo))
    assert code == 1 and token not in masked and "OPENAI_API_KEY" in masked
    code, out, _ = run("--select", "HF005", "--format", "json", str(repo))
    assert token not in out


@pytest.mark.parametrize("listing", ["", "# only a comment\n\n"])
def test_an_empty_repos_from_is_an_empty_run_not_the_current_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    listing: str,
) -> None:
    (tmp_path / "server.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (tmp_path / "list.txt").write_text(listing)
    monkeypatch.chdir(tmp_path)
    assert main(["--write", "--repos-from", "list.txt"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.txt", "server.py"]


def test_a_failed_write_claims_no_fix_and_no_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hffix.repository import writer

    def full_disk(root: Path, changes: object) -> None:
        raise writer.WriteError("main.py: No space left on device; every change was rolled back")

    monkeypatch.setattr(writer, "apply_changes", full_disk)
    (tmp_path / "server.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    assert main(["--write", "--no-color", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err
    assert "[fixed]" not in err and "Changed" not in err
    assert "0 fixed" in err and "held back by an error" in err


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--timeout", "nan"], "--timeout takes a positive number of seconds"),
        (["--timeout", "inf"], "--timeout takes a positive number of seconds"),
        (["--report", "/no/such/folder/report.jsonl"], "does not exist"),
        (["--scheduler", "garbage://"], "--scheduler goes with --executor dask"),
        (["--app", "foo"], "--app takes MODULE:ATTR"),
        (["--app", "app.main:"], "--app takes MODULE:ATTR"),
    ],
)
def test_option_values_that_cannot_work_are_usage_errors_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], says: str
) -> None:
    (tmp_path / "server.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    assert main(["--write", *arguments, str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["server.py"]  # nothing written


def test_a_repos_from_that_is_not_utf8_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "list.txt").write_bytes(b"\xff\xfe\x00repo\n")
    assert main(["--check", "--repos-from", str(tmp_path / "list.txt")]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_rotate_is_asked_only_when_a_secret_was_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unignored .env holding no secret is an HF005 finding, but nothing to rotate."""
    (tmp_path / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (tmp_path / ".env").write_text("LOG_LEVEL=info\n")
    main(["--check", "--no-color", str(tmp_path)])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "HF005" in output
    assert "Rotate every secret" not in output
    token = "ghp_Vb3Nm8Qw2Er7Ty1Ui6Op4As9Df5Gh0JkLzX"
    (tmp_path / "main.py").write_text(
        f'from fastapi import FastAPI\n\napp = FastAPI()\nTOKEN = "{token}"\n'
    )
    main(["--check", "--no-color", str(tmp_path)])
    captured = capsys.readouterr()
    assert "Rotate every secret" in captured.out + captured.err


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.metadata

    import hffix

    assert main([flag]) == 0
    assert capsys.readouterr().out == f"hffix {hffix.__version__}\n"
    assert importlib.metadata.version("hffix") == hffix.__version__  # pyproject agrees


def test_ruff_and_black_conventions(
    capsys: pytest.CaptureFixture[str], make_repo: Callable[..., Path]
) -> None:
    """--diff is --dry-run; --fix names --write; --exit-zero; --statistics; JSON rules."""
    repo = make_repo({"main.py": SERVER})
    assert main(["--diff", "--select", "HF002", str(repo)]) == 1
    assert "-uvicorn.run(app)" in capsys.readouterr().out
    assert main(["--fix", str(repo)]) == 2
    assert "hffix calls it --write" in capsys.readouterr().err
    assert main(["--check", "--exit-zero", "--select", "HF002", str(repo)]) == 0
    assert "HF002" in capsys.readouterr().out
    assert main(["--check", "--statistics", "--select", "HF002,HF007", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "HF002" in out and "server-start-call" in out and "main.py:" not in out
    assert main(["--list-rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in rules][:2] == ["HF001", "HF003"] and rules[0]["severity"]
    assert main(["--explain", "HF004", "--format", "json"]) == 0
    assert "## What it does" in json.loads(capsys.readouterr().out)["documentation"]
    # A broken repository: exit 2 with one line.
    broken = make_repo({"pyproject.toml": "[tool.hffix\n", "main.py": SERVER}, name="broken")
    assert main(["--check", str(broken)]) == 2
    out, err = capsys.readouterr()
    assert len((out + err).strip().splitlines()) == 1, out + err


def test_extend_select_exclude_and_config_file(
    capsys: pytest.CaptureFixture[str], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo(
        {
            "main.py": SERVER + 'SECRET_KEY = "Zq8vX2mLp9rT4wKe-real"\n',
            "tools/run.py": SERVER,
            "pyproject.toml": '[tool.hffix]\nselect = ["HF002"]\n',
        }
    )
    assert main(["--check", str(repo)]) == 1
    assert "HF005" not in capsys.readouterr().out
    main(["--check", "--extend-select", "HF005", str(repo)])
    out = capsys.readouterr().out
    assert "HF005" in out and "HF002" in out
    main(["--check", "--exclude", "main.py", str(repo)])
    out = capsys.readouterr().out
    assert "main.py:5" not in out.replace("tools/run.py", "")
    fleet = tmp_path / "hffix.toml"
    fleet.write_text('select = ["HF005"]\n')
    main(["--check", "--config", str(fleet), str(repo)])
    out = capsys.readouterr().out
    assert "HF005" in out and "HF002" not in out, "--config replaces the repository's table"
    assert main(["--check", "--config", str(tmp_path / "missing.toml"), str(repo)]) == 2
    assert main(["--check", "--exclude", "../outside", str(repo)]) == 2


def test_a_closed_pipe_is_not_an_internal_error(make_repo: Callable[..., Path]) -> None:
    """`hffix --check --format json . | head -1`: the reader leaves early."""
    import subprocess
    import sys

    repo = make_repo({f"m{i}.py": SERVER for i in range(40)})
    proc = subprocess.Popen(
        [sys.executable, "-m", "hffix", "--check", "--format", "json", str(repo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err
    assert "internal error" not in err and "Traceback" not in err


def test_version_as_a_word_points_at_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["version"]) == 2
    assert "did you mean --version?" in capsys.readouterr().err
    (tmp_path / "version").mkdir()  # a repository really named so is checked as one
    assert main(["version"]) in (0, 1)
