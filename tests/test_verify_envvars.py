"""``hffix verify`` names the unset variable behind a failure in one line, whatever the
library that raised says (SQLAlchemy's ``Expected string or URL object, got None``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hffix.verify.envvars import Read, repository_reads, unset_variable
from tests.verify_helpers import REQUIREMENTS, verify_json

MakeRepo = Callable[..., Path]


def _event(root: Path, frames: list[tuple[str, int, str]], message: str) -> dict[str, Any]:
    return {
        "event": "import-error",
        "type": "ArgumentError",
        "message": message,
        "frames": [
            {"file": str(root / path), "line": line, "code": code} for path, line, code in frames
        ],
    }


def test_repository_reads_leave_tests_and_environments_out(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "config.py": "import os\n\nURL = os.environ.get('DATABASE_URL')\n",
            "tests/test_db.py": "import os\n\nT = os.environ['TEST_URL']\n",
            "app/check.py": "import os\nimport pytest\n\nC = os.environ['CHECK_URL']\n",
            ".venv/lib/site.py": "import os\n\nV = os.environ['VENV_ONLY']\n",
        }
    )
    assert repository_reads(root) == [Read("DATABASE_URL", "config.py", 3, False)]


def test_the_read_on_the_failing_line(make_repo: MakeRepo) -> None:
    root = make_repo({"db.py": "e = create_engine(os.environ.get('DATABASE_URL'))\n"})
    reads = [Read("DATABASE_URL", "db.py", 1, False), Read("OTHER", "db.py", 1, True)]
    event = _event(root, [("db.py", 1, "e = create_engine(...)")], "Expected string, got None")
    assert unset_variable(event, root, {}, reads) == reads[0]
    # Set, it is not the cause; and a variable with a default is unset on purpose.
    assert unset_variable(event, root, {"DATABASE_URL": "sqlite://"}, reads) is None


def test_a_name_in_the_failing_code(make_repo: MakeRepo) -> None:
    root = make_repo({"db.py": "x\n", "main.py": "y\n"})
    reads = [Read("DATABASE_URL", "config.py", 3, False), Read("DEBUG", "config.py", 4, True)]
    frames = [
        ("main.py", 1, "import db"),
        ("db.py", 5, "engine = create_engine(settings.database_url)"),
    ]
    event = _event(root, frames, "Could not parse SQLAlchemy URL from given URL string")
    assert unset_variable(event, root, {}, reads) == reads[0]


def test_about_none_with_one_candidate_only(make_repo: MakeRepo) -> None:
    root = make_repo({"app.py": "x\n"})
    one = [Read("API_BASE", "app.py", 2, False), Read("DEBUG", "app.py", 3, True)]
    frames = [("app.py", 9, "client = Client(base)")]
    event = _event(root, frames, "'NoneType' object has no attribute 'rstrip'")
    assert unset_variable(event, root, {}, one) == one[0]
    two = [*one, Read("API_KEY", "app.py", 4, False)]
    assert unset_variable(event, root, {}, two) is None  # which one: the traceback does not say
    other = _event(root, frames, "connection refused")
    assert unset_variable(other, root, {}, one) is None  # not about a missing value


SQLALCHEMY = {
    "main.py": "from fastapi import FastAPI\n\nfrom db import engine\n\napp = FastAPI()\n",
    "config.py": 'import os\n\nDATABASE_URL = os.environ.get("DATABASE_URL")\n',
    "db.py": "from sqlalchemy import create_engine\n\nfrom config import DATABASE_URL\n\n"
    "engine = create_engine(DATABASE_URL)\n",
    "requirements.txt": REQUIREMENTS + "sqlalchemy\n",
    ".env.example": "DATABASE_URL=\n",
}


@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_verify_names_the_variable_behind_sqlalchemys_error(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlalchemy")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    root = make_repo(SQLALCHEMY)
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["boot"]["failure"]["kind"] == "missing-variable"
    assert data["reason"] == (
        "DATABASE_URL is not set (read at config.py:3); set it in the Space's settings"
    )
    assert "Expected string or URL object" in data["boot"]["failure"]["detail"]
    code, data = verify_json(capsys, root, "-e", "DATABASE_URL=sqlite://")
    assert code == 0, data["reason"]


@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_verify_names_a_variable_read_without_a_default_on_the_failing_line(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DB_PORT", raising=False)
    root = make_repo(
        {
            "main.py": "import os\n\nfrom fastapi import FastAPI\n\n"
            'PORT = int(os.getenv("DB_PORT"))\napp = FastAPI()\n',
            "requirements.txt": REQUIREMENTS,
            ".env.example": "DB_PORT=\n",
        }
    )
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["reason"] == (
        "DB_PORT is not set (read at main.py:5); set it in the Space's settings"
    )
