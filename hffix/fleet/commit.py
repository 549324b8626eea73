"""``--commit``: put a repository's fixes on a branch of their own, one commit per repository.

Only what hffix changed is committed, whatever else the work tree holds: the commit is
built in a temporary index made from ``HEAD``, with exactly the paths of the change set
(renamed and new paths are staged even where a ``.gitignore`` the fix extended covers
them; the old paths are removed). Where the user had uncommitted edits in a file the fix
also changed (``--allow-dirty``), only hffix's part of the difference is committed and the
user's edits stay uncommitted. A file git did not track before is never added to git by a
fix that edits or moves it (an ignored ``.env`` stays out of the history).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hffix.api import Result
from hffix.findings import Status
from hffix.fleet import DEFAULT_BRANCH
from hffix.repository.workspace import FileChange
from hffix.rules import RULES_BY_CODE

GIT_TIMEOUT = 120  # seconds for one git command
_REMOVE = "0 " + "0" * 40  # an --index-info line's mode and object id that remove a path


class GitError(Exception):
    """A git step failed; the message is one line."""


@dataclass(frozen=True)
class CommitOptions:
    branch: str = DEFAULT_BRANCH
    allow_dirty: bool = False


@dataclass(frozen=True)
class Committed:
    """The commit ``--commit`` made: on which branch, and its id."""

    branch: str
    sha: str


def _git(
    root: Path,
    *args: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT,
            # Paths are file names, never patterns (a file may be called `[id].py`).
            env={**os.environ, "GIT_LITERAL_PATHSPECS": "1", **(env or {})},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]}: {exc}") from None
    if proc.returncode != 0:
        text = (proc.stderr or proc.stdout).decode("utf-8", "replace")
        lines = text.strip().splitlines()
        raise GitError(f"git {args[0]} failed: {lines[-1] if lines else proc.returncode}")
    return proc.stdout


def _text(root: Path, *args: str) -> str:
    return _git(root, *args).decode("utf-8", "surrogateescape").strip()


def _current_branch(root: Path) -> str:
    return _text(root, "rev-parse", "--abbrev-ref", "HEAD")


def _branch_exists(root: Path, branch: str) -> bool:
    try:
        _git(root, "show-ref", "--verify", "--quiet", f"refs/heads/{branch}")
    except GitError:
        return False
    return True


def prepare(root: Path, options: CommitOptions) -> None:
    """Before planning: a git work tree, without uncommitted changes unless ``allow_dirty``,
    switched to the fix branch when it exists already (a later run builds on the earlier
    fix). A new branch is made only once there is something to commit (:func:`commit`), so a
    compliant repository stays where it is."""
    try:
        inside = _text(root, "rev-parse", "--is-inside-work-tree")
    except GitError:
        inside = "false"
    if inside != "true":
        raise GitError(f"{root}: not a git work tree; --commit needs one")
    if not options.allow_dirty and _text(root, "status", "--porcelain", "--", "."):
        raise GitError(f"{root}: uncommitted changes; commit them first or pass --allow-dirty")
    try:  # a commit needs an author: known before anything is written, not after
        _text(root, "var", "GIT_COMMITTER_IDENT")
        _text(root, "var", "GIT_AUTHOR_IDENT")
    except GitError:
        raise GitError(
            f"{root}: git does not know who commits (set user.name and user.email); nothing written"
        ) from None
    if _current_branch(root) != options.branch and _branch_exists(root, options.branch):
        _git(root, "switch", "--quiet", options.branch)


def message(result: Result) -> str:
    """The commit message: what was fixed, by rule, and the variables to set."""
    fixed = Counter(f.code for f in result.findings if f.status is Status.FIXED)
    lines = ["hffix: make the repository build and start on Hugging Face Spaces", ""]
    for code, count in sorted(fixed.items()):
        rule = RULES_BY_CODE.get(code)
        name = rule.name if rule else code
        lines.append(f"- {code} {name}: {count} fixed")
    remaining = [f for f in result.findings if f.remains]
    if remaining:
        lines.append(f"- {len(remaining)} finding(s) left for manual work (run hffix --check)")
    if result.variables:
        lines += ["", "Set these variables in the Space's settings: " + ", ".join(result.variables)]
    return "\n".join(lines) + "\n"


def commit(root: Path, result: Result, options: CommitOptions) -> Committed | None:
    """Commit exactly what ``result`` wrote on ``options.branch`` (created from the current
    commit if it does not exist); the commit made, or None when there was nothing to commit."""
    if not result.written or not result.changes:
        return None
    head = _head(root)
    tracked = _tree(root, head, result.changes)
    entries = _index_lines(root, result.changes, tracked)
    if not entries:
        return None
    paths = sorted({p for c in result.changes for p in (c.old_path, c.new_path) if p})
    with _temporary_index(root, head) as env:
        stdin = b"".join(entries)
        _git(root, "update-index", "-z", "--index-info", stdin=stdin, env=env)
        if not _has_staged(root, head, env):
            return None
        if _current_branch(root) != options.branch:
            _git(root, "switch", "--quiet", "--create", options.branch)
        _git(root, "commit", "--quiet", "--file", "-", stdin=message(result).encode(), env=env)
    # The real index catches up with the new commit for these paths only; whatever else the
    # user staged stays staged, and their edits in these files show as uncommitted again.
    _git(root, "reset", "--quiet", "--", *paths)
    return Committed(options.branch, _text(root, "rev-parse", "HEAD"))


def _head(root: Path) -> str | None:
    """The current commit's id; None on a branch without commits yet."""
    try:
        return _text(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return None


def _parent(head: str | None) -> list[str]:
    return [head] if head else []


def _has_staged(root: Path, head: str | None, env: Mapping[str, str]) -> bool:
    """Whether the index in ``env`` differs from ``head``."""
    if head is None:
        return bool(_git(root, "ls-files", env=env).strip())
    try:
        _git(root, "diff", "--cached", "--quiet", head, "--", env=env)
    except GitError:
        return True
    return False


@contextlib.contextmanager
def _temporary_index(root: Path, head: str | None) -> Iterator[dict[str, str]]:
    """An index holding ``head``'s tree, for a commit that leaves the user's index alone."""
    with tempfile.TemporaryDirectory(prefix="hffix-index-") as folder:
        env = {"GIT_INDEX_FILE": os.path.join(folder, "index")}
        if head:
            _git(root, "read-tree", head, env=env)
        else:
            _git(root, "read-tree", "--empty", env=env)
        yield env


def _tree(
    root: Path, head: str | None, changes: Sequence[FileChange]
) -> dict[str, tuple[str, str]]:
    """path -> (mode, object id) in ``head`` for the old paths of ``changes``."""
    paths = sorted({c.old_path for c in changes if c.old_path})
    if head is None or not paths:
        return {}
    listing = _git(root, "ls-tree", "-z", "--full-tree", head, "--", *paths)
    tracked: dict[str, tuple[str, str]] = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind == "blob":
            tracked[name.decode("utf-8", "surrogateescape")] = (mode, sha)
    return tracked


def _index_lines(
    root: Path, changes: Sequence[FileChange], tracked: Mapping[str, tuple[str, str]]
) -> list[bytes]:
    """``git update-index -z --index-info`` records that stage exactly the change set."""
    lines: list[bytes] = []
    for change in changes:
        old, new = change.old_path, change.new_path
        if old is not None and old not in tracked:
            continue  # an untracked or ignored file the fix edited or moved stays out of git
        if old is not None and old != new:
            lines.append(_line(_REMOVE, old))
        if new is None or change.new is None:
            continue
        if old is None:
            sha = _store(root, new, change.new)
            lines.append(_line(f"{_mode(change.new_mode)} {sha}", new))
            continue
        head_mode, head_sha = tracked[old]
        mode = head_mode if change.old_mode == change.new_mode else _mode(change.new_mode)
        lines.append(_line(f"{mode} {_staged_content(root, change, head_sha)}", new))
    return lines


def _staged_content(root: Path, change: FileChange, head_sha: str) -> str:
    """The object to commit at ``change.new_path``: the fixed file, or, when the file held
    uncommitted edits before the fix, the committed file with only the fix's edits."""
    assert change.old_path is not None and change.old is not None and change.new is not None
    if _unchanged_since_commit(root, change.old_path, change.old, head_sha):
        if change.new == change.old:
            return head_sha  # moved as it is
        return _store(root, change.new_path or change.old_path, change.new)
    committed = _git(root, "cat-file", "--filters", f"--path={change.old_path}", head_sha)
    with tempfile.TemporaryDirectory(prefix="hffix-merge-") as folder:
        files = []
        for name, data in (("committed", committed), ("before", change.old), ("after", change.new)):
            path = os.path.join(folder, name)
            with open(path, "wb") as handle:
                handle.write(data)
            files.append(path)
        proc = subprocess.run(
            ["git", "merge-file", "-p", "--quiet", *files],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT,
        )
    if proc.returncode != 0:
        raise GitError(
            f"{change.old_path}: your uncommitted edits there overlap the fix; "
            "commit or stash them, then run again"
        )
    return _store(root, change.new_path or change.old_path, proc.stdout)


def _unchanged_since_commit(root: Path, path: str, data: bytes, head_sha: str) -> bool:
    """Whether ``data`` (the file as the fix found it) is what the last commit holds."""
    if len(head_sha) == 40:  # a SHA-1 repository: hash here, no git process needed
        digest = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False)
        if digest.hexdigest() == head_sha:
            return True
    # Clean filters (line endings, LFS) may make a file differ from its blob.
    return _git(root, "hash-object", f"--path={path}", "--stdin", stdin=data).strip().decode() == (
        head_sha
    )


def _store(root: Path, path: str, data: bytes) -> str:
    """Write ``data`` as a blob, through the clean filters ``path`` has, as ``git add`` would."""
    return _git(root, "hash-object", "-w", f"--path={path}", "--stdin", stdin=data).decode().strip()


def _line(meta: str, path: str) -> bytes:
    return f"{meta}\t{path}\0".encode("utf-8", "surrogateescape")


def _mode(mode: int | None) -> str:
    return "100755" if mode is not None and mode & 0o111 else "100644"
