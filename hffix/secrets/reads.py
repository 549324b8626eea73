"""Every environment variable a module reads: the content of ``.env.example``."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedName

from hffix.python.importmap import ImportMap, walk_statements
from hffix.secrets.envreads import env_call, environ_subscript
from hffix.secrets.settings import settings_classes, settings_fields


class _Reads(cst.CSTVisitor):
    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.found: set[str] = set()
        self._written: set[int] = set()
        self._imports = ImportMap(module)

    def _names(self, node: cst.CSTNode) -> set[QualifiedName]:
        return self._imports(node)

    def visit_Module(self, node: cst.Module) -> None:
        settings = settings_classes(node, self._names)
        for klass in walk_statements(node) if settings else ():
            if not isinstance(klass, cst.ClassDef):
                continue
            info = settings.get(klass.name.value)
            if info is not None:
                self.found.update(settings_fields(klass, info, self._names))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._written.add(id(node.target))  # os.environ["X"] = ... sets X, it does not read it

    def visit_Call(self, node: cst.Call) -> None:
        read = env_call(node, self._names)
        if read is not None:
            self.found.add(read.variable)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if id(node) not in self._written:
            variable = environ_subscript(node, self._names)
            if variable is not None:
                self.found.add(variable)


def variables_read(module: cst.Module) -> set[str]:
    """Names read through ``os.getenv`` / ``os.environ`` / decouple / environs calls, and
    the variables behind the fields of pydantic-settings classes."""
    visitor = _Reads(module)
    module.visit(visitor)
    return visitor.found
