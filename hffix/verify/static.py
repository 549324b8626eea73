"""What can be read from the repository's files without running them."""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path

from hffix.deps.stdlib import is_stdlib
from hffix.project.layout import Layout
from hffix.project.pysummary import summarize

# Root files that make Spaces build a container instead of the Python SDK (SP-HF-02).
_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S
)
_PORT_FLAG = re.compile(
    r"\b(?:uvicorn|gunicorn|hypercorn|fastapi\s+(?:run|dev))\b[^\n]*?"
    r"(?:--port[= ]\s*\d+|\s-p\s*\d+|(?:-b|--bind)[= ]\s*\S*:\d+)"
)
_PORT_LITERAL = re.compile(r"\bport\s*=\s*(?!5432\b|3306\b|6379\b|27017\b)\d{2,5}\b", re.IGNORECASE)
_SHELL_FILES = ("Procfile", "start.sh", "run.sh", "entrypoint.sh", "Makefile", "startup.sh")
_SKIP_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", "env", "node_modules", "__pycache__", ".tox", "site-packages"}
)
_MAX_PY_FILES = 20000


@dataclass(frozen=True)
class AppBinding:
    """Whether ``main.py`` binds the module-level name ``app``, as far as the source says."""

    state: str  # "yes", "no", "maybe" (a star import could bind it), "unreadable"
    line: int = 0
    detail: str = ""


class _Bindings(ast.NodeVisitor):
    """Module-level bindings of one name (not inside functions, classes or lambdas)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.line = 0
        self.star: list[str] = []

    def _bind(self, node: ast.AST) -> None:
        if not self.line:
            self.line = getattr(node, "lineno", 0) or 1

    def _targets(self, target: ast.AST, node: ast.AST) -> None:
        if isinstance(target, ast.Name) and target.id == self.name:
            self._bind(node)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._targets(element, node)
        elif isinstance(target, ast.Starred):
            self._targets(target.value, node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._targets(target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._targets(node.target, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._targets(node.target, node)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._targets(node.target, node)
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._targets(item.optional_vars, node)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if (alias.asname or alias.name.split(".")[0]) == self.name:
                self._bind(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.star.append("." * node.level + (node.module or ""))
            elif (alias.asname or alias.name) == self.name:
                self._bind(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name == self.name:
            self._bind(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        if node.name == self.name:
            self._bind(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name == self.name:
            self._bind(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        return

    def visit_ListComp(self, node: ast.ListComp) -> None:
        return

    def visit_SetComp(self, node: ast.SetComp) -> None:
        return

    def visit_DictComp(self, node: ast.DictComp) -> None:
        return

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        return


def app_binding(root: Path, module: str = "main.py", name: str = "app") -> AppBinding:
    path = root / module
    try:
        source = path.read_bytes()
    except OSError:
        return AppBinding("no", detail=f"no {module} at the repository root")
    try:
        tree = ast.parse(source, filename=module)
    except SyntaxError as exc:
        return AppBinding(
            "unreadable", exc.lineno or 0, f"{module}:{exc.lineno}: SyntaxError: {exc.msg}"
        )
    except ValueError as exc:  # null bytes
        return AppBinding("unreadable", 0, f"{module}: {exc}")
    visitor = _Bindings(name)
    visitor.visit(tree)
    if visitor.line:
        return AppBinding("yes", visitor.line, f"{module}:{visitor.line}")
    if visitor.star:
        return AppBinding("maybe", 0, f"may come from `from {visitor.star[0]} import *`")
    return AppBinding("no", detail=f"{module} binds no module-level name `{name}`")


def dockerfiles(root: Path) -> list[str]:
    """Every Dockerfile of the repository (any name HF006 knows: ``Dockerfile`` in any
    case, ``Dockerfile.dev``, ``api.dockerfile``, ``Containerfile``...), those at the root
    first; discovery's rules apply (git-ignored files and other repositories are not read)."""
    from hffix.formats.dockerfile import is_dockerfile
    from hffix.repository.discovery import discover

    try:
        files, _ = discover(root)
    except OSError:
        return []
    found = [path for path in files if is_dockerfile(path)]
    return sorted(found, key=lambda path: ("/" in path, path))


def front_matter(root: Path) -> dict[str, str] | None:
    """Top-level ``key: value`` pairs of README.md's YAML front matter (None when absent)."""
    try:
        text = (root / "README.md").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None
    values: dict[str, str] = {}
    for line in match.group("body").splitlines():
        if not line or line[0] in " \t#-":
            continue
        key, sep, value = line.partition(":")
        if sep:
            values[key.strip()] = value.split(" #")[0].strip().strip("'\"")
    return values


def hardcoded_ports(root: Path, limit: int = 200) -> list[str]:
    """A rough look for hardcoded ports, used only while rule HF004 is not available.

    Command lines with ``--port N`` / ``-p N`` / ``--bind host:N`` in start files, and
    ``port=N`` in the root Python files.
    """
    hits: list[str] = []
    candidates = [root / name for name in _SHELL_FILES]
    candidates += sorted(root.glob("*.sh"))
    candidates += sorted(root.glob("*.py"))
    seen: set[Path] = set()
    for path in candidates:
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        pattern = _PORT_LITERAL if path.suffix == ".py" else _PORT_FLAG
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            if pattern.search(line):
                hits.append(f"{path.name}:{number}: {line.strip()[:100]}")
                if len(hits) >= limit:
                    return hits
    return hits


# ---------------------------------------------------------------- `import main`
@dataclass(frozen=True)
class MainImport:
    """Whether ``import main`` can work, as far as the files say (the boot is the test)."""

    ok: bool
    line: int = 0
    detail: str = ""


def _python_files(root: Path, limit: int = _MAX_PY_FILES) -> list[str] | None:
    """Repository paths of the Python files below ``root``; None past ``limit``."""
    found: list[str] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        here = Path(current).relative_to(root).as_posix()
        for name in files:
            if name.endswith(".py"):
                found.append(name if here == "." else f"{here}/{name}")
                if len(found) > limit:
                    return None
    return found


def _touches_sys_modules(tree: ast.Module) -> bool:
    """main.py registers modules itself (hffix's importlib forms): names may not be files."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "modules"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            return True
    return False


class _Finder:
    """Python's path finder over the repository's files: regular packages and modules
    win over namespace portions wherever they are on ``sys.path``."""

    def __init__(self, layout: Layout, search: list[str]) -> None:
        self.layout = layout
        self.search = search

    def find(self, dotted: str) -> tuple[str, str] | str | None:
        """(kind, path) of ``dotted``; the missing dotted prefix as a string when the first
        part is the repository's but a later one is not; None when it is not first-party."""
        parts = dotted.split(".")
        folders = self.search
        found: tuple[str, str] | None = None
        for index, part in enumerate(parts):
            spaces: list[str] = []
            found = None
            for folder in folders:
                resolved = self.layout.find_name(folder, part)
                if resolved is None:
                    continue
                if resolved.kind == "namespace":
                    spaces.append(resolved.path)
                    continue
                found = (resolved.kind, resolved.path)
                break
            if found is None and spaces:
                found = ("namespace", spaces[0])
            if found is None:
                return ".".join(parts[: index + 1]) if index else None
            kind, path = found
            if index < len(parts) - 1:
                if kind == "module":
                    return ".".join(parts[: index + 2])
                folders = spaces if kind == "namespace" else [path.rsplit("/", 1)[0]]
        return found


def main_import(root: Path) -> MainImport:
    """Whether ``import main`` can work: no relative import at module level (main.py is a
    top-level module), and every module of the repository it imports exists, from the
    folders it puts first on ``sys.path``, with the names it takes from it."""
    try:
        text = (root / "main.py").read_bytes().decode("utf-8-sig")
        tree = ast.parse(text, filename="main.py")
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return MainImport(True)  # app_binding says what is wrong with the file itself
    summary = summarize("main.py", text)
    if summary is None:
        return MainImport(True)
    for ref in summary.imports:
        if ref.level:
            written = f"from {'.' * ref.level}{ref.module} import {', '.join(ref.names)}"
            return MainImport(
                False,
                ref.line,
                f"main.py:{ref.line}: `{written}` is a relative import; the Space imports "
                "main.py as the top-level module `main`, where it fails (attempted relative "
                "import with no known parent package)",
            )
    if summary.sys_path_unknown or _touches_sys_modules(tree):
        return MainImport(True)
    files = _python_files(root)
    if files is None:
        return MainImport(True)
    layout = Layout(files)
    finder = _Finder(layout, list(dict.fromkeys([*summary.sys_path, ""])))
    for ref in summary.imports:
        if not ref.module or is_stdlib(ref.module) or ref.module.split(".")[0] == "main":
            continue
        found = finder.find(ref.module)
        if found is None:
            continue  # not the repository's: the boot (or HF007) says whether it exists
        if isinstance(found, str):
            written = (
                f"from {ref.module} import {', '.join(ref.names)}"
                if ref.names
                else f"import {ref.module}"
            )
            return MainImport(
                False,
                ref.line,
                f"main.py:{ref.line}: `{written}` needs `{found}`, which is not in the "
                f"repository where Python looks for it (No module named '{found}')",
            )
        kind, path = found
        for name in ref.names:
            if name == "*" or _has_name(root, layout, kind, path, name):
                continue
            return MainImport(
                False,
                ref.line,
                f"main.py:{ref.line}: `from {ref.module} import {name}` finds {path}, which "
                f"has no `{name}` (cannot import name '{name}')",
            )
    return MainImport(True)


def _has_name(root: Path, layout: Layout, kind: str, path: str, name: str) -> bool:
    folder = path if kind == "namespace" else path.rsplit("/", 1)[0] if "/" in path else ""
    if kind != "module" and layout.find_name(folder, name) is not None:
        return True  # a submodule
    if kind == "namespace":
        return False
    return app_binding(root, path, name).state != "no"
