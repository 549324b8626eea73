"""The libcst helpers the Python rules share: positions, freed imports, node search, imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from hffix.deps.modules import imports_of
from hffix.python.imports import freed_imports
from hffix.python.names import NameUses, find_all
from hffix.python.positions import Positions, top_level_lines
from hffix.python.walk import iter_nodes, iter_with_parents

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (
    "import os\r\n"
    "\r\n"
    "@decorator(x=1)\r\n"
    "class A:  # comment\r\n"
    "    def f(self, a,\r\n"
    "          b=2):\r\n"
    '        return f"{a!r:>{b}}" + """\r\nline\r\n"""\r\n'
    "x = 1; y = [\r\n"
    "    2,\r\n"
    "]\r\n"
    "if __name__ == '__main__':\r\n"
    "    pass\r\n"
)


def _python_files() -> list[Path]:
    found = sorted((ROOT / "corpus").rglob("*.py"))[:400] + sorted((ROOT / "hffix").rglob("*.py"))
    return [path for path in found if path.is_file() and not path.is_symlink()]


@pytest.mark.parametrize("text", [SAMPLE, SAMPLE.replace("\r\n", "\n"), "\ufeffx = 1\n", ""])
def test_positions_equal_libcst_position_provider(text: str) -> None:
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = Positions(module)
    assert not positions.computed
    assert expected and all(positions.range(node) == where for node, where in expected.items())
    assert positions.computed


def _parsed_sources() -> Iterator[tuple[Path, cst.Module]]:
    """The corpus and hffix modules libcst can parse (the corpus breaks some on purpose)."""
    for path in _python_files():
        try:
            yield path, cst.parse_module(path.read_bytes())
        except (cst.ParserSyntaxError, SyntaxError, UnicodeDecodeError):
            continue


def test_positions_equal_libcst_on_the_repository_sources() -> None:
    compared = 0
    for path, module in _parsed_sources():
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        positions = Positions(module)
        wrong = [n for n, where in expected.items() if positions.range(n) != where]
        assert not wrong, f"{path}: {type(wrong[0]).__name__}"
        compared += len(expected)
    assert compared > 100_000


def test_top_level_lines_follow_the_ast() -> None:
    module = cst.parse_module(SAMPLE)
    lines = top_level_lines(module, ast.parse(SAMPLE))
    assert lines is not None
    assert [lines[stmt] for stmt in module.body] == [1, 4, 10, 13]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    guard = module.body[-1]
    assert lines[guard] == expected[guard].start.line
    assert top_level_lines(module, ast.parse("x = 1\n")) is None  # not the same text


def _freed(text: str, remove: str) -> tuple[list[str], dict[str, set[str]]]:
    """Freed import statements (as code) and trimmed aliases when the statements whose code
    starts with ``remove`` go."""
    module = cst.parse_module(text)
    statements = find_all(module, (cst.BaseSmallStatement, cst.BaseCompoundStatement))
    removed = [s for s in statements if module.code_for_node(s).startswith(remove)]
    assert removed, remove
    freed = freed_imports(module, removed)
    statements = [module.code_for_node(s) for s in freed.statements]
    by_code = {
        module.code_for_node(s): freed.aliases[s]
        for s in find_all(module, (cst.Import, cst.ImportFrom))
        if s in freed.aliases
    }
    return statements, by_code


def test_an_import_used_only_by_the_removed_code_is_freed() -> None:
    text = "import uvicorn\nimport os\nuvicorn.run(app, port=int(os.environ['P']))\nprint(os.sep)\n"
    assert _freed(text, "uvicorn.run") == (["import uvicorn"], {})


def test_one_alias_of_a_shared_import_line_is_trimmed() -> None:
    text = "from uvicorn import Config, Server, run\nrun(app)\nc = Config\nprint(Server)\n"
    assert _freed(text, "run(app)") == ([], {"from uvicorn import Config, Server, run": {"run"}})


@pytest.mark.parametrize(
    "text",
    [
        # a string annotation reads the name
        "import uvicorn\nuvicorn.run(app)\nserver: 'uvicorn.Server'\n",
        # __all__ re-exports it
        "import uvicorn\nuvicorn.run(app)\n__all__ = ['uvicorn']\n",
        # a local of the same spelling elsewhere: kept rather than guessed
        "import uvicorn\nuvicorn.run(app)\ndef f(uvicorn):\n    return uvicorn\n",
        # already unused before the removal
        "import uvicorn\nprint('uvicorn.run')\n",
    ],
)
def test_imports_still_read_elsewhere_are_kept(text: str) -> None:
    remove = "uvicorn.run" if "uvicorn.run(app)" in text else "print"
    assert _freed(text, remove) == ([], {})


def test_a_docstring_mentioning_the_name_does_not_keep_the_import() -> None:
    text = '"""Run with uvicorn."""\nimport uvicorn\nuvicorn.run(app)\n'
    assert _freed(text, "uvicorn.run") == (["import uvicorn"], {})


def test_find_all_is_a_type_search_in_source_order() -> None:
    module = cst.parse_module("def f():\n    g(h(1))\nclass C:\n    pass\n")
    calls = find_all(module, cst.Call)
    assert [module.code_for_node(c) for c in calls] == ["g(h(1))", "h(1)"]
    defs = find_all(module, (cst.FunctionDef, cst.ClassDef))
    assert [type(d).__name__ for d in defs] == ["FunctionDef", "ClassDef"]


def test_deferred_name_uses_answer_like_eager_ones() -> None:
    module = cst.parse_module("a = 1\nb = a\nprint(b)\n")
    smalls = find_all(module, cst.BaseSmallStatement)
    eager, deferred = NameUses.of(module), NameUses.deferred(module)
    for name in ("a", "b", "print", "unused"):
        for within in (smalls[:1], smalls[:2], smalls):
            assert eager.only_within(name, within) == deferred.only_within(name, within)


@pytest.mark.parametrize(
    ("text", "modules"),
    [
        ("import a\nfrom b import c\n", ["a", "b"]),
        ("import a\ndef f():\n    import b\n", ["a", "b"]),  # nested: the full walk
        ("import importlib\nimportlib.import_module('x')\n", ["importlib"]),
        ("try:\n    import ujson\nexcept ImportError:\n    ujson = None\n", ["ujson"]),
        ("x = 1; import a\n", ["a"]),
    ],
)
def test_imports_of_finds_nested_imports_whatever_the_text(text: str, modules: list[str]) -> None:
    tree = ast.parse(text)
    assert [use.module for use in imports_of(text, tree)] == modules
    assert imports_of(text, None) == imports_of(text, tree)  # parsed here when not given


_SEARCHED = (
    cst.Call,
    cst.Name,
    cst.SimpleString,
    cst.FormattedString,
    cst.ConcatenatedString,
    cst.BaseSmallStatement,
    cst.BaseCompoundStatement,
    cst.Attribute,
    cst.Subscript,
    cst.AssignTarget,
    cst.Annotation,
    cst.Arg,
    cst.Param,
    cst.Decorator,
    cst.IfExp,
    cst.ExceptHandler,
)


class _Order(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _SEARCHED):
            self.found.append(node)
        return True


def test_the_fast_walk_meets_the_nodes_in_libcsts_order() -> None:
    walked = 0
    for path, module in _parsed_sources():
        visitor = _Order()
        module.visit(visitor)
        mine = [n for n in iter_nodes(module) if isinstance(n, _SEARCHED)]
        assert [id(n) for n in mine] == [id(n) for n in visitor.found], path
        parents = {id(n): p for n, p in iter_with_parents(module)}
        assert all(id(n) in parents for n in mine)
        walked += len(mine)
    assert walked > 50_000


def test_the_walk_can_prune() -> None:
    module = cst.parse_module("f(g(1))\nh()\n")
    calls = [n for n in iter_nodes(module, prune=lambda n: isinstance(n, cst.Call))]
    assert [module.code_for_node(c) for c in calls if isinstance(c, cst.Call)] == ["f(g(1))", "h()"]


def test_positions_fall_back_to_libcst_when_its_internals_move(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hffix.python import spans

    monkeypatch.setattr(spans, "CountingState", None)
    module = cst.parse_module(SAMPLE)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = Positions(module)
    assert all(positions.range(node) == where for node, where in expected.items())


def test_a_removed_read_uses_only_the_imports_above_it() -> None:
    block = "if __name__ == '__main__':\n    import uvicorn\n    uvicorn.run(app)\n"
    # below the block: the block never used it, so it stays as it was (unused)
    assert _freed(block + "import uvicorn\n", "if __name__") == ([], {})
    # above the block: the block's read may have used it; nothing else does
    assert _freed("import uvicorn\n" + block, "if __name__") == (["import uvicorn"], {})


def test_an_alias_nothing_read_stays_when_its_neighbour_is_freed() -> None:
    text = "from uvicorn import Config, run\nrun(app)\n"
    assert _freed(text, "run(app)") == ([], {"from uvicorn import Config, run": {"run"}})


def test_the_ast_walk_meets_every_node_once_parents_first_in_source_order() -> None:
    from hffix.python.astwalk import nodes

    tree = ast.parse("global g, h\nfor i in [a, b]:\n    f(i, key=c)\nx = {d: e for d in y}\n")
    walked = list(nodes(tree))
    assert sorted(map(id, walked)) == sorted(map(id, ast.walk(tree)))
    names = [n.id for n in walked if isinstance(n, ast.Name)]
    assert names == ["i", "a", "b", "f", "i", "c", "x", "d", "e", "d", "y"]
    deep = ast.parse("x = " + "(" * 150 + "1" + ")" * 150)  # no recursion limit to hit
    assert sum(isinstance(n, ast.Constant) for n in nodes(deep)) == 1
