"""Fuzzing every rule with arbitrary valid Python (hypothesmith draws modules from the grammar).

No generated module may crash hffix, make it write a file that no longer parses, remove
an import other than a server package's, or leave a second run with work to do. Run longer
with HYPOTHESIS_PROFILE=long.
"""

from __future__ import annotations

import ast
import os
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import hffix
from tests.conftest import non_server_imports

hypothesmith = pytest.importorskip("hypothesmith")

EXAMPLES = {"ci": 300, "long": 5000}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 300)
# Fragments that make the rules look closer: a server import, a main block, an app.
PREFIXES = [
    "",
    "import uvicorn\n",
    "from fastapi import FastAPI\napp = FastAPI()\n",
    'if __name__ == "__main__":\n    import uvicorn\n    uvicorn.run("main:app", port=8000)\n',
    'API_KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"\nPORT = 8000\n',
]


def _parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@given(
    body=hypothesmith.from_grammar(),
    prefix=st.sampled_from(PREFIXES),
    suffix=st.sampled_from(PREFIXES),
    name=st.sampled_from(["main.py", "app/server.py", "scripts/run.py"]),
)
def test_arbitrary_modules(body: str, prefix: str, suffix: str, name: str) -> None:
    source = prefix + body + ("\n" if body and not body.endswith("\n") else "") + suffix
    assume(_parses(source))
    with tempfile.TemporaryDirectory(prefix="hffix-fuzz-") as tmp:
        root = Path(tmp)
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
        imported = non_server_imports(source)
        first = hffix.fix(root, write=True, unsafe_fixes=True)
        assert first.error is None, first.traceback or first.error
        for path in root.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert _parses(text), f"{path.relative_to(root)} no longer parses:\n{text}"
        moved = {c.old_path: c.new_path for c in first.changes if c.old_path and c.new_path}
        after = (root / moved.get(name, name)).read_text(encoding="utf-8")
        assert imported <= non_server_imports(after), "an import other than a server's went"
        second = hffix.fix(root, write=True, unsafe_fixes=True)
        assert second.error is None, second.traceback or second.error
        assert second.changes == [], [c.path for c in second.changes]
        fixable = [f for f in second.findings if f.status.value == "fixed"]
        assert fixable == [], [f.message for f in fixable]
