"""One Python module's app-related facts, read with :mod:`ast` (fast; nothing is edited).

Names are qualified through the module's own imports wherever they are (``import fastapi as
fa``, ``from fastapi import FastAPI as F``, an import inside a function), so ``fa.FastAPI()``
and ``F()`` are both ``fastapi.FastAPI``. Module-level names are recorded as
:class:`Binding` values that :mod:`hffix.project.apps` follows across modules: a FastAPI
instance, a call (a factory, or a middleware wrapping an app), an alias, an import.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from hffix.project.layout import parent
from hffix.python.astwalk import attribute_chain, string_value

FASTAPI_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
SERVER_RUN = frozenset({"uvicorn.run", "uvicorn.main.run"})
SERVER_WORDS = ("uvicorn", "gunicorn", "hypercorn", "granian", "daphne", "fastapi run")
MOUNT_METHODS = frozenset({"mount", "include_router", "host"})
# Callables whose first argument (or one of PATH_KEYWORDS) is a file or folder path.
PATH_CALLS = frozenset(
    {
        "StaticFiles",
        "Jinja2Templates",
        "FileResponse",
        "FileSystemLoader",
        "open",
        "Path",
        "PurePath",
        "PosixPath",
        "exists",
        "isfile",
        "isdir",
        "listdir",
        "scandir",
        "glob",
        "iglob",
        "read_csv",
        "read_json",
        "read_excel",
        "read_parquet",
        "read_table",
        "load",
        "loadtxt",
        "load_workbook",
        "load_dotenv",
        "dotenv_values",
        "from_pretrained",
        "load_model",
        "load_local",
        "connect",
        "ZipFile",
    }
)
PATH_KEYWORDS = frozenset(
    {"directory", "path", "file", "filename", "filepath", "file_path", "dotenv_path"}
)
_SAME_PATH = frozenset(
    {
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "str",
        "pathlib.Path",
        "pathlib.PurePath",
        "os.fspath",
    }
)


@dataclass(frozen=True)
class Target:
    """A name and attribute chain in the module (``server.app`` is ("server", "app"))."""

    parts: tuple[str, ...]
    factory: str | None = None  # set instead of parts: the app a local factory builds

    def __str__(self) -> str:
        return self.factory + "()" if self.factory else ".".join(self.parts)


@dataclass(frozen=True)
class Value:
    """What a module-level name is bound to."""

    kind: str  # "fastapi" | "call" | "alias" | "import" | "other"
    target: Target | None = None  # call: the callee; alias: the name aliased
    arg: Target | None = None  # call: the first positional or ``app=`` argument
    module: str | None = None  # import: the module ("" for ``from . import x``)
    level: int = 0  # import: relative level
    attr: str | None = None  # import: the name imported (None for ``import x``)


@dataclass(frozen=True)
class Binding:
    name: str
    line: int
    value: Value


@dataclass(frozen=True)
class Factory:
    name: str
    line: int
    needs_arguments: bool


@dataclass(frozen=True)
class Mount:
    container: Target
    mounted: Target
    line: int
    how: str  # "mount", "include_router" or "host"


@dataclass(frozen=True)
class ImportRef:
    module: str  # dotted, "" for ``from . import x``
    level: int
    names: tuple[str, ...]  # for ``from m import a, b``; empty for ``import m``
    line: int


@dataclass(frozen=True)
class FactoryCall:
    """``create_app(settings=Settings(), title="Shop")`` handed to ``uvicorn.run``."""

    callee: tuple[str, ...]  # the name and attribute chain called
    arguments: tuple[tuple[int, int, int, int], ...]  # each argument's span (line, col, ...)
    text: str  # the arguments as ``ast.unparse`` writes them, when the source is not at hand
    names: tuple[str, ...] = ()  # plain names the arguments read, in order
    portable: bool = True  # only literals, names, attributes, calls, operators, containers
    local: tuple[str, ...] = ()  # names read that the enclosing function binds itself


@dataclass(frozen=True)
class CodeLaunch:
    """A server started from Python: ``uvicorn.run("app.main:app")``, ``uvicorn.run(app)``,
    ``subprocess.run(["uvicorn", ...])``."""

    line: int
    spec: str | None = None  # "app.main:app" when given as a string
    app: Target | None = None  # the object passed to uvicorn.run
    factory: bool = False
    app_dir: str | None = None
    words: tuple[str, ...] = ()  # a command line started as a process
    call: FactoryCall | None = None  # uvicorn.run(create_app(...)): the factory and arguments
    module_level: bool = False  # runs when the module is imported (not in a function or block)


@dataclass(frozen=True)
class PathUse:
    """A path the module opens: cwd-relative text, or a repository path built from __file__."""

    line: int
    call: str
    cwd_relative: str | None = None  # "static" in StaticFiles(directory="static")
    repo_path: str | None = None  # "backend/app/templates" for Path(__file__).parent / ...
    outside: bool = False  # built from __file__ but points above the repository root


@dataclass
class ModuleSummary:
    """What :func:`summarize` found in one module."""

    path: str
    bindings: dict[str, Binding] = field(default_factory=dict)  # final module-level value
    history: dict[str, list[Binding]] = field(default_factory=dict)  # every value, in order
    star_imports: list[ImportRef] = field(default_factory=list)
    main_block: list[Binding] = field(default_factory=list)  # inside if __name__ == "__main__"
    main_block_line: int = 0
    factories: dict[str, Factory] = field(default_factory=dict)
    function_apps: list[tuple[str, int]] = field(default_factory=list)  # (function, line)
    mounts: list[Mount] = field(default_factory=list)
    imports: list[ImportRef] = field(default_factory=list)
    launches: list[CodeLaunch] = field(default_factory=list)
    sys_path: list[str] = field(default_factory=list)  # repository folders it adds
    sys_path_outside: bool = False  # adds a folder above the repository root
    paths: list[PathUse] = field(default_factory=list)
    fastapi_classes: set[str] = field(default_factory=set)  # local names of FastAPI classes
    # Module-level names the module configures at module level, with the first line:
    # ``app.include_router(...)``, ``app.state.x = ...``, ``@app.get(...)``.
    configured: dict[str, int] = field(default_factory=dict)
    sys_path_unknown: bool = False  # changes sys.path with a value that cannot be evaluated

    def binding_before(self, name: str, line: int | None) -> Binding | None:
        """The module-level value ``name`` has when line ``line`` runs (None: the final one)."""
        if line is None:
            return self.bindings.get(name)
        found = None
        for binding in self.history.get(name, ()):
            if binding.line < line:
                found = binding
        return found


def summarize(path: str, text: str) -> ModuleSummary | None:
    """The summary of the module at repository path ``path``; None if it does not parse."""
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return summarize_tree(path, tree)


def summarize_tree(path: str, tree: ast.Module) -> ModuleSummary:
    return _Summarizer(path, tree).summary


def is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(mains) == 1


class _Summarizer:
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.summary = ModuleSummary(path)
        self.aliases: dict[str, str] = {}  # local name -> qualified name, from every import
        self.constants: dict[str, ast.expr] = {}  # module-level NAME = <expr>, assigned once
        self.scopes: list[_Scope] = []  # functions, lambdas and classes, anywhere
        self.guards: list[tuple[int, int]] = []  # line ranges of `if __name__ == "__main__":`
        imports: list[ast.Import | ast.ImportFrom] = []
        calls: list[ast.Call] = []
        for node in ast.walk(tree):  # the one walk over the whole module
            if isinstance(node, ast.Call):
                calls.append(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(node)
            elif isinstance(node, _SCOPES):
                self.scopes.append(node)
        self._collect_aliases(imports, tree)
        self._collect_constants(tree)
        self._module_level(tree.body)
        functions = list(_module_functions(tree.body, with_async=True))
        self._functions(functions, calls)
        self._calls(calls, [(f.lineno, f.end_lineno or f.lineno) for f in functions])

    # ------------------------------------------------------------ names
    def _collect_aliases(
        self, imports: list[ast.Import | ast.ImportFrom], tree: ast.Module
    ) -> None:
        classes = self.summary.fastapi_classes
        for node in imports:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases.setdefault(top, top)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    local = alias.asname or alias.name
                    self.aliases.setdefault(local, f"{node.module}.{alias.name}")
        for stmt in tree.body:  # class MyApp(FastAPI): ...
            if isinstance(stmt, ast.ClassDef) and any(
                self.qualify(base) in FASTAPI_CLASSES for base in stmt.bases
            ):
                classes.add(stmt.name)

    def qualify(self, node: ast.expr) -> str | None:
        chain = attribute_chain(node)
        if chain is None:
            return None
        head = self.aliases.get(chain[0])
        if head is None:
            return ".".join(chain)
        return ".".join((head, *chain[1:]))

    def is_fastapi_call(self, node: ast.expr) -> bool:
        if not isinstance(node, ast.Call):
            return False
        if self.qualify(node.func) in FASTAPI_CLASSES:
            return True
        return isinstance(node.func, ast.Name) and node.func.id in self.summary.fastapi_classes

    def _collect_constants(self, tree: ast.Module) -> None:
        counts: dict[str, int] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        counts[target.id] = counts.get(target.id, 0) + 1
                        self.constants[target.id] = node.value
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                counts[node.target.id] = counts.get(node.target.id, 0) + 1
                self.constants[node.target.id] = node.value
        for name, count in counts.items():
            if count > 1:
                del self.constants[name]

    # ------------------------------------------------------------ module level
    def _module_level(self, body: list[ast.stmt]) -> None:
        for node in body:
            if is_main_guard(node):
                assert isinstance(node, ast.If)
                self.summary.main_block_line = node.lineno
                self.guards.append((node.lineno, node.end_lineno or node.lineno))
                for inner in node.body:
                    for binding in self._bindings(inner):
                        self.summary.main_block.append(binding)
                continue
            for binding in self._bindings(node):
                self.summary.bindings[binding.name] = binding
                self.summary.history.setdefault(binding.name, []).append(binding)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._record_import(node)
            self._configures(node)
            for child in _nested_bodies(node):
                self._module_level(child)

    def _configures(self, node: ast.stmt) -> None:
        """Record the name a module-level statement configures (`app.add_middleware(...)`,
        `app.state.db = db`, a function decorated with `@app.get(...)`)."""
        receivers: list[ast.expr] = []
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            receivers.append(call.func)
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                if isinstance(arg, ast.Name):  # setup_routes(app)
                    self.summary.configured.setdefault(arg.id, node.lineno)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            receivers.extend(t for t in targets if isinstance(t, (ast.Attribute, ast.Subscript)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                receivers.append(decorator.func if isinstance(decorator, ast.Call) else decorator)
        for receiver in receivers:
            while isinstance(receiver, ast.Subscript):
                receiver = receiver.value
            if not isinstance(receiver, ast.Attribute):
                continue
            chain = attribute_chain(receiver)
            if chain is not None:
                self.summary.configured.setdefault(chain[0], node.lineno)

    def _record_import(self, node: ast.Import | ast.ImportFrom) -> None:
        summary = self.summary
        if isinstance(node, ast.Import):
            for alias in node.names:
                summary.imports.append(ImportRef(alias.name, 0, (), node.lineno))
            return
        names = tuple(a.name for a in node.names)
        ref = ImportRef(node.module or "", node.level, names, node.lineno)
        summary.imports.append(ref)
        if names == ("*",):
            summary.star_imports.append(ref)

    def _bindings(self, node: ast.stmt) -> Iterator[Binding]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    value = Value("import", module=alias.name, attr=None)
                    yield Binding(alias.asname, node.lineno, value)
                else:
                    top = alias.name.split(".")[0]
                    yield Binding(top, node.lineno, Value("import", module=top, attr=None))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    continue
                value = Value("import", module=node.module or "", level=node.level, attr=alias.name)
                yield Binding(alias.asname or alias.name, node.lineno, value)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            value_node = node.value
            if value_node is None:
                return
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = self._value(value_node)
            for target in targets:
                if isinstance(target, ast.Name):
                    yield Binding(target.id, node.lineno, value)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield Binding(node.name, node.lineno, Value("other"))

    def _value(self, node: ast.expr) -> Value:
        if self.is_fastapi_call(node):
            return Value("fastapi")
        if isinstance(node, ast.Call):
            callee = attribute_chain(node.func)
            if callee is None:
                return Value("other")
            arg = None
            first = node.args[0] if node.args else None
            for keyword in node.keywords:
                if keyword.arg == "app":
                    first = keyword.value
            if first is not None:
                chain = attribute_chain(first)
                arg = Target(chain) if chain else None
            return Value("call", target=Target(callee), arg=arg)
        chain = attribute_chain(node)
        if chain is not None:
            return Value("alias", target=Target(chain))
        return Value("other")

    # ------------------------------------------------------------ functions
    def _functions(
        self, functions: list[ast.FunctionDef | ast.AsyncFunctionDef], calls: list[ast.Call]
    ) -> None:
        builders = [c.lineno for c in calls if self.is_fastapi_call(c)]
        for node in functions:
            if isinstance(node, ast.AsyncFunctionDef):
                continue  # uvicorn --factory calls a plain function
            end = node.end_lineno or node.lineno
            if any(node.lineno <= line <= end for line in builders):
                built = self._apps_built_in(node)
            elif self._returns_fastapi(node):
                built = {}
            else:
                continue
            if self._is_factory(node, built):
                args = node.args
                required = len(args.posonlyargs) + len(args.args) - len(args.defaults)
                required += sum(1 for d in args.kw_defaults if d is None)
                self.summary.factories[node.name] = Factory(node.name, node.lineno, required > 0)
                for mount in self._mounts_in(node, built, node.name):
                    self.summary.mounts.append(mount)
            elif built:
                self.summary.function_apps.append((node.name, min(built.values())))

    def _returns_fastapi(self, func: ast.FunctionDef) -> bool:
        returns = func.returns
        if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
            try:
                returns = ast.parse(returns.value, mode="eval").body
            except SyntaxError:
                return False
        if returns is None:
            return False
        return self.qualify(returns) in FASTAPI_CLASSES or (
            isinstance(returns, ast.Name) and returns.id in self.summary.fastapi_classes
        )

    def _apps_built_in(self, func: ast.FunctionDef) -> dict[str, int]:
        """Local names a function binds to ``FastAPI(...)``, with the line."""
        found: dict[str, int] = {}
        for node in ast.walk(func):
            if isinstance(node, ast.Assign) and self.is_fastapi_call(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = node.lineno
            elif (
                isinstance(node, ast.AnnAssign)
                and node.value is not None
                and self.is_fastapi_call(node.value)
                and isinstance(node.target, ast.Name)
            ):
                found[node.target.id] = node.lineno
        return found

    def _is_factory(self, func: ast.FunctionDef, built: dict[str, int]) -> bool:
        if self._returns_fastapi(func):
            return True
        if not built and not any(self.is_fastapi_call(c) for c in _calls(func)):
            return False
        for node in ast.walk(func):
            if isinstance(node, ast.Return) and node.value is not None:
                if self.is_fastapi_call(node.value):
                    return True
                if isinstance(node.value, ast.Name) and node.value.id in built:
                    return True
        return False

    def _mounts_in(
        self, func: ast.FunctionDef, built: dict[str, int], factory: str
    ) -> Iterator[Mount]:
        for call in _calls(func):
            mount = self._mount(call)
            if mount is None:
                continue
            if mount.container.parts and mount.container.parts[0] in built:
                yield Mount(Target((), factory=factory), mount.mounted, mount.line, mount.how)

    # ------------------------------------------------------------ calls
    def _mount(self, call: ast.Call) -> Mount | None:
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in MOUNT_METHODS:
            return None
        container = attribute_chain(func.value)
        if container is None:
            return None
        mounted_node: ast.expr | None = None
        if func.attr == "include_router":
            mounted_node = call.args[0] if call.args else None
        else:
            mounted_node = call.args[1] if len(call.args) > 1 else None
            for keyword in call.keywords:
                if keyword.arg == "app":
                    mounted_node = keyword.value
        if mounted_node is None:
            return None
        mounted = attribute_chain(mounted_node)
        if mounted is None:
            return None
        return Mount(Target(container), Target(mounted), call.lineno, func.attr)

    def _calls(self, calls: list[ast.Call], functions: list[tuple[int, int]]) -> None:
        summary = self.summary
        for call in calls:
            qualified = self.qualify(call.func)
            if not any(start <= call.lineno <= end for start, end in functions):
                mount = self._mount(call)
                if mount is not None:
                    summary.mounts.append(mount)
            if qualified in SERVER_RUN:
                self._server_run(call)
            elif qualified in {"sys.path.insert", "sys.path.append"}:
                value = call.args[-1] if call.args else None
                self._sys_path(value)
            elif qualified is not None and qualified.startswith("sys.path."):
                self.summary.sys_path_unknown = True  # extend, remove, ... : not followed
            else:
                words = _command_words(call)
                if words:
                    summary.launches.append(CodeLaunch(call.lineno, words=words))
            self._path_use(call, qualified)

    def _server_run(self, call: ast.Call) -> None:
        if not call.args:
            return
        first = call.args[0]
        factory = False
        app_dir = None
        for keyword in call.keywords:
            if keyword.arg == "factory" and isinstance(keyword.value, ast.Constant):
                factory = bool(keyword.value.value)
            elif keyword.arg == "app_dir":
                app_dir = string_value(keyword.value)
        spec = string_value(first)
        if spec is None and isinstance(first, ast.Name) and first.id in self.constants:
            spec = string_value(self.constants[first.id])
        module_level = self._module_level_line(call)
        if spec is not None:
            launch = CodeLaunch(
                call.lineno, spec=spec, factory=factory, app_dir=app_dir, module_level=module_level
            )
            self.summary.launches.append(launch)
            return
        chain = attribute_chain(first)
        if chain is not None:
            launch = CodeLaunch(call.lineno, app=Target(chain), module_level=module_level)
            self.summary.launches.append(launch)
        elif isinstance(first, ast.Call):
            callee = attribute_chain(first.func)
            if callee is not None:  # uvicorn.run(create_app())
                target = Target((), factory=callee[-1]) if len(callee) == 1 else None
                made = self._factory_call(first, callee)
                launch = CodeLaunch(call.lineno, app=target, call=made, module_level=module_level)
                self.summary.launches.append(launch)

    def _scope_of(self, node: ast.expr) -> _Scope | None:
        """The innermost function, lambda or class holding ``node``."""
        line, column = node.lineno, node.col_offset
        best: _Scope | None = None
        for scope in self.scopes:
            start, end = scope.lineno, scope.end_lineno or scope.lineno
            if not start <= line <= end or scope is node:
                continue
            if line == start and column < scope.col_offset:
                continue
            if best is None or start >= best.lineno:
                best = scope
        return best

    def _module_level_line(self, node: ast.expr) -> bool:
        if self._scope_of(node) is not None:
            return False
        return not any(start <= node.lineno <= end for start, end in self.guards)

    def _factory_call(self, call: ast.Call, callee: tuple[str, ...]) -> FactoryCall:
        nodes: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
        spans = tuple(
            (n.lineno, n.col_offset, n.end_lineno or n.lineno, n.end_col_offset or 0) for n in nodes
        )
        try:
            text = ast.unparse(call)[len(ast.unparse(call.func)) + 1 : -1]
        except (RecursionError, ValueError):
            text = ""
        names: list[str] = []
        portable = True
        for argument in nodes:
            for child in ast.walk(argument):
                if isinstance(child, ast.Name):
                    if child.id not in names:
                        names.append(child.id)
                elif not isinstance(child, _PORTABLE):
                    portable = False
                if isinstance(child, (ast.Name, ast.Attribute)) and (
                    self.qualify(child) in _COMMAND_LINE
                ):
                    portable = False  # what the command line said: a Space has none
        scope = self._scope_of(call)
        local: tuple[str, ...] = ()
        if scope is not None:
            bound = _bound_in(scope)
            local = tuple(n for n in names if n in bound)
        return FactoryCall(callee, spans, text, tuple(names), portable, local)

    def _sys_path(self, node: ast.expr | None) -> None:
        if node is None:
            return
        value = self.evaluate(node)
        if value is None:
            self.summary.sys_path_unknown = True
            return
        kind, where = value
        if kind == "repo":
            self.summary.sys_path.append(where)
        elif kind == "outside":
            self.summary.sys_path_outside = True

    def _path_use(self, call: ast.Call, qualified: str | None) -> None:
        name = qualified.rsplit(".", 1)[-1] if qualified else None
        if name not in PATH_CALLS:
            return
        candidates = list(call.args[:1])
        candidates += [k.value for k in call.keywords if k.arg in PATH_KEYWORDS]
        for node in candidates:
            value = self.evaluate(node)
            if value is None:
                continue
            kind, where = value
            use = PathUse(call.lineno, name or "")
            if kind == "cwd" and where not in {"", "."}:
                self.summary.paths.append(
                    PathUse(use.line, use.call, cwd_relative=posixpath.normpath(where))
                )
            elif kind == "repo":
                self.summary.paths.append(PathUse(use.line, use.call, repo_path=where))
            elif kind == "outside":
                self.summary.paths.append(PathUse(use.line, use.call, outside=True))

    # ------------------------------------------------------------ path values
    def evaluate(self, node: ast.expr, depth: int = 0) -> tuple[str, str] | None:
        """A path expression as ("cwd", relative text), ("repo", repository path) for one
        built from ``__file__``, ("outside", "") for one above the repository, or None."""
        if depth > 12:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if not text or "://" in text or text.startswith(("/", "~")) or "\n" in text:
                return None
            if len(text) > 2 and text[1] == ":":  # C:\ paths
                return None
            return ("cwd", text)
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return ("file", self.path)
            bound = self.constants.get(node.id)
            return self.evaluate(bound, depth + 1) if bound is not None else None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return _up(self.evaluate(node.value, depth + 1), 1)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            if node.value.attr == "parents" and isinstance(node.slice, ast.Constant):
                index = node.slice.value
                if isinstance(index, int):
                    return _up(self.evaluate(node.value.value, depth + 1), index + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            right = string_value(node.right)
            left = self.evaluate(node.left, depth + 1)
            return _down(left, right) if right is not None else None
        if isinstance(node, ast.Call):
            return self._evaluate_call(node, depth)
        return None

    def _evaluate_call(self, node: ast.Call, depth: int) -> tuple[str, str] | None:
        qualified = self.qualify(node.func) or ""
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"resolve", "absolute"}
            and not node.args
        ):
            return self.evaluate(func.value, depth + 1)
        if qualified in {"os.getcwd", "pathlib.Path.cwd"}:
            return ("cwd", "")
        if qualified == "os.path.dirname" and node.args:
            return _up(self.evaluate(node.args[0], depth + 1), 1)
        if (qualified in _SAME_PATH or qualified == "Path") and len(node.args) == 1:
            return self.evaluate(node.args[0], depth + 1)
        if qualified in {"os.path.join", "pathlib.Path", "Path"} and len(node.args) > 1:
            value = self.evaluate(node.args[0], depth + 1)
            for arg in node.args[1:]:
                part = string_value(arg)
                if part is None:
                    return None
                value = _down(value, part)
            return value
        return None


def _up(value: tuple[str, str] | None, levels: int) -> tuple[str, str] | None:
    if value is None:
        return None
    kind, where = value
    if kind == "cwd":
        return None
    if kind == "outside":
        return value
    for _ in range(levels):
        if kind == "file":
            kind, where = "repo", parent(where)
            continue
        if where == "":
            return ("outside", "")
        where = parent(where)
    return (kind if kind != "file" else "repo", where)


def _down(value: tuple[str, str] | None, part: str) -> tuple[str, str] | None:
    if value is None or value[0] == "outside":
        return value
    kind, where = value
    if kind == "file":
        return None  # __file__ / "x" is not a path anyone builds
    if part.startswith("/"):
        return None
    if kind == "cwd":
        return ("cwd", posixpath.normpath(posixpath.join(where or ".", part)))
    joined = posixpath.normpath(posixpath.join(where or ".", part))
    if joined == "..":
        return ("outside", "")
    if joined.startswith("../"):
        return ("outside", "")
    return ("repo", "" if joined == "." else joined)


_COMMAND_LINE = frozenset({"sys.argv", "input", "sys.stdin", "getpass.getpass"})
_Scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# What the arguments of a factory call may hold for hffix to write them into main.py.
_PORTABLE = (
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.keyword,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.UnaryOp,
    ast.BinOp,
    ast.BoolOp,
    ast.Compare,
    ast.Subscript,
    ast.Slice,
    ast.Starred,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
)


def _bound_in(scope: _Scope) -> set[str]:
    """Names a function (or class) binds itself: parameters, assignments, imports, loops."""
    names: set[str] = set()
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = scope.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                names.add(arg.arg)
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
    return names


def _nested_bodies(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    """Bodies of module-level ``if``/``try``/``with`` (their bindings are module-level)."""
    if isinstance(node, ast.If):
        yield node.body
        yield node.orelse
    elif isinstance(node, ast.Try):
        yield node.body
        for handler in node.handlers:
            yield handler.body
        yield node.orelse
        yield node.finalbody
    elif isinstance(node, ast.With):
        yield node.body


def _module_functions(
    body: list[ast.stmt], *, with_async: bool = False
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in body:
        if isinstance(node, ast.FunctionDef) or (
            with_async and isinstance(node, ast.AsyncFunctionDef)
        ):
            yield node
        elif not isinstance(node, ast.AsyncFunctionDef) and not is_main_guard(node):
            for child in _nested_bodies(node):
                yield from _module_functions(child, with_async=with_async)


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            yield child


def _command_words(call: ast.Call) -> tuple[str, ...]:
    """``subprocess.run(["uvicorn", "app.main:app"])`` or ``os.system("uvicorn ...")``."""
    if not call.args:
        return ()
    first = call.args[0]
    if isinstance(first, (ast.List, ast.Tuple)):
        words = [string_value(e) for e in first.elts]
        if words and all(w is not None for w in words):
            text_words = tuple(w for w in words if w is not None)
            if any(text_words[0].endswith(s.split()[0]) for s in SERVER_WORDS) or (
                len(text_words) > 2 and text_words[1] == "-m"
            ):
                return text_words
        return ()
    text = string_value(first)
    if text is not None and text.strip().startswith(SERVER_WORDS):
        return tuple(text.split())
    return ()


def relative_base(path: str, level: int) -> str | None:
    """The folder ``from .{level} import`` refers to; None above the repository root."""
    folder = parent(path)
    for _ in range(level - 1):
        if not folder:
            return None
        folder = parent(folder)
    return folder
