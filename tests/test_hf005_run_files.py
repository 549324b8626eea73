"""HF005 in the files that run the app: Procfiles, Makefiles, shell scripts, notebooks.

Keys there are reported for manual work (display-only), at the line and column they have
on disk, masked, the file left as it is; expansions and placeholders are not keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.findings import FixSafety, Status
from hffix.secrets.runfiles import is_notebook, is_run_file, notebook_secrets, run_file_secrets

OPENAI = "sk-proj-Vq3Lm8Zx2Rt7Wp4Kd9Hs1Jf6Gc0Ay5Bn"
HF = "hf_Lx4Tq9Wm2Zr7Vn1Kp6Hs3Jd8Gc0YfAbQe"
PASSWORD = "Rv8Kq3Wz6Tn1Xp4L"


def _where(text: str, value: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if value in line:
            return number, line.index(value) + 1
    raise AssertionError(value)


def _found(root: Path, **options: object) -> list[tuple[str, int, int, Status, tuple[str, ...]]]:
    result = hffix.check(root, select=["HF005"], **options)  # type: ignore[arg-type]
    assert result.error is None
    return [(f.path, f.line, f.col, f.status, f.variables) for f in result.findings]


@pytest.mark.parametrize(
    "path",
    ["Procfile", "Procfile.dev", "Makefile", "GNUmakefile", "rules.mk", "start.sh", "x/run.bash"],
)
def test_run_files_are_recognised(path: str) -> None:
    assert is_run_file(path)
    assert not is_run_file("Dockerfile") and not is_run_file("main.py")
    assert is_notebook("notebooks/a.ipynb")


@pytest.mark.parametrize(
    ("line", "variable"),
    [
        (f"web: OPENAI_API_KEY={OPENAI} uvicorn main:app", "OPENAI_API_KEY"),
        (f"web: DB_PASSWORD={PASSWORD} uvicorn main:app", "DB_PASSWORD"),
        (f"export HF_TOKEN={HF}", "HF_TOKEN"),
        (f'export DB_PASSWORD="{PASSWORD}"', "DB_PASSWORD"),
        (f"DB_PASSWORD := {PASSWORD}", "DB_PASSWORD"),
        (f"DB_PASSWORD ?= {PASSWORD}", "DB_PASSWORD"),
        (f"worker: python -m worker --api-key {PASSWORD}", "API_KEY"),
        (f"python app.py --db-password={PASSWORD}", "PASSWORD"),
        (f"# export OPENAI_API_KEY={OPENAI}", "OPENAI_API_KEY"),  # commented: committed too
        (f'curl -H "Authorization: Bearer {HF[3:]}" http://localhost', "API_TOKEN"),
    ],
)
def test_a_key_on_a_command_line_is_found_where_it_is(line: str, variable: str) -> None:
    text = f"#!/bin/sh\n{line}\n"
    [found] = run_file_secrets(text)
    secret = next(v for v in (OPENAI, HF, HF[3:], PASSWORD) if v in line)
    assert (found.line, found.col) == _where(text, secret)
    assert found.variable == variable


@pytest.mark.parametrize(
    "line",
    [
        "export OPENAI_API_KEY=$OPENAI_API_KEY",
        "export OPENAI_API_KEY=${OPENAI_API_KEY:-}",
        "TOKEN=$(cat /run/secrets/token)",
        "\tDB_PASSWORD=$(DB_PASSWORD) uvicorn main:app",
        "STAGING_TOKEN ?= $(shell cat .token)",
        "# export HF_TOKEN=hf_your_token_here",
        "export OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "uvicorn main:app --host 0.0.0.0 --port $PORT --workers 4",
        "export LOG_LEVEL=info MODEL_NAME=tiny",
        "DATABASE_URL=postgresql://postgres:postgres@localhost/app",
    ],
)
def test_expansions_placeholders_and_settings_are_not_keys(line: str) -> None:
    assert run_file_secrets(f"{line}\n") == []


def _notebook(*cells: dict[str, object], ensure_ascii: bool = False) -> str:
    document = {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1, ensure_ascii=ensure_ascii) + "\n"


def _code(source: list[str] | str) -> dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": source,
    }


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_notebook_cells_are_read_as_code_at_their_place_in_the_json(ensure_ascii: bool) -> None:
    text = _notebook(
        {"cell_type": "markdown", "metadata": {}, "source": [f"Set `{OPENAI}` first.\n"]},
        _code(
            [
                "# é, a comment before the key\n",
                f"%env OPENAI_API_KEY={OPENAI}\n",
                "import os\n",
                f'os.environ["HF_TOKEN"] = "{HF}"\n',
                f'client = make_client(password="{PASSWORD}", retries=3)\n',
                'print(os.environ["HF_TOKEN"])\n',
            ]
        ),
        ensure_ascii=ensure_ascii,
    )
    found = notebook_secrets(text)
    assert found is not None
    lines = text.splitlines()
    assert [(f.variable, lines[f.line - 1][f.col - 1 :][:8]) for f in found] == [
        ("OPENAI_API_KEY", OPENAI[:8]),
        ("HF_TOKEN", HF[:8]),
        ("PASSWORD", PASSWORD[:8]),
    ]
    assert _where(text, OPENAI)[0] != found[0].line  # not the markdown cell's mention


def test_a_cell_written_as_one_string_and_a_cell_that_does_not_parse() -> None:
    text = _notebook(
        _code(f'import os\nos.environ["HF_TOKEN"] = "{HF}"\n'),
        _code(["for x in (:\n", f'    password = "{PASSWORD}"\n']),
    )
    found = notebook_secrets(text)
    assert found is not None
    lines = text.splitlines()
    assert [lines[f.line - 1][f.col - 1 :][:8] for f in found] == [HF[:8], PASSWORD[:8]]


def test_not_a_notebook() -> None:
    assert notebook_secrets("{not json") is None
    assert notebook_secrets('{"cells": 3}') is None
    assert notebook_secrets(_notebook(_code(["x = 1\n"]))) == []


def test_reported_for_manual_work_and_nothing_changes(make_repo: Callable[..., Path]) -> None:
    files = {
        "Procfile": f"web: OPENAI_API_KEY={OPENAI} uvicorn main:app --port 8000\n",
        "scripts/start.sh": f"#!/bin/sh\nexport HF_TOKEN={HF}\nexec uvicorn main:app\n",
        "notebooks/explore.ipynb": _notebook(_code([f'password = "{PASSWORD}"\n'])),
        "tests/fixtures/run.sh": f"export HF_TOKEN={HF}\n",  # a test fixture: left alone
    }
    root = make_repo(files)
    result = hffix.fix(root, write=True, select=["HF005"])
    assert result.error is None and result.changes == []
    assert [(f.path, f.status, f.applicability, f.variables) for f in result.findings] == [
        ("Procfile", Status.MANUAL, FixSafety.DISPLAY_ONLY, ("OPENAI_API_KEY",)),
        ("notebooks/explore.ipynb", Status.MANUAL, FixSafety.DISPLAY_ONLY, ("PASSWORD",)),
        ("scripts/start.sh", Status.MANUAL, FixSafety.DISPLAY_ONLY, ("HF_TOKEN",)),
    ]
    for finding in result.findings:
        assert finding.secret
        assert not any(value[4:12] in finding.message for value in (OPENAI, HF, PASSWORD))
    for path, text in files.items():
        assert (root / path).read_text() == text


def test_the_column_is_the_one_on_disk_after_another_rule_shortened_the_line(
    make_repo: Callable[..., Path],
) -> None:
    """HF004 drops ``--port 8000`` before the key: the finding keeps the key's disk column."""
    procfile = f"web: uvicorn main:app --port 8000 --api-key {PASSWORD}\n"
    root = make_repo(
        {
            "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "requirements.txt": "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n",
            "Procfile": procfile,
        }
    )
    result = hffix.check(root)
    assert ("HF004", "Procfile") in {(f.code, f.path) for f in result.findings}
    [key] = [f for f in result.findings if f.code == "HF005"]
    assert (key.path, key.line, key.col) == ("Procfile", *_where(procfile, PASSWORD))


@pytest.mark.parametrize(
    "suppressed",
    [
        f"export HF_TOKEN={HF}  # hffix: ignore[HF005]\n",
        f"export HF_TOKEN={HF}  # pragma: allowlist secret\n",
        f"# pragma: allowlist nextline secret\nexport HF_TOKEN={HF}\n",
    ],
)
def test_suppressions(make_repo: Callable[..., Path], suppressed: str) -> None:
    assert _found(make_repo({"start.sh": suppressed})) == []


def test_a_private_key_file_is_reported(make_repo: Callable[..., Path]) -> None:
    pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFake0123456789\n-----END EC PRIVATE KEY-----\n"
    cert = "-----BEGIN CERTIFICATE-----\nMIIBfakecert\n-----END CERTIFICATE-----\n"
    root = make_repo({"certs/key.pem": pem, "certs/cert.pem": cert})
    assert _found(root) == [("certs/key.pem", 1, 1, Status.MANUAL, ("PRIVATE_KEY",))]
