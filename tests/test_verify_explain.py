"""The one-line explanations, from the events the booted app reports (no server started)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hffix.verify import explain
from hffix.verify.explain import Context

MakeRepo = Callable[..., Path]


def _event(root: Path, kind: str, message: str, **extra: Any) -> dict[str, Any]:
    frames = extra.pop("frames", [{"file": str(root / "main.py"), "line": 3, "code": ""}])
    return {"event": "import-error", "type": kind, "message": message, "frames": frames, **extra}


def test_missing_module_listed_but_not_installed(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "import yaml\n", "requirements.txt": "fastapi\nPyYAML>=6\n"})
    event = _event(root, "ModuleNotFoundError", "No module named 'yaml'", module="yaml")
    ctx = Context(root, python="/usr/bin/python3")
    failure = explain.exception(event, ctx, "import")
    assert failure.kind == "missing-module"
    assert failure.reason == (
        "module 'yaml' not found (imported at main.py:3) in /usr/bin/python3; "
        "requirements.txt lists PyYAML: install it there or run with --install"
    )


def test_missing_module_names_the_distribution(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "", "requirements.txt": "fastapi\n"})
    event = _event(root, "ModuleNotFoundError", "No module named 'jose'", module="jose.jwt")
    failure = explain.exception(event, Context(root), "import")
    assert failure.reason == (
        "module 'jose.jwt' not found (imported at main.py:3); add python-jose to requirements.txt"
    )
    unknown = _event(root, "ModuleNotFoundError", "x", module="zz_not_a_module_anywhere")
    assert explain.exception(unknown, Context(root), "import").reason.endswith(
        "; add its distribution to requirements.txt"
    )


def test_missing_module_with_a_wrong_requirement_name(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "", "requirements.txt": "fastapi\njose\n"})
    event = _event(root, "ModuleNotFoundError", "No module named 'jose'", module="jose")
    failure = explain.exception(event, Context(root, installed=True), "import")
    assert failure.reason == (
        "module 'jose' not found (imported at main.py:3): requirements.txt lists jose, "
        "but 'jose' comes from python-jose; replace it"
    )


def test_missing_module_named_like_its_requirement(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "import httpx\n", "requirements.txt": "fastapi\nhttpx==0.27\n"})
    event = _event(root, "ModuleNotFoundError", "No module named 'httpx'", module="httpx")
    failure = explain.exception(event, Context(root, python="py"), "import")
    assert failure.reason == (
        "module 'httpx' not found (imported at main.py:3) in py; requirements.txt lists "
        "httpx: install it there or run with --install"
    )
    installed = explain.exception(event, Context(root, installed=True), "import")
    assert "although requirements.txt installed httpx" in installed.reason


def test_missing_submodule_of_a_first_party_package(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "", "app/__init__.py": "", "requirements.txt": ""})
    event = _event(root, "ModuleNotFoundError", "No module named 'app.core'", module="app.core")
    failure = explain.exception(event, Context(root), "import")
    assert "'app' is in the repository but has no 'core'" in failure.reason


def test_missing_module_wrapped_in_another_exception(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": ""})
    event = _event(
        root,
        "RuntimeError",
        "install the extra",
        causes=[{"type": "ModuleNotFoundError", "message": "...", "module": "redis"}],
    )
    failure = explain.exception(event, Context(root), "import")
    assert failure.kind == "missing-module"
    assert failure.reason.startswith("module 'redis' not found")


@pytest.mark.parametrize(
    ("kind", "message", "extra", "expected"),
    [
        ("KeyError", "'DATABASE_URL'", {"key": "DATABASE_URL"}, "DATABASE_URL"),
        (
            "ValidationError",
            "1 validation error for Settings\nopenai_api_key\n  Field required [type=missing]",
            {},
            "OPENAI_API_KEY",
        ),
        ("RuntimeError", "BETTER_AUTH_SECRET is not set", {}, "BETTER_AUTH_SECRET"),
        ("ValueError", "HTTP error: not found", {}, None),
        ("KeyError", "'user'", {"key": "user"}, None),
    ],
)
def test_missing_variable_detection(
    make_repo: MakeRepo, kind: str, message: str, extra: dict[str, Any], expected: str | None
) -> None:
    root = make_repo({"main.py": ""})
    frames = [{"file": str(root / "main.py"), "line": 1, "code": "os.environ[name]"}]
    event = _event(root, kind, message, frames=frames, **extra)
    assert explain.missing_variable(event, Context(root)) == expected


def test_variable_not_reported_when_it_is_set(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": ""})
    event = _event(root, "KeyError", "'TOKEN_X'", key="TOKEN_X")
    ctx = Context(root, environment={"TOKEN_X": "set"}, example_names=["TOKEN_X"])
    assert explain.missing_variable(event, ctx) is None


def test_variable_reason_with_and_without_listing(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": ""})
    listed = Context(root, example_names=["DATABASE_URL"], example_file=".env.example")
    assert explain.variable_reason("DATABASE_URL", listed, "db.py:4") == (
        "set DATABASE_URL, listed in .env.example (read at db.py:4)"
    )
    unlisted = explain.variable_reason("API_TOKEN", Context(root), "")
    assert unlisted.startswith("set API_TOKEN; it is not listed in .env.example")


def test_frames_outside_the_repository_are_not_blamed(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"main.py": "", ".venv/lib/x.py": ""})
    frames = [
        {"file": str(root / "main.py"), "line": 7},
        {"file": str(root / ".venv/lib/x.py"), "line": 1},
        {"file": "<frozen os>", "line": 679},
        {"file": str(tmp_path / "elsewhere.py"), "line": 2},
    ]
    assert explain.repository_frame(root, {"frames": frames}) == ("main.py", 7)


def test_no_app_hints(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": ""})
    factory = {
        "event": "no-app",
        "module": "main",
        "attribute": "app",
        "candidates": ["create_app()"],
    }
    reason = explain.no_app(factory, Context(root)).reason
    assert reason == (
        "main.py has no attribute app; it defines create_app(): add `app = create_app()` "
        "(or run hffix --write)"
    )
    bare = {"event": "no-app", "module": "main", "attribute": "app", "candidates": []}
    assert explain.no_app(bare, Context(root)).reason == (
        "main.py has no attribute app (or run hffix --write)"
    )


def test_uvicorn_missing(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": ""})
    event = {"event": "no-uvicorn", "type": "ModuleNotFoundError", "message": "x"}
    installed = explain.from_events([event], Context(root, installed=True))
    assert installed is not None
    assert installed.reason.startswith("uvicorn is not installed by requirements.txt")
    here = explain.from_events([event], Context(root, python="/opt/py"))
    assert here is not None and here.reason.startswith("uvicorn is not installed in /opt/py")


def test_died_and_timed_out(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": ""})
    died = explain.died(-9, "Traceback...\nMemoryError\n\n")
    assert (
        died.reason
        == "the server process exited with signal SIGKILL before it was ready: MemoryError"
    )
    ctx = Context(root, timeout=5)
    importing = explain.timed_out([{"event": "listening"}], ctx, "", "")
    assert importing.reason.startswith("importing main did not finish within 5 s")
    port = explain.timed_out([], ctx, "OSError: [Errno 98] Address already in use", "")
    assert port.kind == "port-at-import"
    startup = explain.timed_out([{"event": "imported"}], ctx, "", "")
    assert startup.reason.startswith("startup did not finish within 5 s")


def test_request_error_for_the_probed_path(make_repo: MakeRepo) -> None:
    root = make_repo({"routes.py": ""})
    frames = [{"file": str(root / "routes.py"), "line": 12}]
    events = [
        {"event": "exception", "phase": "request", "path": "/other", "type": "E", "message": "x"},
        {
            "event": "exception",
            "phase": "request",
            "path": "/",
            "type": "KeyError",
            "message": "'OPENAI_API_KEY'",
            "key": "OPENAI_API_KEY",
            "frames": [{**frames[0], "code": "os.environ['OPENAI_API_KEY']"}],
        },
    ]
    ctx = Context(root, example_names=["OPENAI_API_KEY"])
    assert explain.request_error(events, "/", ctx) == (
        "set OPENAI_API_KEY, listed in .env.example (read at routes.py:12)"
    )
    assert explain.request_error(events, "/missing", ctx) == ""
