"""HF002: code that starts its own server (``uvicorn.run``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from hffix.findings import FixSafety, Status
from hffix.python import edits
from hffix.python.importmap import ImportMap
from hffix.python.imports import RemovesStatements, freed_imports
from hffix.python.names import NameUses, assigned_names, find_all
from hffix.python.positions import Positions
from hffix.python.servers import (
    SERVER_CLASSES,
    SERVER_CONFIGS,
    NameResolver,
    imports_server,
    is_server_call,
    is_server_statement,
    qualified,
    server_variables,
)
from hffix.rules.base import Example, Rule, RuleContext

NEEDLES = ("uvicorn", "hypercorn")


class ServerStartCall(Rule):
    """
    ## What it does
    Finds calls that start an ASGI server from Python code: `uvicorn.run(...)` through any
    import form (`import uvicorn as uv`, `from uvicorn import run as serve`, ...),
    `uvicorn.Server(config).run()` / `.serve()` (also awaited or passed to `asyncio.run`),
    and hypercorn's `serve`, wherever they are: module level, functions, `__main__` blocks
    and `__main__.py` modules. The call is removed, with the `uvicorn.Config` /
    `uvicorn.Server` objects that only fed it and the imports that become unused.

    ## Why it matters
    SP-HF-04: `main.py` MUST NOT call `uvicorn.run()`. The Space starts the ASGI `app`
    itself; a second server started at import time binds a port the platform does not
    route to, blocks the import, and crashes the Space (SP-HF-09, "App crash").

    ## Example
    ```python
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()
    uvicorn.run(app, host="0.0.0.0", port=8000)
    ```
    becomes
    ```python
    from fastapi import FastAPI

    app = FastAPI()
    ```

    ## Fix safety
    Safe. The call only ever starts a server, which the Space does instead. A call used as
    a value (`return uvicorn.run(...)`, `x = uvicorn.run(...)`) is reported and left alone;
    a block whose only statement was the call keeps a `pass`. Comments not attached to
    the removed lines are kept. Suppress with `# hffix: ignore[HF002]` on the call's line.
    """

    code = "HF002"
    name = "server-start-call"
    spec = "SP-HF-04"
    MESSAGE = "`{call}` starts its own server; the Space serves `app` itself"
    fixes = (FixSafety.SAFE, FixSafety.DISPLAY_ONLY)

    VALID = (
        Example.module(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/')\ndef root():\n"
            "    return {'status': 'ok'}\n"
        ),
        Example.module('HELP = "run with uvicorn.run(app)"\n'),
    )
    INVALID = (
        Example.module(
            "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
            "uvicorn.run(app, port=8000)\n",
            "from fastapi import FastAPI\n\napp = FastAPI()\n",
            codes=["HF002"],
        ),
        Example.module(
            "from uvicorn import run as serve\n\n\ndef start():\n    serve('main:app')\n",
            "def start():\n    pass\n",
            codes=["HF002"],
            path="server.py",
        ),
        Example.module(
            "import uvicorn\n\n\nasync def main(app):\n"
            "    config = uvicorn.Config(app, port=8000)\n"
            "    server = uvicorn.Server(config)\n"
            "    await server.serve()\n",
            "async def main(app):\n    pass\n",
            codes=["HF002"],
            path="serve.py",
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        for path, _text in ctx.python_files(*NEEDLES):
            if not ctx.in_space(path):
                continue  # a dev script or another service: the Space never runs it
            syntax = ctx.syntax(path)
            if syntax is not None and syntax.tree is not None and not imports_server(syntax.tree):
                continue  # mentions uvicorn, imports none of it: no need for the slow parse
            module = ctx.parse(path)
            if module is None:
                continue
            transformer = _StripServerStarts(ctx, path, module)
            result = edits.tidy_module_start(module, module.visit(transformer))
            keep = ctx.app_undecided
            for issue in transformer.issues:
                message, status = issue.message, issue.status
                if keep and status is not Status.MANUAL:
                    message = ctx.kept_message(message.split(";")[0])
                    status = Status.MANUAL
                ctx.report(path, message, status=status, line=issue.line, col=issue.col)
            fixed = any(i.status is Status.FIXED for i in transformer.issues)
            if fixed and not keep:
                ctx.session.replace_module(path, result)


@dataclass(frozen=True)
class _Issue:
    line: int
    col: int
    message: str
    status: Status


class _StripServerStarts(RemovesStatements):
    """Removes the server starts of one module (visit that module with it)."""

    def __init__(self, rule_ctx: RuleContext, path: str, module: cst.Module) -> None:
        super().__init__()
        self._names = ImportMap(module)
        self._positions = Positions(module)
        self.rule_ctx = rule_ctx
        self.path = path
        self.issues: list[_Issue] = []
        self._doomed: set[int] = set()  # ids of original small statements to remove

    def _describe(self, call: cst.Call) -> str:
        head = self._tree.code_for_node(call.func)
        return f"{head}()" if len(head) < 60 else "server start"

    def visit_Module(self, node: cst.Module) -> None:
        self._tree = node
        servers = server_variables(node, self._names)
        starts: list[cst.BaseSmallStatement] = []
        in_statements: set[int] = set()
        feeders: list[cst.BaseSmallStatement] = []
        lines = [*_statement_lines(node)]
        for line in lines:
            for stmt in line.body:
                if is_server_statement(stmt, self._names, servers):
                    call = next(n for n in _calls(stmt) if is_server_call(n, self._names, servers))
                    in_statements.add(id(call))
                    pos = self._positions.range(stmt)
                    if not self.rule_ctx.allows(self.path, pos.start.line, pos.end.line):
                        continue
                    starts.append(stmt)
                    self.issues.append(
                        _Issue(
                            pos.start.line,
                            pos.start.column + 1,
                            ServerStartCall.MESSAGE.format(call=self._describe(call)),
                            Status.FIXED,
                        )
                    )
                elif _feeds_server(stmt, self._names):
                    feeders.append(stmt)
        for call in _calls(node):
            if id(call) in in_statements or not is_server_call(call, self._names, servers):
                continue
            pos = self._positions.range(call)
            if self.rule_ctx.allows(self.path, pos.start.line, pos.end.line):
                self.issues.append(
                    _Issue(
                        pos.start.line,
                        pos.start.column + 1,
                        ServerStartCall.MESSAGE.format(call=self._describe(call))
                        + "; it is used as a value, so remove it by hand",
                        Status.MANUAL,
                    )
                )
        self._doomed = {id(s) for s in starts}
        if starts:
            removed = self._doom_feeders(node, starts, feeders)
            self.freed = freed_imports(node, removed)
            self._doomed.update(id(s) for s in self.freed.statements)

    def _doom_feeders(
        self,
        node: cst.Module,
        starts: Sequence[cst.BaseSmallStatement],
        feeders: Sequence[cst.BaseSmallStatement],
    ) -> list[cst.BaseSmallStatement]:
        """Also remove ``uvicorn.Config``/``uvicorn.Server`` objects used by nothing else;
        returns every statement to remove."""
        uses = NameUses.of(node)
        doomed = list(starts)
        changed = True
        while changed:
            changed = False
            for stmt in feeders:
                if id(stmt) in self._doomed:
                    continue
                names = assigned_names(stmt)
                if names and all(uses.only_within(n, [*doomed, stmt]) for n in names):
                    doomed.append(stmt)
                    self._doomed.add(id(stmt))
                    changed = True
        return doomed

    def doomed(self, line: cst.SimpleStatementLine | cst.SimpleStatementSuite) -> list[bool]:
        return [id(s) in self._doomed for s in line.body]


def _statement_lines(
    node: cst.CSTNode,
) -> list[cst.SimpleStatementLine | cst.SimpleStatementSuite]:
    return find_all(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite))


def _calls(node: cst.CSTNode) -> list[cst.Call]:
    return find_all(node, cst.Call)


def _feeds_server(stmt: cst.BaseSmallStatement, resolve: NameResolver) -> bool:
    """``config = uvicorn.Config(...)`` or ``server = uvicorn.Server(config)``."""
    if not isinstance(stmt, cst.Assign) or not isinstance(stmt.value, cst.Call):
        return False
    names = SERVER_CLASSES | SERVER_CONFIGS
    return qualified(resolve, stmt.value.func, names)
