"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from hffix.api import Result
from hffix.findings import Status
from hffix.reporters.common import ReportContext, display_path
from hffix.rules import ALL_RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report_sarif(results: Sequence[Result], context: ReportContext, stream: TextIO) -> None:
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.MESSAGE.replace("{call}", "...")},
            "fullDescription": {"text": rule.documentation()},
            "properties": {"spec": rule.spec, "fixSafety": rule.fix_safety.value},
        }
        for rule in ALL_RULES
    ]
    sarif_results: list[dict[str, Any]] = []
    for result in results:
        for finding in result.findings:
            region = {"startLine": finding.line, "startColumn": finding.col} if finding.line else {}
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {"uri": display_path(result, finding.path)},
                    **({"region": region} if region else {}),
                }
            }
            sarif_results.append(
                {
                    "ruleId": finding.code,
                    "level": "note" if finding.status is Status.FIXED else "error",
                    "message": {"text": finding.message},
                    "locations": [location],
                    "properties": {"status": finding.status.value},
                }
            )
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hffix",
                        "informationUri": "https://pypi.org/project/hffix/",
                        "rules": rules,
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    json.dump(document, stream, indent=2)
    stream.write("\n")
