"""hffix/schema/report.schema.json describes what --format json and --report really print."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hffix.cli import main
from tests.conftest import CORPUS, ROOT, copy_tree

SCHEMA = json.loads((ROOT / "hffix" / "schema" / "report.schema.json").read_text())
CASES = ["example-nested-backend", "hf005-settings-class", "hf007-harvest-urls-and-indexes"]


def _validator(ref: str | None = None) -> Draft202012Validator:
    schema: dict[str, Any] = SCHEMA if ref is None else {**SCHEMA, "$ref": ref}
    if ref is not None:
        schema = {key: value for key, value in schema.items() if key not in ("required", "type")}
        schema.pop("properties")
        schema.pop("additionalProperties")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("args", [["--check"], ["--check", "--statistics"], ["--write"]])
def test_json_output_matches_the_schema(
    case: str, args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_tree(CORPUS / case / "before", tmp_path / "repo")
    main([*args, "--format", "json", str(repo)])
    document = json.loads(capsys.readouterr().out)
    assert document["repositories"][0]["findings"], "the case must have findings"
    assert _errors(_validator(), document) == []


def test_report_lines_match_the_schema(
    make_repo: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = make_repo({"main.py": "from fastapi import FastAPI\napp = FastAPI()\n"}, name="a")
    fixable = copy_tree(CORPUS / "example-nested-backend" / "before", tmp_path / "b")
    broken = make_repo({"pyproject.toml": "[tool\n"}, name="c")
    report = tmp_path / "report.jsonl"
    main(["--write", "--jobs", "1", "--report", str(report), str(good), str(fixable), str(broken)])
    capsys.readouterr()
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert {line["status"] for line in lines} >= {"fixed", "failed"}
    validator = _validator("#/$defs/reportLine")
    for line in lines:
        assert _errors(validator, line) == [], line["path"]


def test_the_schema_rejects_what_it_should() -> None:
    """A check that cannot fail proves nothing: a wrong status and a missing field fail."""
    validator = _validator()
    document = {"version": 1, "mode": "check", "repositories": [{"path": "x"}]}
    assert _errors(validator, document)
    finding = {
        "code": "HF002",
        "path": "main.py",
        "line": 1,
        "column": 1,
        "message": "m",
        "status": "done",
        "applicability": "safe",
        "severity": "error",
        "variables": [],
    }
    repository = {
        "path": "x",
        "status": "fixed",
        "error": None,
        "written": True,
        "duration": 0.1,
        "findings": [finding],
        "diagnostics": [],
        "changes": [],
        "variables": [],
    }
    document = {"version": 1, "mode": "write", "repositories": [repository]}
    assert any("'done'" in error for error in _errors(validator, document))
    finding["status"] = "fixed"
    assert _errors(validator, document) == []
