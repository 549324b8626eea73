"""The import root: the folder from which the app module's first-party imports resolve.

For ``backend/app/main.py`` that says ``from app.core.config import settings`` it is
``backend/``. The evidence, strongest first:

1. a run command that names the module from a known folder (``cd backend && uvicorn
   app.main:app``, ``WORKDIR``, ``--app-dir``, a script's own folder for ``python x.py``);
2. relative imports, which need the module to sit inside a package of that depth;
3. the absolute imports of the module and of every first-party module it reaches: the
   folder from which most of them resolve (folders the code adds to ``sys.path`` count
   as resolving from anywhere);
4. a chain of regular packages (``__init__.py``): the folder above the topmost one;
5. the module's own folder.

A repository root that is itself a package (``__init__.py`` at the root, with relative
imports reaching it or code importing ``myproj.routes`` for its own ``routes``) has no
folder to import it from; :attr:`ImportRoot.package` then names the package the root must
be loaded as.

Only folders from which every path component is importable are candidates (no
``my-backend`` or ``api.py`` folders on the way), and the module must not be shadowed
there by a package of the same name (``app.py`` beside ``app/__init__.py``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.deps.distributions import resolve as distribution_of
from hffix.deps.stdlib import is_stdlib
from hffix.project.apps import AppGraph
from hffix.project.layout import (
    Layout,
    ancestors,
    display_folder,
    is_identifier,
    parent,
)
from hffix.project.pysummary import relative_base

if TYPE_CHECKING:
    import libcst as cst

ROOT_PACKAGE = "hffix_root"  # the name a package root gets when its code never names it


@dataclass(frozen=True)
class ImportRoot:
    folder: str
    reason: str
    dotted: str | None  # the module's name from ``folder``; None when it must load by path
    unresolved: tuple[str, ...] = ()  # first-party imports that do not resolve from there
    package: str | None = None  # the repository root is this package (it has __init__.py)


def package_base(graph: AppGraph, module_path: str) -> str:
    """The folder above the topmost regular package holding ``module_path``."""
    folder = parent(module_path)
    while folder and graph.layout.is_regular_package(folder):
        folder = parent(folder)
    return folder


def import_root(
    graph: AppGraph,
    module_path: str,
    named_base: str | None = None,
    named_by: str = "",
    *,
    weak: bool = False,
    launcher: str | None = None,
) -> ImportRoot:
    """The import root of ``module_path``. ``named_base`` is the folder a run command runs
    it from; ``weak`` when that is only a script's own folder (``uvicorn.run(app)`` in the
    module, which may as well be run as ``python -m pkg.main``): then it counts only if the
    first-party imports of the app's modules resolve from there. ``launcher`` is the module
    that started the server (``app = chat.app; uvicorn.run(app)``): its imports ran too,
    so they count with the app module's own."""
    layout = graph.layout
    starts = (module_path,) if launcher in (None, module_path) else (module_path, launcher)
    candidates = [
        folder
        for folder in ancestors(parent(module_path))
        if layout.module_name(module_path, folder) is not None
    ]
    # The launcher's relative imports need its package too (`from .factory import
    # create_app` in shop/run.py: it runs as `python -m shop.run`, from above shop/).
    if launcher is not None and launcher != module_path:
        deep = [f for f in candidates if _deep_enough(graph, launcher, f)]
        candidates = deep or candidates
    if named_base is not None:
        dotted = layout.importable_as(module_path, named_base)
        if dotted is not None and not (
            weak
            and (
                named_base not in candidates
                or _imports_need_another_root(graph, starts, named_base, candidates)
            )
        ):
            reason = f"{named_by or 'the run command'} imports `{dotted}` from there"
            return ImportRoot(named_base, reason, dotted)
    summary = graph.summary(module_path)
    level = max((ref.level for ref in summary.imports), default=0) if summary else 0
    if level:
        candidates = [f for f in candidates if _package_depth(graph, module_path, f) >= level]
    modules = _closure(graph, starts)
    extra = _sys_paths(graph, modules)
    if layout.is_regular_package("") and layout.module_name(module_path, "") is not None:
        name = _own_name(graph, modules, extra)
        if name is not None or not candidates:
            why = f"its code imports `{name}.…`" if name else "its relative imports reach it"
            reason = f"the repository root is itself a package (__init__.py) and {why}"
            return ImportRoot("", reason, None, package=name or ROOT_PACKAGE)
    if not candidates:
        return ImportRoot(parent(module_path), "no folder can import it by name", None)
    first_party = _first_party(graph, modules, candidates, extra)
    scores = {
        folder: sum(1 for name in first_party if layout.resolve(folder, name) is not None)
        for folder in candidates
    }
    best = max(scores.values())
    tied = [f for f in candidates if scores[f] == best]
    base = package_base(graph, module_path)
    if best and len(tied) == 1:
        folder = tied[0]
        shown = ", ".join(f"`{n}`" for n in sorted(first_party)[:3])
        reason = f"its imports ({shown}) resolve from {display_folder(folder)}"
    elif base in tied and base != parent(module_path):
        folder = base
        reason = f"{display_folder(parent(module_path))} is a regular package"
    elif level and tied:
        folder = tied[0]
        reason = "its relative imports need the package above it"
    else:
        folder = tied[0]
        reason = "it is imported from its own folder"
    unresolved = tuple(sorted(n for n in first_party if layout.resolve(folder, n) is None))
    dotted = layout.importable_as(module_path, folder)
    return ImportRoot(folder, reason, dotted, unresolved)


def _sys_paths(graph: AppGraph, modules: list[str]) -> set[str]:
    return {folder for path in modules for folder in _sys_path(graph, path)}


def _first_party(
    graph: AppGraph, modules: list[str], candidates: list[str], extra: set[str]
) -> set[str]:
    """Absolute imports of ``modules`` that resolve from one of ``candidates`` (and not
    from a folder the code puts on ``sys.path`` itself)."""
    layout = graph.layout
    found: set[str] = set()
    for path in modules:
        summary = graph.summary(path)
        for ref in summary.imports if summary else ():
            if (
                ref.level == 0
                and ref.module
                and not _resolves_from(graph, ref.module, extra)
                and any(layout.resolve(f, ref.module) is not None for f in candidates)
            ):
                found.add(ref.module)
    return found


def _closure(graph: AppGraph, starts: tuple[str, ...]) -> list[str]:
    modules = graph.reachable(starts[0])
    for start in starts[1:]:
        modules += [m for m in graph.reachable(start) if m not in modules]
    return modules


def _imports_need_another_root(
    graph: AppGraph, starts: tuple[str, ...], folder: str, candidates: list[str]
) -> bool:
    """Some first-party import of the app's modules does not resolve from ``folder``."""
    modules = _closure(graph, starts)
    first_party = _first_party(graph, modules, candidates, _sys_paths(graph, modules))
    return any(graph.layout.resolve(folder, name) is None for name in first_party)


def _own_name(graph: AppGraph, modules: list[str], extra: set[str]) -> str | None:
    """``myproj`` when code imports ``myproj.routes`` and ``routes`` is at the root."""
    layout = graph.layout
    for path in modules:
        summary = graph.summary(path)
        for ref in summary.imports if summary else ():
            head, _, rest = ref.module.partition(".")
            if ref.level or not rest or layout.resolve("", head) is not None:
                continue
            if _resolves_from(graph, ref.module, extra):
                continue
            if layout.resolve("", rest) is not None:
                return head
    return None


def _deep_enough(graph: AppGraph, path: str, folder: str) -> bool:
    """``path``, named from ``folder``, sits in a package as deep as its relative imports
    go."""
    summary = graph.summary(path)
    level = max((ref.level for ref in summary.imports), default=0) if summary else 0
    if not level:
        return True
    return (
        graph.layout.module_name(path, folder) is not None
        and _package_depth(graph, path, folder) >= level
    )


def _package_depth(graph: AppGraph, module_path: str, folder: str) -> int:
    name = graph.layout.module_name(module_path, folder) or ""
    parts = len(name.split("."))
    return parts if module_path.endswith("__init__.py") else parts - 1


def _sys_path(graph: AppGraph, path: str) -> list[str]:
    summary = graph.summary(path)
    return summary.sys_path if summary is not None else []


def _resolves_from(graph: AppGraph, module: str, folders: set[str]) -> bool:
    return any(graph.layout.resolve(folder, module) is not None for folder in folders)


# ---------------------------------------------------------------- names found elsewhere
@dataclass(frozen=True)
class Shadow:
    """A top-level name the app means as a folder without ``__init__.py`` (a namespace
    package) that Python resolves to something else first: a regular package or module in
    a later ``sys.path`` folder (the repository root), the standard library, a distribution.
    A namespace portion loses to all of those, wherever they are on ``sys.path``."""

    name: str
    folder: str  # the namespace folder the app means
    by: str  # what Python finds instead, for messages
    stdlib: bool  # the standard library's: loading the folder in its place would break it


def shadowed(layout: Layout, folders: Iterable[str], names: Iterable[str]) -> list[Shadow]:
    """Which of ``names`` (top-level modules the app imports) Python would not find where
    the app means them, with ``folders`` first on ``sys.path`` and the root after them."""
    search = list(dict.fromkeys([*folders, ""]))
    found: list[Shadow] = []
    for name in sorted(set(names)):
        if not is_identifier(name) or name == "main":
            continue
        meant = next(
            ((i, f) for i, f in enumerate(search) if layout.find_name(f, name) is not None),
            None,
        )
        if meant is None or not meant[1]:
            continue
        index, folder = meant
        resolved = layout.find_name(folder, name)
        if resolved is None or resolved.kind != "namespace":
            continue
        first = None
        for later in search[index + 1 :]:
            other = layout.find_name(later, name)
            if other is not None and other.kind != "namespace":
                first = other
                break
        if first is not None:
            what = "package" if first.kind == "package" else "module"
            where = parent(first.path) if first.kind == "package" else first.path
            shown = f"{where}/" if first.kind == "package" else where
            at = " at the repository root" if "/" not in where else ""
            found.append(Shadow(name, resolved.path, f"the {what} {shown}{at}", False))
        elif is_stdlib(name):
            found.append(Shadow(name, resolved.path, "the standard library's module", True))
        else:
            dist = distribution_of(name, environment=False)
            if dist is not None:
                by = f"the module of the distribution {dist.distribution}"
                found.append(Shadow(name, resolved.path, by, False))
    return found


# ---------------------------------------------------------------- relative imports at the root
@dataclass(frozen=True)
class Absolute:
    """Relative imports of one module that reach the repository root, made absolute."""

    path: str
    depth: int  # how many packages deep the module is from the root (imports deeper stay)
    first_line: int
    # (level, module as written) -> the absolute module ("" for ``from . import x`` at the
    # root, which becomes ``import x``)
    targets: dict[tuple[int, str], str]


def absolute_imports(graph: AppGraph, start: str) -> list[Absolute] | str:
    """The relative imports of ``start`` and the modules it reaches that cannot work once
    the repository root is the import root (a root ``main.py`` imported as ``main``), with
    the absolute form of each; or why some cannot be written so."""
    layout = graph.layout
    modules = graph.reachable(start)
    own = _own_name(graph, modules, _sys_paths(graph, modules))
    if own is not None:
        return (
            f"its code also imports `{own}.…`, the package the repository root is when run "
            "from the folder above"
        )
    plans: list[Absolute] = []
    for path in modules:
        name = layout.module_name(path, "")
        tree = _tree(graph, path)
        if name is None or tree is None:
            continue
        depth = len(name.split(".")) - (0 if path.endswith("__init__.py") else 1)
        targets: dict[tuple[int, str], str] = {}
        first = 0
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level <= depth:
                continue
            written = f"from {'.' * node.level}{node.module or ''} import ..."
            if relative_base(path, node.level) != "" or node.level > depth + 1:
                return f"`{written}` in {path} reaches above the repository root"
            module = node.module or ""
            problem = _absolute_problem(layout, module, [a.name for a in node.names])
            if problem:
                return f"`{written}` in {path}: {problem}"
            targets[(node.level, module)] = module
            first = min(first, node.lineno) if first else node.lineno
        if targets:
            plans.append(Absolute(path, depth, first, targets))
    return plans


def _absolute_problem(layout: Layout, module: str, names: list[str]) -> str:
    tops = [module.split(".")[0]] if module else names
    for top in tops:
        if top == "*":
            return "a star import of the root package"
        found = layout.resolve("", module) if module else layout.find_name("", top)
        if found is None:
            return (
                f"`{module or top}` is not a module at the repository root (defined in "
                "__init__.py?)"
            )
        if is_stdlib(top):
            return f"`{top}` would be the standard library's module"
        if top == "main":
            return "`main` is the module the Space imports"
    return ""


def _tree(graph: AppGraph, path: str) -> ast.Module | None:
    if graph.parse is not None:
        return graph.parse(path)
    text = graph.read(path)
    try:
        return ast.parse(text) if text is not None else None
    except (SyntaxError, ValueError):
        return None


def make_absolute(module: cst.Module, plan: Absolute) -> cst.Module:
    """``module`` with the relative imports ``plan`` names written as absolute ones."""
    import libcst as cst

    class Absolutize(cst.CSTTransformer):
        def leave_ImportFrom(
            self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
        ) -> cst.BaseSmallStatement:
            level = len(updated_node.relative)
            written = (
                cst.Module([]).code_for_node(updated_node.module) if updated_node.module else ""
            )
            target = plan.targets.get((level, written)) if level > plan.depth else None
            if target is None:
                return updated_node
            if target:
                return updated_node.with_changes(relative=[], module=cst.parse_expression(target))
            names = updated_node.names
            assert not isinstance(names, cst.ImportStar)
            aliases = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in names]
            commas = [
                a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for a in aliases[:-1]
            ]
            return cst.Import(names=[*commas, aliases[-1]])

    return module.visit(Absolutize())
