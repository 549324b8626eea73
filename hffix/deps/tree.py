"""Where the backend lives: the folders HF006 and HF007 look at besides the repository root."""

from __future__ import annotations

import posixpath
import re

from hffix.facts import Facts
from hffix.repository.workspace import Unreadable, Workspace

_CREATES_APP = re.compile(r"\bFastAPI\s*\(")
_SKIP = ("node_modules/", ".venv/", "venv/", "site-packages/")
# Folders whose code is not the app: documentation, examples and code templates (an AI
# assistant's `.claude/` skills, cookiecutter `{{...}}` folders), tests.
NOT_THE_APP = frozenset(
    {"docs", "doc", "examples", "example", "samples", "sample", "tests", "test", "node_modules"}
)
# The files that declare a folder's dependencies, merged by HF007.
MANIFESTS = ("requirements.txt", "pyproject.toml", "Pipfile", "setup.py")


def is_app_code(path: str) -> bool:
    """Whether ``path`` may be the app's code: not in a hidden folder (``.claude/``,
    ``.github/``), a documentation, example or test folder, or a template folder."""
    folders = path.split("/")[:-1]
    return not any(
        part.startswith(".") or part.lower() in NOT_THE_APP or "{{" in part for part in folders
    )


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
            if not is_app_code(path):
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


def manifest_folders(workspace: Workspace, facts: Facts) -> list[str]:
    """The folders whose manifests (:data:`MANIFESTS`) make the Space's requirements: the
    chain from the app's folder up to the root, and only that one service's.

    When no app was chosen and the FastAPI apps lie in folders none of which holds the
    others (several services), no chain is known: only the root. A folder of the chain
    below the root that has a manifest is the service's own: the root's ``pyproject.toml``,
    ``Pipfile`` and ``setup.py`` (a CLI beside it, a monorepo's tooling) are then left out;
    the root ``requirements.txt`` is the file being written, always kept."""
    folders = backend_folders(workspace, facts)
    if facts.app is None:
        leaves = [f for f in folders if f and not any(o.startswith(f + "/") for o in folders)]
        if len(leaves) > 1:
            return [""]
    nested = [
        folder
        for folder in folders
        if folder and any(workspace.exists(posixpath.join(folder, m)) for m in MANIFESTS)
    ]
    return nested if nested else [""]


def import_roots(workspace: Workspace, facts: Facts) -> list[str]:
    """Folders first-party imports resolve from."""
    roots = {""}
    if facts.app is not None:
        roots.add(facts.app.import_root.strip("/"))
    else:
        for path in app_modules(workspace, facts):
            roots.update(_ancestors(path))
    return sorted(roots)
