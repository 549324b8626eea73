"""Reporters turn results into text for people (stderr) or machines (stdout).

Each reporter receives results one repository at a time (:meth:`Reporter.add`) and a
:class:`Tally` at the end (:meth:`Reporter.close`). None of them prints a secret's value:
findings carry only masked values, and no reporter prints the patch.
"""

from __future__ import annotations

from hffix.reporters.common import Mode, ReportContext, Reporter, Tally
from hffix.reporters.github import GithubReporter
from hffix.reporters.json import JsonReporter
from hffix.reporters.sarif import SarifReporter
from hffix.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
}

__all__ = ["REPORTERS", "Mode", "ReportContext", "Reporter", "Tally"]
