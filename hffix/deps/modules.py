"""The repository's own modules, the imports its code makes, and which files the app runs.

:func:`first_party_names` answers "is this import the repository's own code?" (top-level
modules and packages beside each import root). :func:`imports_of` lists the imports of one
source file with what guards them (``if TYPE_CHECKING:``, ``try: ... except ImportError:``).
:func:`runtime_files` is the set of Python files a started app can import: the files
reachable from the entry modules through first-party imports, plus every other file of the
packages reached (routers loaded by name), without tests.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from hffix.analysis import FileAnalysis
from hffix.deps.tree import is_app_code
from hffix.project.layout import is_test_path
from hffix.repository.workspace import Unreadable, Workspace, is_python_path

_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<from>\.*[\w.]*)[ \t]+import\b|import[ \t]+(?P<names>[\w., \t]+))",
    re.MULTILINE,
)
_OPTIONAL_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@dataclass(frozen=True)
class ImportUse:
    """One imported module: ``module`` is absolute and dotted (``from a import b`` -> ``a``)."""

    module: str
    line: int
    names: tuple[str, ...] = ()  # names taken by ``from module import ...``
    level: int = 0  # dots of a relative import; ``module`` is then relative
    optional: bool = False  # inside ``try:`` with an ImportError handler
    type_checking: bool = False  # under ``if TYPE_CHECKING:``


def first_party_names(workspace: Workspace, roots: Iterable[str] = ("",)) -> set[str]:
    """Names importable as top-level modules from each root folder of the repository.

    ``x.py`` and ``x/`` holding Python files (packages and namespace packages) count, as
    do those of a ``src/`` layout. Reusable by any rule that must tell the repository's own
    imports from third-party ones.
    """
    folders = {r.strip("/") for r in roots} | {"src"}
    names: set[str] = set()
    for path in workspace.paths():
        if not is_python_path(path):
            continue
        for root in folders:
            prefix = f"{root}/" if root else ""
            if not path.startswith(prefix):
                continue
            first = path[len(prefix) :].split("/")[0]
            stem = first[:-3] if first.endswith(".py") else first
            if stem.endswith(".pyi"):
                stem = stem[:-4]
            if _is_ascii_identifier(stem):
                names.add(stem)
    if not workspace.exists("src/__init__.py"):
        names.discard("src")  # a src/ layout folder, not a package
    return names


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _catches_import_error(handlers: list[ast.ExceptHandler]) -> bool:
    for handler in handlers:
        if handler.type is None:
            return True
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for t in types:
            name = t.id if isinstance(t, ast.Name) else getattr(t, "attr", "")
            if name in _OPTIONAL_ERRORS:
                return True
    return False


_BODIES = ("body", "orelse", "finalbody")


class _Collector:
    """Imports anywhere in a module, visiting statements only (imports are statements, so
    the expressions that make up most of a tree never need a look)."""

    def __init__(self) -> None:
        self.uses: list[ImportUse] = []
        self._optional = 0
        self._type_checking = 0

    def _add(self, module: str, line: int, names: tuple[str, ...] = (), level: int = 0) -> None:
        self.uses.append(
            ImportUse(module, line, names, level, self._optional > 0, self._type_checking > 0)
        )

    def statements(self, statements: list[ast.stmt]) -> None:
        for node in statements:
            self.statement(node)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self._add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            self._add(node.module or "", node.lineno, names, node.level)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            self._type_checking += 1
            self.statements(node.body)
            self._type_checking -= 1
            self.statements(node.orelse)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            try_node = cast(ast.Try, node)  # TryStar (3.11+) has the same fields
            optional = _catches_import_error(try_node.handlers)
            self._optional += optional
            self.statements(try_node.body)
            self._optional -= optional
            for handler in try_node.handlers:
                self.statements(handler.body)
            self.statements(try_node.orelse)
            self.statements(try_node.finalbody)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                self.statements(case.body)
        else:
            for field in _BODIES:
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    self.statements(inner)


def parse_or_none(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None


def imports_of(source: str, tree: ast.Module | None = None) -> list[ImportUse]:
    """Every import in ``source``; a file this Python cannot parse is scanned line by line.

    Pass ``tree`` when the caller already has the module's ``ast``: parsing is most of the
    cost. During a run, ask the session's cache for :data:`IMPORTS` instead: computed once
    per text.
    """
    if tree is None:
        tree = parse_or_none(source)
    if tree is None:
        return list(_scan_lines(source))
    imports = (ast.Import, ast.ImportFrom)
    top_level: list[ast.stmt] = [n for n in tree.body if isinstance(n, imports)]
    collector = _Collector()
    if source.count("import") == len(top_level):
        # Every import statement spells `import` once, and the text has no other `import`
        # (no nested import, not even a word like importlib): the module level is all.
        collector.statements(top_level)
    else:
        collector.statements(tree.body)
    return collector.uses


# Every import of a module (:func:`imports_of` of its shared ``ast``), once per text: HF004,
# HF007, HF010 and the implied-needs scan all read them.
IMPORTS: FileAnalysis[list[ImportUse]] = FileAnalysis(
    "imports", lambda session, path, text: imports_of(text, session.tree(path))
)


def _scan_lines(source: str) -> Iterator[ImportUse]:
    for match in _IMPORT_LINE.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        if match["from"] is not None:
            raw = match["from"]
            level = len(raw) - len(raw.lstrip("."))
            yield ImportUse(raw.lstrip("."), line, (), level)
            continue
        for part in match["names"].split(","):
            name = part.strip().split()[0] if part.strip() else ""
            if name:
                yield ImportUse(name, line)


def _is_ascii_identifier(part: str) -> bool:
    """``[A-Za-z_][A-Za-z0-9_]*``: a folder or file stem hffix treats as a module name."""
    return part.isascii() and part.isidentifier()


def _module_name(path: str, root: str) -> str | None:
    prefix = f"{root}/" if root else ""
    if not path.startswith(prefix) or not path.endswith(".py"):
        return None
    parts = path[len(prefix) : -3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(_is_ascii_identifier(p) for p in parts):
        return None
    return ".".join(parts)


def resolve_relative(path: str, root: str, use: ImportUse) -> str | None:
    """The absolute module a relative import in ``path`` names, importing from ``root``."""
    own = _module_name(path, root)
    if own is None:
        return None
    package = own.split(".") if path.endswith("__init__.py") else own.split(".")[:-1]
    if use.level - 1 > len(package):
        return None
    base = package[: len(package) - (use.level - 1)]
    return ".".join([*base, use.module] if use.module else base) or None


def _imports_in_view(workspace: Workspace, path: str) -> list[ImportUse] | None:
    try:
        return imports_of(workspace.text(path))
    except (Unreadable, KeyError):
        return None


def runtime_files(
    workspace: Workspace,
    entries: Iterable[str],
    roots: Iterable[str],
    imports: Callable[[str], list[ImportUse] | None] | None = None,
) -> list[str]:
    """Python files the app can import when started from ``entries`` (repository paths).

    ``imports`` gives a path's imports (``None``: unreadable) when the caller has them
    already (the session's :data:`IMPORTS`)."""
    root_list = sorted({r.strip("/") for r in roots}, key=len, reverse=True)
    index: dict[str, str] = {}  # dotted module name -> path, from every root
    located: dict[str, str] = {}  # path -> the longest root it is importable from
    for path in workspace.paths():
        if is_python_path(path) and path.endswith(".py"):
            for root in root_list:
                name = _module_name(path, root)
                if name is not None:
                    index.setdefault(name, path)
                    located.setdefault(path, root)
    start = [p for p in entries if workspace.exists(p)]
    if not start:
        return [
            p
            for p in workspace.paths()
            if p.endswith(".py") and not is_test_path(p) and is_app_code(p)
        ]
    seen: set[str] = set()
    packages: set[str] = set()  # folders of first-party packages the app imports from
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        uses = imports(path) if imports is not None else _imports_in_view(workspace, path)
        if uses is None:
            continue
        root = located.get(path, "")
        for use in uses:
            module = resolve_relative(path, root, use) if use.level else use.module
            if not module:
                continue
            parts = module.split(".")
            candidates = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
            candidates += [f"{module}.{name}" for name in use.names]
            for candidate in candidates:
                target = index.get(candidate)
                if target is not None and target not in seen:
                    todo.append(target)
                if target is not None and ("." in candidate or target.endswith("__init__.py")):
                    top = candidate.split(".")[0]
                    packages.add(posixpath.join(located[target], top))
    for folder in packages:
        for path in workspace.paths():
            if path.startswith(f"{folder}/") and path.endswith(".py") and not is_test_path(path):
                seen.add(path)
    return sorted(seen)
