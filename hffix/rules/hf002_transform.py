"""HF002's libcst transformer: a module of its own, imported (with libcst) only once a
module that imports a server is to be rewritten."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from hffix.findings import Status
from hffix.python.importmap import ImportMap
from hffix.python.imports import freed_imports
from hffix.python.names import NameUses, assigned_names, find_all
from hffix.python.positions import Positions
from hffix.python.removal import RemovesStatements
from hffix.python.servers import (
    SERVER_CLASSES,
    SERVER_CONFIGS,
    NameResolver,
    is_server_call,
    is_server_module,
    is_server_statement,
    qualified,
    server_variables,
)
from hffix.rules.base import RuleContext
from hffix.rules.hf002_server_start import ServerStartCall


@dataclass(frozen=True)
class _Issue:
    line: int
    col: int
    message: str
    status: Status


class StripServerStarts(RemovesStatements):
    """Removes the server starts of one module (visit that module with it)."""

    def __init__(self, rule_ctx: RuleContext, path: str, module: cst.Module) -> None:
        super().__init__()
        self._names = ImportMap(module)
        self._positions = Positions(module)
        self.rule_ctx = rule_ctx
        self.path = path
        self.issues: list[_Issue] = []
        self._doomed: set[cst.CSTNode] = set()  # ids of original small statements to remove

    def _describe(self, call: cst.Call) -> str:
        head = self._tree.code_for_node(call.func)
        return f"{head}()" if len(head) < 60 else "server start"

    def visit_Module(self, node: cst.Module) -> None:
        self._tree = node
        servers = server_variables(node, self._names)
        starts: list[cst.BaseSmallStatement] = []
        in_statements: set[cst.CSTNode] = set()
        feeders: list[cst.BaseSmallStatement] = []
        lines = [*_statement_lines(node)]
        for line in lines:
            for stmt in line.body:
                if is_server_statement(stmt, self._names, servers):
                    call = next(n for n in _calls(stmt) if is_server_call(n, self._names, servers))
                    in_statements.add(call)
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
            if call in in_statements or not is_server_call(call, self._names, servers):
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
        self._doomed = {s for s in starts}
        if starts:
            removed = self._doom_feeders(node, starts, feeders)
            # Only the server package's own imports go with it (see freed_imports).
            self.freed = freed_imports(node, removed, only=is_server_module)
            self._doomed.update(s for s in self.freed.statements)

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
                if stmt in self._doomed:
                    continue
                names = assigned_names(stmt)
                if names and all(uses.only_within(n, [*doomed, stmt]) for n in names):
                    doomed.append(stmt)
                    self._doomed.add(stmt)
                    changed = True
        return doomed

    def doomed(self, line: cst.SimpleStatementLine | cst.SimpleStatementSuite) -> list[bool]:
        return [s in self._doomed for s in line.body]


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
