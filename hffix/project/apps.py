"""Every FastAPI app in a repository, the places it can be imported from, and how apps nest.

An app is identified by its :class:`Origin`: the ``FastAPI(...)`` call that builds it, the
factory that returns it, or the middleware call that wraps another app. Each module-level
name that evaluates to it is an :class:`AppSite` (``app = FastAPI()`` in ``app/main.py`` and
``from .main import app`` in ``app/__init__.py`` are two sites of one app). Names are
followed through aliases (``app = api``), imports (absolute, relative, ``*``), attribute
chains (``server.app``), factory calls (``app = create_app()``) and wrappers
(``app = CORSMiddleware(app)``); ``app.mount(...)``, ``app.include_router(other.router)``
and wrappers record which app contains which.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hffix.project.layout import Layout, ancestors, depth, join, parent
from hffix.project.pysummary import (
    Binding,
    ModuleSummary,
    Target,
    relative_base,
    summarize,
    summarize_tree,
)

MAX_HOPS = 25
MAX_MODULES = 2000


@dataclass(frozen=True)
class Origin:
    """The object an app is: built at ``path:line`` by a call, or returned by a factory."""

    path: str
    line: int
    kind: str  # "instance" | "factory" | "wrapper" | "declared"
    name: str


@dataclass(frozen=True)
class AppSite:
    """A module-level name the app can be imported by (or a factory to call)."""

    path: str
    name: str
    line: int
    origin: Origin
    factory: bool = False  # ``name`` is a function returning the app
    needs_arguments: bool = False  # the factory has parameters without defaults

    def spec(self) -> str:
        suffix = "()" if self.factory else ""
        return f"{self.path}:{self.name}{suffix}"


@dataclass(frozen=True)
class _Resolved:
    kind: str  # "app" | "factory" | "module"
    origin: Origin | None = None
    path: str = ""  # the module file or namespace folder for kind "module"
    needs_arguments: bool = False


@dataclass
class AppGraph:
    """The apps of one repository and the modules read to find them."""

    layout: Layout
    read: Callable[[str], str | None]
    parse: Callable[[str], ast.Module | None] | None = None  # a shared parse cache, if any
    summaries: dict[str, ModuleSummary | None] = field(default_factory=dict)
    sites: list[AppSite] = field(default_factory=list)
    contains: dict[Origin, set[Origin]] = field(default_factory=dict)
    main_block_apps: list[tuple[str, Binding]] = field(default_factory=list)
    function_apps: list[tuple[str, str, int]] = field(default_factory=list)

    # ------------------------------------------------------------ modules
    def summary(self, path: str) -> ModuleSummary | None:
        if path not in self.summaries:
            if len(self.summaries) >= MAX_MODULES or not self.layout.is_file(path):
                return None
            if self.parse is not None:
                tree = self.parse(path)
                self.summaries[path] = summarize_tree(path, tree) if tree is not None else None
            else:
                text = self.read(path)
                self.summaries[path] = summarize(path, text) if text is not None else None
        return self.summaries[path]

    def resolve_module(self, importer: str, module: str, level: int) -> str | None:
        """The file or namespace folder ``import module`` (``level``) reaches from ``importer``."""
        if level:
            base = relative_base(importer, level)
            if base is None:
                return None
            if not module:
                return base
            found = self.layout.resolve(base, module)
            return found.path if found is not None else None
        summary = self.summary(importer)
        extra = summary.sys_path if summary is not None else []
        for folder in [*ancestors(parent(importer)), *extra]:
            found = self.layout.resolve(folder, module)
            if found is not None:
                return found.path
        return None

    def _submodule(self, module_path: str, name: str) -> str | None:
        folder = parent(module_path) if module_path.endswith("__init__.py") else module_path
        if module_path.endswith(".py") and not module_path.endswith("__init__.py"):
            return None
        found = self.layout.find_name(folder, name)
        return found.path if found is not None else None

    # ------------------------------------------------------------ names
    def resolve(
        self, path: str, parts: tuple[str, ...], hops: int = 0, before: int | None = None
    ) -> _Resolved | None:
        """What ``parts`` (a name and attribute chain) evaluates to in module ``path``, at the
        end of the module or, with ``before``, when that line runs."""
        if hops > MAX_HOPS or not parts:
            return None
        current = self._name(path, parts[0], hops, before)
        for part in parts[1:]:
            if current is None or current.kind != "module":
                return None  # an attribute of an app (app.router) is not an app
            current = self._attribute(current.path, part, hops + 1)
        return current

    def _attribute(self, module_path: str, name: str, hops: int) -> _Resolved | None:
        if module_path.endswith(".py"):
            found = self._name(module_path, name, hops)
            if found is not None:
                return found
        sub = self._submodule(module_path, name)
        return _Resolved("module", path=sub) if sub is not None else None

    def _name(self, path: str, name: str, hops: int, before: int | None = None) -> _Resolved | None:
        if hops > MAX_HOPS:
            return None
        summary = self.summary(path)
        if summary is None:
            return None
        factory = summary.factories.get(name)
        binding = summary.binding_before(name, before)
        if factory is not None and (binding is None or binding.line <= factory.line):
            origin = Origin(path, factory.line, "factory", name)
            return _Resolved("factory", origin, needs_arguments=factory.needs_arguments)
        if binding is None:
            for star in summary.star_imports:
                module = self.resolve_module(path, star.module, star.level)
                if module is not None and module.endswith(".py"):
                    found = self._name(module, name, hops + 1)
                    if found is not None:
                        return found
            return None
        return self._binding(path, binding, hops)

    def _binding(self, path: str, binding: Binding, hops: int) -> _Resolved | None:
        value = binding.value
        if value.kind == "fastapi":
            return _Resolved("app", Origin(path, binding.line, "instance", binding.name))
        line = binding.line
        if value.kind == "alias" and value.target is not None:
            return self.resolve(path, value.target.parts, hops + 1, line)
        if value.kind == "import":
            return self._import(path, binding, hops)
        if value.kind == "call" and value.target is not None:
            callee = self.resolve(path, value.target.parts, hops + 1, line)
            if callee is not None and callee.kind == "factory":
                return _Resolved("app", callee.origin)
            if value.arg is not None:
                inner = self.resolve(path, value.arg.parts, hops + 1, line)
                if inner is not None and inner.kind == "app" and inner.origin is not None:
                    wrapper = Origin(path, binding.line, "wrapper", binding.name)
                    self.contains.setdefault(wrapper, set()).add(inner.origin)
                    return _Resolved("app", wrapper)
        return None

    def _import(self, path: str, binding: Binding, hops: int) -> _Resolved | None:
        value = binding.value
        module = self.resolve_module(path, value.module or "", value.level)
        if module is None:
            return None
        if value.attr is None:  # ``import a.b`` binds a; ``import a.b as x`` binds a.b
            return _Resolved("module", path=module)
        return self._attribute(module, value.attr, hops + 1)

    # ------------------------------------------------------------ discovery
    def discover(self, paths: Iterable[str]) -> None:
        """Read ``paths`` and every module that may re-export what they define."""
        analysed: set[str] = set()
        pending = set(paths)
        for _round in range(3):
            for path in sorted(pending - analysed):
                analysed.add(path)
                self.summary(path)
            names, stems = self._app_names(analysed)
            if not names:
                break
            pending = set()
            for path in sorted(self.layout.files - analysed):
                if not path.endswith(".py"):
                    continue
                text = self.read(path)
                if text is not None and imports_any(text, names, stems):
                    pending.add(path)
            if not pending:
                break
        self._collect(analysed)

    def _app_names(self, paths: Iterable[str]) -> tuple[set[str], set[str]]:
        """Names that may be apps or factories, and the module names that define them."""
        names: set[str] = set()
        stems: set[str] = set()
        for path in paths:
            summary = self.summaries.get(path)
            if summary is None:
                continue
            found = {n for n, b in summary.bindings.items() if b.value.kind in {"fastapi", "call"}}
            found |= set(summary.factories)
            if found:
                names |= found
                stem = posixpath.basename(path)[: -len(".py")]
                stems.add(posixpath.basename(parent(path)) if stem == "__init__" else stem)
        return names, stems

    def _collect(self, paths: Iterable[str]) -> None:
        for path in sorted(paths):
            summary = self.summaries.get(path)
            if summary is None:
                continue
            for name, factory in summary.factories.items():
                origin = Origin(path, factory.line, "factory", name)
                self.sites.append(
                    AppSite(path, name, factory.line, origin, True, factory.needs_arguments)
                )
            for name, binding in summary.bindings.items():
                resolved = self._name(path, name, 0)
                if resolved is not None and resolved.kind == "app" and resolved.origin:
                    self.sites.append(AppSite(path, name, binding.line, resolved.origin))
            for mount in summary.mounts:
                container = self._mount_side(path, mount.container, mount.line)
                mounted = self._mount_side(path, mount.mounted, mount.line, strip_router=True)
                if container is not None and mounted is not None and container != mounted:
                    self.contains.setdefault(container, set()).add(mounted)
            if not any(s.path == path and not s.factory for s in self.sites):
                for binding in summary.main_block:
                    resolved = self._binding(path, binding, 0)
                    if resolved is not None and resolved.kind == "app":
                        self.main_block_apps.append((path, binding))
            for function, line in summary.function_apps:
                self.function_apps.append((path, function, line))

    def _mount_side(
        self, path: str, target: Target, line: int, *, strip_router: bool = False
    ) -> Origin | None:
        if target.factory is not None:
            summary = self.summary(path)
            factory = summary.factories.get(target.factory) if summary else None
            return Origin(path, factory.line, "factory", target.factory) if factory else None
        parts = target.parts
        if strip_router and len(parts) > 1 and parts[-1] == "router":
            parts = parts[:-1]
        resolved = self.resolve(path, parts, 0, line)
        if resolved is None or resolved.kind != "app":
            return None
        return resolved.origin

    # ------------------------------------------------------------ views
    def groups(self, sites: Iterable[AppSite]) -> dict[Origin, list[AppSite]]:
        grouped: dict[Origin, list[AppSite]] = {}
        for site in sites:
            grouped.setdefault(site.origin, []).append(site)
        return grouped

    def descendants(self, origin: Origin) -> set[Origin]:
        seen: set[Origin] = set()
        stack = [origin]
        while stack:
            for child in self.contains.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def site_at(self, path: str, name: str) -> AppSite | None:
        for site in self.sites:
            if site.path == path and site.name == name:
                return site
        resolved = self._name(path, name, 0)
        if resolved is not None and resolved.origin is not None:
            if resolved.kind == "factory":
                return AppSite(
                    path,
                    name,
                    resolved.origin.line,
                    resolved.origin,
                    True,
                    resolved.needs_arguments,
                )
            if resolved.kind == "app":
                return AppSite(path, name, resolved.origin.line, resolved.origin)
        return None

    def declared_site(self, path: str, name: str, *, factory: bool) -> AppSite | None:
        """A site a run command names although the analysis cannot tell it is an app."""
        summary = self.summary(path)
        if summary is None:
            return None
        binding = summary.bindings.get(name)
        line = binding.line if binding is not None else 0
        if binding is None and name not in summary.factories:
            return None
        if binding is not None and _builds_wsgi_app(binding):
            return None  # `gunicorn app:app` of a Flask app: uvicorn cannot serve it
        origin = Origin(path, line, "declared", name)
        return AppSite(path, name, line, origin, factory)

    def reachable(self, start: str, limit: int = 500) -> list[str]:
        """First-party modules ``start`` imports, directly or not (``start`` first)."""
        order = [start]
        seen = {start}
        index = 0
        while index < len(order) and len(order) < limit:
            path = order[index]
            index += 1
            summary = self.summary(path)
            if summary is None:
                continue
            for ref in summary.imports:
                targets = [self.resolve_module(path, ref.module, ref.level)]
                base = targets[0]
                if base is not None:
                    for name in ref.names:
                        if name != "*":
                            targets.append(self._submodule(base, name))
                for target in targets:
                    if target is None:
                        continue
                    if not target.endswith(".py"):
                        target = join(target, "__init__.py")
                        if not self.layout.is_file(target):
                            continue
                    if target not in seen:
                        seen.add(target)
                        order.append(target)
        return order


# Constructors of WSGI applications (not ASGI): a run command naming one is no FastAPI app.
_WSGI_CONSTRUCTORS = frozenset(
    {"Flask", "flask.Flask", "Bottle", "bottle.Bottle", "get_wsgi_application", "WSGIHandler"}
)


def _builds_wsgi_app(binding: Binding) -> bool:
    value = binding.value
    if value.kind != "call" or value.target is None:
        return False
    return ".".join(value.target.parts) in _WSGI_CONSTRUCTORS


_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE
)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]+)", re.MULTILINE)


def imports_any(text: str, names: set[str], stems: set[str]) -> bool:
    """True when ``text`` may re-export one of ``names`` or a module named in ``stems``:
    ``from x import app``, ``from .main import *``, ``import pkg.server``. A cheap text
    test that keeps most modules of a large repository from being summarised."""
    if "import" not in text:
        return False
    for match in _FROM_IMPORT.finditer(text):
        module = match.group(1).rstrip(".")
        words = set(re.findall(r"\w+", match.group(2)))
        if module.rsplit(".", 1)[-1] in stems or words & (names | stems):
            return True
    for match in _IMPORT.finditer(text):
        for dotted in re.findall(r"[\w.]+", match.group(1)):
            if dotted.rsplit(".", 1)[-1] in stems:
                return True
    return False


def site_depth(site: AppSite) -> int:
    return depth(parent(site.path))
