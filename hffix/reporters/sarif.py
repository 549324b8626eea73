"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

import json
from typing import Any

from hffix.api import Result
from hffix.reporters.common import (
    Reporter,
    Tally,
    display_path,
    finding_done,
    status_value,
)
from hffix.rules import ALL_RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/hffix/"


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.documentation()},
            "defaultConfiguration": {"level": rule.severity.value},
            "properties": {"spec": rule.spec, "fixApplicability": [f.value for f in rule.fixes]},
        }
        for rule in ALL_RULES
    ]


class SarifReporter(Reporter):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.results: list[dict[str, Any]] = []

    def add(self, result: Result) -> None:
        for finding in result.findings:
            region = {"startLine": finding.line, "startColumn": finding.col} if finding.line else {}
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {"uri": display_path(result, finding.path)},
                    **({"region": region} if region else {}),
                }
            }
            self.results.append(
                {
                    "ruleId": finding.code,
                    "level": "note" if finding_done(result, finding) else finding.severity.value,
                    "message": {"text": finding.message},
                    "locations": [location],
                    "properties": {
                        "status": status_value(result, finding),
                        "applicability": finding.applicability.value,
                        "severity": finding.severity.value,
                    },
                }
            )

    def close(self, tally: Tally) -> None:
        driver = {"name": "hffix", "informationUri": INFORMATION_URI, "rules": _rules()}
        document = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": self.results}],
        }
        json.dump(document, self.stream, indent=2)
        self.stream.write("\n")
