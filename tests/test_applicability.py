"""Each rule's declared fix applicabilities are the ones its findings really have.

``--list-rules``, ``--explain`` and SARIF print :attr:`Rule.fixes`; this checks the
declaration against every finding of every corpus case, with and without
``--unsafe-fixes``, both ways: no finding has an applicability its rule does not declare,
and every declared applicability is shown by some case.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict

import pytest

import hffix
from hffix.cli import main
from hffix.findings import Finding, FixSafety, Status
from hffix.rules import ALL_RULES
from tests.conftest import CORPUS
from tests.test_corpus import CASES


def _case_args(args: list[str]) -> tuple[list[str] | None, list[str]]:
    """The rule selection of a case's command line (other arguments do not matter here)."""
    select: list[str] | None = None
    ignore: list[str] = []
    for flag, value in itertools.pairwise(args):
        if flag == "--select":
            select = value.split(",")
        elif flag == "--ignore":
            ignore = value.split(",")
    return select, ignore


@pytest.fixture(scope="module")
def seen() -> dict[str, set[FixSafety]]:
    found: dict[str, set[FixSafety]] = defaultdict(set)
    for case in CASES:
        select, ignore = _case_args(case.args)
        for unsafe in (False, True):
            result = hffix.check(case.before, select=select, ignore=ignore, unsafe_fixes=unsafe)
            for finding in result.findings:
                found[finding.code].add(finding.applicability)
    return found


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_declared_applicability_is_what_the_corpus_shows(
    rule: type[hffix.Rule], seen: dict[str, set[FixSafety]]
) -> None:
    assert set(rule.fixes) == seen[rule.code], (
        f"{rule.code} declares {sorted(f.value for f in rule.fixes)}, the corpus shows "
        f"{sorted(f.value for f in seen[rule.code])}"
    )


def test_finding_applicability_follows_status_and_unsafe() -> None:
    def finding(status: Status, unsafe: bool = False) -> Finding:
        return Finding("HF005", "a.py", 1, 1, "m", status, unsafe=unsafe)

    assert finding(Status.FIXED).applicability is FixSafety.SAFE
    assert finding(Status.FIXED, unsafe=True).applicability is FixSafety.UNSAFE
    assert finding(Status.UNSAFE_FIX, unsafe=True).applicability is FixSafety.UNSAFE
    assert finding(Status.MANUAL).applicability is FixSafety.DISPLAY_ONLY


def test_list_rules_explain_and_sarif_show_the_declared_applicability(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--list-rules"]) == 0
    listing = capsys.readouterr().out
    assert "HF010  python-310" in listing
    assert "fix: safe, display-only" in listing.split("HF010")[1].splitlines()[0]
    assert main(["--explain", "HF003"]) == 0
    assert "Fix: safe, unsafe, display-only." in capsys.readouterr().out

    case = CORPUS / "hf003-work-unsafe-lifespan" / "before"
    main(["--check", "--format", "sarif", "--unsafe-fixes", str(case)])
    sarif = json.loads(capsys.readouterr().out)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["HF010"]["properties"]["fixApplicability"] == ["safe", "display-only"]
    results = sarif["runs"][0]["results"]
    moved = [r for r in results if r["ruleId"] == "HF003"]
    assert moved and moved[0]["properties"]["status"] == "fixable"  # --check wrote nothing
    assert moved[0]["properties"]["applicability"] == "unsafe"
