"""Plan one repository: load it, run the selected rules in order, collect the change set."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hffix.config import Config
from hffix.facts import Facts
from hffix.findings import Diagnostic, Finding
from hffix.repository.discovery import Skipped
from hffix.repository.workspace import FileChange, Workspace
from hffix.rules import selected_rules
from hffix.rules.base import RuleContext
from hffix.session import Session


@dataclass
class Plan:
    """What the rules found and what they would change in one repository."""

    root: Path
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    changes: list[FileChange]
    facts: Facts
    skipped: list[Skipped]


def plan(root: Path, config: Config) -> Plan:
    """Run every enabled rule on ``root`` against one in-memory view; touches no file."""
    workspace = Workspace.load(root, config.exclude)
    session = Session(workspace, config)
    for rule_class in selected_rules(config):
        rule = rule_class()
        rule.run(RuleContext(session, rule))
    session.facts.release()
    findings = sorted(session.findings, key=lambda f: (f.path, f.line, f.col, f.code))
    diagnostics = sorted(session.diagnostics.values(), key=lambda d: d.path)
    return Plan(root, findings, diagnostics, workspace.changes(), session.facts, workspace.skipped)
