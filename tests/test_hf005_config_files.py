"""HF005 in configuration files: recognisable secrets reported, never rewritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import hffix
from hffix.findings import Status

KEY = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
NEON = "postgresql://neondb_owner:npg_FAKEGdv5fXSM@ep-fake-123456.us-east-2.aws.neon.tech/neondb"


def test_config_files_are_reported_not_changed(make_repo: Callable[..., Path]) -> None:
    files = {
        "alembic.ini": f"[alembic]\nscript_location = alembic\nsqlalchemy.url = {NEON}\n",
        "config.yaml": f'llm:\n  model: gpt-4o\n  api_key: "{KEY}"\n',
        "settings.json": '{"db": "sqlite:///x.db", "api_key": "<your-key>"}\n',
        "package-lock.json": f'{{"token": "{KEY}"}}\n',
        "tests/fixtures/config.yaml": f"api_key: {KEY}\n",
    }
    root = make_repo(files)
    result = hffix.fix(root, write=True, select=["HF005"])
    found = [(f.path, f.line, f.status, f.variables) for f in result.findings]
    assert found == [
        ("alembic.ini", 3, Status.MANUAL, ("DATABASE_URL",)),
        ("config.yaml", 3, Status.MANUAL, ("OPENAI_API_KEY",)),
    ]
    assert all(KEY not in f.message and "npg_FAKE" not in f.message for f in result.findings)
    assert result.changes == []
    for path, text in files.items():
        assert (root / path).read_text() == text


def test_config_file_suppression(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"config.yaml": f"api_key: {KEY}  # pragma: allowlist secret\n"})
    assert hffix.fix(root, select=["HF005"]).findings == []
