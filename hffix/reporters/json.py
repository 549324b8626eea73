"""``--format json``: one document describing every repository (never the patch)."""

from __future__ import annotations

import json
from typing import Any

from hffix.api import Result
from hffix.reporters.common import Reporter, Tally, statistics, status_value


def result_to_dict(result: Result) -> dict[str, Any]:
    """A repository's outcome as plain data; also the line format of ``--report``."""
    return {
        "path": str(result.root),
        "status": result.status.value,
        "error": result.error,
        "written": result.written,
        "duration": round(result.duration, 4),
        "findings": [
            {
                "code": f.code,
                "path": f.path,
                "line": f.line,
                "column": f.col,
                "message": f.message,
                "status": status_value(result, f),
                "applicability": f.applicability.value,
                "severity": f.severity.value,
                "variables": list(f.variables),
            }
            for f in result.findings
        ],
        "diagnostics": [{"path": d.path, "message": d.message} for d in result.diagnostics],
        "changes": [
            {"kind": c.kind.value, "path": c.path, "old_path": c.old_path} for c in result.changes
        ],
        "variables": result.variables,
        "secrets": result.secrets,
        "space_variables": result.space_variables,
    }


class JsonReporter(Reporter):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.repositories: list[dict[str, Any]] = []

    def add(self, result: Result) -> None:
        self.repositories.append(result_to_dict(result))

    def close(self, tally: Tally) -> None:
        document = {
            "version": 1,
            "mode": self.context.mode.value,
            "repositories": self.repositories,
        }
        if self.context.statistics:
            document["statistics"] = statistics(tally)
        json.dump(document, self.stream, indent=2)
        self.stream.write("\n")
