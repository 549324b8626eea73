"""HF010: syntax and standard-library checks for Python 3.10, and the tomllib fallback."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.deps.syntax310 import newer_names, syntax_problems
from hffix.findings import Status

VALID_310 = [
    "match x:\n    case 1:\n        pass\n",
    "with (open('a') as f, open('b') as g):\n    pass\n",
    "x = f\"{d['k']}\"\n",
    "x = f'''{d[\"k\"]}'''\n",
    "try:\n    pass\nexcept (A, B):\n    pass\n",
    "def f(*args: int) -> None: ...\n",
    "a[b] = 1\n",
]


@pytest.mark.parametrize("source", VALID_310)
def test_valid_310_code_has_no_problem(source: str) -> None:
    assert syntax_problems(source) == []


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("try:\n    pass\nexcept* ValueError:\n    pass\n", 3, "except*"),
        ("x = 1\ntype Pair = tuple[int, int]\n", 2, "type"),
        ("def first[T](xs: list[T]) -> T:\n    return xs[0]\n", 1, ""),
        ('x = 1\ny = f"{"a"}"\n', 2, ""),
        ("try:\n    pass\nexcept A, B:\n    pass\n", 3, "except A, B:"),
        ("xs: tuple[*Ts]\n", 1, ""),
    ],
)
def test_newer_syntax_is_found_with_its_line(source: str, line: int, words: str) -> None:
    problems = syntax_problems(source)
    assert [p.line for p in problems] == [line]
    assert words in problems[0].message


def test_newer_names_respect_guards_and_bindings() -> None:
    tree = ast.parse(
        "import sys\nimport datetime as dt\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from typing import Self\n"
        "if sys.version_info >= (3, 11):\n    from enum import StrEnum\n"
        "try:\n    from asyncio import TaskGroup\nexcept ImportError:\n    TaskGroup = None\n"
        "from exceptiongroup import ExceptionGroup\nraise ExceptionGroup('x', [])\n"
        "now = dt.UTC\nfrom itertools import batched\nraise BaseExceptionGroup('y', [])\n"
    )
    found = [(n.line, n.what, n.version) for n in newer_names(tree)]
    assert found == [
        (14, "`datetime.UTC`", "3.11"),
        (15, "`itertools.batched`", "3.12"),
        (16, "`BaseExceptionGroup`", "3.11"),
    ]


def _run(make_repo: Callable[..., Path], files: dict[str, str]) -> tuple[Path, hffix.Result]:
    root = make_repo(files)
    result = hffix.fix(root, write=True, select=["HF010"])
    assert result.error is None
    return root, result


def test_tomllib_fallback_variants(make_repo: Callable[..., Path]) -> None:
    root, result = _run(
        make_repo,
        {
            "main.py": "import tomllib as toml\n",
            "tools.py": "if True:\n\timport tomllib\n",
            "shared.py": "import os; import tomllib\n",
        },
    )
    assert (root / "main.py").read_text() == (
        "try:\n    import tomllib as toml\nexcept ModuleNotFoundError:  # Python 3.10: tomllib "
        "is new in 3.11\n    import tomli as toml\n"
    )
    assert (root / "tools.py").read_text() == (
        "if True:\n\ttry:\n\t\timport tomllib\n\texcept ModuleNotFoundError:  # Python 3.10: "
        "tomllib is new in 3.11\n\t\timport tomli as tomllib\n"
    )
    assert (root / "shared.py").read_text() == "import os; import tomllib\n"  # reported only
    manual = [f for f in result.findings if f.status is Status.MANUAL]
    assert [f.path for f in manual] == ["shared.py"]
    assert (root / "requirements.txt").read_text() == 'tomli>=2.0.1; python_version < "3.11"\n'


def test_version_settings(make_repo: Callable[..., Path]) -> None:
    _, result = _run(
        make_repo,
        {
            "main.py": "",
            "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\n',
            ".python-version": "3.10.14\n",
            "runtime.txt": "python-3.10.12\n",
        },
    )
    assert [(f.path, f.line) for f in result.findings] == [("pyproject.toml", 2)]
    assert ">=3.11,<4.0" in result.findings[0].message


def test_requires_python_that_allows_310_is_fine(make_repo: Callable[..., Path]) -> None:
    _, result = _run(
        make_repo, {"main.py": "", "pyproject.toml": '[project]\nrequires-python = ">=3.9"\n'}
    )
    assert result.findings == []


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="message differs once 3.12 parses it")
def test_unparsable_file_is_reported_with_a_guess(make_repo: Callable[..., Path]) -> None:
    _, result = _run(make_repo, {"main.py": "x = 1\ntype X = int\n"})
    [finding] = result.findings
    assert finding.line == 2 and "`type` statement" in finding.message


def test_test_files_are_not_checked(make_repo) -> None:  # type: ignore[no-untyped-def]
    """test-paths applies to every rule: the Space never runs tests."""
    import hffix

    newer = "def f() -> None:\n    try:\n        pass\n    except* ValueError:\n        pass\n"
    root = make_repo({"tests/test_groups.py": newer, "app/groups.py": newer})
    result = hffix.check(root, select=["HF010"])
    assert sorted({f.path for f in result.findings}) == ["app/groups.py"]
