"""``--commit``: put a repository's fixes on a branch of their own, one commit per repository."""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from hffix.api import Result
from hffix.findings import Status
from hffix.rules import RULES_BY_CODE

DEFAULT_BRANCH = "hffix/spaces-compliance"


class GitError(Exception):
    """A git step failed; the message is one line."""


@dataclass(frozen=True)
class CommitOptions:
    branch: str = DEFAULT_BRANCH
    allow_dirty: bool = False


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]}: {exc}") from None
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise GitError(f"git {args[0]} failed: {lines[-1] if lines else proc.returncode}")
    return proc.stdout


def prepare(root: Path, options: CommitOptions) -> None:
    """Check the work tree and switch to (or create) the fix branch, before anything is planned."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree").strip()
    except GitError:
        inside = "false"
    if inside != "true":
        raise GitError(f"{root}: not a git work tree; --commit needs one")
    if not options.allow_dirty and _git(root, "status", "--porcelain", "--", ".").strip():
        raise GitError(f"{root}: uncommitted changes; commit them first or pass --allow-dirty")
    current = _git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
    if current == options.branch:
        return
    exists = subprocess.run(
        ["git", "show-ref", "--verify", "--quiet", f"refs/heads/{options.branch}"],
        cwd=root,
        check=False,
    )
    if exists.returncode == 0:
        _git(root, "switch", "--quiet", options.branch)
    else:
        _git(root, "switch", "--quiet", "--create", options.branch)


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


def commit(root: Path, result: Result) -> str | None:
    """Stage exactly the files the fix touched and commit them; the new commit id, or None."""
    paths = sorted({p for c in result.changes for p in (c.old_path, c.new_path) if p})
    if not paths:
        return None
    # --force: a tracked file the fix moved may land on a path the fix also added to
    # .gitignore (backend/.env -> .env); exactly these paths are staged, nothing else.
    _git(root, "add", "--all", "--force", "--", *paths)
    staged = subprocess.run(
        ["git", "diff", "--cached", "--quiet", "--", *paths], cwd=root, check=False
    )
    if staged.returncode == 0:
        return None
    _git(root, "commit", "--quiet", "--message", message(result), "--", *paths)
    return _git(root, "rev-parse", "HEAD").strip()
