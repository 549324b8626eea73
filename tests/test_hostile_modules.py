"""A pathological module never takes the run down: the rest of the repository is fixed.

Each module here is valid Python that some parser cannot take: libcst's native parser
crashed the process (SIGSEGV) on a 10,000-term chain, and its visitors overflowed the stack
on deep nesting, which aborted the whole repository as an internal error. The modules are
generated here, not committed. hffix runs in a subprocess, so a crash shows as its exit
status instead of killing the test run.

A generated data module (a hundred thousand keys, tokens, dict entries) is valid Python that
every parser takes, but libcst at a hundred times the cost of ``ast`` and gigabytes of
memory: such a module is read from the ``ast`` alone (:mod:`hffix.secrets.astscan`). The
tests check what is reported, never how long it takes (``bench/bench.py`` measures that).
"""

from __future__ import annotations

import ast
import json
import random
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.findings import Status

REQUIREMENTS = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"
MAIN = "from fastapi import FastAPI\n\nimport config\nimport hostile\n\napp = FastAPI()\n"
# A secret elsewhere in the repository: it must still be fixed.
CONFIG = 'OPENAI_API_KEY = "sk-proj-Qw7Zr2Lm9Xv4Tn8Bp3Kd6Hs1Jf5Gc0Ay"\n'

HOSTILE = {
    "chain-10000": 'import uvicorn\nTOKEN = "a8f3k2m9x7q1w5e4"\nx = ' + "+".join(["1"] * 10_000),
    "chain-1000": "import uvicorn\nx = " + "+".join(["1"] * 1_000) + "\nuvicorn.run(x)",
    "brackets-190": "import uvicorn\nx = " + "[" * 190 + "]" * 190 + "\nuvicorn.run(x)",
    "calls-150": "import uvicorn\nx = " + "f(" * 150 + "1" + ")" * 150 + "\nuvicorn.run(x)",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_pathological_module_is_skipped_and_the_rest_is_fixed(
    make_repo: Callable[..., Path], name: str
) -> None:
    root = make_repo(
        {
            "main.py": MAIN,
            "config.py": CONFIG,
            "hostile.py": HOSTILE[name] + "\n",
            "requirements.txt": REQUIREMENTS,
        }
    )
    proc = subprocess.run(
        [sys.executable, "-m", "hffix", "--write", "--no-color", "-v", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "internal error" not in proc.stderr
    assert "hostile.py: warning: nested more than 100 levels deep: not edited" in proc.stderr
    assert "sk-proj-" not in (root / "config.py").read_text()  # the secret was still moved
    assert (root / "hostile.py").read_text() == HOSTILE[name] + "\n"


# ------------------------------------------------------------------ data modules
SIGNING = "k3y-for-signing-tokens!"
DATA_CONFIG = f'SECRET_KEY = "{SIGNING}"\n'
DATA_SECRET = "sk-proj-Hd5Lq8Wz2Xv7Tn1Kp4Rs9Jf6Gc3Ay0Bm"
DATA_MAIN = "from fastapi import FastAPI\n\nimport config\nimport data\n\napp = FastAPI()\n"


def _data_module(strings: int) -> str:
    """A generated data module of ``strings`` string literals: a list of keys, a dict under a
    secret-ish name, a frozenset of random-looking 24-character tokens; with one provider
    token and one repeat of config.py's secret among them."""
    rng = random.Random(strings)
    alphabet = string.ascii_letters + string.digits
    keys = [f"tok{i:07d}" for i in range(strings * 2 // 5 - 2)] + [SIGNING]
    entries = [f"k{i:06d}" for i in range(strings // 5)]
    tokens = ["".join(rng.choice(alphabet) for _ in range(24)) for _ in range(strings // 5)]
    return (
        f'OPENAI_API_KEY = "{DATA_SECRET}"\n'
        "KEYS = [\n" + "".join(f'    "{key}",\n' for key in keys) + "]\n"
        "API_KEYS = {\n"
        + "".join(f'    "{key}": "v{rng.randrange(10**9):09d}",\n' for key in entries)
        + "}\n"
        "TOKENS = frozenset({\n" + "".join(f'    "{token}",\n' for token in tokens) + "})\n"
    )


def test_a_module_of_100000_strings_is_read_from_the_ast_and_not_edited(
    make_repo: Callable[..., Path],
) -> None:
    """Linear, with bounded memory: libcst never sees it (it took 1.5 GB and minutes). Its
    provider token and its repeat of another module's secret are reported by hand; the
    other 99,998 strings are data; the rest of the repository is fixed as usual."""
    module = _data_module(100_000)
    assert sum(1 for n in ast.walk(ast.parse(module)) if isinstance(n, ast.Constant)) == 100_000
    root = make_repo(
        {
            "main.py": DATA_MAIN,
            "config.py": DATA_CONFIG,
            "data.py": module,
            "requirements.txt": REQUIREMENTS,
        }
    )
    check = subprocess.run(
        [sys.executable, "-m", "hffix", "--check", "--format", "json", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 1, check.stderr[-2000:]
    findings = json.loads(check.stdout)["repositories"][0]["findings"]
    data = [(f["line"], f["column"], f["status"]) for f in findings if f["path"] == "data.py"]
    repeat_line = module.splitlines().index(f'    "{SIGNING}",') + 1
    assert data == [(1, 18, "manual"), (repeat_line, 5, "manual")]
    messages = [f["message"] for f in findings if f["path"] == "data.py"]
    assert all("more than 5000 strings, too many to edit safely" in m for m in messages)
    assert "OpenAI API key `sk-p…Bm` in `OPENAI_API_KEY = …`" in messages[0]
    assert "(the same value as another finding)" in messages[1] and "SECRET_KEY" in messages[1]
    config = [f for f in findings if f["path"] == "config.py"]
    assert [(f["code"], f["status"]) for f in config] == [("HF005", "fixable")]
    assert DATA_SECRET not in check.stdout and SIGNING not in check.stdout

    write = subprocess.run(
        [sys.executable, "-m", "hffix", "--write", "--no-color", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert write.returncode in (0, 1), write.stderr[-2000:]
    assert (root / "data.py").read_text() == module
    assert SIGNING not in (root / "config.py").read_text()


def test_libcst_never_opens_a_module_above_the_limit(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process, at the limit: one string more and the module is read from the ast."""
    from hffix.secrets.astscan import MAX_EDITED_STRINGS
    from hffix.session import Session

    opened: list[str] = []
    parse = Session.parse

    def spy(self: Session, path: str) -> object:
        opened.append(path)
        return parse(self, path)

    monkeypatch.setattr(Session, "parse", spy)
    keys = "".join(f'    "tok{i:07d}",\n' for i in range(MAX_EDITED_STRINGS - 1))
    below = f'API_KEY = "Zq8vX2mLp9rT4wKe"\nKEYS = [\n{keys}]\n'
    above = below + 'EXTRA = "one more"\n'
    for name, module, parsed in (("below", below, True), ("above", above, False)):
        opened.clear()
        root = make_repo({"data.py": module}, name=name)
        result = hffix.check(root, select=["HF005"])
        assert result.error is None
        assert ("data.py" in opened) is parsed
        [finding] = [f for f in result.findings if f.path == "data.py"]
        assert (finding.path, finding.line, finding.col) == ("data.py", 1, 11)
        assert finding.status is (Status.FIXED if parsed else Status.MANUAL)


def test_a_key_in_a_module_libcst_refuses_is_still_reported(
    make_repo: Callable[..., Path],
) -> None:
    """Nested deeper than libcst parses safely: what the ast shows is reported by hand."""
    module = f'OPENAI_API_KEY = "{DATA_SECRET}"\n' + HOSTILE["brackets-190"] + "\n"
    root = make_repo({"hostile.py": module})
    result = hffix.check(root, select=["HF005"])
    assert result.error is None
    assert [(f.path, f.line, f.col, f.status) for f in result.findings] == [
        ("hostile.py", 1, 18, Status.MANUAL)
    ]
    assert "a module hffix cannot edit (see its warning)" in result.findings[0].message
    assert any("nested more than 100 levels deep" in d.message for d in result.diagnostics)


def test_named_constants_by_the_thousand_are_judged_in_one_pass(
    make_repo: Callable[..., Path],
) -> None:
    """Ten thousand named constants under the limit of strings, each with a secret-ish
    name: the data check reads the module once (it walked the module for each of them),
    and every one is a finding of its own."""
    count = 4_000
    module = "".join(f'TOKEN_{i:05d} = "t0k{i:06d}x"\n' for i in range(count))
    module += "".join(f"assert TOKEN_{i:05d}\n" for i in range(0, count, 1000))
    root = make_repo({"consts.py": module})
    result = hffix.check(root, select=["HF005"], unsafe_fixes=False)
    assert result.error is None
    assert len(result.findings) == count
    assert {f.status for f in result.findings} == {Status.UNSAFE_FIX}


def test_moving_main_aside_never_hands_libcst_a_module_too_deep(tmp_path: Path) -> None:
    """--unsafe-fixes moves a root main.py that is not the app aside and updates what
    imports it; a module doing so that is 10,000 terms long once crashed the process
    (SIGSEGV in libcst's native parser). In a subprocess: a crash must not take pytest."""
    root = tmp_path / "repo"
    (root / "app").mkdir(parents=True)
    (root / "main.py").write_text("import sys\n\nprint(sys.argv)\n")
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "server.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (root / "tools.py").write_text("import main\n\nx = " + "+".join(["1"] * 10_000) + "\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "hffix",
            "--check",
            "--unsafe-fixes",
            "--select",
            "HF001",
            str(root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    # tools.py cannot be updated: main.py stays, the user is told why.
    assert "moving it aside would leave tools.py importing the new main.py" in proc.stdout
