"""HF004 on command lines: which options go, what stays, which files are read."""

from __future__ import annotations

import pytest

from hffix.rules.hf004_shell import apply, is_shell_like, port_options, removals_in_file


def fixed(text: str) -> str:
    return apply(text, port_options(text))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("uvicorn main:app --port 8000", "uvicorn main:app"),
        (
            "uvicorn main:app --host 0.0.0.0 --port=8000 --reload",
            "uvicorn main:app --host 0.0.0.0 --reload",
        ),
        ("python -m uvicorn main:app --port '8000'", "python -m uvicorn main:app"),
        (
            "poetry run uvicorn app.main:app --port 80 --workers 2",
            "poetry run uvicorn app.main:app --workers 2",
        ),
        ("fastapi run main.py -p 8000", "fastapi run main.py"),
        ("fastapi  dev main.py --port 8000", "fastapi  dev main.py"),
        (
            "gunicorn main:app -b 0.0.0.0:8000 -k uvicorn.workers.UvicornWorker",
            "gunicorn main:app -k uvicorn.workers.UvicornWorker",
        ),
        ("gunicorn main:app --bind=:8000", "gunicorn main:app"),
        ("hypercorn main:app --bind [::]:8000", "hypercorn main:app"),
        ("granian --interface asgi main:app --port 8000", "granian --interface asgi main:app"),
        ("uvicorn main:app --port 8000 && echo --port 9", "uvicorn main:app && echo --port 9"),
        ("uvicorn main:app --port 8000 & sleep 1", "uvicorn main:app & sleep 1"),
        ("uvicorn main:app --port 8000 # local", "uvicorn main:app # local"),
        (
            "exec uvicorn main:app \\\n    --port 8000 \\\n    --reload\n",
            "exec uvicorn main:app \\\n    --reload\n",
        ),
        ("exec uvicorn main:app \\\n  --port 8000\nnext\n", "exec uvicorn main:app\nnext\n"),
        ("uvicorn main:app --port 8000\r\nexit 0\r\n", "uvicorn main:app\r\nexit 0\r\n"),
    ],
)
def test_removed(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    "text",
    [
        "uvicorn main:app --host 0.0.0.0 --port $PORT",
        "uvicorn main:app --port ${PORT:-7860}",
        "uvicorn main:app --port=$(PORT)",
        "gunicorn main:app -b 0.0.0.0:$PORT",
        "gunicorn main:app --bind unix:/tmp/app.sock",
        "gunicorn main:app -p app.pid",
        "celery -A tasks worker --port 8000",
        "python manage.py runserver 0.0.0.0:8000",
        "echo 'run uvicorn' --port 8000",
        "docker run -p 8000:8000 image",
        "my-uvicorn-wrapper --port 8000",
    ],
)
def test_left_alone(text: str) -> None:
    assert port_options(text) == []


def test_removal_describes_the_option() -> None:
    found = port_options("uvicorn main:app \\\n  --port 8000")
    assert [(r.option, r.command) for r in found] == [("--port 8000", "uvicorn")]


def test_package_json_scripts_keep_json_valid() -> None:
    text = (
        '{\n  "scripts": {\n    "dev": "uvicorn main:app --reload --port 8000",\n'
        '    "port": "--port 8000"\n  }\n}\n'
    )
    removals = removals_in_file("package.json", text)
    assert removals is not None and len(removals) == 1
    assert apply(text, removals) == text.replace(' --port 8000"', '"', 1)


def test_pyproject_strings_only() -> None:
    text = (
        '[tool.poe.tasks]\ndev = "uvicorn main:app --port 8000"\n'
        "serve = { cmd = 'hypercorn main:app --bind 0.0.0.0:8000' }\n"
        "# uvicorn main:app --port 8000 in a comment stays\n"
    )
    removals = removals_in_file("pyproject.toml", text)
    assert removals is not None
    assert apply(text, removals) == (
        '[tool.poe.tasks]\ndev = "uvicorn main:app"\n'
        "serve = { cmd = 'hypercorn main:app' }\n"
        "# uvicorn main:app --port 8000 in a comment stays\n"
    )


@pytest.mark.parametrize(
    ("path", "head", "executable", "expected"),
    [
        ("Procfile", "", False, True),
        ("Procfile.dev", "", False, True),
        ("scripts/start.sh", "", False, True),
        ("Makefile", "", False, True),
        ("tox.ini", "", False, True),
        ("start", "", False, True),
        ("bin/launch", "#!/usr/bin/env bash\n", True, True),
        ("bin/launch", "#!/usr/bin/env bash\n", False, False),
        ("bin/tool", "#!/usr/bin/env python3\n", True, False),
        ("README.md", "", False, False),
        ("main.py", "", False, False),
    ],
)
def test_shell_like(path: str, head: str, executable: bool, expected: bool) -> None:
    assert is_shell_like(path, head, executable) is expected


def test_unknown_files_are_not_read() -> None:
    assert removals_in_file("README.md", "uvicorn main:app --port 8000") is None
    assert removals_in_file("package.json", "{ not json") is None
