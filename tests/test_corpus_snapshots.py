"""Pins the ``hffix --check`` output of every corpus case, and checks that it points at disk.

``corpus/<case>/check.txt`` holds what ``hffix --check --format json <case args> before/``
reports, rendered by :func:`render_check` (one finding per line, then the diagnostics). The
snapshot test compares the live output with that file and fails with a unified diff;
``HFFIX_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_corpus_snapshots.py`` rewrites the
files that differ (or are missing) and reports each rewritten file as a warning.

The second test checks that every finding names a place that exists: a finding with a line
names a file of ``before/`` and a line and column inside it; a finding with a path names a
file of ``before/`` or one the fix creates (in ``after/`` but not in ``before/``).
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import re
import tokenize
import warnings
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from hffix.cli import main
from tests.conftest import ROOT
from tests.test_corpus import CASES, Case

UPDATE_VARIABLE = "HFFIX_UPDATE_SNAPSHOTS"
UPDATE_COMMAND = f"{UPDATE_VARIABLE}=1 python -m pytest tests/test_corpus_snapshots.py"
SNAPSHOT_NAME = "check.txt"


class SnapshotUpdated(UserWarning):
    """A snapshot file was (re)written because HFFIX_UPDATE_SNAPSHOTS was set."""


def check_report(case: Case, capsysbinary: pytest.CaptureFixture[bytes]) -> dict[str, Any]:
    """The one repository of ``hffix --check --format json <case args> before/``."""
    code = main(["--check", "--format", "json", *case.args, str(case.before)])
    captured = capsysbinary.readouterr()
    err = captured.err.decode("utf-8", "replace")
    assert code in (0, 1), f"hffix --check exited {code}: {err}"
    document = json.loads(captured.out)
    [repository] = document["repositories"]
    assert repository["error"] is None, repository["error"]
    return dict(repository)


def render_check(repository: dict[str, Any]) -> str:
    """The snapshot text of one repository's ``--check`` JSON.

    One line per finding, in hffix's order: ``path:line:col CODE status message`` (the path
    relative to the repository root, ``.`` when there is none; line and column 0 when the
    finding has no position). Then one ``diagnostic: path: message`` line per file hffix
    could not use. Nothing absolute, coloured or timed, so the text is the same everywhere.
    """
    lines = []
    for finding in repository["findings"]:
        path = finding.get("path") or "."
        line = finding.get("line") or 0
        col = finding.get("column") or 0
        code, status, message = finding["code"], finding["status"], finding["message"]
        lines.append(f"{path}:{line}:{col} {code} {status} {one_line(message)}")
    for diagnostic in repository.get("diagnostics", []):
        path = diagnostic.get("path") or "."
        lines.append(f"diagnostic: {path}: {one_line(diagnostic['message'])}")
    return "".join(f"{line}\n" for line in lines)


def one_line(text: str) -> str:
    """``text`` on one line: a newline in a message must not split a snapshot entry."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_output_matches_snapshot(
    case: Case, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    actual = render_check(check_report(case, capsysbinary))
    snapshot_file = case.folder / SNAPSHOT_NAME
    expected = snapshot_file.read_bytes().decode("utf-8") if snapshot_file.exists() else None
    if actual == expected:
        return
    if os.environ.get(UPDATE_VARIABLE):
        snapshot_file.write_bytes(actual.encode("utf-8"))
        verb = "created" if expected is None else "rewrote"
        warnings.warn(f"{verb} {relative(snapshot_file)}", SnapshotUpdated, stacklevel=1)
        return
    if expected is None:
        pytest.fail(
            f"{relative(snapshot_file)} is missing; create it with `{UPDATE_COMMAND}` "
            "and read it line by line before committing it",
            pytrace=False,
        )
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"{relative(snapshot_file)} (snapshot)",
        tofile=f"{relative(snapshot_file)} (hffix --check now)",
    )
    pytest.fail(
        f"hffix --check output differs from {relative(snapshot_file)}:\n"
        + "".join(diff)
        + f"\nIf the change is intended, run `{UPDATE_COMMAND}` and read the diff line by line.",
        pytrace=False,
    )


def read_lines(file: Path) -> list[str]:
    """The lines of ``file`` as hffix counts them (``\\n``, ``\\r\\n`` or ``\\r`` end one)."""
    raw = file.read_bytes()
    text = None
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if raw.startswith(bom):
            text = raw[len(bom) :].decode(encoding)
            break
    if text is None:
        encoding = "utf-8-sig"
        if file.suffix in (".py", ".pyi"):
            with contextlib.suppress(SyntaxError):  # a bad cookie: the fallbacks below
                encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            text = raw.decode("latin-1")
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()  # the text ends with a newline: no line after it
    return lines


def files_of(folder: Path) -> set[str]:
    """Every file (symbolic links included) below ``folder``, relative, with ``/``."""
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink()) and "__pycache__" not in p.parts
    }


# The files the spec requires at the root (SP-HF-03): a finding may name one that is missing
# and that no fix creates (no app to serve), as long as it gives no position in it.
REQUIRED_AT_ROOT = frozenset({"main.py", "requirements.txt"})


def misplaced(case: Case, repository: dict[str, Any]) -> list[str]:
    """Every finding of ``repository`` that does not point at disk, each with the reason."""
    before = files_of(case.before)
    created = files_of(case.after) - before
    problems = []
    for finding in repository["findings"]:
        path = finding.get("path") or ""
        line = finding.get("line") or 0
        col = finding.get("column") or 0
        where = f"{path or '.'}:{line}:{col} {finding['code']} {finding['status']}"
        if not path:
            if line > 0:
                problems.append(f"{where}: a position without a path")
            continue
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts:
            problems.append(f"{where}: not a path inside the repository")
            continue
        if line > 0:
            if path not in before:
                made = " (a file the fix creates)" if path in created else ""
                problems.append(f"{where}: has a position but is not a file of before/{made}")
                continue
            if not (case.before / path).is_file():
                problems.append(f"{where}: has a position but before/{path} is no regular file")
                continue
            lines = read_lines(case.before / path)
            if line > len(lines):
                problems.append(f"{where}: line {line} > {len(lines)} lines in before/{path}")
            elif col > len(lines[line - 1]) + 1:
                length = len(lines[line - 1])
                problems.append(f"{where}: column {col} > line {line}'s length {length} + 1")
        elif path not in before and path not in created and path not in REQUIRED_AT_ROOT:
            problems.append(f"{where}: neither a file of before/ nor one the fix creates")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_findings_map_to_disk(case: Case, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    problems = misplaced(case, check_report(case, capsysbinary))
    if problems:
        pytest.fail(
            f"{len(problems)} finding(s) of {case.name} do not point at before/:\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )
