"""Dotenv files: entries, .env.example with names only, .gitignore entries."""

from __future__ import annotations

import pytest

from hffix import envfile


def test_entries_understand_export_quotes_and_comments() -> None:
    text = (
        "# comment\n"
        "export OPENAI_API_KEY='sk-FAKE'\n"
        'DATABASE_URL="postgresql://u:p@h/db"  \n'
        "DEBUG=1 # inline\n"
        "# SENTRY_DSN=\n"
        "not a line\n"
    )
    found = [(e.line, e.name, e.value) for e in envfile.entries(text)]
    assert found == [
        (2, "OPENAI_API_KEY", "sk-FAKE"),
        (3, "DATABASE_URL", "postgresql://u:p@h/db"),
        (4, "DEBUG", "1"),
    ]
    assert envfile.declared_names(text) == {
        "OPENAI_API_KEY",
        "DATABASE_URL",
        "DEBUG",
        "SENTRY_DSN",
    }


@pytest.mark.parametrize(
    ("path", "dotenv", "example"),
    [
        (".env", True, False),
        ("backend/.env", True, False),
        (".env.local", True, False),
        (".env.production", True, False),
        (".env.example", False, True),
        (".env.sample", False, True),
        ("env.py", False, False),
        (".envrc", False, False),
    ],
)
def test_kinds(path: str, dotenv: bool, example: bool) -> None:
    assert envfile.is_dotenv(path) is dotenv
    assert envfile.is_example(path) is example


def test_new_example_lists_names_sorted_without_platform_variables() -> None:
    text = envfile.updated_example(None, {"SECRET_KEY", "DATABASE_URL", "PORT"})
    assert text == "DATABASE_URL=\nSECRET_KEY=\n"


def test_existing_example_keeps_its_lines_and_newlines() -> None:
    current = "# Settings\r\nDATABASE_URL=postgresql://localhost/app\r\n# SENTRY_DSN=\r\nDEBUG=1"
    text = envfile.updated_example(
        current, {"DATABASE_URL", "SENTRY_DSN", "OPENAI_API_KEY", "DEBUG"}, "\r\n"
    )
    assert text == current + "\r\nOPENAI_API_KEY=\r\n"


def test_complete_example_is_left_alone() -> None:
    assert envfile.updated_example("A=\nB=x\n", {"A", "B"}) is None


def test_blank_values_keeps_names_and_line_endings() -> None:
    text = "A=1\r\nOPENAI_API_KEY=sk-FAKE\r\nexport B = 'x'\n"
    assert envfile.blank_values(text, [2, 3]) == "A=1\r\nOPENAI_API_KEY=\r\nexport B =\n"


@pytest.mark.parametrize(
    ("current", "paths", "expected"),
    [
        (None, [".env"], ".env\n"),
        ("__pycache__/\n", [".env", "backend/.env"], "__pycache__/\n.env\n"),
        ("__pycache__/", [".env.local"], "__pycache__/\n.env.local\n"),
        (".env\n", [".env", "api/.env"], None),
        ("*.env\n.env*\n", [".env"], "*.env\n.env*\n!.env.example\n"),
    ],
)
def test_gitignore(current: str | None, paths: list[str], expected: str | None) -> None:
    assert envfile.updated_gitignore(current, paths) == expected
