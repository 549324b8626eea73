"""``--format text``: findings one per line, then a short summary, for people."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from hffix.api import Result
from hffix.findings import Finding, Status
from hffix.reporters.common import Mode, ReportContext, display_path, location
from hffix.repository.workspace import ChangeKind

_COLORS = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "cyan": "36", "dim": "2"}


def _paint(text: str, color: str, enabled: bool) -> str:
    return f"\x1b[{_COLORS[color]}m{text}\x1b[0m" if enabled else text


def _marker(finding: Finding, mode: Mode) -> str:
    if finding.status is Status.FIXED:
        return "[fixed]" if mode is Mode.WRITE else "[*]"
    if finding.status is Status.UNSAFE_FIX:
        return "[unsafe-fix]"
    return "[manual]"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def report_text(results: Sequence[Result], context: ReportContext, stream: TextIO) -> None:
    color = context.color
    for result in results:
        if result.error:
            stream.write(f"{_paint('error', 'red', color)}: {result.error}\n")
            if context.verbose and result.traceback:
                stream.write(result.traceback)
            continue
        for diagnostic in result.diagnostics:
            where = display_path(result, diagnostic.path)
            stream.write(f"{where}: {_paint('warning', 'yellow', color)}: {diagnostic.message}\n")
        for finding in result.findings:
            if context.quiet and not finding.remains:
                continue
            code = _paint(finding.code, "bold", color)
            marker = _paint(_marker(finding, context.mode), "cyan", color)
            stream.write(f"{location(result, finding)}: {code} {marker} {finding.message}\n")
        if context.verbose:
            for skipped in result.skipped:
                stream.write(f"{display_path(result, skipped.path)}: skipped: {skipped.reason}\n")
    if not context.quiet:
        _summary(results, context, stream)


def _summary(results: Sequence[Result], context: ReportContext, stream: TextIO) -> None:
    findings = [f for r in results for f in r.findings]
    statuses = Counter(f.status for f in findings)
    failed = [r for r in results if r.error]
    changes = [c for r in results for c in r.changes]
    lines: list[str] = []
    if not findings and not changes and not failed and not any(r.diagnostics for r in results):
        stream.write(_paint("All checks passed.", "green", context.color) + "\n")
        return
    if findings:
        fixed = statuses[Status.FIXED]
        parts = [
            f"{fixed} fixed" if context.mode is Mode.WRITE else f"{fixed} fixable with --write",
            f"{statuses[Status.UNSAFE_FIX]} fixable with --unsafe-fixes",
            f"{statuses[Status.MANUAL]} to fix by hand",
        ]
        lines.append(f"Found {_plural(len(findings), 'problem')} ({', '.join(parts)}).")
    if changes and context.mode is not Mode.CHECK:
        kinds = Counter(c.kind for c in changes)
        detail = ", ".join(
            f"{kinds[k]} {k.value}d" if k is not ChangeKind.MODIFY else f"{kinds[k]} modified"
            for k in ChangeKind
            if kinds[k]
        )
        verb = "Changed" if context.mode is Mode.WRITE else "Would change"
        lines.append(f"{verb} {_plural(len(changes), 'file')} ({detail}).")
        if context.mode is Mode.DRY_RUN:
            lines.append("The patch is on standard output; run with --write to apply it.")
    variables = sorted({v for r in results for v in r.variables})
    if variables:
        lines.append("Set these variables in the Space's settings: " + ", ".join(variables) + ".")
    if failed:
        lines.append(
            f"{_plural(len(failed), 'repository', 'repositories')} could not be processed."
        )
    for line in lines:
        stream.write(line + "\n")
