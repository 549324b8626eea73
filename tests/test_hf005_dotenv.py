"""HF005 and dotenv files: .gitignore entries, .env.example with names only, output kept clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix import envfile
from hffix.cli import main
from hffix.findings import Status

KEY = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
NEON = "postgresql://neondb_owner:npg_FAKEGdv5fXSM@ep-fake-123456.us-east-2.aws.neon.tech/neondb"
READS = (
    "import os\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
    'KEY = os.getenv("OPENAI_API_KEY")\nDB = os.environ["DATABASE_URL"]\n'
)


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in root.rglob("*")
        if p.is_file()
    }


def test_committed_env_file_is_ignored_not_deleted(make_repo: Callable[..., Path]) -> None:
    env = f"OPENAI_API_KEY={KEY}\nDATABASE_URL='{NEON}'\nDEBUG=1\n"
    root = make_repo({"main.py": READS, ".env": env, ".gitignore": "__pycache__/\n"})
    result = hffix.fix(root, write=True, select=["HF005"])
    files = _files(root)
    assert files[".env"] == env
    assert files[".gitignore"] == "__pycache__/\n.env\n"
    # Nothing was moved out of the code, but the app reads two variables without a default.
    assert envfile.declared_names(files[".env.example"]) == {"OPENAI_API_KEY", "DATABASE_URL"}
    finding, listing = result.findings
    assert listing.path == ".env.example" and listing.status is Status.FIXED
    assert finding.path == ".env" and finding.status is Status.FIXED
    assert finding.variables == ("OPENAI_API_KEY", "DATABASE_URL", "DEBUG")
    assert "sk-p…wM" in finding.message and "git rm --cached .env" in finding.message
    assert KEY not in finding.message and "npg_FAKEGdv5fXSM" not in finding.message
    assert hffix.fix(root, select=["HF005"]).findings == []  # .env is ignored now


def test_nested_and_local_env_files(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"backend/.env": "A=1\n", ".env.local": "B=2\n", "main.py": "x = 1\n"})
    hffix.fix(root, write=True, select=["HF005"])
    assert _files(root)[".gitignore"] == ".env.local\n.env\n"


def test_example_keeps_its_lines_and_gains_the_new_names(make_repo: Callable[..., Path]) -> None:
    example = "# Copy to .env\r\nDATABASE_URL=sqlite:///./app.db\r\n# SENTRY_DSN=\r\n"
    root = make_repo(
        {
            "main.py": READS
            + 'SECRET_KEY = "k3y-for-signing-tokens!"\nSENTRY = os.getenv("SENTRY_DSN")\n',
            ".env.example": example,
            ".gitignore": ".env\n",
        }
    )
    hffix.fix(root, write=True, select=["HF005"])
    files = _files(root)
    # Appended in the file's newline style, grouped; SENTRY_DSN, commented out, counts.
    assert (root / ".env.example").read_bytes() == (
        example + "\r\n"
        f"{envfile.SECRETS_HEADING}\r\n"
        "# read at main.py:6; no default: the app needs it\r\nOPENAI_API_KEY=\r\n"
        "# read at main.py:8; no default: the app needs it\r\nSECRET_KEY=\r\n"
    ).encode()
    assert files[".gitignore"] == ".env\n"


def test_example_with_real_values_loses_them(make_repo: Callable[..., Path]) -> None:
    example = (
        f"OPENAI_API_KEY={KEY}\nDATABASE_URL=postgresql://user:password@localhost/db\nDEBUG=1\n"
    )
    root = make_repo({".env.example": example, "main.py": "x = 1\n"})
    result = hffix.fix(root, write=True, select=["HF005"])
    assert _files(root)[".env.example"] == (
        "OPENAI_API_KEY=\nDATABASE_URL=postgresql://user:password@localhost/db\nDEBUG=1\n"
    )
    assert [(f.line, f.status) for f in result.findings] == [(1, Status.FIXED)]
    assert KEY in result.facts.secret_values


def test_ignored_example_on_disk_is_not_touched(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "main.py": 'SECRET_KEY = "k3y-for-signing-tokens!"\n',
            ".gitignore": ".env*\n",
            ".env.example": "OTHER=\n",
        }
    )
    hffix.fix(root, write=True, select=["HF005"])
    assert (root / ".env.example").read_text() == "OTHER=\n"
    assert (root / ".gitignore").read_text() == ".env*\n"


def test_docker_variables_reach_the_example(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"main.py": READS, "Dockerfile": "FROM python:3.10\nENV HF_HOME=/data\n"})
    result = hffix.fix(root, write=True, select=["HF006", "HF005"])
    assert result.error is None
    # HF006 hands the ENV names over through the facts; the code's reads join them.
    assert _files(root)[".env.example"] == (
        f"{envfile.HEADER}\n\n{envfile.SECRETS_HEADING}\n"
        "# read at main.py:7; no default: the app needs it\nDATABASE_URL=\n"
        "# read at main.py:6; no default: the app needs it\nOPENAI_API_KEY=\n\n"
        f"{envfile.VARIABLES_HEADING}\n"
        "# named by hffix's findings (a Dockerfile's ENV, a run command)\nHF_HOME=\n"
    )
    assert _files(root)[".gitignore"] == ".env\n"


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
def test_reports_never_contain_values(
    make_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    root = make_repo(
        {
            "main.py": f'from openai import OpenAI\n\nc = OpenAI(api_key="{KEY}")\nDB = "{NEON}"\n',
            ".env": f"OPENAI_API_KEY={KEY}\n",
        }
    )
    code = main(["--check", "--format", fmt, "--select", "HF005", str(root)])
    out = capsys.readouterr()
    assert code == 1
    assert "sk-p" in out.out + out.err  # the masked form (JSON escapes the ellipsis)
    for value in (KEY, "npg_FAKEGdv5fXSM"):
        assert value not in out.out and value not in out.err
