"""``--commit`` on real git repositories: exactly hffix's changes, on a branch, nothing else."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.cli import main
from hffix.fleet import commit as gitcommit
from hffix.fleet import runner as bulk

SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
CLEAN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
BRANCH = "hffix/spaces-compliance"
NESTED = {
    "README.md": "# Notes\n",
    "backend/main.py": CLEAN,
    "backend/requirements.txt": "fastapi\nuvicorn\n",
    "backend/.env": "LOG_LEVEL=info\n",
}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("NAME", "t"), ("EMAIL", "t@example.invalid")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)


@pytest.fixture
def committed_repo(make_repo: Callable[..., Path]) -> Callable[..., Path]:
    def make(files: dict[str, str], name: str = "repo") -> Path:
        repo = make_repo(files, name=name)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A", "--force")
        git(repo, "commit", "-q", "-m", "initial")
        return repo

    return make


def changed_in_head(repo: Path) -> dict[str, str]:
    """path -> A/M/D in the last commit."""
    words = git(repo, "show", "--name-status", "--no-renames", "--format=", "HEAD").split()
    return dict(zip(words[1::2], words[::2], strict=True))


def test_hoist_of_a_tracked_env_under_an_ignore_it_added_commits_exactly_the_fix(
    committed_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """backend/.env is tracked; the hoist moves it to .env, which HF005 adds to .gitignore.
    The user's uncommitted README.md edit and staged file stay as they were."""
    repo = committed_repo(NESTED)
    (repo / "README.md").write_text("# Notes\nmy own edit\n")
    report = tmp_path / "report.jsonl"
    args = ["--write", "--commit", "--allow-dirty", "--no-color", "--report", str(report)]
    assert main([*args, str(repo)]) == 0, capsys.readouterr().err
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == BRANCH
    assert changed_in_head(repo) == {
        "backend/.env": "D",
        "backend/main.py": "D",
        "backend/requirements.txt": "D",
        ".env": "A",
        ".gitignore": "A",
        "README.md": "M",
        "main.py": "A",
        "requirements.txt": "A",
    }
    assert ".env" in git(repo, "show", "HEAD:.gitignore").split()
    # README.md: hffix's front matter is committed, the user's edit is not.
    committed = git(repo, "show", "HEAD:README.md")
    assert committed.startswith("---\napp_file: main.py\n") and "my own edit" not in committed
    assert (repo / "README.md").read_text().endswith("# Notes\nmy own edit\n")
    assert git(repo, "status", "--porcelain") == " M README.md\n"
    assert "+my own edit" in git(repo, "diff")
    # The report says where the fix is.
    (line,) = [json.loads(x) for x in report.read_text().splitlines()]
    head = git(repo, "rev-parse", "HEAD").strip()
    assert line["commit"] == {"branch": BRANCH, "sha": head}
    assert line["variables"] == ["LOG_LEVEL"]
    assert {"README.md", ".env", "main.py"} <= set(line["files_changed"])


def test_staged_and_untracked_files_of_the_user_stay_out_of_the_commit(
    committed_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = committed_repo({"main.py": SERVER, "notes.md": "notes\n"})
    (repo / "notes.md").write_text("notes, edited and staged\n")
    git(repo, "add", "notes.md")
    (repo / "scratch.txt").write_text("untracked\n")
    code = main(["--select", "HF002", "--write", "--commit", "--allow-dirty", str(repo)])
    assert code == 0, capsys.readouterr().err
    assert changed_in_head(repo) == {"main.py": "M"}
    assert git(repo, "show", "HEAD:main.py") == CLEAN
    assert git(repo, "status", "--porcelain").splitlines() == ["M  notes.md", "?? scratch.txt"]


def test_an_untracked_file_the_fix_edits_is_never_added(
    committed_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """With --allow-dirty, an untracked file the fix changes is fixed but stays out of git."""
    repo = committed_repo({"main.py": SERVER})
    (repo / "tools.py").write_text("import uvicorn\nuvicorn.run('main:app')\n")
    args = ["--select", "HF002", "--write", "--commit", "--allow-dirty", "--no-color"]
    assert main([*args, str(repo)]) == 0, capsys.readouterr().err
    assert changed_in_head(repo) == {"main.py": "M"}
    assert "uvicorn.run" not in (repo / "tools.py").read_text()
    assert "tools.py" not in git(repo, "ls-files").split()
    assert git(repo, "status", "--porcelain").splitlines() == ["?? tools.py"]


def test_overlapping_uncommitted_edits_are_not_folded_in(
    committed_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The user's edit touches the very lines hffix changes: nothing is committed, and the
    error says why (the fix stays written for the user to look at)."""
    repo = committed_repo({"main.py": SERVER})
    (repo / "main.py").write_text(SERVER.replace("uvicorn.run(app)", "uvicorn.run(app)  # mine"))
    head = git(repo, "rev-parse", "HEAD")
    code = main(["--select", "HF002", "--write", "--commit", "--allow-dirty", str(repo)])
    err = capsys.readouterr().err
    assert code == 2
    assert "fixed, but not committed" in err and "overlap the fix" in err and str(repo) in err
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_a_compliant_repository_is_not_switched_to_a_new_empty_branch(
    committed_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = committed_repo({"main.py": CLEAN})
    report = tmp_path / "r.jsonl"
    args = ["--select", "HF002", "--write", "--commit", "--report", str(report), str(repo)]
    assert main(args) == 0, capsys.readouterr().err
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(repo, "branch", "--list", BRANCH) == ""
    assert json.loads(report.read_text())["commit"] is None


def test_a_second_run_builds_on_the_existing_branch(
    committed_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = committed_repo({"main.py": SERVER, "tools/dev.py": "x = 1\n"})
    assert main(["--select", "HF002", "--write", "--commit", str(repo)]) == 0
    first = git(repo, "rev-parse", "HEAD")
    git(repo, "switch", "-q", "main")
    (repo / "tools" / "dev.py").write_text("import uvicorn\nuvicorn.run('main:app')\n")
    git(repo, "commit", "-q", "-am", "more")
    # The branch exists: the run switches to it (where main.py is fixed already) and adds
    # nothing, since the branch does not have the new commit of main.
    assert main(["--select", "HF002", "--write", "--commit", str(repo)]) == 0
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == BRANCH
    assert git(repo, "rev-parse", "HEAD") == first
    capsys.readouterr()


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--allow-dirty"], "--allow-dirty goes with --commit"),
        (["--commit", "--branch", "bad..name"], "not a valid branch name"),
    ],
)
def test_commit_option_errors_are_usage_errors_at_once(
    committed_repo: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    says: str,
) -> None:
    repo = committed_repo({"main.py": SERVER})
    assert main(["--write", *arguments, str(repo)]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1
    assert (repo / "main.py").read_text() == SERVER


def test_no_git_identity_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without user.name/user.email the commit would fail after the write, leaving the
    repository written but not committed: refuse first."""

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.py").write_text(
        "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"
    )
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*ident, "commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no global git config
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    before = (repo / "main.py").read_bytes()
    result = bulk.run_one(str(repo), bulk.RunOptions(write=True, commit=gitcommit.CommitOptions()))
    assert result.error is not None and "who commits" in result.error
    assert (repo / "main.py").read_bytes() == before
