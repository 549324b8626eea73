"""HF007 carries what a deleted Dockerfile installed other than by name, or reports it.

HF006 carries requirements known by name; index options, unnamed URLs, local paths and
editables are HF007's, read from the Dockerfile HF006 deleted. Nothing may be claimed
moved that did not reach requirements.txt, and no credential may reach a file or a message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import hffix
from hffix.findings import Status
from hffix.formats.requirements import parse_requirements

MakeRepo = Callable[..., Path]

MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
SPEC = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"
TOKEN = "ghp_EXAMPLEnotArealTOKENforTESTS000000"


def _messages(result: hffix.Result) -> str:
    return "\n".join(f.message for f in result.findings)


def test_nothing_is_claimed_moved_that_was_not(make_repo: MakeRepo) -> None:
    """Every package the Dockerfile's deletion names is in requirements.txt afterwards, and
    every argument of `pip install` is either there or in a finding of its own."""
    root = make_repo(
        {
            "main.py": MAIN,
            "requirements.txt": SPEC,
            "Dockerfile": "FROM python:3.10\n"
            "WORKDIR /app\n"
            "RUN pip install -i https://download.pytorch.org/whl/cpu torch "
            "https://example.org/dl/geo-1.0.tar.gz ./wheels/w-1.0-py3-none-any.whl "
            f"git+https://{TOKEN}@github.com/acme/tool.git\n",
        }
    )
    result = hffix.fix(root, write=True, select=["HF006", "HF007"])
    assert result.error is None, result.traceback or result.error
    requirements = (root / "requirements.txt").read_text()
    lines = {line.logical for line in parse_requirements(requirements)}
    assert {
        "torch",
        "--extra-index-url https://download.pytorch.org/whl/cpu",
        "https://example.org/dl/geo-1.0.tar.gz",
        "git+https://${GITHUB_TOKEN}@github.com/acme/tool.git",
    } <= lines
    deleted = next(f for f in result.findings if f.code == "HF006")
    assert "pip packages `torch` -> requirements.txt" in deleted.message
    wheel = [f for f in result.findings if "w-1.0-py3-none-any.whl" in f.message]
    assert len(wheel) == 1 and wheel[0].status is Status.MANUAL
    assert "no COPY brought" in wheel[0].message  # never copied into the image
    # The token: in no file, no message; a secret to set and rotate.
    assert TOKEN not in requirements and TOKEN not in _messages(result)
    assert TOKEN in result.facts.secret_values  # so that --redact masks the patch
    secret = next(f for f in result.findings if f.secret)
    assert secret.variables == ("GITHUB_TOKEN",) and "rotate it" in secret.message
    assert "GITHUB_TOKEN" in result.facts.variables
    # Converged: the Dockerfile is gone, a second run changes nothing.
    again = hffix.fix(root, write=True, select=["HF006", "HF007"])
    assert again.error is None and not again.changes


def test_local_code_is_reported_with_its_path_in_the_repository(make_repo: MakeRepo) -> None:
    """A nested backend's Dockerfile (COPY . . in WORKDIR /code) installed ./libs/geo: after
    the hoist the repository has it at libs/geo/, which the finding names."""
    root = make_repo(
        {
            "README.md": "# demo\n",
            "backend/app/__init__.py": "",
            "backend/app/main.py": MAIN,
            "backend/requirements.txt": "fastapi\n",
            "backend/libs/geo/pyproject.toml": '[project]\nname = "geo"\nversion = "0.1"\n',
            "backend/Dockerfile": "FROM python:3.10\nWORKDIR /code\nCOPY . .\n"
            "RUN pip install -e ./libs/geo --extra-index-url https://x.example/simple\n"
            'CMD ["uvicorn", "app.main:app"]\n',
        }
    )
    result = hffix.fix(root, write=True)
    assert result.error is None, result.traceback or result.error
    assert (root / "libs/geo/pyproject.toml").is_file()  # hoisted
    local = [f for f in result.findings if "-e ./libs/geo" in f.message]
    assert len(local) == 1 and local[0].status is Status.MANUAL
    assert "backend/Dockerfile:4" in local[0].message
    assert "the repository's `libs/geo/`" in local[0].message
    assert "--extra-index-url https://x.example/simple" in (root / "requirements.txt").read_text()
    assert "libs/geo" not in (root / "requirements.txt").read_text()


def test_a_kept_dockerfile_is_not_harvested(make_repo: MakeRepo) -> None:
    """A Docker Space keeps its Dockerfile: HF007 carries nothing from it."""
    root = make_repo(
        {
            "main.py": MAIN,
            "requirements.txt": SPEC,
            "README.md": "---\nsdk: docker\n---\n# demo\n",
            "Dockerfile": "FROM python:3.10\nRUN pip install --extra-index-url "
            "https://x.example/simple https://example.org/p.tar.gz\n",
        }
    )
    result = hffix.check(root, select=["HF006", "HF007"])
    assert result.error is None
    assert "x.example" not in _messages(result) and "p.tar.gz" not in _messages(result)
    assert not result.changes


def test_without_hf006_nothing_is_read_from_dockerfiles(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "main.py": MAIN,
            "requirements.txt": SPEC,
            "Dockerfile": "FROM python:3.10\nRUN pip install https://example.org/p.tar.gz\n",
        }
    )
    result = hffix.check(root, select=["HF007"])
    assert result.error is None and result.findings == [] and not result.changes
