"""``--format json``: one document describing every repository (never the patch)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from hffix.api import Result
from hffix.reporters.common import ReportContext


def result_to_dict(result: Result) -> dict[str, Any]:
    return {
        "path": str(result.root),
        "status": result.status.value,
        "error": result.error,
        "written": result.written,
        "findings": [
            {
                "code": f.code,
                "path": f.path,
                "line": f.line,
                "column": f.col,
                "message": f.message,
                "status": f.status.value,
                "variables": list(f.variables),
            }
            for f in result.findings
        ],
        "diagnostics": [{"path": d.path, "message": d.message} for d in result.diagnostics],
        "changes": [
            {"kind": c.kind.value, "path": c.path, "old_path": c.old_path} for c in result.changes
        ],
        "variables": result.variables,
    }


def report_json(results: Sequence[Result], context: ReportContext, stream: TextIO) -> None:
    document = {
        "version": 1,
        "mode": context.mode.value,
        "repositories": [result_to_dict(r) for r in results],
    }
    json.dump(document, stream, indent=2)
    stream.write("\n")
