"""Hoisting: moving a nested backend's folder to the repository root.

Applies when the root holds nothing but that folder and repository metadata (README,
LICENSE, .gitignore, docs, CI, editor and Docker files, requirement files). Every file of
the folder moves up one level as a rename. Files that collide are merged without losing
a byte: requirement files are united by canonical name (the root file stays as it is, what
only the nested file declares is appended, a different pin of the same distribution is
kept as a comment), README.md keeps the root text and appends the nested text under a
heading (the one front matter block goes to the top), ``.gitignore`` and ``.dockerignore``
are united, identical files are kept once. Any other collision stops the hoist.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from hffix.formats.requirements import merge_requirements, parse_requirements
from hffix.project import frontmatter
from hffix.project.layout import Layout, join, relative
from hffix.repository.workspace import MAX_FILE_BYTES, Unreadable, Workspace

METADATA_FILE = re.compile(
    r"""^(
        readme|licen[cs]e|copying|notice|authors|contributors|maintainers|changelog|changes
        |history|news|code_of_conduct|contributing|security|support|funding|citation
    )(\.[\w.-]+)?$
    |^(\.gitignore|\.gitattributes|\.editorconfig|\.pre-commit-config\.ya?ml|\.dockerignore
        |\.env\.(example|sample|template)|\.python-version|runtime\.txt|procfile|makefile
        |\.gitlab-ci\.ya?ml|\.travis\.ya?ml|azure-pipelines\.ya?ml|renovate\.json
        |\.markdownlint\.[\w]+|\.prettierrc[\w.]*|\.nvmrc|packages\.txt)$
    |^(dockerfile(\.[\w.-]+)?|[\w.-]+\.dockerfile|(docker-)?compose[\w.-]*\.ya?ml)$
    |^requirements[\w.-]*\.(txt|in)$
    |\.(md|rst|adoc)$
    """,
    re.IGNORECASE | re.VERBOSE,
)
METADATA_DIRS = frozenset(
    {
        ".github",
        ".gitlab",
        ".circleci",
        ".vscode",
        ".idea",
        ".devcontainer",
        ".husky",
        "docs",
        "doc",
        "images",
        "screenshots",
    }
)
REFERENCE_FILES = re.compile(
    r"(^|/)(procfile|makefile|[^/]*\.(sh|ya?ml|toml|cfg|ini|json)|dockerfile[^/]*)$", re.IGNORECASE
)


@dataclass
class HoistPlan:
    top: str  # the folder whose content moves to the root
    moves: list[tuple[str, str]] = field(default_factory=list)
    merges: list[tuple[str, str, str]] = field(default_factory=list)  # (root file, src, text)
    duplicates: list[str] = field(default_factory=list)  # nested files equal to the root's
    notes: list[str] = field(default_factory=list)

    def apply(self, workspace: Workspace) -> None:
        for target, source, text in self.merges:
            workspace.write(target, text)
            workspace.delete(source)
        for source in self.duplicates:
            workspace.delete(source)
        for source, target in self.moves:
            workspace.rename(source, target)

    def summary(self) -> str:
        count = len(self.moves) + len(self.merges) + len(self.duplicates)
        text = f"moved {self.top}/ to the repository root ({count} files"
        merged = [target for target, _, _ in self.merges]
        if merged:
            text += "; merged " + ", ".join(merged)
        return text + ")"


@dataclass(frozen=True)
class HoistBlocked:
    reason: str  # empty when the layout simply does not call for a hoist


def is_metadata(layout: Layout, name: str) -> bool:
    if layout.is_dir(name):
        return name in METADATA_DIRS and not layout.has_python(name)
    return METADATA_FILE.search(name) is not None


def plan_hoist(workspace: Workspace, layout: Layout, top: str) -> HoistPlan | HoistBlocked:
    """Plan moving ``top``'s content to the root, or say why it cannot be done."""
    others = sorted(e for e in layout.entries("") if e != top and not is_metadata(layout, e))
    if others:
        shown = ", ".join(f"{e}/" if layout.is_dir(e) else e for e in others[:4])
        return HoistBlocked(f"the repository root also holds {shown}")
    plan = HoistPlan(top)
    blocked: list[str] = []
    unseen: list[str] = []
    unmovable = _unmovable(workspace, layout.files_under(top))
    if unmovable:
        return HoistBlocked(unmovable)
    for source in layout.files_under(top):
        target = relative(source, top)
        hidden = _unseen_on_disk(workspace.root, layout, target)
        if hidden is not None:
            unseen.append(hidden)
            continue
        if layout.is_dir(target) and not layout.is_file(target):
            blocked.append(f"{source} (a folder {target}/ exists)")
            continue
        if not layout.is_file(target):
            plan.moves.append((source, target))
            continue
        merged = _merge(workspace, target, source)
        if isinstance(merged, tuple):
            plan.merges.append((target, source, merged[0]))
            if merged[1]:
                plan.notes.append(merged[1])
        elif merged is True:
            plan.duplicates.append(source)
        else:
            unread = _unreadable(workspace, target) or _unreadable(workspace, source)
            blocked.append(f"{source} and {target}{f' ({unread})' if unread else ''}")
    if unseen:
        listed = sorted(set(unseen))
        more = f" and {len(listed) - 4} more" if len(listed) > 4 else ""
        return HoistBlocked(
            "the root already has, on disk, paths hffix does not read (git-ignored, excluded "
            f"or another repository): {', '.join(listed[:4])}{more}"
        )
    if blocked:
        return HoistBlocked("these files collide: " + "; ".join(blocked[:4]))
    plan.notes.extend(_left_behind(workspace.root, layout, top))
    return plan


def _unmovable(workspace: Workspace, sources: list[str]) -> str:
    """Why the files of ``sources`` cannot all move, naming each that cannot, in one line;
    empty when they can. A name with a backslash is legal on POSIX but hffix never writes
    it (it reads as a path on Windows); a file over the size hffix reads would have to be
    held in memory for the patch and the rollback. Either stops the whole hoist: moving the
    rest without it would break the paths between them."""
    backslash = [source for source in sources if "\\" in source]
    large = [
        (source, info.size)
        for source in sources
        if (info := workspace.disk.get(source)) is not None and info.size > MAX_FILE_BYTES
    ]
    reasons = []
    if backslash:
        reasons.append(f"{_listed(backslash)} {_has(backslash)} a backslash in {_its(backslash)}")
    if large:
        shown = [f"{source} ({_mib(size)})" for source, size in large]
        limit = MAX_FILE_BYTES // 2**20
        reasons.append(
            f"{_listed(shown)} {_is(large)} larger than {limit} MiB, which hffix does not "
            "move (move the folder yourself)"
        )
    return "; ".join(reasons)


def _listed(items: list[str], shown: int = 4) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def _has(items: list[str]) -> str:
    return "has" if len(items) == 1 else "have"


def _is(items: list[tuple[str, int]]) -> str:
    return "is" if len(items) == 1 else "are"


def _its(items: list[str]) -> str:
    return "its name" if len(items) == 1 else "their names"


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _unseen_on_disk(root: Path, layout: Layout, target: str) -> str | None:
    """What stands on disk at ``target`` that discovery did not list, if anything: a
    git-ignored or excluded file, a nested repository in a folder above it, or a file or
    link where the move needs a folder. A move there would overwrite what hffix never read
    or write into another repository."""
    parts = target.split("/")
    for end in range(1, len(parts) + 1):
        prefix = "/".join(parts[:end])
        path = os.path.join(root, prefix)
        if end == len(parts):
            if not layout.is_file(prefix) and os.path.lexists(path):
                return prefix
            return None
        if os.path.lexists(os.path.join(path, ".git")):
            return f"{prefix}/ (another repository)"
        if layout.is_dir(prefix):
            continue
        if not os.path.lexists(path):
            return None  # nothing there: the move creates the folder
        if os.path.islink(path) or not os.path.isdir(path):
            return prefix
    return None


def _unreadable(workspace: Workspace, path: str) -> str:
    """Why ``path`` cannot be read as text (``x.txt: larger than 4 MiB``), or ""."""
    try:
        workspace.text(path)
    except Unreadable as exc:
        return f"{path}: {exc.reason.removesuffix(', skipped')}"
    return ""


def _read(workspace: Workspace, path: str) -> str | None:
    try:
        return workspace.text(path)
    except Unreadable:
        return None


def _merge(workspace: Workspace, target: str, source: str) -> tuple[str, str] | bool:
    """(merged text, a note for the user), True when the files are equal, False when they
    cannot be merged."""
    base = _read(workspace, target)
    extra = _read(workspace, source)
    if base is None or extra is None:
        return False
    if base == extra:
        return True
    newline = workspace.newline(target)
    extra = extra.replace("\r\n", "\n").replace("\r", "\n").replace("\n", newline)
    name = posixpath.basename(target).lower()
    if re.match(r"^requirements[\w.-]*\.(txt|in)$", name):
        text, conflicts = merge_requirement_files(base, extra, newline, source)
        note = ""
        if conflicts:
            names = ", ".join(conflicts[:3])
            note = f"{target} keeps its own pins of {names} ({source}'s are kept as comments)"
        return text, note
    if name in {".gitignore", ".dockerignore"}:
        return union_lines(base, extra, newline, source), ""
    if name == "readme.md":
        readme = merge_readmes(base, extra, newline, source)
        return (readme, "") if readme is not None else False
    return False


def merge_requirement_files(
    base: str, extra: str, newline: str, source: str
) -> tuple[str, list[str]]:
    """Union by canonical name (see :func:`hffix.formats.requirements.merge_requirements`); a line
    of ``extra`` that pins a distribution ``base`` pins differently is kept as a comment."""
    merged = merge_requirements(base, extra, newline, source=source)
    pins: dict[str, set[str]] = {}
    for line in parse_requirements(base):
        if line.name:
            pins.setdefault(line.name, set()).add(" ".join(line.logical.split()))
    conflicts = [
        line
        for line in parse_requirements(extra)
        if line.name in pins and " ".join(line.logical.split()) not in pins[line.name]
    ]
    if not conflicts:
        return merged, []
    if merged and not merged.endswith(("\n", "\r")):
        merged += newline
    noted = [f"# {source} had: {' '.join(line.text.split())}" for line in conflicts]
    return merged + newline.join(noted) + newline, [line.name or "" for line in conflicts]


def union_lines(base: str, extra: str, newline: str, source: str) -> str:
    have = {line.strip() for line in base.splitlines()}
    added = [line for line in extra.splitlines() if line.strip() and line.strip() not in have]
    if not added:
        return base
    prefix = base if not base or base.endswith(("\n", "\r")) else base + newline
    return prefix + newline.join([f"# from {source}", *added]) + newline


def merge_readmes(base: str, extra: str, newline: str, source: str) -> str | None:
    """The root README with the nested one appended under a heading; None when both
    carry front matter."""
    base_front, base_body = frontmatter.split(base)
    extra_front, extra_body = frontmatter.split(extra)
    if base_front and extra_front:
        return None
    front = base_front or extra_front.replace("\r\n", "\n").replace("\n", newline)
    body = base_body
    if body and not body.endswith(("\n", "\r")):
        body += newline
    if body.strip():
        body += newline
    heading = f"## From `{source}`{newline}{newline}"
    return front + body + heading + extra_body.lstrip("\r\n")


def _left_behind(root: Path, layout: Layout, top: str) -> list[str]:
    """Files on disk in ``top`` that hffix does not move (ignored by .gitignore, a venv)."""
    try:
        entries = sorted(os.listdir(root / top))
    except OSError:
        return []
    known = layout.entries(top)
    stay = [e for e in entries if e not in known and e not in {"__pycache__", ".git"}]
    if not stay:
        return []
    shown = ", ".join(stay[:5]) + (" ..." if len(stay) > 5 else "")
    return [f"ignored files stay in {top}/ ({shown}); move them yourself if you need them"]


def stale_references(workspace: Workspace, layout: Layout, top: str) -> list[str]:
    """Places outside Python code that still name the hoisted folder (``cd backend``)."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(top)}(?=/|\s|$|[\"'])")
    found: list[str] = []
    for path in sorted(layout.files):
        if path.startswith(top + "/") or not REFERENCE_FILES.search(path):
            continue
        text = _read(workspace, path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path}:{number}")
                break
    return found


def moved_path(path: str, top: str) -> str:
    return relative(path, top) if path.startswith(top + "/") else path


def folder_after(folder: str, top: str) -> str:
    if folder == top:
        return ""
    return relative(folder, top) if folder.startswith(top + "/") else join(folder)
