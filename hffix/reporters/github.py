"""``--format github``: GitHub Actions workflow commands (annotations on the changed lines)."""

from __future__ import annotations

from hffix.api import Result
from hffix.reporters.common import Reporter, display_path, finding_done


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    def add(self, result: Result) -> None:
        write = self.stream.write
        if result.error:
            write(f"::error title=hffix::{_escape_data(result.error)}\n")
        for diagnostic in result.diagnostics:
            where = _escape_property(display_path(result, diagnostic.path))
            write(f"::warning file={where},title=hffix::{_escape_data(diagnostic.message)}\n")
        for finding in result.findings:
            props = [f"file={_escape_property(display_path(result, finding.path))}"]
            if finding.line:
                props += [f"line={finding.line}", f"col={finding.col}"]
            props.append(f"title={finding.code}")
            level = "notice" if finding_done(result, finding) else finding.severity.value
            write(f"::{level} {','.join(props)}::{_escape_data(finding.message)}\n")
