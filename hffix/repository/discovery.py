"""Which files of a repository hffix looks at.

Walks the tree without following symbolic links, honouring ``.gitignore`` files at every
level and ``.git/info/exclude``, and skipping what is never part of a Space's source:
version-control data, nested git repositories (submodules), virtual environments (any
folder holding ``pyvenv.cfg``), caches, build output and ``exclude`` patterns from the
configuration.

The Space's own files at the root (:data:`ALWAYS_READ`: requirements.txt, main.py,
README.md, and the packages.txt and .gitignore that rules edit) are read even when git
ignores them: hffix writes them, and planning them as missing would create a file where
one already stands. :attr:`Discovery.gitignored` names the ones git ignores, so that the
user can be told a Space pushed with git will not get them.
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


# Root files read even when git ignores them (but not when the configuration excludes them).
ALWAYS_READ = frozenset({"requirements.txt", "main.py", "README.md", "packages.txt", ".gitignore"})


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


@dataclass(frozen=True)
class Discovery:
    """What :func:`scan` found."""

    files: dict[str, DiskFile]
    skipped: list[Skipped]
    # Names of ALWAYS_READ that git ignores at the root, whether they exist or not.
    gitignored: frozenset[str] = frozenset()


def discover(root: Path, exclude: Iterable[str] = ()) -> tuple[dict[str, DiskFile], list[Skipped]]:
    """Every regular file below ``root`` that belongs to the repository, keyed by relative path."""
    found = scan(root, exclude)
    return found.files, found.skipped


def scan(root: Path, exclude: Iterable[str] = ()) -> Discovery:
    """The repository's files (see :func:`discover`) and which of the Space's own files
    git ignores."""
    files: dict[str, DiskFile] = {}
    skipped: list[Skipped] = []
    git_rules: list[_Ignore] = []
    info_exclude = root / ".git" / "info" / "exclude"
    if info_exclude.is_file():
        git_rules.append(_Ignore("", _spec(_read_patterns(info_exclude))))
    base_rules = list(git_rules)
    exclude = list(exclude)
    always = ALWAYS_READ
    if exclude:
        excluded = _Ignore("", _spec(exclude))
        base_rules.insert(0, excluded)
        always = frozenset(n for n in ALWAYS_READ if not _ignored(n, False, [excluded]))
    for rel, mode, size, skip in _walk(root, "", base_rules, always):
        if skip is not None:
            skipped.append(Skipped(rel, skip))
        else:
            files[rel] = DiskFile(rel, mode, size)
    gitignore = root / ".gitignore"
    if gitignore.is_file() and not gitignore.is_symlink():
        git_rules.append(_Ignore("", _spec(_read_patterns(gitignore))))
    ignored = frozenset(n for n in ALWAYS_READ if git_rules and _ignored(n, False, git_rules))
    return Discovery(files, skipped, ignored)


def _walk(
    root: Path, rel_dir: str, inherited: list[_Ignore], always: frozenset[str] = frozenset()
) -> Iterator[tuple[str, int, int, str | None]]:
    """``always``: root files to list even when ignored (see :data:`ALWAYS_READ`)."""
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
        elif stat.S_ISREG(st.st_mode) and (rel in always or not _ignored(rel, False, rules)):
            yield rel, st.st_mode, st.st_size, None
