"""Plan one repository: load it, run the selected rules in order, collect the change set."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from hffix.config import Config
from hffix.facts import Facts
from hffix.findings import Diagnostic, Finding
from hffix.repository.discovery import Skipped
from hffix.repository.workspace import FileChange, Workspace
from hffix.rules import selected_rules
from hffix.rules.base import RuleContext
from hffix.session import Session


@dataclass(frozen=True)
class RuleFailure:
    """A rule that raised: a bug in hffix, reported as that rule's failure."""

    code: str
    error: str  # one line: the exception's type and message
    traceback: str


@dataclass
class Plan:
    """What the rules found and what they would change in one repository."""

    root: Path
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    changes: list[FileChange]
    facts: Facts
    skipped: list[Skipped]
    # Rules that raised. The other rules still ran and their findings are here, but a plan
    # with a failure changes nothing: half of one rule's edits is no state to write.
    failures: list[RuleFailure] = field(default_factory=list)


def plan(root: Path, config: Config) -> Plan:
    """Run every enabled rule on ``root`` against one in-memory view; touches no file."""
    workspace = Workspace.load(root, config.exclude)
    session = Session(workspace, config)
    failures: list[RuleFailure] = []
    for rule_class in selected_rules(config):
        rule = rule_class()
        try:
            rule.run(RuleContext(session, rule))
        except Exception as exc:  # a bug in one rule must not cost the others' findings
            error = f"{type(exc).__name__}: {exc}"
            failures.append(RuleFailure(rule.code, error, traceback.format_exc()))
    session.analyses.release()  # the facts stay with the plan; the parses go
    findings = sorted(session.findings, key=lambda f: (f.path, f.line, f.col, f.code))
    diagnostics = sorted(session.diagnostics.values(), key=lambda d: d.path)
    changes = [] if failures else workspace.changes()
    return Plan(root, findings, diagnostics, changes, session.facts, workspace.skipped, failures)
