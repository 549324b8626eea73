"""HF004's libcst transformer: a module of its own, imported (with libcst) only once a
module holds a port literal where the app's own port goes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import libcst as cst
from libcst.metadata import QualifiedName

from hffix.python.importmap import ImportMap
from hffix.python.positions import Positions
from hffix.python.servers import qualified
from hffix.rules.base import RuleContext
from hffix.rules.hf004_port import PORT_CALLS, VARIABLE, HardcodedPort, is_server_port_name
from hffix.secrets.envreads import env_call
from hffix.secrets.names import env_name
from hffix.secrets.settings import settings_classes

_NodeT = TypeVar("_NodeT", bound=cst.CSTNode)


@dataclass(frozen=True)
class _Issue:
    line: int
    col: int
    message: str


def _port_literal(node: cst.BaseExpression) -> str | None:
    """``"8000"`` for ``8000`` or ``"8000"``; None for anything else, and for port 0 (any
    free port, chosen by the system)."""
    text: str | None = None
    if isinstance(node, cst.Integer) and node.value.isdigit():
        text = str(int(node.value))
    elif isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, str) and value.isdigit() and len(value) <= 5:
            text = value
    return text if text is not None and 0 < int(text) < 65536 else None


def _env_port(port: str, as_int: bool, quote: str = '"') -> cst.BaseExpression:
    read = f"os.environ.get({quote}{VARIABLE}{quote}, {quote}{port}{quote})"
    return cst.parse_expression(f"int({read})" if as_int else read)


class Ports(cst.CSTTransformer):
    """Rewrites the ports of one module (visit that module with it, not a copy)."""

    def __init__(
        self, rule_ctx: RuleContext, path: str, module: cst.Module, *, other_service: bool = False
    ) -> None:
        super().__init__()
        # The module talks to another service: a bare `PORT` is that service's port.
        self._other_service = other_service
        self._positions = Positions(module)
        self._parents: list[cst.CSTNode] = []  # the nodes being visited, outermost first
        self.rule_ctx = rule_ctx
        self.path = path
        self.issues: list[_Issue] = []
        self.needs_os = False  # a fix reads os.environ
        self._settings: set[str] = set()
        self._imports: ImportMap | None = None
        self._class_depth: list[cst.ClassDef] = []
        self._function_depth = 0

    def _names(self, node: cst.CSTNode) -> set[QualifiedName]:
        return self._imports(node) if self._imports is not None else set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._parents.append(node)
        return super().on_visit(node)

    def on_leave(
        self, original_node: _NodeT, updated_node: _NodeT
    ) -> _NodeT | cst.RemovalSentinel | cst.FlattenSentinel[_NodeT]:
        self._parents.pop()
        return super().on_leave(original_node, updated_node)

    def _report(self, node: cst.CSTNode, port: str, where: str) -> bool:
        pos = self._positions.range(node)
        if not self.rule_ctx.allows(self.path, pos.start.line, pos.end.line):
            return False
        message = HardcodedPort.MESSAGE.format(port=port, where=where)
        message += f": now read from {VARIABLE}, with {port} as the local default"
        self.issues.append(_Issue(pos.start.line, pos.start.column + 1, message))
        return True

    def visit_Module(self, node: cst.Module) -> None:
        self._imports = ImportMap(node)
        self._settings = set(settings_classes(node, self._names))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_depth.append(node)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._class_depth.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._function_depth += 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self._function_depth -= 1
        return updated_node

    # ``uvicorn.run(app, port=8000)``; ``os.getenv("PORT", 8000)``
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if qualified(self._names, original_node.func, PORT_CALLS):
            args = list(updated_node.args)
            for index, arg in enumerate(original_node.args):
                if arg.keyword is None or arg.keyword.value != "port":
                    continue
                port = _port_literal(arg.value)
                if port is not None and self._report(arg, port, "`port=` of a server call"):
                    as_int = isinstance(arg.value, cst.Integer)
                    args[index] = args[index].with_changes(value=_env_port(port, as_int))
                    self.needs_os = True
            return updated_node.with_changes(args=args)
        read = env_call(original_node, self._names)
        if read is None or read.default is None or not is_server_port_name(read.variable):
            return updated_node
        if not isinstance(read.default.value, cst.Integer):
            return updated_node
        # on_leave has popped the call itself: its parent and grandparent are on top
        parent = self._parents[-1] if self._parents else None
        wrapper = self._parents[-2] if len(self._parents) > 1 else None
        if (
            isinstance(parent, cst.Arg)
            and isinstance(wrapper, cst.Call)
            and isinstance(wrapper.func, cst.Name)
            and wrapper.func.value == "int"
        ):
            return updated_node  # int(os.getenv("PORT", 8000)) is already right
        port = _port_literal(read.default.value)
        if port is None or not self._report(original_node, port, f"a `{read.variable}` read"):
            return updated_node
        index = next(i for i, a in enumerate(original_node.args) if a is read.default)
        args = list(updated_node.args)
        args[index] = args[index].with_changes(value=cst.SimpleString(f'"{port}"'))
        call = updated_node.with_changes(args=args)
        return cst.Call(func=cst.Name("int"), args=[cst.Arg(call)], lpar=call.lpar, rpar=call.rpar)

    # ``PORT = 8000``, ``api_port: int = 8000`` at module or class level
    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if len(original_node.targets) != 1:
            return updated_node
        value = self._constant(original_node.targets[0].target, original_node.value, original_node)
        return updated_node if value is None else updated_node.with_changes(value=value)

    def leave_AnnAssign(
        self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign
    ) -> cst.AnnAssign:
        if original_node.value is None:
            return updated_node
        value = self._constant(original_node.target, original_node.value, original_node)
        return updated_node if value is None else updated_node.with_changes(value=value)

    def _constant(
        self, target: cst.BaseExpression, value: cst.BaseExpression, node: cst.CSTNode
    ) -> cst.BaseExpression | None:
        if self._function_depth or not isinstance(target, cst.Name):
            return None
        if not is_server_port_name(target.value):
            return None
        if self._other_service and env_name(target.value) == VARIABLE:
            return None
        owner = self._class_depth[-1] if self._class_depth else None
        if owner is not None and owner.name.value in self._settings:
            return None  # pydantic-settings reads the environment already
        port = _port_literal(value)
        if port is None:
            return None
        where = f"`{target.value} = …`" if owner is None else f"`{owner.name.value}.{target.value}`"
        if not self._report(node, port, where):
            return None
        self.needs_os = True
        return _env_port(port, isinstance(value, cst.Integer))
