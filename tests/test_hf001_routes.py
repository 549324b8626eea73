"""Every corpus ``after/`` tree serves the same app as its ``before/`` tree.

The fixed tree is imported the way a Space imports it: a fresh interpreter whose working
folder is a temporary copy of the tree, ``import main; main.app``. The original is imported
the way its run command did, as ``case.toml``'s ``[routes]`` table says::

    [routes]
    cwd = "backend"            # working folder, relative to before/ (default: the root)
    app = "app.main:app"       # MODULE:ATTR imported from there, like `uvicorn app.main:app`
    factory = true             # ATTR is a factory (`uvicorn --factory`)
    pythonpath = ["src"]       # more folders on sys.path (PYTHONPATH, --app-dir)
    run = "main.py"            # instead of app: run this file as a script; the app is what
                               # it hands to uvicorn.run
    env = { NAME = "value" }   # environment variables the import needs
    skip = "why"               # the case has no app to compare

Both sides report their routes (path and method, mounted apps and websockets included)
and the lists must be equal. ``uvicorn.run`` and ``uvicorn.Server`` are replaced by no-ops
in the interpreter, so importing code that starts a server does not start one.

The fixed tree gets a placeholder for each variable ``hffix --check`` lists for the
original (secrets HF005 moves to the environment), as a Space gets them from its settings.
Cases without a ``[routes]`` table (other rules' cases) are compared with the original
imported as ``main:app`` from the root; when that original cannot be imported here (a
third-party module the test environment lacks, no ``main.app`` at all) the case is skipped
with the reason, because there is nothing to compare with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import tomlkit

import hffix
from tests.conftest import CORPUS, copy_tree

DRIVER = r"""
import importlib, json, os, runpy, sys

spec = json.loads(sys.argv[1])
captured = []


def _install_fakes():
    try:
        import uvicorn
    except ImportError:
        return

    def run(app, *args, **kwargs):
        captured.append((app, kwargs.get("factory", False)))

    class Server:
        def __init__(self, config):
            captured.append((config.app, getattr(config, "factory", False)))

        def run(self, *args, **kwargs):
            return None

        async def serve(self, *args, **kwargs):
            return None

    uvicorn.run = run
    uvicorn.Server = Server
    try:
        import uvicorn.main

        uvicorn.main.run = run
    except ImportError:
        pass


def _load(reference, factory):
    module, _, attr = reference.partition(":")
    value = getattr(importlib.import_module(module), attr)
    return value() if factory else value


def _flat(routes):
    # (original route, effective path, methods); newer FastAPI keeps included routers as
    # lazy entries whose routes only its iter_route_contexts lists.
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return [(r, getattr(r, "path", None), getattr(r, "methods", None)) for r in routes]
    return [(c.original_route, c.path, c.methods) for c in iter_route_contexts(list(routes))]


def _routes(app, prefix, out, depth=0):
    from starlette.routing import Host, Mount, WebSocketRoute

    while not hasattr(app, "routes") and hasattr(app, "app") and depth < 20:
        app = app.app
        depth += 1
    for route, path, methods in _flat(getattr(app, "routes", None) or []):
        if path is None:
            raise SystemExit(f"a route without a path: {route!r}")
        path = prefix + path
        if isinstance(route, Mount):
            out.append([path, "MOUNT"])
            _routes(route.app, path, out, depth + 1)
        elif isinstance(route, Host):
            _routes(route.app, prefix, out, depth + 1)
        elif isinstance(route, WebSocketRoute):
            out.append([path, "WEBSOCKET"])
        else:
            for method in sorted(methods or ["ANY"]):
                out.append([path, method])


_install_fakes()
for folder in reversed(spec.get("paths", [])):
    sys.path.insert(0, os.path.abspath(folder))
if spec.get("run"):
    script = os.path.abspath(spec["run"])
    sys.path.insert(0, os.path.dirname(script))
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")
    if not captured:
        raise SystemExit("the script did not start a server")
    app, factory = captured[0]
    app = _load(app, factory) if isinstance(app, str) else app
else:
    app = _load(spec["app"], spec.get("factory", False))
found = []
_routes(app, "", found)
print("ROUTES=" + json.dumps(sorted(found)))
"""


@dataclass(frozen=True)
class RouteCase:
    name: str
    folder: Path
    table: dict[str, Any] = field(default_factory=dict)

    @property
    def explicit(self) -> bool:
        return bool(self.table)

    @property
    def fixed(self) -> Path:
        after = self.folder / "after"
        return after if after.exists() else self.folder / "before"


def load_cases() -> list[RouteCase]:
    cases = []
    for folder in sorted(CORPUS.iterdir()):
        spec_file = folder / "case.toml"
        if not spec_file.exists():
            continue
        spec = tomlkit.parse(spec_file.read_text(encoding="utf-8")).unwrap()
        table = spec.get("routes", {})
        case = RouteCase(folder.name, folder, table)
        if case.explicit or (case.fixed / "main.py").exists():
            cases.append(case)
    return cases


CASES = load_cases()


@dataclass(frozen=True)
class Imported:
    routes: list[list[str]] | None
    error: str


def placeholder(name: str) -> str:
    """A value a Space secret could have: a SQLite URL for database URLs, a dummy otherwise."""
    upper = name.upper()
    if "DATABASE" in upper or upper.endswith(("DB_URL", "_DSN")):
        return "sqlite://"
    if upper.endswith(("_URL", "_URI", "HOST")):
        return "http://127.0.0.1:9"
    return "placeholder-for-tests"


def secrets_for(before: Path) -> dict[str, str]:
    """The variables the fixed code reads that the original had in its code (HF005 moves
    secrets to the environment), as the user sets them in the Space's settings."""
    return {name: placeholder(name) for name in hffix.check(before).variables}


def _environment(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def import_app(tree: Path, cwd: str, spec: dict[str, Any], env: dict[str, str]) -> Imported:
    """Routes of the app ``spec`` names, imported in a fresh interpreter from ``tree/cwd``."""
    proc = subprocess.run(
        [sys.executable, "-B", "-c", DRIVER, json.dumps(spec)],
        cwd=tree / cwd,
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("ROUTES="):
            return Imported(json.loads(line[len("ROUTES=") :]), "")
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return Imported(None, lines[-1] if lines else f"exit status {proc.returncode}")


def _original_spec(table: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    spec: dict[str, Any] = {"paths": list(table.get("pythonpath", []))}
    if "run" in table:
        spec["run"] = table["run"]
    else:
        spec["app"] = table.get("app", "main:app")
        spec["factory"] = bool(table.get("factory", False))
    return str(table.get("cwd", ".")), spec


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixed_tree_serves_the_same_routes(case: RouteCase, tmp_path: Path) -> None:
    if "skip" in case.table:
        pytest.skip(str(case.table["skip"]))
    env = {str(k): str(v) for k, v in case.table.get("env", {}).items()}
    before = copy_tree(case.folder / "before", tmp_path / "before")
    cwd, spec = _original_spec(case.table)
    original = import_app(before, cwd, spec, env)
    if original.routes is None:
        if case.explicit:
            pytest.fail(f"the original app does not import as [routes] says: {original.error}")
        pytest.skip(f"the original cannot be imported here: {original.error}")
    fixed_tree = copy_tree(case.fixed, tmp_path / "after")
    fixed = import_app(fixed_tree, ".", {"app": "main:app"}, {**secrets_for(before), **env})
    assert fixed.routes is not None, f"`import main; main.app` fails: {fixed.error}"
    assert fixed.routes == original.routes
    assert original.routes, "the app has no routes, so the comparison proves nothing"


def test_every_hf001_case_says_how_its_app_was_started() -> None:
    names = {c.name for c in CASES if c.explicit}
    hf001 = {p.name for p in CORPUS.iterdir() if p.name.startswith("hf001-")}
    assert hf001 <= names
    assert len(hf001) >= 15


def test_the_driver_sees_a_broken_tree(tmp_path: Path) -> None:
    """The comparison can fail: a tree whose main.py lost a route is told apart."""
    good = tmp_path / "good"
    good.mkdir()
    (good / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/a')\ndef a():\n    return 1\n"
        "@app.post('/b')\ndef b():\n    return 2\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/a')\ndef a():\n    return 1\n",
        encoding="utf-8",
    )
    (good / "items.py").write_text(
        "from fastapi import APIRouter\nrouter = APIRouter(prefix='/items')\n"
        "@router.delete('/{item_id}')\ndef drop(item_id: int):\n    return item_id\n",
        encoding="utf-8",
    )
    with (good / "main.py").open("a", encoding="utf-8") as handle:
        handle.write("from items import router\napp.include_router(router)\n")
    spec = {"app": "main:app"}
    good_routes = import_app(good, ".", spec, {}).routes
    bad_routes = import_app(bad, ".", spec, {}).routes
    assert good_routes is not None and bad_routes is not None
    assert ["/b", "POST"] in good_routes
    assert ["/items/{item_id}", "DELETE"] in good_routes  # routes of included routers count
    assert good_routes != bad_routes
    missing = import_app(tmp_path, "bad", {"app": "nothing:app"}, {})
    assert missing.routes is None and "nothing" in missing.error
