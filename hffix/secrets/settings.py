"""pydantic-settings classes: which environment variable each field reads.

A class is a settings class when it derives from ``pydantic_settings.BaseSettings`` (or
pydantic v1's ``BaseSettings``), directly or through another settings class of the same
module. A field reads ``env_prefix + NAME`` (upper-cased unless ``case_sensitive=True``),
or its ``validation_alias`` / ``alias`` / v1 ``env=`` as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.python.importmap import walk_statements
from hffix.python.names import find_all
from hffix.python.servers import NameResolver, qualified
from hffix.secrets.envreads import string_value

if TYPE_CHECKING:
    import libcst as cst

SETTINGS_BASES = frozenset(
    {
        "pydantic_settings.BaseSettings",
        "pydantic_settings.main.BaseSettings",
        "pydantic.BaseSettings",
        "pydantic.v1.BaseSettings",
        "pydantic.env_settings.BaseSettings",
    }
)
MODEL_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel", "sqlmodel.SQLModel"})
FIELD_FUNCTIONS = frozenset(
    {
        "pydantic.Field",
        "pydantic.fields.Field",
        "pydantic.v1.Field",
        "sqlmodel.Field",
        "dataclasses.field",
        "pydantic.dataclasses.Field",
    }
)
_ALIAS_KEYWORDS = ("validation_alias", "alias", "env")


@dataclass(frozen=True)
class SettingsClass:
    name: str
    prefix: str = ""
    case_sensitive: bool = False

    def variable(self, field: str, alias: str | None = None) -> str:
        """The environment variable the field ``field`` reads."""
        if alias:
            return alias if self.case_sensitive else alias.upper()
        name = self.prefix + field
        return name if self.case_sensitive else name.upper()


def _is_name(node: cst.CSTNode, name: str) -> bool:
    import libcst as cst

    return isinstance(node, cst.Name) and node.value == name


def _config_values(body: cst.BaseSuite) -> dict[str, object]:
    """``env_prefix`` / ``case_sensitive`` from ``model_config = SettingsConfigDict(...)``,
    a ``model_config = {...}`` dict, or a v1 ``class Config:``."""
    import libcst as cst

    found: dict[str, object] = {}
    for stmt in getattr(body, "body", ()):
        if isinstance(stmt, cst.ClassDef) and stmt.name.value == "Config":
            for assign in find_all(stmt, cst.Assign):
                target = assign.targets[0].target
                if len(assign.targets) == 1 and isinstance(target, cst.Name):
                    found[target.value] = _literal(assign.value)
            continue
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            value: cst.BaseExpression | None = None
            if (
                isinstance(small, cst.Assign) and _is_name(small.targets[0].target, "model_config")
            ) or (isinstance(small, cst.AnnAssign) and _is_name(small.target, "model_config")):
                value = small.value
            if isinstance(value, cst.Call):
                for arg in value.args:
                    if arg.keyword is not None:
                        found[arg.keyword.value] = _literal(arg.value)
            elif isinstance(value, cst.Dict):
                for element in value.elements:
                    if isinstance(element, cst.DictElement):
                        key = string_value(element.key)
                        if key is not None:
                            found[key] = _literal(element.value)
    return found


def _literal(node: cst.BaseExpression | None) -> object:
    import libcst as cst

    text = string_value(node)
    if text is not None:
        return text
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def settings_classes(module: cst.Module, resolve: NameResolver) -> dict[str, SettingsClass]:
    """Settings classes of ``module`` by class name (nested classes included)."""
    import libcst as cst

    found: dict[str, SettingsClass] = {}
    for node in walk_statements(module):
        if not isinstance(node, cst.ClassDef):
            continue
        inherited: SettingsClass | None = None
        for base in node.bases:
            if base.keyword is not None:
                continue
            if qualified(resolve, base.value, SETTINGS_BASES):
                inherited = inherited or SettingsClass(node.name.value)
            elif isinstance(base.value, cst.Name) and base.value.value in found:
                inherited = found[base.value.value]
        if inherited is None:
            continue
        config = _config_values(node.body)
        prefix = config.get("env_prefix", inherited.prefix)
        case = config.get("case_sensitive", inherited.case_sensitive)
        found[node.name.value] = SettingsClass(
            node.name.value,
            prefix if isinstance(prefix, str) else "",
            case if isinstance(case, bool) else False,
        )
    return found


def field_alias(call: cst.Call) -> str | None:
    """The variable name a ``Field(...)`` call gives explicitly, if any."""
    for keyword in _ALIAS_KEYWORDS:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                value = string_value(arg.value)
                if value is not None:
                    return value
    return None


def is_field_call(node: cst.BaseExpression, resolve: NameResolver) -> bool:
    import libcst as cst

    return isinstance(node, cst.Call) and qualified(resolve, node.func, FIELD_FUNCTIONS)
