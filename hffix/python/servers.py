"""Recognising code that starts an ASGI server itself, on the concrete syntax tree.

Names are resolved through the module's imports (:class:`hffix.python.importmap.ImportMap`),
so ``import uvicorn as uv; uv.run(...)`` and ``from uvicorn import run as serve; serve(...)``
are both ``uvicorn.run``. Used by HF002 (the calls) and HF003 (``__main__`` blocks).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, TypeAlias

from hffix.python.names import find_all

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import QualifiedName

# Functions that run a server until it stops.
SERVER_FUNCTIONS = frozenset(
    {"uvicorn.run", "uvicorn.main.run", "hypercorn.asyncio.serve", "hypercorn.trio.serve"}
)
# Classes whose instances start a server with .run() / .serve().
SERVER_CLASSES = frozenset({"uvicorn.Server", "uvicorn.server.Server"})
# Configuration objects that only feed a server.
SERVER_CONFIGS = frozenset({"uvicorn.Config", "uvicorn.config.Config", "hypercorn.config.Config"})
SERVER_METHODS = frozenset({"run", "serve"})
# Functions that drive a coroutine to completion: asyncio.run(server.serve()).
COROUTINE_RUNNERS = frozenset({"asyncio.run", "anyio.run", "trio.run", "uvloop.run"})
LOOP_RUNNERS = frozenset({"run_until_complete"})
# Module prefixes whose imports exist only to start a server.
SERVER_MODULES = ("uvicorn", "hypercorn", "gunicorn")


def is_server_module(module: str) -> bool:
    """``uvicorn``, ``uvicorn.config``, ...: a module of a server package (whose imports may
    go once the server start that used them is removed)."""
    return module.split(".")[0] in SERVER_MODULES


# Words that reveal a shell command starting a server.
SERVER_COMMANDS = ("uvicorn", "gunicorn", "hypercorn", "fastapi run", "fastapi dev")

NameResolver: TypeAlias = Callable[["cst.CSTNode"], Collection["QualifiedName"]]


def qualified(resolve: NameResolver, node: cst.CSTNode, names: Collection[str]) -> bool:
    return any(q.name in names for q in resolve(node))


def server_variables(
    module: cst.Module, resolve: NameResolver, text: str | None = None
) -> frozenset[str]:
    """Names bound anywhere in ``module`` to ``uvicorn.Server(...)``. ``text``, the module's
    source, spares the walk when it does not even spell ``Server``."""
    import libcst as cst

    if text is not None and "Server" not in text:
        return frozenset()
    found: set[str] = set()
    for assign in find_all(module, cst.Assign):
        value = assign.value
        if not isinstance(value, cst.Call) or not qualified(resolve, value.func, SERVER_CLASSES):
            continue
        for target in assign.targets:
            if isinstance(target.target, cst.Name):
                found.add(target.target.value)
    return frozenset(found)


def is_server_call(call: cst.Call, resolve: NameResolver, servers: Collection[str]) -> bool:
    """``uvicorn.run(...)``, ``uvicorn.Server(cfg).run()``, ``server.serve()`` and the like."""
    import libcst as cst

    func = call.func
    if qualified(resolve, func, SERVER_FUNCTIONS):
        return True
    if isinstance(func, cst.Attribute) and func.attr.value in SERVER_METHODS:
        owner = func.value
        if isinstance(owner, cst.Name) and owner.value in servers:
            return True
        if isinstance(owner, cst.Call) and qualified(resolve, owner.func, SERVER_CLASSES):
            return True
    return False


def unwrap_runner(expr: cst.BaseExpression, resolve: NameResolver) -> cst.BaseExpression:
    """``await X``, ``asyncio.run(X)`` and ``loop.run_until_complete(X)`` → ``X``."""
    import libcst as cst

    if isinstance(expr, cst.Await):
        return expr.expression
    if isinstance(expr, cst.Call) and len(expr.args) == 1:
        func = expr.func
        if qualified(resolve, func, COROUTINE_RUNNERS) or (
            isinstance(func, cst.Attribute) and func.attr.value in LOOP_RUNNERS
        ):
            return expr.args[0].value
    return expr


def is_server_statement(
    stmt: cst.BaseSmallStatement, resolve: NameResolver, servers: Collection[str]
) -> bool:
    """An expression statement whose whole job is to start a server."""
    import libcst as cst

    if not isinstance(stmt, cst.Expr):
        return False
    inner = unwrap_runner(stmt.value, resolve)
    return isinstance(inner, cst.Call) and is_server_call(inner, resolve, servers)


def launches_server_process(stmt: cst.BaseSmallStatement) -> bool:
    """``os.system("uvicorn main:app")``, ``subprocess.run(["uvicorn", ...])`` and the like."""
    import libcst as cst

    if not isinstance(stmt, cst.Expr):
        return False
    for string in find_all(stmt, cst.SimpleString):
        text = string.evaluated_value
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        if any(text.strip().startswith(word) for word in SERVER_COMMANDS):
            return True
    return False


def is_main_guard(node: cst.CSTNode) -> bool:
    """``if __name__ == "__main__":`` (either operand order, either quote style)."""
    import libcst as cst

    if not isinstance(node, cst.If):
        return False
    test = node.test
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return False
    comparison = test.comparisons[0]
    if not isinstance(comparison.operator, cst.Equal):
        return False
    operands = [test.left, comparison.comparator]
    names = [o for o in operands if isinstance(o, cst.Name) and o.value == "__name__"]
    strings = [
        o for o in operands if isinstance(o, cst.SimpleString) and o.evaluated_value == "__main__"
    ]
    return len(names) == 1 and len(strings) == 1


def imports_server(tree: ast.Module) -> bool:
    """Cheap gate on the shared ``ast``: does the module import a server package anywhere?"""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] in SERVER_MODULES for alias in node.names):
                return True
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").split(".")[0] in SERVER_MODULES
        ):
            return True
    return False


def has_main_guard(tree: ast.Module) -> bool:
    """Cheap gate on the shared ``ast``: a module-level ``if __name__ == "__main__":``?"""
    for node in tree.body:
        if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
            continue
        test = node.test
        operands = [test.left, *test.comparators]
        if len(operands) != 2 or not isinstance(test.ops[0], ast.Eq):
            continue
        if any(isinstance(o, ast.Name) and o.id == "__name__" for o in operands) and any(
            isinstance(o, ast.Constant) and o.value == "__main__" for o in operands
        ):
            return True
    return False
