"""Code that reads (or writes) environment variables, recognised on the concrete syntax tree.

Reads: ``os.getenv("X", default)``, ``os.environ.get("X", default)``, ``os.environ["X"]``,
python-decouple's ``config("X", default=...)``, environs / django-environ's ``env("X")``
and ``env.str("X", ...)``. Writes: ``os.environ["X"] = ...`` and
``os.environ.setdefault("X", ...)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.python.servers import NameResolver, qualified

if TYPE_CHECKING:
    import libcst as cst

GETTERS = frozenset({"os.getenv", "os.environ.get", "decouple.config"})
SETDEFAULT = frozenset({"os.environ.setdefault"})
ENVIRON = frozenset({"os.environ"})
# environs / django-environ instances are usually called ``env``.
_ENV_OBJECT_METHODS = frozenset(
    {"str", "int", "bool", "float", "list", "dict", "json", "url", "db", "db_url", "path"}
)
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class EnvCall:
    """A call that reads or sets one variable."""

    variable: str
    default: cst.Arg | None  # the argument holding the default value, if any
    setdefault: bool = False  # os.environ.setdefault(...)


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain (non-f, non-bytes) string literal, else None."""
    import libcst as cst

    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_env_object_call(func: cst.BaseExpression) -> bool:
    import libcst as cst

    if isinstance(func, cst.Name):
        return func.value == "env"
    return (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == "env"
        and func.attr.value in _ENV_OBJECT_METHODS
    )


def env_call(call: cst.Call, resolve: NameResolver) -> EnvCall | None:
    """The variable ``call`` reads (or sets by default), with its default argument."""
    if not call.args:
        return None
    setdefault = qualified(resolve, call.func, SETDEFAULT)
    if not (setdefault or qualified(resolve, call.func, GETTERS) or _is_env_object_call(call.func)):
        return None
    first = call.args[0]
    if first.keyword is not None or first.star:
        return None
    variable = string_value(first.value)
    if variable is None or not _VARIABLE.match(variable):
        return None
    default: cst.Arg | None = None
    for index, arg in enumerate(call.args[1:], start=1):
        if arg.star:
            return None
        if (arg.keyword is None and index == 1) or (
            arg.keyword is not None and arg.keyword.value in ("default", "value")
        ):
            default = arg
    return EnvCall(variable, default, setdefault)


def environ_subscript(node: cst.BaseExpression, resolve: NameResolver) -> str | None:
    """``X`` for ``os.environ["X"]``."""
    import libcst as cst

    if not isinstance(node, cst.Subscript) or not qualified(resolve, node.value, ENVIRON):
        return None
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    variable = string_value(node.slice[0].slice.value)
    return variable if variable is not None and _VARIABLE.match(variable) else None
