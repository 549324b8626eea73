"""What every reporter needs to know about the run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum

from hffix.api import Result
from hffix.findings import Finding


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


def display_path(result: Result, path: str) -> str:
    """A repository path as the user can open it from the current folder."""
    root = str(result.root)
    if root in {"", "."}:
        return path or "."
    return os.path.normpath(os.path.join(root, path)) if path else root


def location(result: Result, finding: Finding) -> str:
    where = display_path(result, finding.path)
    return f"{where}:{finding.line}:{finding.col}" if finding.line else where
