"""Moving a root ``main.py`` that is not the app (a CLI, a bot, a pipeline) out of the way.

Only with ``--unsafe-fixes``: the file is copied to ``main_script.py`` (content and mode kept;
the caller then rewrites ``main.py``), and
what refers to it follows: ``import main`` / ``from main import x`` in Python modules that
resolve to it, ``python main.py`` and ``python -m main`` in root-level Procfiles,
Makefiles, shell scripts, Dockerfiles and CI workflows, ``main:func`` entry points in
``pyproject.toml``. ``uvicorn main:app`` is left alone: it names the app, which the new
``main.py`` serves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from hffix.project.apps import AppGraph
from hffix.project.layout import Layout, parent
from hffix.repository.workspace import Unreadable, Workspace

if TYPE_CHECKING:
    import libcst as cst

_SCRIPT_REF = re.compile(r"(?<![\w./-])((?:\./)?)main\.py\b")
_MODULE_REF = re.compile(r"(-m\s+)main(?![\w.])")
_ENTRY_POINT = re.compile(r"""(=\s*["'])main(:[A-Za-z_])""")
_TEXT_FILES = re.compile(
    r"^(procfile|makefile|[^/]*\.sh|dockerfile[^/]*|[^/]*\.dockerfile|pyproject\.toml"
    r"|\.github/workflows/[^/]+\.ya?ml|(docker-)?compose[^/]*\.ya?ml)$",
    re.IGNORECASE,
)


def free_name(layout: Layout) -> str:
    name = "main_script.py"
    counter = 2
    while layout.is_file(name) or layout.is_dir(name[:-3]):
        name = f"main_script_{counter}.py"
        counter += 1
    return name


def _rename_imports(module: cst.Module, new: str) -> cst.Module | None:
    """``module`` with ``import main`` and ``from main import ...`` importing ``new``
    instead (``import main`` keeps the name: ``import new as main``); None if it has none."""
    import libcst as cst

    class RenameImports(cst.CSTTransformer):
        changed = False

        def leave_ImportFrom(
            self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
        ) -> cst.ImportFrom:
            module = updated_node.module
            if updated_node.relative or not isinstance(module, cst.Name) or module.value != "main":
                return updated_node
            self.changed = True
            return updated_node.with_changes(module=cst.Name(new))

        def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
            aliases = []
            for alias in updated_node.names:
                if isinstance(alias.name, cst.Name) and alias.name.value == "main":
                    self.changed = True
                    asname = alias.asname or cst.AsName(name=cst.Name("main"))
                    alias = alias.with_changes(name=cst.Name(new), asname=asname)
                aliases.append(alias)
            return updated_node.with_changes(names=aliases)

    transformer = RenameImports()
    result = module.visit(transformer)
    return result if transformer.changed else None


class CannotMoveAside(Exception):
    """Modules import the root ``main.py`` and cannot be updated; nothing was changed."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


def move_aside(
    workspace: Workspace, graph: AppGraph, parse: Callable[[str], cst.Module | None]
) -> tuple[str, list[str]]:
    """Rename the root ``main.py``; returns its new name and the files whose references
    were updated. ``parse`` is the session's guarded libcst parse (a module too deep for
    libcst's native parser is never handed to it). Raises :class:`CannotMoveAside`, having
    changed nothing, when a module importing ``main.py`` cannot be parsed to update it:
    it would import the new entrypoint instead."""
    layout = graph.layout
    new = free_name(layout)
    stem = new[: -len(".py")]
    importers = [
        path
        for path in sorted(layout.files)
        if path.endswith(".py")
        and path != "main.py"
        and graph.resolve_module(path, "main", 0) == "main.py"
    ]
    stuck = [path for path in importers if parse(path) is None]
    if stuck:
        raise CannotMoveAside(stuck)
    updated: list[str] = []
    for path in sorted(layout.files):
        if path == "main.py":
            continue
        try:
            text = workspace.text(path)
        except Unreadable:
            continue
        if "main" not in text:
            continue
        if path.endswith(".py"):
            if graph.resolve_module(path, "main", 0) != "main.py":
                continue
            module = parse(path)
            if module is None:
                continue
            result = _rename_imports(module, stem)
            if result is not None:
                workspace.write(path, result.code)
                updated.append(path)
        elif _TEXT_FILES.match(path) and (not parent(path) or path.startswith(".github/")):
            new_text = _SCRIPT_REF.sub(lambda m: m.group(1) + new, text)
            new_text = _MODULE_REF.sub(lambda m: m.group(1) + stem, new_text)
            if path.endswith("pyproject.toml"):
                new_text = _ENTRY_POINT.sub(lambda m: m.group(1) + stem + m.group(2), new_text)
            if new_text != text:
                workspace.write(path, new_text)
                updated.append(path)
    # A copy, not a rename: main.py itself is rewritten next (the writer does not take a
    # rename of a path plus a new file at that path in one change set).
    workspace.write(new, workspace.text("main.py"), fmt=workspace.format("main.py"))
    workspace.set_mode(new, workspace.mode("main.py"))
    return new, updated
