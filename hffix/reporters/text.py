"""``--format text``: findings one per line as repositories finish, then a short summary."""

from __future__ import annotations

from hffix.api import RepoStatus, Result
from hffix.findings import Finding, Status
from hffix.reporters.common import Mode, Reporter, Tally, display_path, location, statistics
from hffix.repository.workspace import ChangeKind

_COLORS = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
TOP_CODES = 5
_PAST = {
    ChangeKind.CREATE: "created",
    ChangeKind.MODIFY: "modified",
    ChangeKind.DELETE: "deleted",
    ChangeKind.RENAME: "renamed",
}


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


class TextReporter(Reporter):
    def _paint(self, text: str, color: str) -> str:
        return f"\x1b[{_COLORS[color]}m{text}\x1b[0m" if self.context.color else text

    def _marker(self, finding: Finding, written: bool = True) -> str:
        if finding.status is Status.FIXED:
            return "[fixed]" if self.context.mode is Mode.WRITE and written else "[*]"
        if finding.status is Status.UNSAFE_FIX:
            return "[unsafe-fix]"
        return "[manual]"

    def add(self, result: Result) -> None:
        write = self.stream.write
        if result.error:
            write(f"{self._paint('error', 'red')}: {result.error}\n")
            if self.context.verbose and result.traceback:
                write(result.traceback)
            if not result.findings:
                return
        for diagnostic in result.diagnostics:
            where = display_path(result, diagnostic.path)
            write(f"{where}: {self._paint('warning', 'yellow')}: {diagnostic.message}\n")
        for finding in result.findings:
            if self.context.statistics or (self.context.quiet and not finding.remains):
                continue
            code = self._paint(finding.code, "bold")
            # A write that failed or was rolled back fixed nothing: its fixes stay [*].
            written = result.written or result.error is None
            marker = self._paint(self._marker(finding, written), "cyan")
            write(f"{location(result, finding)}: {code} {marker} {finding.message}\n")
        if self.context.verbose:
            for skipped in result.skipped:
                write(f"{display_path(result, skipped.path)}: skipped: {skipped.reason}\n")
        self.stream.flush()

    def close(self, tally: Tally) -> None:
        if self.context.quiet:
            return
        lines = self._statistics(tally) if self.context.statistics else []
        lines += self._summary(tally)
        if tally.repositories > 1:
            lines.extend(self._fleet(tally))
        for line in lines:
            self.stream.write(line + "\n")

    def _statistics(self, tally: Tally) -> list[str]:
        markers = {"fixed": "[*]", "unsafe-fix": "[unsafe-fix]", "manual": "[manual]"}
        return [
            f"{entry['count']:>6}  {entry['code']}  {markers[str(entry['status'])]:<12} "
            f"{entry['name']}"
            for entry in statistics(tally)
        ]

    def _summary(self, tally: Tally) -> list[str]:
        mode = self.context.mode
        failed = tally.statuses[RepoStatus.FAILED]
        found = sum(tally.findings.values())
        changed = sum(tally.changes.values())
        if not found and not changed and not failed and not tally.diagnostics:
            return [self._paint("All checks passed.", "green")]
        lines: list[str] = []
        if found:
            fixed = tally.findings[Status.FIXED] - tally.not_applied
            parts = [
                f"{fixed} fixed" if mode is Mode.WRITE else f"{fixed} fixable with --write",
                *([f"{tally.not_applied} held back by an error"] if tally.not_applied else []),
                f"{tally.findings[Status.UNSAFE_FIX]} fixable with --unsafe-fixes",
                f"{tally.findings[Status.MANUAL]} to fix by hand",
            ]
            lines.append(f"Found {_plural(found, 'problem')} ({', '.join(parts)}).")
        if changed and mode is not Mode.CHECK:
            detail = ", ".join(
                f"{tally.changes[kind]} {_PAST[kind]}" for kind in ChangeKind if tally.changes[kind]
            )
            verb = "Changed" if mode is Mode.WRITE else "Would change"
            lines.append(f"{verb} {_plural(changed, 'file')} ({detail}).")
            if mode is Mode.DRY_RUN:
                lines.append("The patch is on standard output; run with --write to apply it.")
        if tally.secrets:
            lines.append(
                "Rotate every secret found in the code: git history still holds the old values."
            )
        if tally.secret_names:
            names = ", ".join(sorted(tally.secret_names))
            lines.append(f"Set these as Space secrets: {names}.")
        plain = tally.variables - tally.secret_names
        if plain:
            lines.append(f"Set these as Space variables: {', '.join(sorted(plain))}.")
        if failed and (tally.repositories > 1 or found or changed):
            # One repository and nothing else to say: its error line is the message.
            lines.append(f"{_plural(failed, 'repository', 'repositories')} could not be processed.")
        return lines

    def _fleet(self, tally: Tally) -> list[str]:
        rate = tally.repositories / tally.seconds if tally.seconds else 0.0
        lines = ["", f"{_plural(tally.repositories, 'repository', 'repositories')}:"]
        for status in RepoStatus:
            lines.append(f"  {status.value:<18} {tally.statuses[status]:>6}")
        if tally.codes:
            top = ", ".join(
                f"{code} ×{count}" for code, count in tally.codes.most_common(TOP_CODES)
            )
            lines.append(f"Most frequent findings: {top}")
        if tally.slowest:
            slow = ", ".join(f"{path} ({seconds:.2f}s)" for seconds, path in tally.slowest)
            lines.append(f"Slowest: {slow}")
        lines.append(f"Work time {tally.seconds:.1f}s ({rate:.1f} repositories/s per worker).")
        return lines
