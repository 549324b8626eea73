"""Property-based tests: generated FastAPI repositories, every rule, the invariants that matter.

For each generated repository: hffix does not crash; every Python file it writes parses;
the ``--dry-run`` patch applied with ``git apply`` equals ``--write``; a second run changes
nothing; files outside the change set are byte-identical; and the app still serves the
routes it was written with.

Profiles (``HYPOTHESIS_PROFILE``): ``ci`` (the default, 2,000 repositories) and ``long``.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hffix
from tests.conftest import copy_tree, git_apply, non_server_imports, snapshot

settings.register_profile(
    "ci",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=20000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

IMPORT_FORMS = {
    "plain": ("import uvicorn", "uvicorn.run"),
    "alias": ("import uvicorn as uv", "uv.run"),
    "from": ("from uvicorn import run", "run"),
    "from-alias": ("from uvicorn import run as serve", "serve"),
}


SPEC_REQUIREMENTS = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"


@dataclass(frozen=True)
class Module:
    text: str
    routes: frozenset[tuple[str, str]]


names = st.sampled_from(["alpha", "beta", "gamma", "delta", "items", "users", "health"])
spacing = st.sampled_from(["", " "])
comments = st.sampled_from(["", "  # start", "  # hffix: ignore[HF005]", "  # noqa"])


@st.composite
def server_call(draw: st.DrawFn, call: str) -> str:
    sp = draw(spacing)
    args = draw(
        st.sampled_from(
            [
                "app",
                '"main:app"',
                'app, host="0.0.0.0", port=8000',
                "app, port=int(os.environ.get('PORT', 7860))",
                '"main:app", reload=True',
            ]
        )
    )
    return f"{call}({sp}{args}{sp}){draw(comments)}"


@st.composite
def main_block(draw: st.DrawFn, call: str, indent: str) -> list[str]:
    lines = ['if __name__ == "__main__":', indent + "pass"]
    body = draw(
        st.lists(
            st.sampled_from(["call", "work", "print", "port", "comment", "nested", "async"]),
            min_size=1,
            max_size=5,
        )
    )
    for kind in body:
        if kind == "call":
            lines.append(indent + draw(server_call(call)))
        elif kind == "work":
            lines.append(indent + "init_db()")
        elif kind == "print":
            lines.append(indent + 'print("starting")')
        elif kind == "port":
            lines.append(indent + "port = 8000")
        elif kind == "comment":
            lines.append(indent + "# local runs only")
        elif kind == "async":
            lines.append(indent + "asyncio.run(warm_up())")
        else:
            lines.append(indent + "if DEBUG:")
            lines.append(indent * 2 + draw(server_call(call)))
            lines.append(indent + "else:")
            lines.append(indent * 2 + "pass")
    return lines


@st.composite
def modules(draw: st.DrawFn) -> Module:
    form = draw(st.sampled_from(sorted(IMPORT_FORMS)))
    import_line, call = IMPORT_FORMS[form]
    indent = draw(st.sampled_from(["    ", "\t", "  "]))
    lines = ["import asyncio", "import os", import_line, "from fastapi import FastAPI", ""]
    lines += ["DEBUG = False", "", "", "def init_db():", f"{indent}return None", ""]
    lines += ["", "async def warm_up():", f"{indent}return None", ""]
    if draw(st.booleans()):
        lines += ['USAGE = """', 'if __name__ == "__main__":', "    uvicorn.run(app)", '"""']
    lines += ["", "app = FastAPI()", ""]
    routes: set[tuple[str, str]] = set()
    for name in draw(st.lists(names, min_size=1, max_size=4, unique=True)):
        method = draw(st.sampled_from(["get", "post", "delete"]))
        routes.add((method.upper(), f"/{name}"))
        lines += ["", f'@app.{method}("/{name}")', f"def {method}_{name}():"]
        lines += [f'{indent}return {{"name": "{name}"}}', ""]
    for _ in range(draw(st.integers(0, 2))):
        chunk = draw(st.sampled_from(["function", "comment", "blank", "secret", "port"]))
        if chunk == "function":
            lines += ["", "def start():", indent + draw(server_call(call)), ""]
        elif chunk == "comment":
            lines.append("# " + draw(names))
        elif chunk == "blank":
            lines.append("")
        elif chunk == "secret":
            lines.append('OPENAI_API_KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"')
        else:
            lines.append("PORT = 8000")
    if draw(st.booleans()):
        lines += ["", "", *draw(main_block(call, indent))]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return Module(text, frozenset(routes))


@contextlib.contextmanager
def repository(module: Module, bom: bool) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hffix-prop-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        data = module.text.encode("utf-8")
        (root / "main.py").write_bytes(b"\xef\xbb\xbf" + data if bom else data)
        (root / "requirements.txt").write_text(
            "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"
        )
        yield root


def parses(data: bytes) -> bool:
    try:
        ast.parse(data.decode("utf-8-sig"))
    except SyntaxError:
        return False
    return True


@given(module=modules(), bom=st.booleans(), unsafe=st.booleans())
def test_invariants(module: Module, bom: bool, unsafe: bool) -> None:
    with repository(module, bom) as root:
        before = snapshot(root)
        planned = hffix.check(root, unsafe_fixes=unsafe)
        assert planned.error is None, planned.traceback or planned.error
        assert snapshot(root) == before, "check wrote to disk"
        patched = copy_tree(root, root.parent / "patched")
        git_apply(patched, planned.patch)
        written = hffix.fix(root, write=True, unsafe_fixes=unsafe)
        assert written.error is None, written.traceback or written.error
        after = snapshot(root)
        assert snapshot(patched) == after, "the patch and --write disagree"
        touched = {p for c in written.changes for p in (c.old_path, c.new_path) if p}
        for path, content in before.items():
            if path not in touched:
                assert after.get(path) == content, f"{path} changed outside the change set"
        for path, (data, _) in after.items():
            if path.endswith(".py") and parses(before.get(path, (data, False))[0]):
                assert parses(data), f"{path} no longer parses"
        again = hffix.fix(root, write=True, unsafe_fixes=unsafe)
        assert again.error is None and again.changes == [], "the second run changed something"


def load_app(path: Path) -> ModuleType:
    name = f"hffix_property_app_{abs(hash(path))}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(max_examples=150)
@given(module=modules())
def test_route_table_survives(module: Module) -> None:
    with repository(module, bom=False) as root:
        result = hffix.fix(root, write=True, unsafe_fixes=True)
        assert result.error is None
        entry = root / "main.py"
        with mock.patch("uvicorn.run", side_effect=AssertionError("a server was started")):
            app = load_app(entry).app
        served = {
            (method, route.path)
            for route in app.routes
            for method in getattr(route, "methods", ()) or ()
            if route.path in {path for _, path in module.routes}
        }
        assert served == set(module.routes)


# ---------------------------------------------------------------- repository shapes
SHAPES = ("flat", "nested", "monorepo", "services")
DOCKERFILE = 'FROM python:3.10-slim\nCOPY . .\nCMD ["uvicorn", "{module}:app", "--port", "8000"]\n'


def shaped_files(module: Module, shape: str) -> dict[str, str]:
    """The generated module placed as a flat app, a nested backend (hoisted), a backend
    beside a frontend (shim) or one of two services (no app can be chosen)."""
    readme = "# Demo\n"
    if shape == "flat":
        return {"main.py": module.text, "requirements.txt": SPEC_REQUIREMENTS}
    if shape == "nested":
        return {
            "README.md": readme,
            "backend/main.py": module.text,
            "backend/requirements.txt": SPEC_REQUIREMENTS,
        }
    if shape == "monorepo":
        return {
            "README.md": readme,
            "backend/app/__init__.py": "",
            "backend/app/main.py": module.text,
            "backend/requirements.txt": SPEC_REQUIREMENTS,
            "frontend/package.json": '{"name": "web", "private": true}\n',
        }
    return {
        "README.md": readme,
        "services/orders/main.py": module.text,
        "services/orders/Dockerfile": DOCKERFILE.format(module="services.orders.main"),
        "services/users/main.py": module.text,
        "services/users/Dockerfile": DOCKERFILE.format(module="services.users.main"),
        "scripts/run.sh": "uvicorn services.orders.main:app --port 8001\n",
    }


@settings(max_examples=120)
@given(module=modules(), shape=st.sampled_from(SHAPES), unsafe=st.booleans())
def test_shapes_converge_and_do_no_harm(module: Module, shape: str, unsafe: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="hffix-shape-") as tmp:
        root = Path(tmp) / "repo"
        for rel, text in shaped_files(module, shape).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(text.encode("utf-8"))
        before = snapshot(root)
        written = hffix.fix(root, write=True, unsafe_fixes=unsafe)
        assert written.error is None, written.traceback or written.error
        after = snapshot(root)
        moved = {c.old_path: c.new_path for c in written.changes if c.old_path and c.new_path}
        # No import other than a server package's disappears.
        for path, (data, _) in before.items():
            if path.endswith(".py"):
                target = moved.get(path, path)
                kept = non_server_imports(after[target][0]) if target in after else set()
                assert non_server_imports(data) <= kept, f"{path}: an import disappeared"
        # Converged: nothing fixable, nothing about the files hffix created, no change.
        created = {c.new_path for c in written.changes if c.old_path is None}
        again = hffix.check(root, unsafe_fixes=unsafe)
        assert again.error is None, again.traceback or again.error
        assert [f for f in again.findings if f.status.value == "fixed"] == []
        assert [f for f in again.findings if f.path in created] == []
        assert again.changes == [], "a second run would change something"
        if shape == "services":
            # No app can be chosen: every Dockerfile, run script and server start stays
            # (secrets may still move: that does not change how the repository starts).
            for path, (data, _) in before.items():
                if path.endswith(("Dockerfile", ".sh")):
                    assert after[path][0] == data, f"{path} changed although no app is chosen"
                elif path.endswith(".py"):
                    starts = [
                        line
                        for line in data.decode().splitlines()
                        if any(s in line for s in ("run(", "serve(", "__main__"))
                    ]
                    kept = after[path][0].decode().splitlines()
                    assert all(line in kept for line in starts), f"{path}: a server start went"
