"""The repository's files as Python's import system sees them.

Paths are POSIX paths relative to the repository root; ``""`` is the root folder. A folder
is importable as a regular package when it holds ``__init__.py`` and as a namespace package
otherwise; names are resolved in the order Python's path finder uses (a regular package
beats a module of the same name, a module beats a namespace folder).
"""

from __future__ import annotations

import ast
import keyword
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

TEST_DIRS = frozenset({"tests", "test", "testing"})


def join(*parts: str) -> str:
    """Join repository path parts, ignoring empty ones (``join("", "a") == "a"``)."""
    kept = [p for p in parts if p]
    return posixpath.normpath(posixpath.join(*kept)) if kept else ""


def parent(path: str) -> str:
    return posixpath.dirname(path)


def depth(path: str) -> int:
    """Number of components of a path (``""`` has 0)."""
    return len(path.split("/")) if path else 0


def ancestors(folder: str) -> Iterator[str]:
    """``folder`` and every folder above it, nearest first, ending with the root ``""``."""
    while True:
        yield folder
        if not folder:
            return
        folder = parent(folder)


def is_inside(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


def relative(path: str, folder: str) -> str:
    """``path`` relative to ``folder`` (which must contain it)."""
    if not folder:
        return path
    if path == folder:
        return ""
    return path[len(folder) + 1 :]


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def is_test_path(path: str) -> bool:
    """Test code: inside a ``tests/`` folder, ``test_*.py``, ``*_test.py`` or ``conftest.py``."""
    parts = path.split("/")
    name = parts[-1]
    return (
        any(p in TEST_DIRS for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


# Modules that only test code imports: a module importing one is test code wherever it is
# (`app/test.py`, `verify_api.py`), and its imports are not the app's needs.
TEST_FRAMEWORKS = frozenset({"pytest", "unittest", "hypothesis", "_pytest"})


def is_test_module(path: str, tree: ast.Module | None) -> bool:
    """Test code by its path (:func:`is_test_path`) or by what it imports at module level:
    pytest, unittest (but not ``unittest.mock`` alone), hypothesis."""
    if is_test_path(path):
        return True
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name
                if name.split(".")[0] in TEST_FRAMEWORKS and not name.startswith("unittest.mock"):
                    return True
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            module = node.module
            if module.split(".")[0] not in TEST_FRAMEWORKS:
                continue  # every ``module.name`` is outside the frameworks too
            for alias in node.names:
                if not f"{module}.{alias.name}".startswith("unittest.mock"):
                    return True
    return False


def display_folder(folder: str) -> str:
    return f"{folder}/" if folder else "the repository root"


@dataclass(frozen=True)
class Resolved:
    """Where a dotted name leads from an import root."""

    path: str  # a module file, a package's __init__.py, or a namespace folder
    kind: str  # "module" | "package" | "namespace"

    @property
    def is_file(self) -> bool:
        return self.kind != "namespace"


class Layout:
    """Files and folders of one repository view, with Python's name resolution."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.files = frozenset(paths)
        dirs: set[str] = {""}
        python_dirs: set[str] = set()
        self.dirs = dirs
        self._python_dirs = python_dirs
        for path in self.files:
            folder = posixpath.dirname(path)
            is_py = path.endswith(".py")
            while True:
                # Both sets hold every folder above each folder they hold: once one is
                # there, so is the rest of the way up.
                if folder in dirs and (not is_py or folder in python_dirs):
                    break
                dirs.add(folder)
                if is_py:
                    python_dirs.add(folder)
                if not folder:
                    break
                folder = posixpath.dirname(folder)

    def is_file(self, path: str) -> bool:
        return path in self.files

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def has_python(self, folder: str) -> bool:
        """True when ``folder`` holds a ``.py`` file at any depth."""
        return folder in self._python_dirs

    def is_regular_package(self, folder: str) -> bool:
        return join(folder, "__init__.py") in self.files

    def files_under(self, folder: str) -> list[str]:
        return sorted(p for p in self.files if is_inside(p, folder) and p != folder)

    def entries(self, folder: str) -> set[str]:
        """Names of the files and folders directly inside ``folder``."""
        prefix = f"{folder}/" if folder else ""
        names: set[str] = set()
        for path in self.files:
            if path.startswith(prefix):
                names.add(path[len(prefix) :].split("/")[0])
        return names

    # ------------------------------------------------------------ resolution
    def find_name(self, folder: str, name: str) -> Resolved | None:
        """What ``import name`` finds in ``folder``, in the path finder's order."""
        sub = join(folder, name)
        if sub in self.dirs and self.is_regular_package(sub):
            return Resolved(join(sub, "__init__.py"), "package")
        if join(folder, f"{name}.py") in self.files:
            return Resolved(join(folder, f"{name}.py"), "module")
        if sub in self.dirs and self.has_python(sub):
            return Resolved(sub, "namespace")
        return None

    def resolve(self, root: str, dotted: str) -> Resolved | None:
        """Resolve ``dotted`` from the import root ``root``; ``None`` if it does not exist."""
        folder = root
        found: Resolved | None = None
        parts = dotted.split(".")
        for index, part in enumerate(parts):
            if not is_identifier(part):
                return None
            found = self.find_name(folder, part)
            if found is None:
                return None
            if index < len(parts) - 1:
                if found.kind == "module":
                    return None  # a module is not a package
                folder = join(folder, part)
        return found

    def module_name(self, path: str, root: str) -> str | None:
        """The dotted name ``path`` has from ``root``, if every part can be imported."""
        if not is_inside(path, root) or not path.endswith(".py"):
            return None
        rel = relative(path, root)
        parts = rel[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or not all(is_identifier(p) for p in parts):
            return None
        return ".".join(parts)

    def importable_as(self, path: str, root: str) -> str | None:
        """``module_name`` when importing that name from ``root`` really gives ``path``
        (not a package or module of the same name that shadows it)."""
        name = self.module_name(path, root)
        if name is None:
            return None
        found = self.resolve(root, name)
        return name if found is not None and found.path == path else None

    def top_level_names(self, folder: str) -> set[str]:
        """Module and package names importable from ``folder``."""
        names: set[str] = set()
        for entry in self.entries(folder):
            path = join(folder, entry)
            if entry.endswith(".py") and path in self.files:
                stem = entry[: -len(".py")]
                if is_identifier(stem):
                    names.add(stem)
            elif path in self.dirs and self.has_python(path) and is_identifier(entry):
                names.add(entry)
        return names
