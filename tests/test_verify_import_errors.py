"""`hffix verify` explains the import errors of a module found under the wrong name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hffix.verify import explain
from hffix.verify.explain import Context

MakeRepo = Callable[..., Path]


def _event(root: Path, message: str, frame: str = "main.py") -> dict[str, Any]:
    frames = [{"file": str(root / frame), "line": 7, "code": ""}]
    return {"event": "import-error", "type": "ImportError", "message": message, "frames": frames}


def test_a_namespace_folder_that_lost_to_a_package_of_the_same_name(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"main.py": "", "src/__init__.py": "", "src/main.py": "", "backend/src/main.py": ""}
    )
    message = f"cannot import name 'app' from 'src.main' ({root / 'src' / 'main.py'})"
    failure = explain.exception(_event(root, message), Context(root), "import")
    assert failure.kind == "import-error"
    assert failure.reason.startswith(
        "main.py:7: `from src.main import app` found src/main.py, but the app's `src.main` is "
        "backend/src/main.py: a folder without __init__.py loses to a package or module"
    )


def test_the_app_module_importing_main_gets_the_root_main_py(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "", "backend/main.py": "", "backend/routers/polls.py": ""})
    message = (
        "cannot import name 'TITLE' from partially initialized module 'main' (most likely due "
        f"to a circular import) ({root / 'main.py'})"
    )
    event = _event(root, message, "backend/routers/polls.py")
    failure = explain.exception(event, Context(root), "import")
    assert failure.reason == (
        "backend/routers/polls.py:7: a module of the app imports `TITLE` from `main`, which is "
        "now the root main.py (half-run: a circular import); the app's own module must be "
        "`main`: run hffix --write, which loads it under that name"
    )


def test_other_import_errors_keep_the_plain_explanation(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "", "lib.py": ""})
    for message in (
        f"cannot import name 'x' from 'lib' ({root / 'lib.py'})",  # no other lib.py
        "cannot import name 'x' from 'json' (/usr/lib/python3/json/__init__.py)",
        "something else went wrong",
    ):
        failure = explain.exception(_event(root, message), Context(root), "import")
        assert failure.reason == f"main.py:7: ImportError: {message} (raised while importing main)"
