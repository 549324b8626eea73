"""Every rule's VALID and INVALID examples, and the shape of its documentation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.rules import ALL_RULES
from hffix.rules.base import Example, Rule

VALID = [(rule, i, ex) for rule in ALL_RULES for i, ex in enumerate(rule.VALID)]
INVALID = [(rule, i, ex) for rule in ALL_RULES for i, ex in enumerate(rule.INVALID)]


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("rule", "index", "example"), VALID, ids=lambda v: getattr(v, "code", None)
)
def test_valid_example(
    rule: type[Rule], index: int, example: Example, make_repo: Callable[..., Path]
) -> None:
    root = make_repo(dict(example.before))
    result = hffix.fix(root, write=True, select=[rule.code], unsafe_fixes=example.unsafe_fixes)
    assert result.error is None
    assert [f for f in result.findings if f.code == rule.code] == []
    assert _files(root) == dict(example.before)


@pytest.mark.parametrize(
    ("rule", "index", "example"), INVALID, ids=lambda v: getattr(v, "code", None)
)
def test_invalid_example(
    rule: type[Rule], index: int, example: Example, make_repo: Callable[..., Path]
) -> None:
    root = make_repo(dict(example.before))
    result = hffix.fix(root, write=True, select=[rule.code], unsafe_fixes=example.unsafe_fixes)
    assert result.error is None, result.error
    assert sorted({f.code for f in result.findings}) == sorted(example.codes)
    expected = dict(example.before)
    for path, text in example.after.items():
        if text is None:
            expected.pop(path, None)
        else:
            expected[path] = text
    assert _files(root) == expected
    again = hffix.fix(root, write=True, select=[rule.code], unsafe_fixes=example.unsafe_fixes)
    assert again.changes == [], "the fix is not idempotent"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule: type[Rule]) -> None:
    doc = rule.documentation()
    for heading in ("## What it does", "## Why it matters", "## Example", "## Fix safety"):
        assert heading in doc, f"{rule.code} lacks {heading!r}"
    assert rule.code.startswith("HF") and len(rule.code) == 5
    assert rule.spec.startswith("SP-HF-")
    assert rule.MESSAGE
    assert rule.INVALID, f"{rule.code} has no INVALID example"


def test_codes_are_unique() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert len(codes) == len(set(codes))
