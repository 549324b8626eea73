"""The root ``main.py`` hffix writes: one comment line, ``load_dotenv()``, then the app.

It exposes ``app``, never starts a server and has no ``__main__`` block (SP-HF-04). When
the app lives below the repository root it puts the import root first on ``sys.path``
(so the app's own absolute imports resolve as they did, and its packages win over
same-named modules at the root); when the app opens files relative to the working folder
it changes into the folder the app used to run from; when the module cannot be imported
by name it is loaded from its file.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

COMMENT = "# Hugging Face Spaces entrypoint written by hffix: serves {what}."
LOADED_NAME = "_hffix_app"
# What the comment says it serves: `app` from P, `x` from P as `app`, the app `f()` builds in P.
_SERVES = re.compile(
    r"^# Hugging Face Spaces entrypoint written by hffix: serves "
    r"(?:`(?P<attr>\w+)` from (?P<path>\S+?)(?: as `app`)?"
    r"|the app `(?P<factory>\w+)\((?:\.\.\.)?\)` builds in (?P<fpath>\S+?))\.\r?$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Package:
    """A folder the shim loads as a package before importing the app, because the name it
    has from the import root would otherwise find something else first."""

    name: str
    folder: str  # repository folder (a namespace package: it has no __init__.py)
    why: str  # the comment above it


@dataclass(frozen=True)
class Shim:
    app_path: str  # repository path of the module holding the app (for the comment)
    attribute: str
    factory: bool = False
    sys_paths: tuple[str, ...] = ()  # repository folders to put first on sys.path, in order
    import_name: str | None = None  # dotted module to import; None: load app_path by file
    chdir: str | None = None  # repository folder to run in
    chdir_why: str = ""
    root_package: str | None = None  # load the repository root as this package first
    packages: tuple[Package, ...] = ()  # folders to load as these packages first
    arguments: str = ""  # a factory's call arguments (``settings=Settings(), title="Shop"``)
    argument_imports: tuple[str, ...] = ()  # the import lines those arguments need
    as_main: str = ""  # why app_path is loaded as `main`, in this file's place ("" if not)


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(text, 97, break_on_hyphens=False)]


def _folder_expr(folder: str) -> str:
    parts = ", ".join(f'"{p}"' for p in folder.split("/"))
    return f"os.path.join(_ROOT, {parts})"


def render(shim: Shim) -> str:
    what = f"`app` from {shim.app_path}"
    if shim.factory:
        call = f"{shim.attribute}({'...' if shim.arguments else ''})"
        what = f"the app `{call}` builds in {shim.app_path}"
    elif shim.attribute != "app":
        what = f"`{shim.attribute}` from {shim.app_path} as `app`"
    lines = [COMMENT.format(what=what)]
    by_path = shim.import_name is None or bool(shim.as_main)
    importlib = by_path or shim.root_package is not None or bool(shim.packages)
    needs_os = bool(shim.sys_paths or shim.chdir or importlib)
    if needs_os:
        if shim.packages:
            lines.append("import importlib.machinery")
        if importlib:
            lines.append("import importlib.util")
        lines += ["import os", "import sys", ""]
    lines += ["from dotenv import load_dotenv", ""]
    if needs_os:
        lines.append("_ROOT = os.path.dirname(os.path.abspath(__file__))")
        for index, folder in enumerate(shim.sys_paths):
            lines.append(f"sys.path.insert({index}, {_folder_expr(folder)})")
        if shim.chdir:
            if shim.chdir_why:
                lines.append(f"# {shim.chdir_why}")
            lines.append(f"os.chdir({_folder_expr(shim.chdir)})")
    lines += ["load_dotenv()", ""]
    if shim.root_package is not None:
        name = shim.root_package
        lines += [
            f"# The repository root is the package `{name}` (it has __init__.py); load it so.",
            "_spec = importlib.util.spec_from_file_location(",
            f'    "{name}", os.path.join(_ROOT, "__init__.py"), submodule_search_locations=[_ROOT]',
            ")",
            "_package = importlib.util.module_from_spec(_spec)",
            "sys.modules[_spec.name] = _package",
            "_spec.loader.exec_module(_package)",
            "",
        ]
    for package in shim.packages:
        lines += [
            *_comment(package.why),
            f'_spec = importlib.machinery.ModuleSpec("{package.name}", None, is_package=True)',
            f"_spec.submodule_search_locations.append({_folder_expr(package.folder)})",
            "sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)",
            "",
        ]
    target = shim.attribute
    arguments = shim.arguments
    imports = [f"{line}  # noqa: E402" for line in shim.argument_imports]
    if by_path:
        name = "main" if shim.as_main else LOADED_NAME
        if shim.as_main:
            lines += _comment(shim.as_main)
        lines += [
            "_spec = importlib.util.spec_from_file_location(",
            f'    "{name}", {_folder_expr(shim.app_path)}',
            ")",
            "_module = importlib.util.module_from_spec(_spec)",
            "sys.modules[_spec.name] = _module",
            "_spec.loader.exec_module(_module)",
        ]
        if imports:
            lines += ["", *imports, ""]
        if shim.factory:
            lines.append(f"app = _module.{target}({arguments})")
        else:
            lines.append(f"app = _module.{target}")
    elif shim.factory:
        lines += [f"from {shim.import_name} import {target}  # noqa: E402", *imports]
        lines += ["", f"app = {target}({arguments})"]
    elif target == "app":
        lines.append(f"from {shim.import_name} import app  # noqa: E402")
    else:
        lines.append(f"from {shim.import_name} import {target} as app  # noqa: E402")
    if not by_path and not shim.factory:
        # The import is the module's whole point: `__all__` makes it an explicit re-export,
        # so `ruff check --fix` (F401) and other linters do not delete it as unused.
        lines += ["", '__all__ = ["app"]']
    return "\n".join(lines) + "\n"


def serves(text: str) -> tuple[str, str, bool] | None:
    """(module path, attribute, factory) the comment of hffix's ``main.py`` names."""
    match = _SERVES.match(text)
    if match is None:
        return None
    if match["factory"]:
        return match["fpath"], match["factory"], True
    return match["path"], match["attr"], False


_FOLDER_CALL = r'os\.path\.join\(_ROOT, (?P<parts>"[^"\n]*"(?:, "[^"\n]*")*)\)'
_SYS_PATH = re.compile(rf"^sys\.path\.insert\(\d+, {_FOLDER_CALL}\)\r?$", re.MULTILINE)
_CHDIR = re.compile(rf"^os\.chdir\({_FOLDER_CALL}\)\r?$", re.MULTILINE)


def _parts(match: re.Match[str]) -> str:
    return "/".join(re.findall(r'"([^"]*)"', match["parts"]))


def shim_folders(text: str) -> tuple[tuple[str, ...], str | None]:
    """The folders hffix's ``main.py`` puts on ``sys.path`` (in order) and the one it
    changes into."""
    paths = tuple(_parts(m) for m in _SYS_PATH.finditer(text))
    chdir = _CHDIR.search(text)
    return paths, _parts(chdir) if chdir is not None else None


def is_hffix_shim(text: str) -> bool:
    """True for a ``main.py`` this module wrote (its first line is the comment)."""
    return text.startswith(COMMENT.split("{", 1)[0])
