"""``--report FILE.jsonl``: one JSON object per repository, appended as soon as it is done.

The process that ran the repository appends its line (a worker, or the main process), in
one locked write, right after the repository was written and committed: lines are in the
order repositories finished, and a run stopped at any moment leaves a valid report of what
it finished. ``--resume`` reads it back: the last line of each repository counts.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hffix.api import Result
from hffix.facts import Facts
from hffix.findings import Diagnostic, Finding, Severity, Status
from hffix.reporters.json import result_to_dict
from hffix.repository.workspace import FileChange

if TYPE_CHECKING:  # git and hashlib: only a --commit run loads them
    from hffix.fleet.commit import Committed


def key(path: str | os.PathLike[str]) -> str:
    """How a repository is recognised across runs: its absolute, normalised path."""
    return os.path.normpath(os.path.abspath(path))


def start(path: Path, *, resume: bool) -> None:
    """Begin the report: empty it, or, resuming, keep it and end a line a stopped run left
    unfinished."""
    if not resume:
        path.write_bytes(b"")
    elif _ends_mid_line(path):
        with path.open("ab") as handle:
            handle.write(b"\n")


def entry(result: Result, committed: Committed | None) -> dict[str, Any]:
    """A repository's line: :func:`hffix.reporters.json.result_to_dict` and the counts a
    fleet's bookkeeping wants."""
    line = result_to_dict(result)
    for data, finding in zip(line["findings"], result.findings, strict=True):
        data["secret"] = finding.secret
    line["findings_by_code"] = _count_codes(line["findings"])
    line["files_changed"] = [change["path"] for change in line["changes"]]
    line["commit"] = {"branch": committed.branch, "sha": committed.sha} if committed else None
    return line


def append(path: str | os.PathLike[str], result: Result, committed: Committed | None) -> None:
    """Append ``result``'s line in one write, under a lock (workers share the file)."""
    data = (json.dumps(entry(result, committed), sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        with _locked(fd):
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(fd: int) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: appends are not interleaved by the C runtime there
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def previous(report: Path) -> dict[str, dict[str, Any]]:
    """The last line of each repository a previous run recorded, by :func:`key`."""
    found: dict[str, dict[str, Any]] = {}
    try:
        lines = report.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return found
    for line in lines:
        try:
            data: Any = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short when the previous run was stopped
        if isinstance(data, dict) and isinstance(data.get("path"), str):
            found[key(data["path"])] = data
    return found


def finished(data: dict[str, Any]) -> bool:
    """Whether a recorded repository is done: anything but a failure (retried)."""
    return data.get("status") != "failed"


def result_from_entry(data: dict[str, Any]) -> Result:
    """A recorded repository as a :class:`Result` (without file contents), for the totals."""
    findings = [
        Finding(
            code=str(f.get("code", "")),
            path=str(f.get("path", "")),
            line=int(f.get("line") or 0),
            col=int(f.get("column") or 0),
            message=str(f.get("message", "")),
            status=_status(f.get("status")),
            severity=Severity(f.get("severity", Severity.ERROR.value)),
            variables=tuple(f.get("variables") or ()),
            unsafe=f.get("applicability") == "unsafe",
            secret=bool(f.get("secret", False)),
        )
        for f in data.get("findings") or ()
    ]
    changes = []
    for change in data.get("changes") or ():
        kind, path, old = change.get("kind"), change.get("path"), change.get("old_path")
        old_path = None if kind == "create" else old or path
        new_path = None if kind == "delete" else path
        changes.append(FileChange(old_path, new_path, None, None, None, None))
    return Result(
        Path(data["path"]),
        findings=findings,
        diagnostics=[
            Diagnostic(str(d.get("path", "")), str(d.get("message", "")))
            for d in data.get("diagnostics") or ()
        ],
        changes=changes,
        facts=Facts(variables=set(data.get("variables") or ())),
        written=bool(data.get("written")),
        error=data.get("error"),
        duration=float(data.get("duration") or 0.0),
    )


def _status(value: Any) -> Status:
    """A recorded finding's status (``fixable``: a fix that run did not write)."""
    if value == "fixable":
        return Status.FIXED
    try:
        return Status(value)
    except ValueError:
        return Status.MANUAL


def _ends_mid_line(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return False
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) != b"\n"
    except FileNotFoundError:
        return False


def _count_codes(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["code"]] = counts.get(finding["code"], 0) + 1
    return counts
