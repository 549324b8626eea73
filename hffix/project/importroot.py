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

from dataclasses import dataclass

from hffix.project.apps import AppGraph
from hffix.project.layout import ancestors, display_folder, is_inside, parent

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
) -> ImportRoot:
    """The import root of ``module_path``. ``named_base`` is the folder a run command runs
    it from; ``weak`` when that is only a script's own folder (``uvicorn.run(app)`` in the
    module, which may as well be run as ``python -m pkg.main``): then it counts only if the
    first-party imports of the app's modules resolve from there."""
    layout = graph.layout
    candidates = [
        folder
        for folder in ancestors(parent(module_path))
        if layout.module_name(module_path, folder) is not None
    ]
    if named_base is not None:
        dotted = layout.importable_as(module_path, named_base)
        if dotted is not None and not (
            weak and _imports_need_another_root(graph, module_path, named_base, candidates)
        ):
            reason = f"{named_by or 'the run command'} imports `{dotted}` from there"
            return ImportRoot(named_base, reason, dotted)
    summary = graph.summary(module_path)
    level = max((ref.level for ref in summary.imports), default=0) if summary else 0
    if level:
        candidates = [f for f in candidates if _package_depth(graph, module_path, f) >= level]
    modules = graph.reachable(module_path)
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


def _imports_need_another_root(
    graph: AppGraph, module_path: str, folder: str, candidates: list[str]
) -> bool:
    """Some first-party import of the app's modules does not resolve from ``folder``."""
    modules = graph.reachable(module_path)
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


def _package_depth(graph: AppGraph, module_path: str, folder: str) -> int:
    name = graph.layout.module_name(module_path, folder) or ""
    parts = len(name.split("."))
    return parts if module_path.endswith("__init__.py") else parts - 1


def _sys_path(graph: AppGraph, path: str) -> list[str]:
    summary = graph.summary(path)
    return summary.sys_path if summary is not None else []


def _resolves_from(graph: AppGraph, module: str, folders: set[str]) -> bool:
    return any(graph.layout.resolve(folder, module) is not None for folder in folders)


def inside_root(path: str, folder: str) -> bool:
    return is_inside(path, folder)
