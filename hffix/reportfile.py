"""``--report FILE.jsonl``: one JSON object per repository, written as each one finishes.

Each line is flushed, so a run that is stopped leaves a valid report of what it finished;
``--resume`` reads it back and skips those repositories.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from hffix.api import Result
from hffix.reporters.json import result_to_dict


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def finished_repositories(report: Path) -> set[str]:
    """Repositories a previous run recorded in ``report`` (absolute, normalised paths)."""
    done: set[str] = set()
    try:
        lines = report.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return done
    for line in lines:
        try:
            entry: Any = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short when the previous run was stopped
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            done.add(_key(entry["path"]))
    return done


def is_finished(path: str, done: set[str]) -> bool:
    return _key(path) in done


class ReportFile:
    """Appends one line per repository; a context manager."""

    def __init__(self, path: Path, *, append: bool) -> None:
        cut_short = append and _ends_mid_line(path)
        self._handle: IO[str] = path.open("a" if append else "w", encoding="utf-8")
        if cut_short:
            self._handle.write("\n")  # end the line a stopped run left unfinished

    def write(self, result: Result) -> None:
        entry = result_to_dict(result)
        entry["findings_by_code"] = _count_codes(entry["findings"])
        entry["files_changed"] = [change["path"] for change in entry["changes"]]
        self._handle.write(json.dumps(entry, sort_keys=True) + "\n")
        self._handle.flush()

    def __enter__(self) -> ReportFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._handle.close()


def _ends_mid_line(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return False
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) != b"\n"
    except FileNotFoundError:
        return False


def _count_codes(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["code"]] = counts.get(finding["code"], 0) + 1
    return counts
