"""Which files of a repository hffix looks at.

Walks the tree without following symbolic links, honouring ``.gitignore`` files at every
level and ``.git/info/exclude``, and skipping what is never part of a Space's source:
version-control data, nested git repositories (submodules), virtual environments (any
folder holding ``pyvenv.cfg``), caches, build output and ``exclude`` patterns from the
configuration.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        ".tox",
        ".nox",
        "site-packages",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
        ".eggs",
    }
)


@dataclass(frozen=True)
class DiskFile:
    """A regular file found in the repository, as it was when discovered."""

    path: str  # POSIX path relative to the repository root
    mode: int  # st_mode of the file
    size: int


@dataclass(frozen=True)
class Skipped:
    """Something discovery saw but will not read, with the reason."""

    path: str
    reason: str


@dataclass(frozen=True)
class _Ignore:
    base: str  # directory (relative, "" for the root) the patterns are relative to
    spec: pathspec.GitIgnoreSpec


def _spec(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # imported here: a repository without ignore files never needs it

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _read_patterns(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _ignored(rel: str, is_dir: bool, rules: Iterable[_Ignore]) -> bool:
    """Git semantics: the deepest pattern that matches decides; a match may be a negation."""
    verdict = False
    for rule in rules:
        sub = rel[len(rule.base) + 1 :] if rule.base else rel
        result = rule.spec.check_file(sub + "/" if is_dir else sub)
        if result.include is not None:
            verdict = result.include
    return verdict


def discover(root: Path, exclude: Iterable[str] = ()) -> tuple[dict[str, DiskFile], list[Skipped]]:
    """Every regular file below ``root`` that belongs to the repository, keyed by relative path."""
    files: dict[str, DiskFile] = {}
    skipped: list[Skipped] = []
    base_rules: list[_Ignore] = []
    exclude = list(exclude)
    if exclude:
        base_rules.append(_Ignore("", _spec(exclude)))
    info_exclude = root / ".git" / "info" / "exclude"
    if info_exclude.is_file():
        base_rules.append(_Ignore("", _spec(_read_patterns(info_exclude))))
    for rel, mode, size, skip in _walk(root, "", base_rules):
        if skip is not None:
            skipped.append(Skipped(rel, skip))
        else:
            files[rel] = DiskFile(rel, mode, size)
    return files, skipped


def _walk(
    root: Path, rel_dir: str, inherited: list[_Ignore]
) -> Iterator[tuple[str, int, int, str | None]]:
    directory = root / rel_dir if rel_dir else root
    rules = inherited
    gitignore = directory / ".gitignore"
    if gitignore.is_file() and not gitignore.is_symlink():
        patterns = _read_patterns(gitignore)
        rules = [*inherited, _Ignore(rel_dir, _spec(patterns))]
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield rel_dir or ".", 0, 0, f"cannot list folder: {exc.strerror}"
        return
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield rel, 0, 0, f"cannot stat: {exc.strerror}"
            continue
        if stat.S_ISLNK(st.st_mode):
            yield rel, st.st_mode, 0, "symbolic link (not followed)"
            continue
        if stat.S_ISDIR(st.st_mode):
            if entry.name in SKIPPED_DIRS or entry.name.endswith(".egg-info"):
                continue
            if (Path(entry.path) / "pyvenv.cfg").exists() or _ignored(rel, True, rules):
                continue
            if os.path.lexists(os.path.join(entry.path, ".git")):
                yield rel, st.st_mode, 0, "another git repository (a submodule?), not entered"
                continue
            yield from _walk(root, rel, rules)
        elif stat.S_ISREG(st.st_mode) and not _ignored(rel, False, rules):
            yield rel, st.st_mode, st.st_size, None
