"""Hostile and odd repositories: each gets a clear one-line message and the run goes on."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.repository.workspace import MAX_FILE_BYTES

MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
REQUIREMENTS = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"
SERVER = "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\nuvicorn.run(app)\n"


def test_a_file_over_the_size_limit_is_skipped_with_a_message(
    make_repo: Callable[..., Path],
) -> None:
    big = "x = 1\n" * (MAX_FILE_BYTES // 6 + 10)
    repo = make_repo({"main.py": SERVER, "generated.py": big + "import uvicorn\n"})
    result = hffix.fix(repo, write=True, select=["HF002"])
    assert result.error is None
    assert [(d.path, "larger than" in d.message) for d in result.diagnostics] == [
        ("generated.py", True)
    ]
    assert (repo / "main.py").read_text() == MAIN
    assert (repo / "generated.py").stat().st_size == len(big) + len("import uvicorn\n")


def test_dockerfile_and_dockerfile_side_by_side(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        {
            "main.py": MAIN,
            "requirements.txt": REQUIREMENTS,
            "Dockerfile": "FROM python:3.10\nRUN pip install httpx\n",
            "dockerfile": "FROM python:3.11\nRUN apt-get update && apt-get install -y ffmpeg\n",
        }
    )
    result = hffix.fix(repo, write=True, select=["HF006", "HF007"])
    assert result.error is None, result.error
    assert not (repo / "Dockerfile").exists() and not (repo / "dockerfile").exists()
    assert "httpx" in (repo / "requirements.txt").read_text()
    assert "ffmpeg" in (repo / "packages.txt").read_text()


@pytest.mark.parametrize(
    "table",
    [
        'exclude = ["../outside"]',
        'exclude = ["/etc"]',
        '[tool.hffix.per-file-ignores]\n"../x/*.py" = ["HF002"]',
    ],
)
def test_configuration_paths_cannot_leave_the_repository(
    make_repo: Callable[..., Path], table: str
) -> None:
    text = f"[tool.hffix]\n{table}\n" if not table.startswith("[") else table + "\n"
    repo = make_repo({"main.py": SERVER, "pyproject.toml": text})
    result = hffix.fix(repo, write=True)
    assert result.error is not None and "outside the repository" in result.error
    assert (repo / "main.py").read_text() == SERVER


def test_app_option_outside_the_repository_is_refused(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"api/server.py": MAIN})
    outside = repo.parent / "elsewhere.py"
    outside.write_text(MAIN)
    result = hffix.fix(repo, write=True, select=["HF001"], options={"app": f"{outside}:app"})
    assert result.error is None
    assert any(f.remains for f in result.findings)
    assert not (repo / "main.py").exists()


def test_read_only_file_fails_the_write_cleanly(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": SERVER, "other.py": "import uvicorn\nuvicorn.run('main:app')\n"})
    os.chmod(repo / "main.py", 0o444)
    result = hffix.fix(repo, write=True, select=["HF002"])
    # The file is replaced atomically (its folder is writable), keeping its mode.
    assert result.error is None
    assert (repo / "main.py").read_text() == MAIN
    assert oct((repo / "main.py").stat().st_mode & 0o777) == oct(0o444)


def test_a_git_submodule_is_not_entered(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_ALLOW_PROTOCOL": "file",
    }

    def git(cwd: Path, *args: str) -> None:
        subprocess.run(
            ["git", "-c", "protocol.file.allow=always", *args],
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
        )

    library = make_repo({"lib.py": SERVER}, name="library")
    git(library, "init", "-q", "-b", "main")
    git(library, "add", "-A")
    git(library, "commit", "-q", "-m", "lib")
    repo = make_repo({"main.py": MAIN, "requirements.txt": REQUIREMENTS}, name="repo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "submodule", "add", "-q", str(library), "vendor/library")
    result = hffix.fix(repo, write=True, select=["HF002"])
    assert result.error is None
    # A submodule's checkout holds a .git file: it is another repository, left alone.
    assert (repo / "vendor/library/lib.py").read_text() == SERVER


def test_names_with_spaces_and_non_ascii(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": MAIN, "my scripts/dév server.py": SERVER})
    result = hffix.fix(repo, write=True, select=["HF002"])
    assert result.error is None and result.written
    assert (repo / "my scripts/dév server.py").read_text() == MAIN
