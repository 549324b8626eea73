"""Every environment variable a module reads: the content of ``.env.example``."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from hffix.python.importmap import ImportMap, walk_statements
from hffix.python.walk import iter_nodes
from hffix.secrets.envreads import env_call, environ_subscript
from hffix.secrets.settings import settings_classes, settings_fields

if TYPE_CHECKING:
    import libcst as cst


def variables_read(module: cst.Module) -> set[str]:
    """Names read through ``os.getenv`` / ``os.environ`` / decouple / environs calls, and
    the variables behind the fields of pydantic-settings classes."""
    import libcst as cst

    names = ImportMap(module)
    found: set[str] = set()
    settings = settings_classes(module, names)
    for klass in walk_statements(module) if settings else ():
        if isinstance(klass, cst.ClassDef):
            info = settings.get(klass.name.value)
            if info is not None:
                found.update(settings_fields(klass, info, names))
    written: set[int] = set()  # os.environ["X"] = ... sets X, it does not read it
    for node in iter_nodes(module):  # an assignment's targets come before what they hold
        kind = type(node)  # libcst's leaf classes are final: no isinstance (an ABC check)
        if kind is cst.AssignTarget:
            written.add(id(cast(cst.AssignTarget, node).target))
        elif kind is cst.Call:
            read = env_call(cast(cst.Call, node), names)
            if read is not None:
                found.add(read.variable)
        elif kind is cst.Subscript and id(node) not in written:
            variable = environ_subscript(cast(cst.Subscript, node), names)
            if variable is not None:
                found.add(variable)
    return found
