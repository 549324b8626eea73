"""Reporters turn results into text for people (stderr) or machines (stdout).

Each reporter is a function ``(results, context, stream) -> None``. None of them prints a
secret's value: findings carry only masked values, and no reporter prints the patch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from hffix.api import Result
from hffix.reporters.common import ReportContext
from hffix.reporters.github import report_github
from hffix.reporters.json import report_json
from hffix.reporters.sarif import report_sarif
from hffix.reporters.text import report_text

Reporter = Callable[[Sequence[Result], ReportContext, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "sarif": report_sarif,
    "github": report_github,
}

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
