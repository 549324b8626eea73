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


def _listed(*names: str, secret: bool = False) -> list[envfile.Listed]:
    return [envfile.Listed(name, secret=secret, where=("main.py:3",)) for name in names]


def test_new_example_groups_secrets_first_without_platform_variables() -> None:
    listed = [
        envfile.Listed("SECRET_KEY", secret=True, where=("config.py:4", "auth.py:2")),
        envfile.Listed("DATABASE_URL", secret=True, where=("db.py:3",)),
        envfile.Listed("DEBUG", where=("config.py:5",), default=True),
        envfile.Listed("PORT", where=("main.py:9",)),  # the Space sets it
        envfile.Listed("SPACE_ID", where=("main.py:10",)),
    ]
    text = envfile.updated_example(None, listed)
    assert text == (
        f"{envfile.HEADER}\n\n"
        f"{envfile.SECRETS_HEADING}\n"
        "# read at db.py:3; no default: the app needs it\nDATABASE_URL=\n"
        "# read at config.py:4, auth.py:2; no default: the app needs it\nSECRET_KEY=\n\n"
        f"{envfile.VARIABLES_HEADING}\n"
        "# read at config.py:5; has a default\nDEBUG=\n"
    )
    # Only names: the comments declare none, so a second run finds the file complete.
    assert envfile.declared_names(text) == {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    assert envfile.updated_example(text, listed) is None


def test_many_places_are_counted_not_listed() -> None:
    places = tuple(f"m{i}.py:1" for i in range(5))
    [comment, line] = envfile.example_lines([envfile.Listed("A", where=places)])[1:]
    assert comment == "# read at m0.py:1, m1.py:1, m2.py:1 and 2 more; no default: the app needs it"
    assert line == "A="


def test_existing_example_keeps_its_lines_and_newlines() -> None:
    current = "# Settings\r\nDATABASE_URL=postgresql://localhost/app\r\n# SENTRY_DSN=\r\nDEBUG=1"
    listed = _listed("DATABASE_URL", "SENTRY_DSN", "OPENAI_API_KEY", "DEBUG")
    text = envfile.updated_example(current, listed, "\r\n")
    assert text == (
        current + "\r\n\r\n"
        f"{envfile.VARIABLES_HEADING}\r\n"
        "# read at main.py:3; no default: the app needs it\r\nOPENAI_API_KEY=\r\n"
    )


def test_complete_example_is_left_alone() -> None:
    assert envfile.updated_example("A=\nB=x\n", _listed("A", "B")) is None


@pytest.mark.parametrize(
    ("text", "has_python", "frontend"),
    [
        ("NEXT_PUBLIC_API_URL=https://api.example.com\nVITE_MODE=prod\n", False, True),
        ("REACT_APP_TITLE=x\n# a comment\n", False, True),
        ("NEXT_PUBLIC_API_URL=x\nDATABASE_URL=postgresql://u:p@h/db\n", False, False),
        ("VITE_MODE=prod\n", True, False),  # Python beside it: the backend's folder
        ("# nothing set\n", False, False),
    ],
)
def test_frontend_env_files(text: str, has_python: bool, frontend: bool) -> None:
    assert envfile.is_frontend_env(text, has_python=has_python) is frontend


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
