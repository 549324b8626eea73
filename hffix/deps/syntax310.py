"""Does this source run on Python 3.10? Syntax and standard-library checks for HF010.

:func:`syntax_problems` combines three sources, because no single one sees everything on
every Python hffix may run on: the running parser (a 3.11 parser cannot read PEP 695/701
code at all), ``ast.parse(feature_version=(3, 10))`` (catches ``except*``, ``type`` and
generic syntax), and walks of the tree for what ``feature_version`` lets through (PEP 646
star expressions in subscripts and ``*args`` annotations, PEP 701 f-strings, PEP 750
template strings, PEP 758 unparenthesised ``except A, B:``).
"""

from __future__ import annotations

import ast
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import StringIO

from hffix.deps.modules import ImportUse
from hffix.deps.stdlib import NEWER_BUILTINS, NEWER_MODULES, NEWER_NAMES, newer_module

# Patterns (compiled on first use, by ``re``: only a module that does not parse needs them)
# for what a line that does not parse as Python 3.10 may hold.
_GUESSES: tuple[tuple[str, str], ...] = (
    (r"^\s*except\s*\*", "`except*` (Python 3.11)"),
    (r"^\s*type\s+[A-Za-z_]\w*\s*(\[.*\])?\s*=", "a `type` statement (Python 3.12)"),
    (r"^\s*(async\s+)?(def|class)\s+\w+\s*\[", "a type parameter list (Python 3.12)"),
    (
        r"^\s*except\s+[\w.]+\s*,\s*[\w.]+.*:\s*(#.*)?$",
        "`except A, B:` without parentheses (Python 3.14)",
    ),
    (r"\b[fF][rR]?[\"']|\b[rR][fF][\"']", "an f-string form of Python 3.12 (PEP 701)"),
)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def _guess(source: str, line: int) -> str:
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    for pattern, what in _GUESSES:
        if re.search(pattern, text):
            return f"{what}; "
    return ""


def syntax_problems(source: str) -> list[Problem]:
    """Syntax in ``source`` that Python 3.10 rejects, with 1-based line numbers."""
    try:
        tree: ast.Module | None = ast.parse(source, feature_version=(3, 10))
        error: SyntaxError | None = None
    except SyntaxError as exc:
        error = exc
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError):
            tree = None
    except (ValueError, RecursionError) as exc:
        return [Problem(0, f"cannot be parsed: {exc}")]
    return problems_in(source, tree, error)


# Constructs Python 3.10's grammar (feature_version) lets through, so found by a tree walk;
# the walk runs only when the text could hold one of them (each spells a `*`): a `*` after
# a `[` on its line, or `*name: *`. Two patterns, each starting with a literal character,
# search faster than one alternation.
_MAY_NEED_WALK = (re.compile(r"\[[^\]\n]*\*"), re.compile(r"\*\s*\w+\s*:\s*\*"))
# PEP 701 f-strings are tokens of their own from Python 3.12 on (see _fstring_problems).
_FSTRING_START: int | None = getattr(tokenize, "FSTRING_START", None)
# An f-string's first token spells its prefix (f, with or without r, in either order) and
# its quote: a text without this holds no f-string, and tokenizing it finds nothing.
_MAY_HOLD_FSTRING = re.compile(r"[fF][rR]?[\"']") if _FSTRING_START is not None else None


def problems_in(source: str, tree: ast.Module | None, error: SyntaxError | None) -> list[Problem]:
    """:func:`syntax_problems` from a parse the caller already has: ``tree`` (``None`` when the
    file does not parse at all) and ``error``, why Python 3.10's grammar rejects it."""
    if tree is None:
        line = (error.lineno or 0) if error else 0
        reason = error.msg if error else "invalid syntax"
        return [Problem(line, f"{_guess(source, line)}Python 3.10 cannot parse it: {reason}")]
    problems: list[Problem] = []
    if (
        error is not None
        or sys.version_info >= (3, 14)
        or ("*" in source and any(pattern.search(source) for pattern in _MAY_NEED_WALK))
    ):
        problems.extend(_tree_problems(tree, source))
    if _FSTRING_START is not None:
        problems.extend(_fstring_problems(source))
    if not problems:  # most modules: nothing to sort
        if error is not None:
            return [Problem(error.lineno or 0, f"{error.msg} (Python 3.10 is the Space's)")]
        return problems
    seen: set[int] = set()
    unique = []
    for problem in sorted(problems, key=lambda p: p.line):
        if problem.line not in seen:
            seen.add(problem.line)
            unique.append(problem)
    return unique


def _tree_problems(tree: ast.AST, source: str) -> Iterator[Problem]:
    lines: list[str] | None = None
    uneventful = _UNEVENTFUL
    for node in _nodes(tree):
        if type(node) in uneventful:
            continue
        if isinstance(node, ast.Subscript):
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if any(isinstance(e, ast.Starred) for e in elements):
                yield Problem(node.lineno, "`*` unpacking in a subscript needs Python 3.11")
        elif isinstance(node, ast.arguments) and node.vararg is not None:
            if isinstance(node.vararg.annotation, ast.Starred):
                yield Problem(node.vararg.lineno, "a `*args: *Ts` annotation needs Python 3.11")
        elif type(node).__name__ == "TemplateStr":
            yield Problem(getattr(node, "lineno", 0), "a template string (t-string) needs 3.14")
        elif isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Tuple):
            if lines is None:
                lines = source.splitlines()
            text = lines[node.type.lineno - 1][node.type.col_offset :]
            if not text.lstrip().startswith("("):
                yield Problem(node.lineno, "`except A, B:` without parentheses needs 3.14")
        elif type(node).__name__ == "TryStar":
            for handler in getattr(node, "handlers", []):
                yield Problem(handler.lineno, "`except*` needs Python 3.11")
        elif type(node).__name__ == "TypeAlias":
            yield Problem(getattr(node, "lineno", 0), "a `type` statement needs Python 3.12")
        elif getattr(node, "type_params", None):
            yield Problem(getattr(node, "lineno", 0), "a type parameter list needs Python 3.12")


def _nodes(tree: ast.AST) -> list[ast.AST]:
    """The nodes of ``tree`` :func:`_tree_problems` may have something to say about, in
    :func:`ast.walk`'s order (breadth first, children in field order), found without its
    generators and without the leaves (names, constants, operators, contexts), which have
    nothing to say and no children: the walk meets every node of a large module."""
    found = [tree]
    append = found.append
    node_type = ast.AST
    leaves = _LEAVES
    for node in found:  # grows while it is read: the list is the queue
        for name in node._fields:
            try:
                value = getattr(node, name)
            except AttributeError:
                continue
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type) and type(item) not in leaves:
                        append(item)
            elif isinstance(value, node_type) and type(value) not in leaves:
                append(value)
    return found


def _leaves() -> frozenset[type]:
    """``ast`` node classes that never have a node below them."""
    childless = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
    return frozenset(
        cls for cls in vars(ast).values() if isinstance(cls, type) and issubclass(cls, childless)
    ) | {ast.Name, ast.Constant, ast.alias}


_LEAVES = _leaves()


def _uneventful() -> frozenset[type]:
    """The ``ast`` node classes :func:`_tree_problems` has nothing to say about: not one
    the walk tests, and without type parameters."""
    tested = (ast.Subscript, ast.arguments, ast.ExceptHandler)
    return frozenset(
        cls
        for cls in vars(ast).values()
        if isinstance(cls, type)
        and issubclass(cls, ast.AST)
        and not issubclass(cls, tested)
        and cls.__name__ not in {"TemplateStr", "TryStar", "TypeAlias"}
        and "type_params" not in cls._fields
    )


_UNEVENTFUL = _uneventful()


def _fstring_problems(source: str) -> Iterator[Problem]:
    """PEP 701 f-strings, which parse only on 3.12+ (so only a 3.12+ hffix sees them here)."""
    start_type = _FSTRING_START
    if start_type is None or _MAY_HOLD_FSTRING is None:
        return  # before 3.12 an f-string is one STRING token, checked by the parser
    if not _MAY_HOLD_FSTRING.search(source):
        return  # most modules: tokenizing one costs more than parsing it
    try:
        tokens = list(tokenize.generate_tokens(StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return
    depth = 0
    quote = ""
    for token in tokens:
        if token.type == start_type:
            depth += 1
            if depth == 1:
                quote = token.string.lstrip("fFrRbBtT")
            elif quote and token.string.lstrip("fFrRbBtT") == quote:
                yield Problem(token.start[0], "an f-string nested in the same quotes needs 3.12")
        elif token.type == getattr(tokenize, "FSTRING_END", -1):
            depth -= 1
        elif depth and token.type == tokenize.STRING and quote:
            body = token.string.lstrip("fFrRbBuU")
            if body.startswith(quote) or (len(quote) == 1 and body.startswith(quote * 3)):
                yield Problem(token.start[0], "reusing the f-string's quotes needs Python 3.12")
            elif "\\" in token.string:
                yield Problem(token.start[0], "a backslash in an f-string expression needs 3.12")
        elif depth and token.type == tokenize.COMMENT:
            yield Problem(token.start[0], "a comment inside an f-string needs Python 3.12")


@dataclass(frozen=True)
class NewerName:
    line: int
    what: str  # e.g. "`enum.StrEnum`"
    version: str
    node: ast.stmt | None  # the import statement, when the name comes from one


def _is_version_check(test: ast.expr) -> bool:
    return any(
        isinstance(n, ast.Attribute) and n.attr in {"version_info", "PY311", "PY310"}
        for n in ast.walk(test)
    )


def _catches_import_error(handlers: list[ast.ExceptHandler]) -> bool:
    for handler in handlers:
        if handler.type is None:
            return True
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(getattr(t, "id", getattr(t, "attr", "")) in _IMPORT_ERRORS for t in types):
            return True
    return False


_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


class _NewerNames(ast.NodeVisitor):
    """Collects uses of newer modules and names that run unguarded on 3.10."""

    def __init__(self) -> None:
        self.found: list[NewerName] = []
        self.aliases: dict[str, str] = {}
        self.bound: set[str] = set()
        self.guarded = 0
        self.pending_builtins: list[ast.Name] = []

    def _add(self, line: int, what: str, version: str, node: ast.stmt | None) -> None:
        if not self.guarded:
            self.found.append(NewerName(line, what, version, node))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.bound.add(alias.asname or alias.name.split(".")[0])
            version = newer_module(alias.name)
            if version:
                self._add(node.lineno, f"`{alias.name}`", version, node)
            else:
                self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.bound.add(alias.asname or alias.name)
        if not node.module or node.level:
            return
        version = newer_module(node.module)
        if version:
            self._add(node.lineno, f"`{node.module}`", version, node)
            return
        table = NEWER_NAMES.get(node.module, {})
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            if alias.name in table:
                self._add(node.lineno, f"`{full}`", table[alias.name], None)
            elif newer_module(full):
                self._add(node.lineno, f"`{full}`", str(newer_module(full)), None)

    def visit_Try(self, node: ast.Try) -> None:
        guard = _catches_import_error(node.handlers)
        self.guarded += guard
        for stmt in node.body:
            self.visit(stmt)
        self.guarded -= guard
        for part in (node.handlers, node.orelse, node.finalbody):
            for child in part:
                self.visit(child)

    def visit_If(self, node: ast.If) -> None:
        guard = _is_version_check(node.test) or (
            isinstance(node.test, (ast.Name, ast.Attribute))
            and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
        )
        self.guarded += guard
        self.generic_visit(node)
        self.guarded -= guard

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name):
            module = self.aliases.get(node.value.id)
            version = NEWER_NAMES.get(module or "", {}).get(node.attr)
            if module and version:
                self._add(node.lineno, f"`{module}.{node.attr}`", version, None)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in NEWER_BUILTINS and isinstance(node.ctx, ast.Load):
            self.pending_builtins.append(node)


def may_use_newer_names(source: str, uses: Iterable[ImportUse]) -> bool:
    """Cheap test: could :func:`newer_names` find anything in this module? From its imports
    (``uses``: the session's IMPORTS of it) and plain substring tests, never a walk of the
    tree: a newer module or ``from`` import shows in the imports, ``module.name`` needs the
    module imported and the text to spell the name after it, and a newer builtin needs its
    name in the text."""
    for name in _BUILTIN_NEEDLES:
        if name in source:
            return True
    for use in uses:
        module = use.module
        if use.level or not module:
            continue
        if newer_module(module):
            return True
        table = NEWER_NAMES.get(module)
        if use.names:
            # ``from module import name``: a newer submodule (``module`` itself is not newer,
            # so only ``module.name`` can be) or a newer name of the module.
            children = _NEWER_CHILDREN.get(module)
            if (children or table) and any(
                (children and n in children) or (table and n in table) for n in use.names
            ):
                return True
        elif table and any(name in source for name in table):
            return True  # `import typing` and the text names one of its newer names
    return False


# NEWER_BUILTINS to look for in a text: a name holding another one (BaseExceptionGroup
# holds ExceptionGroup) is found by that one's test.
_BUILTIN_NEEDLES = tuple(
    name for name in NEWER_BUILTINS if not any(o != name and o in name for o in NEWER_BUILTINS)
)


def _newer_children() -> dict[str, frozenset[str]]:
    """The newer modules of NEWER_MODULES inside a package, by the package:
    ``{"wsgiref": {"types"}}``."""
    children: dict[str, set[str]] = {}
    for dotted in NEWER_MODULES:
        package, _, child = dotted.rpartition(".")
        if package:
            children.setdefault(package, set()).add(child)
    return {package: frozenset(names) for package, names in children.items()}


_NEWER_CHILDREN = _newer_children()


def newer_names(tree: ast.Module) -> list[NewerName]:
    """Standard-library modules, names and builtins newer than 3.10 that run unguarded."""
    visitor = _NewerNames()
    visitor.visit(tree)
    for node in visitor.pending_builtins:
        if node.id not in visitor.bound:
            visitor.found.append(
                NewerName(node.lineno, f"`{node.id}`", NEWER_BUILTINS[node.id], None)
            )
    return sorted(visitor.found, key=lambda n: n.line)
