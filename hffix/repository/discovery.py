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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
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


class _Ignore:
    """One ignore file's (or the configuration's) patterns."""

    __slots__ = ("base", "spec")  # a plain class: a dataclass costs start-up time

    def __init__(self, base: str, spec: pathspec.GitIgnoreSpec) -> None:
        self.base = base  # directory (relative, "" for the root) the patterns are relative to
        self.spec = spec


def _spec(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # imported here: a repository without ignore files never needs it

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _read_patterns(path: str | Path) -> list[str]:
    try:  # text mode, as Path.read_text: universal newlines
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()
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
    listed, root_ignore = _Walk(files, skipped).folder(os.fspath(root), "", base_rules, always)
    if not listed:  # the walk could not look for the root's .gitignore: ask the file system
        gitignore = root / ".gitignore"
        if gitignore.is_file() and not gitignore.is_symlink():
            git_rules.append(_Ignore("", _spec(_read_patterns(gitignore))))
    elif root_ignore is not None:  # the root's .gitignore, read once for both
        git_rules.append(root_ignore)
    ignored = frozenset(n for n in ALWAYS_READ if git_rules and _ignored(n, False, git_rules))
    return Discovery(files, skipped, ignored)


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


class _Walk:
    """One walk of the tree, without following symbolic links, into ``files`` and
    ``skipped``, in the order of a depth-first walk with each folder's entries sorted."""

    def __init__(self, files: dict[str, DiskFile], skipped: list[Skipped]) -> None:
        self.files = files
        self.skipped = skipped

    def folder(
        self,
        directory: str,
        rel_dir: str,
        inherited: list[_Ignore],
        always: frozenset[str] = frozenset(),
    ) -> tuple[bool, _Ignore | None]:
        """Walk ``directory`` (``rel_dir`` in the repository) and the folders below it;
        ``always``: root files to list even when ignored (see :data:`ALWAYS_READ`). Returns
        whether the folder could be listed, and the rules of its own ``.gitignore``
        (``None`` when it has none)."""
        try:
            entries = sorted(os.scandir(directory), key=_name)
        except OSError as exc:
            self.skipped.append(Skipped(rel_dir or ".", f"cannot list folder: {exc.strerror}"))
            return False, None
        rules = inherited
        own: _Ignore | None = None
        for entry in entries:  # a regular .gitignore (not a symbolic link), if any
            if entry.name == ".gitignore":
                if entry.is_file(follow_symlinks=False):
                    own = _Ignore(rel_dir, _spec(_read_patterns(entry.path)))
                    rules = [*inherited, own]
                break
        files = self.files
        skipped = self.skipped
        prefix = f"{rel_dir}/" if rel_dir else ""
        for entry in entries:
            name = entry.name
            rel = prefix + name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                skipped.append(Skipped(rel, f"cannot stat: {exc.strerror}"))
                continue
            mode = st.st_mode
            if S_ISREG(mode):
                if not rules or rel in always or not _ignored(rel, False, rules):
                    files[rel] = DiskFile(rel, mode, st.st_size)
            elif S_ISLNK(mode):
                skipped.append(Skipped(rel, "symbolic link (not followed)"))
            elif S_ISDIR(mode):
                if name in SKIPPED_DIRS or name.endswith(".egg-info"):
                    continue
                path = entry.path
                if (Path(path) / "pyvenv.cfg").exists() or (rules and _ignored(rel, True, rules)):
                    continue
                if os.path.lexists(os.path.join(path, ".git")):
                    skipped.append(
                        Skipped(rel, "another git repository (a submodule?), not entered")
                    )
                    continue
                self.folder(path, rel, rules)
        return True, own
