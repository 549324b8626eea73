"""Every environment variable a module reads, and what a Space cannot give it.

Read from the shared ``ast`` (one walk per module, no libcst): the content of
``.env.example`` and of the report's lists of Space secrets and variables.

Reads (:class:`EnvRead`), each with whether the app has a value when it is unset:

* ``os.environ["X"]`` (none), ``os.environ.get("X", default)``, ``os.getenv("X", default)``,
  ``os.environ.setdefault("X", v)``, however ``os`` / ``environ`` / ``getenv`` are imported
  or aliased (``ENV = os.environ``);
* python-decouple's ``config("X", default=…)`` (and ``Config(...)`` / ``AutoConfig(...)``
  objects), environs and django-environ objects (``env("X")``, ``env.str("X", …)``,
  ``env.db()`` for ``DATABASE_URL``; ``environ.Env(DEBUG=(bool, False))`` declares defaults);
* ``dotenv_values(...)`` mappings: ``cfg["X"]``, ``cfg.get("X")``. Merged with
  ``os.environ`` (``{**dotenv_values(), **os.environ}``) they read the environment; alone
  they read a file a Space does not have (:class:`Unprovided`);
* pydantic-settings fields: ``env_prefix``, ``case_sensitive``, ``alias`` /
  ``validation_alias`` (``AliasChoices``: the first), v1's ``env=``, and with
  ``env_nested_delimiter`` the fields of a nested model of the same module (``DB__HOST``);
* calls of a function that passes its parameter to one of the above
  (``def require(name): return os.environ[name]``; :func:`wrappers_in`), and reads whose
  name is a loop variable over literal names (``for name in ("A", "B"): os.environ[name]``).

What a Space cannot provide (:class:`Unprovided`): Docker secret files
(``/run/secrets/…``), ``os.environ.clear()``, dotenv files loaded from a fixed absolute path
(``load_dotenv("/home/me/app/.env")``, ``SettingsConfigDict(env_file="/etc/app.env")``) and
``dotenv_values`` mappings that never look at the environment.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import cast

from hffix.python.astwalk import attribute_chain, nodes, string_value
from hffix.secrets.names import env_name
from hffix.secrets.settings import MODEL_BASES, SETTINGS_BASES  # one table for both parses

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ABSOLUTE = re.compile(r"^(?:/|~|[A-Za-z]:[\\/])")
DOCKER_SECRETS = "/run/secrets"
# Text a module reading the environment (or failing to) holds; others are never walked.
NEEDLES = (
    "environ",
    "getenv",
    "config(",
    "Config(",
    "env(",
    "env.",
    "Env(",
    "BaseSettings",
    "dotenv",
    "/run/secrets",
)

_GETTERS = frozenset({"os.getenv", "os.environ.get", "posix.getenv"})
_SETDEFAULT = frozenset({"os.environ.setdefault"})
_ENVIRON = frozenset({"os.environ", "posix.environ"})
_DECOUPLE_CALLS = frozenset({"decouple.config"})
_DECOUPLE_OBJECTS = frozenset({"decouple.Config", "decouple.AutoConfig"})
_ENV_OBJECTS = frozenset({"environs.Env", "environ.Env", "environ.environ.Env"})
_DOTENV_VALUES = frozenset({"dotenv.dotenv_values", "dotenv.main.dotenv_values"})
_DOTENV_LOADERS = frozenset(
    {"dotenv.load_dotenv", "dotenv.main.load_dotenv", "decouple.RepositoryEnv"}
)
_PATHS = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
# Methods of environs / django-environ objects that read one variable.
ENV_METHODS = frozenset(
    {
        "str",
        "int",
        "bool",
        "float",
        "decimal",
        "list",
        "tuple",
        "dict",
        "json",
        "url",
        "path",
        "date",
        "datetime",
        "timedelta",
        "uuid",
        "log_level",
        "enum",
        "db",
        "db_url",
        "cache",
        "cache_url",
        "email",
        "email_url",
        "search_url",
        "dj_db_url",
        "dj_cache_url",
        "dj_email_url",
        "get_value",
    }
)
# django-environ's URL readers and the variable each reads when given none.
_DEFAULT_VARIABLE = {
    "db": "DATABASE_URL",
    "db_url": "DATABASE_URL",
    "cache": "CACHE_URL",
    "cache_url": "CACHE_URL",
    "email": "EMAIL_URL",
    "email_url": "EMAIL_URL",
    "search_url": "SEARCH_URL",
}
_V1_BASES = frozenset({"pydantic.BaseSettings", "pydantic.v1.BaseSettings"})
_FIELDS = frozenset({"pydantic.Field", "pydantic.fields.Field", "pydantic.v1.Field", "Field"})
_ALIAS_CHOICES = frozenset({"pydantic.AliasChoices", "AliasChoices"})
_LEARNED = frozenset({ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class EnvRead:
    """One place that reads a variable. ``default``: the app has a value when it is unset."""

    variable: str
    line: int
    col: int  # 1-based
    default: bool
    file_only: bool = False  # read from a dotenv file (dotenv_values), never the environment


@dataclass(frozen=True)
class Unprovided:
    """Something the code expects that a Space cannot give it (see the module docstring)."""

    kind: str  # "docker-secret" | "environ-clear" | "fixed-env-file" | "dotenv-file"
    line: int
    col: int
    subject: str  # the path, or the code, the finding quotes
    variables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wrapper:
    """A function passing its parameter ``index`` to an environment read."""

    index: int
    keyword: str
    default: bool  # the read inside has a default


@dataclass
class EnvScan:
    reads: list[EnvRead] = field(default_factory=list)
    unprovided: list[Unprovided] = field(default_factory=list)


def may_read(text: str) -> bool:
    """False only when the module ``text`` can read no variable (nor fail to)."""
    return any(needle in text for needle in NEEDLES)


class ModuleNames:
    """Local names -> what they are (qualified names), from a module's imports and its
    assignments of environment objects (``env = Env()``, ``ENV = os.environ``)."""

    def __init__(self, tree: ast.Module | None = None) -> None:
        self.imports: dict[str, str] = {}
        self.bound: dict[str, str] = {}  # name -> "environ" | "decouple" | "environs" | "dotenv"
        self.merged: dict[str, bool] = {}  # dotenv mappings: merged with os.environ?
        self.bound_at: dict[str, ast.AST] = {}  # where each name was bound
        self.declared: dict[str, set[str]] = {}  # django-environ: Env(NAME=(type, default))
        if tree is not None:
            found = [n for n in ast.walk(tree) if type(n) in _LEARNED]
            self.learn(found)

    def learn(self, nodes: list[ast.AST]) -> None:
        """Take in ``nodes``: the module's imports and assignments, in the walk's order."""
        assignments: list[ast.Assign | ast.AnnAssign] = []
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.imports.setdefault(top, top)
            elif isinstance(node, ast.ImportFrom):
                if node.module and not node.level:
                    for alias in node.names:
                        self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                assignments.append(node)
        for node in assignments:  # after every import: `os` may be imported below
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name):
                self._bind(target.id, value)
                self.bound_at.setdefault(target.id, node)

    def _bind(self, name: str, value: ast.expr) -> None:
        qualified = self.qualified(value)
        if qualified in _ENVIRON:
            self.bound[name] = "environ"
            return
        if isinstance(value, ast.Dict):
            spread = [
                self.qualified(v.func) if isinstance(v, ast.Call) else self.qualified(v)
                for k, v in zip(value.keys, value.values, strict=True)
                if k is None
            ]
            if any(s in _DOTENV_VALUES for s in spread):
                self.bound[name] = "dotenv"
                self.merged[name] = any(s in _ENVIRON for s in spread)
            return
        if not isinstance(value, ast.Call):
            return
        callee = self.qualified(value.func)
        if callee in _DECOUPLE_OBJECTS:
            self.bound[name] = "decouple"
        elif callee in _ENV_OBJECTS:
            self.bound[name] = "environs"
            self.declared[name] = {k.arg for k in value.keywords if k.arg}
        elif callee in _DOTENV_VALUES:
            self.bound[name] = "dotenv"
            self.merged[name] = False

    def qualified(self, node: ast.AST) -> str | None:
        """``os.environ.get`` for ``environ.get`` after ``from os import environ``."""
        chain = attribute_chain(node)
        if chain is None:
            return None
        first, *rest = chain
        head = self.imports.get(first, first)
        if self.bound.get(first) == "environ":
            head = "os.environ"  # ENV = os.environ
        return ".".join([head, *rest])


def _variable(node: ast.AST | None) -> str | None:
    value = string_value(node)
    return value if value is not None and _VARIABLE.match(value) else None


def _has_default(node: ast.AST | None) -> bool:
    """A default argument that gives the app a value (``None`` gives it none)."""
    return node is not None and not (isinstance(node, ast.Constant) and node.value is None)


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    before = call.args[: index + 1]
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in before):
        return call.args[index]
    return None


class ModuleEnv:
    """What one walk of a module collects for reading its environment: its names, the
    calls, subscripts and strings to look at, its classes and functions, and the loop
    variables that take literal names. :meth:`wrappers` are the module's helpers passing a
    parameter to a read; :meth:`scan` reads, knowing every module's helpers."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.names = ModuleNames()
        self.calls: list[ast.Call] = []
        self.subscripts: list[ast.Subscript] = []
        self.strings: list[ast.Constant] = []  # string values, not bare strings (docstrings)
        self.classes: list[ast.ClassDef] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        # loop variable -> (first line, last line, the names it takes) of each loop
        self.loops: dict[str, list[tuple[int, int, list[str]]]] = {}
        learned: list[ast.AST] = []
        bare: set[ast.AST] = set()
        for node in _walk_with_loops(tree, self.loops, _literal_lists(tree.body)):
            kind = type(node)
            if kind is ast.Expr:
                bare.add(cast(ast.Expr, node).value)
            elif kind is ast.Call:
                self.calls.append(cast(ast.Call, node))
            elif kind is ast.Subscript:
                if isinstance(cast(ast.Subscript, node).ctx, ast.Load):
                    self.subscripts.append(cast(ast.Subscript, node))
            elif kind is ast.Constant:
                if isinstance(cast(ast.Constant, node).value, str) and node not in bare:
                    self.strings.append(cast(ast.Constant, node))
            elif kind in _LEARNED:
                learned.append(node)
            elif kind is ast.ClassDef:
                self.classes.append(cast(ast.ClassDef, node))
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                self.functions.append(cast("ast.FunctionDef | ast.AsyncFunctionDef", node))
        self.names.learn(learned)

    def wrappers(self) -> dict[str, Wrapper]:
        """Functions (and methods) that pass a parameter to an environment read:
        ``def get_env(name, default=None): return os.getenv(name, default)``."""
        passed: list[tuple[int, str, bool]] = []  # (line, parameter, the read has a default)
        for node in (*self.calls, *self.subscripts):
            found = _wrapping(node, self.names)
            if found is not None:
                passed.append((getattr(node, "lineno", 0), *found))
        wrappers: dict[str, Wrapper] = {}
        if not passed:
            return wrappers
        for function in self.functions:
            params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
            if params and params[0] in ("self", "cls"):
                params = params[1:]
            end = function.end_lineno or function.lineno
            for line, param, default in passed:
                if function.lineno <= line <= end and param in params:
                    wrappers.setdefault(function.name, Wrapper(params.index(param), param, default))
                    break
        return wrappers

    def scan(self, wrappers: Mapping[str, Wrapper] | None = None) -> EnvScan:
        """The reads and the unprovided expectations of the module."""
        return _Reader(self, wrappers or {}).run()


class _Reader:
    """One module's reads, from what :class:`ModuleEnv` collected."""

    def __init__(self, env: ModuleEnv, wrappers: Mapping[str, Wrapper]) -> None:
        self.env = env
        self.names = env.names
        self.wrappers = wrappers
        self.scan = EnvScan()
        self.loops = env.loops
        self._settings_values: set[ast.AST] = set()  # constants read by the settings pass
        self._file_reads: dict[str, list[str]] = {}  # unmerged dotenv mapping -> names read

    def add(self, variable: str, node: ast.AST, default: bool, *, file_only: bool = False) -> None:
        line = getattr(node, "lineno", 0)
        col = getattr(node, "col_offset", 0) + 1
        self.scan.reads.append(EnvRead(variable, line, col, default, file_only))

    def unprovided(self, kind: str, node: ast.AST, subject: str, *variables: str) -> None:
        line = getattr(node, "lineno", 0)
        col = getattr(node, "col_offset", 0) + 1
        self.scan.unprovided.append(Unprovided(kind, line, col, subject, tuple(variables)))

    def run(self) -> EnvScan:
        self._settings()
        for call in self.env.calls:
            self._call(call)
        for subscript in self.env.subscripts:
            self._subscript(subscript)
        for constant in self.env.strings:
            if constant not in self._settings_values:
                self._docker_secret(constant)
        self._dotenv_files()
        self.scan.reads.sort(key=lambda r: (r.line, r.col, r.variable))
        self.scan.unprovided.sort(key=lambda u: (u.line, u.col))
        return self.scan

    def _dotenv_files(self) -> None:
        """One :class:`Unprovided` per ``dotenv_values`` mapping read without the
        environment, naming what the code takes from it."""
        for name, variables in self._file_reads.items():
            where = self.names.bound_at.get(name)
            if where is not None:
                self.unprovided("dotenv-file", where, name, *sorted(set(variables)))

    def _names_of(self, node: ast.AST | None) -> list[str]:
        """The variable names an argument spells: a literal, or a loop variable over literals."""
        literal = _variable(node)
        if literal is not None:
            return [literal]
        if isinstance(node, ast.Name) and node.id in self.loops:
            line = node.lineno
            for first, last, names in self.loops[node.id]:
                if first <= line <= last:  # inside the loop, not a same-named variable
                    return [n for n in names if _VARIABLE.match(n)]
        return []

    def _call(self, call: ast.Call) -> None:
        names = self.names
        callee = names.qualified(call.func)
        if callee in _GETTERS:
            for variable in self._names_of(_argument(call, 0, "key")):
                self.add(variable, call, _has_default(_argument(call, 1, "default")))
        elif callee in _SETDEFAULT:
            for variable in self._names_of(_argument(call, 0, "key")):
                self.add(variable, call, True)
        elif callee == "os.environ.clear":
            self.unprovided("environ-clear", call, "os.environ.clear()")
        elif callee in _DECOUPLE_CALLS or self._bound(call.func) == "decouple":
            for variable in self._names_of(_argument(call, 0, "option")):
                self.add(variable, call, _argument(call, 1, "default") is not None)
        elif self._bound(call.func) == "environs":
            owner = _name(call.func) or ""
            declared = names.declared.get(owner, set())
            for variable in self._names_of(_argument(call, 0, "var")):
                default = variable in declared or _argument(call, 1, "default") is not None
                self.add(variable, call, default)
        elif isinstance(call.func, ast.Attribute) and self._bound(call.func.value) == "environs":
            self._env_method(call, call.func)
        elif isinstance(call.func, ast.Attribute) and self._bound(call.func.value) == "dotenv":
            if call.func.attr == "get":
                owner = _name(call.func.value) or ""
                for variable in self._names_of(_argument(call, 0, "key")):
                    default = _has_default(_argument(call, 1, "default"))
                    self._dotenv_read(owner, variable, call, default)
        else:
            wrapper = self._wrapper(call.func)
            if wrapper is not None:
                argument = _argument(call, wrapper.index, wrapper.keyword)
                for variable in self._names_of(argument):
                    given = len(call.args) > wrapper.index + 1 or any(
                        k.arg in ("default", "fallback") for k in call.keywords
                    )
                    self.add(variable, call, wrapper.default or given)
        if callee in _DOTENV_LOADERS or callee in _DOTENV_VALUES:
            self._fixed_path(call, _argument(call, 0, "dotenv_path"), callee)
        elif (
            isinstance(call.func, ast.Attribute)
            and call.func.attr == "read_env"
            and self._bound(call.func.value) == "environs"
        ):
            self._fixed_path(call, _argument(call, 0, "path"), "env.read_env")
        for keyword in call.keywords:
            if keyword.arg == "_env_file":
                self._fixed_path(call, keyword.value, "_env_file")

    def _bound(self, node: ast.AST) -> str | None:
        """What the name ``node`` is bound to (see :class:`ModuleNames`); ``env`` itself counts
        as an environs object unless bound to something else."""
        name = _name(node)
        if name is None:
            return None
        kind = self.names.bound.get(name)
        if kind is None and name == "env" and "env" not in self.names.imports:
            return "environs"
        return kind

    def _env_method(self, call: ast.Call, func: ast.Attribute) -> None:
        method = func.attr
        if method not in ENV_METHODS:
            return
        variables = self._names_of(_argument(call, 0, "var"))
        if not variables and not call.args and method in _DEFAULT_VARIABLE:
            variables = [_DEFAULT_VARIABLE[method]]
        declared = self.names.declared.get(_name(func.value) or "", set())
        for variable in variables:
            default = variable in declared or _argument(call, 1, "default") is not None
            self.add(variable, call, default)

    def _wrapper(self, func: ast.AST) -> Wrapper | None:
        if isinstance(func, ast.Name):
            return self.wrappers.get(func.id)
        if isinstance(func, ast.Attribute):
            return self.wrappers.get(func.attr)
        return None

    def _subscript(self, node: ast.Subscript) -> None:
        kind = self._bound(node.value)
        if self.names.qualified(node.value) in _ENVIRON:
            for variable in self._names_of(node.slice):
                self.add(variable, node, False)
        elif kind == "dotenv":
            for variable in self._names_of(node.slice):
                self._dotenv_read(_name(node.value) or "", variable, node, False)

    def _dotenv_read(self, owner: str, variable: str, node: ast.AST, default: bool) -> None:
        merged = self.names.merged.get(owner, False)
        self.add(variable, node, default, file_only=not merged)
        if not merged:
            self._file_reads.setdefault(owner, []).append(variable)

    def _fixed_path(self, call: ast.Call, argument: ast.AST | None, what: str) -> None:
        path = _path_literal(argument, self.names)
        if path is not None and _ABSOLUTE.match(path):
            self.unprovided("fixed-env-file", call, path)

    def _docker_secret(self, node: ast.Constant) -> None:
        value = str(node.value)
        if value == DOCKER_SECRETS or value.startswith(DOCKER_SECRETS + "/"):
            base = value[len(DOCKER_SECRETS) :].strip("/").split("/")[0]
            variable = env_name(base) if base else ""
            self.unprovided("docker-secret", node, value, *([variable] if variable else []))

    # ------------------------------------------------------------ pydantic-settings
    def _settings(self) -> None:
        classes = {node.name: node for node in self.env.classes}
        settings: dict[str, _SettingsConfig] = {}
        for node in sorted(self.env.classes, key=lambda c: c.lineno):
            inherited: _SettingsConfig | None = None
            for base in node.bases:
                qualified = self.names.qualified(base)
                if qualified in SETTINGS_BASES:
                    inherited = inherited or _SettingsConfig(v1=qualified in _V1_BASES)
                elif isinstance(base, ast.Name) and base.id in settings:
                    inherited = settings[base.id]
            if inherited is None:
                continue
            config = self._config(node, inherited)
            settings[node.name] = config
            for variable, where, default in self._fields(node, config, classes, 0):
                self.add(variable, where, default)

    def _config(self, node: ast.ClassDef, inherited: _SettingsConfig) -> _SettingsConfig:
        values: dict[str, ast.expr] = {k.arg: k.value for k in node.keywords if k.arg}
        for statement in node.body:
            if isinstance(statement, ast.ClassDef) and statement.name == "Config":
                for inner in statement.body:
                    if isinstance(inner, ast.Assign) and len(inner.targets) == 1:
                        target = inner.targets[0]
                        if isinstance(target, ast.Name):
                            values[target.id] = inner.value
                continue
            target_value = _assigned(statement, "model_config")
            if isinstance(target_value, ast.Call):
                values.update({k.arg: k.value for k in target_value.keywords if k.arg})
            elif isinstance(target_value, ast.Dict):
                for key, value in zip(target_value.keys, target_value.values, strict=True):
                    name = string_value(key)
                    if name is not None:
                        values[name] = value
        for value in values.values():
            for constant in ast.walk(value):
                self._settings_values.add(constant)
        prefix = string_value(values.get("env_prefix"))
        case = values.get("case_sensitive")
        delimiter = string_value(values.get("env_nested_delimiter"))
        config = _SettingsConfig(
            prefix=inherited.prefix if prefix is None else prefix,
            case_sensitive=(
                case.value
                if isinstance(case, ast.Constant) and isinstance(case.value, bool)
                else inherited.case_sensitive
            ),
            delimiter=inherited.delimiter if delimiter is None else delimiter,
            v1=inherited.v1,
        )
        env_file = values.get("env_file")
        for item in env_file.elts if isinstance(env_file, (ast.Tuple, ast.List)) else [env_file]:
            path = _path_literal(item, self.names)
            if path is not None and _ABSOLUTE.match(path):
                self.unprovided("fixed-env-file", item or node, path)
        return config

    def _fields(
        self,
        node: ast.ClassDef,
        config: _SettingsConfig,
        classes: Mapping[str, ast.ClassDef],
        depth: int,
        outer: str = "",
        outer_default: bool = False,
        at: ast.AST | None = None,
    ) -> Iterator[tuple[str, ast.AST, bool]]:
        """(variable, where it is read, whether it has a default) for each field; the
        fields of a nested model are read where the settings class names it (``at``)."""
        for statement in node.body:
            if not isinstance(statement, ast.AnnAssign) or not isinstance(
                statement.target, ast.Name
            ):
                continue
            name = statement.target.id
            if name == "model_config" or name.startswith("_") or _is_classvar(statement):
                continue
            value = statement.value
            alias: str | None = None
            if value is None:
                default = config.v1 and _optional(statement.annotation)
            elif isinstance(value, ast.Call) and self.names.qualified(value.func) in _FIELDS:
                alias = _field_alias(value, self.names)
                first = _argument(value, 0, "default")
                default = (first is not None and not _is_ellipsis(first)) or any(
                    k.arg == "default_factory" for k in value.keywords
                )
            else:
                default = True
            default = default or outer_default
            nested = _nested_model(statement.annotation, classes, self.names)
            if alias is not None and not outer:
                variable = alias if config.case_sensitive else alias.upper()
            else:
                base = outer + name if outer else config.prefix + name
                variable = base if config.case_sensitive else base.upper()
            if nested is not None and config.delimiter and depth < 3:
                yield from self._fields(
                    nested,
                    config,
                    classes,
                    depth + 1,
                    variable + config.delimiter,
                    default,
                    at or statement,
                )
                continue
            if _VARIABLE.match(variable):
                yield variable, at or statement, default


@dataclass(frozen=True)
class _SettingsConfig:
    prefix: str = ""
    case_sensitive: bool = False
    delimiter: str | None = None
    v1: bool = False


def _assigned(statement: ast.stmt, name: str) -> ast.expr | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Name) and target.id == name:
            return statement.value
    if (
        isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and statement.target.id == name
    ):
        return statement.value
    return None


def _is_classvar(statement: ast.AnnAssign) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == "ClassVar")
        or (isinstance(n, ast.Attribute) and n.attr == "ClassVar")
        for n in ast.walk(statement.annotation)
    )


def _optional(annotation: ast.expr) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == "Optional")
        or (isinstance(n, ast.Constant) and n.value is None)
        for n in ast.walk(annotation)
    )


def _is_ellipsis(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _field_alias(call: ast.Call, names: ModuleNames) -> str | None:
    for keyword in ("validation_alias", "alias", "env"):
        for item in call.keywords:
            if item.arg != keyword:
                continue
            value: ast.expr | None = item.value
            if isinstance(value, (ast.List, ast.Tuple)) and value.elts:
                value = value.elts[0]
            if isinstance(value, ast.Call) and names.qualified(value.func) in _ALIAS_CHOICES:
                value = value.args[0] if value.args else None
            text = string_value(value)
            if text is not None:
                return text
    return None


def _nested_model(
    annotation: ast.expr, classes: Mapping[str, ast.ClassDef], names: ModuleNames
) -> ast.ClassDef | None:
    """The model class of this module a field's annotation names (``DB``, ``DB | None``)."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id in classes:
            klass = classes[node.id]
            if any(names.qualified(b) in MODEL_BASES for b in klass.bases):
                return klass
    return None


def _name(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _path_literal(node: ast.AST | None, names: ModuleNames) -> str | None:
    """The text of a path given as a literal or ``Path("…")``."""
    text = string_value(node)
    if text is not None:
        return text
    if isinstance(node, ast.Call) and names.qualified(node.func) in _PATHS and node.args:
        return string_value(node.args[0])
    return None


def _literal_names(node: ast.AST | None) -> list[str] | None:
    """The strings of a list, tuple or set display of string literals (a dict's keys)."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items: list[ast.expr | None] = list(node.elts)
    elif isinstance(node, ast.Dict):
        items = list(node.keys)
    else:
        return None
    found = [string_value(item) for item in items]
    return [s for s in found if s is not None] if all(s is not None for s in found) else None


def _literal_lists(body: list[ast.stmt]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for statement in body:
        value: ast.expr | None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign):
            target, value = statement.target, statement.value
        else:
            continue
        names = _literal_names(value)
        if isinstance(target, ast.Name) and names:
            found[target.id] = names
    return found


def _walk_with_loops(
    tree: ast.AST,
    loops: dict[str, list[tuple[int, int, list[str]]]],
    lists: Mapping[str, list[str]],
) -> Iterator[ast.AST]:
    """Every node of ``tree`` (:func:`hffix.python.astwalk.nodes`), noting in ``loops``
    each loop variable (``for``, comprehensions) over literal names, with the lines of its
    loop, before the loop's body is reached."""
    for node in nodes(tree):
        kind = type(node)
        if kind is ast.For or kind is ast.AsyncFor:
            loop = cast("ast.For | ast.AsyncFor", node)
            _note_loop(loop.target, loop.iter, loop, loops, lists)
        elif kind in _COMPREHENSIONS:
            comprehension = cast(ast.ListComp, node)
            for generator in comprehension.generators:
                _note_loop(generator.target, generator.iter, comprehension, loops, lists)
        yield node


_COMPREHENSIONS = frozenset({ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp})


def _note_loop(
    target: ast.AST,
    iterable: ast.AST,
    where: ast.AST,
    loops: dict[str, list[tuple[int, int, list[str]]]],
    lists: Mapping[str, list[str]],
) -> None:
    if not isinstance(target, ast.Name):
        return
    if isinstance(iterable, ast.Name) and iterable.id in lists:
        names: list[str] | None = lists[iterable.id]
    else:
        names = _literal_names(iterable)
    if names:
        first = getattr(where, "lineno", 0)
        last = getattr(where, "end_lineno", None) or first
        loops.setdefault(target.id, []).append((first, last, names))


def _wrapping(node: ast.AST, names: ModuleNames) -> tuple[str, bool] | None:
    """(the parameter, whether the read has a default) of a read whose name is a variable:
    ``os.getenv(name, default)``, ``os.environ[name]``, decouple's ``config(name)``."""
    argument: ast.AST | None = None
    default = False
    if isinstance(node, ast.Call):
        callee = names.qualified(node.func)
        if callee in _GETTERS or callee in _DECOUPLE_CALLS:
            argument = _argument(node, 0, "key")
            given = _argument(node, 1, "default")
            # A default passed on from the caller's parameter is the caller's.
            default = _has_default(given) and not isinstance(given, ast.Name)
    elif isinstance(node, ast.Subscript) and names.qualified(node.value) in _ENVIRON:
        argument = node.slice
    if isinstance(argument, ast.Name):
        return argument.id, default
    return None


def wrappers_in(tree: ast.Module) -> dict[str, Wrapper]:
    """The helpers of ``tree`` that pass a parameter to an environment read."""
    return ModuleEnv(tree).wrappers()


def scan(tree: ast.Module, wrappers: Mapping[str, Wrapper] | None = None) -> EnvScan:
    """The reads and the unprovided expectations of the module ``tree``."""
    return ModuleEnv(tree).scan(wrappers)
