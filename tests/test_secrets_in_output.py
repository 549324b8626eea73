"""No report holds a secret: messages that quote the repository are masked.

A repository plants secrets where hffix quotes text back to the user (a Dockerfile's CMD and
ENV, a credentialed pip URL, code left in a ``__main__`` block, a config file); every
output format is scanned for the values and for any run of 8 of their characters.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.cli import main
from hffix.secrets.redact import mask_text

OPENAI = "sk-proj-Qw7Zr2Lm9Xv4Tn8Bp3Kd6Hs1Jf5Gc0Ay"
GITHUB = "ghp_Vb3Nm8Qw2Er7Ty1Ui6Op4As9Df5Gh0JkLzX"
PASSWORD = "Zq8vX2mLp9rT4wKe"
DB_URL_PASSWORD = "n0tes-Pa55-w0rd-77"

FILES = {
    "backend/Dockerfile": (
        "FROM python:3.10-slim\n"
        "WORKDIR /srv\n"
        "COPY . .\n"
        f"RUN pip install git+https://x-access-token:{GITHUB}@github.com/acme/tools.git\n"
        f'CMD ["sh", "-c", "OPENAI_API_KEY={OPENAI} uvicorn app.main:app --host 0.0.0.0"]\n'
    ),
    "backend/app/__init__.py": "",
    "backend/app/main.py": (
        "import os\n\n"
        "from fastapi import FastAPI\n\n"
        "app = FastAPI()\n\n\n"
        "def seed() -> None:\n"
        "    print(os.environ['DB_PASSWORD'])\n\n\n"
        'if __name__ == "__main__":\n'
        f'    os.environ["DB_PASSWORD"] = "{PASSWORD}"\n'
        "    seed()\n"
    ),
    "backend/alembic.ini": (
        "[alembic]\n"
        f"sqlalchemy.url = postgresql://notes:{DB_URL_PASSWORD}@db.internal.example.com/notes\n"
    ),
    "backend/requirements.txt": "fastapi\nuvicorn\n",
    "README.md": "# Notes\n",
}
SECRETS = (OPENAI, GITHUB, PASSWORD, DB_URL_PASSWORD)
# What every token of a provider starts with: documented, printed in rule docs, not secret.
PUBLIC_PREFIXES = ("sk-proj-", "ghp_")


def _leaks(output: str) -> list[str]:
    found = []
    for secret in SECRETS:
        public = next((p for p in PUBLIC_PREFIXES if secret.startswith(p)), "")
        for start in range(len(public), len(secret) - 7):
            if secret[start : start + 8] in output:
                found.append(f"{secret[:4]}… ({secret[start : start + 8]!r})")
                break
    return found


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
@pytest.mark.parametrize("mode", ["--check", "--write"])
def test_no_output_format_holds_a_planted_secret(
    make_repo: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    output_format: str,
    mode: str,
) -> None:
    root = make_repo(FILES)
    main([mode, "--format", output_format, "--no-color", "-v", str(root)])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Dockerfile" in output  # the findings that quote the repository are there
    assert _leaks(output) == []


def test_mask_text_masks_named_values_and_shapes_and_keeps_the_rest() -> None:
    assert OPENAI not in mask_text(f"CMD `OPENAI_API_KEY={OPENAI} uvicorn main:app`")
    assert "uvicorn main:app" in mask_text(f"CMD `OPENAI_API_KEY={OPENAI} uvicorn main:app`")
    quoted = mask_text(f'runs `os.environ["DB_PASSWORD"] = "{PASSWORD}"`')
    assert PASSWORD not in quoted and "DB_PASSWORD" in quoted
    url = mask_text(f"git+https://x-access-token:{GITHUB}@github.com/acme/tools.git")
    assert GITHUB not in url and "github.com/acme/tools.git" in url
    plain = "merged 3 line(s) from backend/requirements.txt: fastapi, uvicorn, httpx"
    assert mask_text(plain) == plain
    assert mask_text('`LOG_LEVEL=info` and `title = "Notes"`') == (
        '`LOG_LEVEL=info` and `title = "Notes"`'
    )


def test_the_redacted_patch_masks_every_secret_it_shows(
    make_repo: Callable[..., Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """--redact: not only the values HF005 moved, but a deleted Dockerfile's ENV and ARG and
    a key on a Procfile line the port fix touches."""
    root = make_repo(
        {
            **FILES,
            "backend/Dockerfile": FILES["backend/Dockerfile"]
            + f"ENV OPENAI_API_KEY={OPENAI}\nARG GITHUB_TOKEN={GITHUB}\n",
            "Procfile": f"web: DB_PASSWORD={PASSWORD} uvicorn main:app --port 8000\n",
        }
    )
    main(["--dry-run", "--redact", "--no-color", str(root)])
    out = capsysbinary.readouterr().out.decode("utf-8", "replace")
    assert "diff --git a/backend/Dockerfile" in out and "Procfile" in out
    assert _leaks(out) == []
