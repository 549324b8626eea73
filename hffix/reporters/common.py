"""What every reporter needs: the run's mode, a running tally, and the streaming interface.

Results arrive one repository at a time and are dropped once reported, so memory stays
flat however many repositories a run covers; :class:`Tally` keeps the few numbers the
closing summary needs.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TextIO

from hffix.api import RepoStatus, Result
from hffix.findings import Finding, Status
from hffix.repository.workspace import ChangeKind

SLOWEST_SHOWN = 5


class Mode(Enum):
    CHECK = "check"
    DRY_RUN = "dry-run"
    WRITE = "write"


@dataclass(frozen=True)
class ReportContext:
    mode: Mode
    color: bool = False
    verbose: bool = False
    quiet: bool = False
    statistics: bool = False  # counts per rule instead of each finding


@dataclass
class Tally:
    """Counts over every repository reported so far."""

    repositories: int = 0
    statuses: Counter[RepoStatus] = field(default_factory=Counter)
    findings: Counter[Status] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[tuple[str, Status]] = field(default_factory=Counter)  # --statistics
    changes: Counter[ChangeKind] = field(default_factory=Counter)
    diagnostics: int = 0
    not_applied: int = 0  # fixes of repositories that failed: planned, never written
    secrets: int = 0  # findings about a committed secret (to rotate)
    variables: set[str] = field(default_factory=set)  # every variable to set ...
    secret_names: set[str] = field(default_factory=set)  # ... those to set as Space secrets
    slowest: list[tuple[float, str]] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, result: Result) -> None:
        self.repositories += 1
        self.statuses[result.status] += 1
        self.findings.update(f.status for f in result.findings)
        self.codes.update(f.code for f in result.findings)
        self.by_rule.update((f.code, f.status) for f in result.findings)
        self.secrets += sum(1 for f in result.findings if f.secret)
        if result.error is None:  # a failed or rolled-back write changed nothing
            self.changes.update(c.kind for c in result.changes)
        else:
            self.not_applied += sum(1 for f in result.findings if f.status is Status.FIXED)
        self.diagnostics += len(result.diagnostics)
        self.variables.update(result.variables)
        self.secret_names.update(result.secrets)
        self.seconds += result.duration
        self.slowest.append((result.duration, str(result.root)))
        self.slowest.sort(reverse=True)
        del self.slowest[SLOWEST_SHOWN:]


class Reporter(ABC):
    """Writes results as they arrive, then a closing part."""

    def __init__(self, context: ReportContext, stream: TextIO) -> None:
        self.context = context
        self.stream = stream

    @abstractmethod
    def add(self, result: Result) -> None: ...

    def close(self, tally: Tally) -> None:  # noqa: B027 - most reporters have nothing to add
        """Called once after the last result."""


def statistics(tally: Tally) -> list[dict[str, Any]]:
    """``--statistics``: one entry per rule and status, most frequent first."""
    from hffix.rules import get_rule

    entries = []
    for (code, status), count in tally.by_rule.most_common():
        rule = get_rule(code)
        entries.append(
            {
                "code": code,
                "name": rule.name if rule is not None else "",
                "status": status.value,
                "count": count,
            }
        )
    return entries


def finding_done(result: Result, finding: Finding) -> bool:
    """True for a finding this run has fixed on disk: CI formats show it as a note. A
    finding ``--check`` or ``--dry-run`` could fix is shown at its severity."""
    return result.written and finding.status is Status.FIXED


def status_value(result: Result, finding: Finding) -> str:
    """A finding's status as JSON and SARIF give it: ``fixable`` for a fix this run did not
    write (``--check``, ``--dry-run``, a failed write), else the status's own value."""
    if finding.status is Status.FIXED and not result.written:
        return "fixable"
    return finding.status.value


def display_path(result: Result, path: str) -> str:
    """A repository path as the user can open it from the current folder."""
    root = str(result.root)
    if root in {"", "."}:
        return path or "."
    return os.path.normpath(os.path.join(root, path)) if path else root


def location(result: Result, finding: Finding) -> str:
    where = display_path(result, finding.path)
    return f"{where}:{finding.line}:{finding.col}" if finding.line else where
