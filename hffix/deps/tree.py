"""Where the backend lives: the folders HF006 and HF007 look at besides the repository root."""

from __future__ import annotations

import posixpath
import re

from hffix.facts import Facts
from hffix.repository.workspace import Unreadable, Workspace

_CREATES_APP = re.compile(r"\bFastAPI\s*\(")
_SKIP = ("node_modules/", ".venv/", "venv/", "site-packages/")


def _ancestors(path: str) -> list[str]:
    folders = []
    folder = posixpath.dirname(path)
    while folder:
        folders.append(folder)
        folder = posixpath.dirname(folder)
    return folders


def app_modules(workspace: Workspace, facts: Facts) -> list[str]:
    """Repository paths of the modules that define or serve the app."""
    found = set(facts.entry_modules)
    if facts.app is not None:
        found.add(facts.app.module_path)
    for name in ("main.py", "app.py"):
        if workspace.exists(name):
            found.add(name)
    if facts.app is None:
        for path in workspace.paths():
            if not path.endswith(".py") or any(s in f"/{path}" for s in _SKIP):
                continue
            try:
                text = workspace.text(path)
            except Unreadable:
                continue
            if _CREATES_APP.search(text) and "fastapi" in text:
                found.add(path)
    return sorted(p for p in found if workspace.exists(p))


def backend_folders(workspace: Workspace, facts: Facts) -> list[str]:
    """The root ("") and every folder holding an app module or above one, plus the import
    root the entrypoint rule found."""
    folders = {""}
    for path in app_modules(workspace, facts):
        folders.update(_ancestors(path))
    if facts.app is not None and facts.app.import_root:
        folders.add(facts.app.import_root.strip("/"))
    return sorted(folders)


def import_roots(workspace: Workspace, facts: Facts) -> list[str]:
    """Folders first-party imports resolve from."""
    roots = {""}
    if facts.app is not None:
        roots.add(facts.app.import_root.strip("/"))
    else:
        for path in app_modules(workspace, facts):
            roots.update(_ancestors(path))
    return sorted(roots)
