"""What a rule proposes to change: a :class:`Fix` of plain edits, applied by the engine.

A rule never edits the repository itself. It reports a finding with the fix that would
resolve it (:meth:`hffix.rules.base.RuleContext.report`); the engine decides whether the
fix is applied in this run (its applicability against ``--unsafe-fixes``; a fix that
changes how the repository starts is withheld while no app is chosen), sets the finding's
status from that decision, and applies each fix once, however many findings share it (one
rewritten module for every port found in it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.findings import FixSafety

if TYPE_CHECKING:
    import libcst as cst

    from hffix.textio import TextFormat


@dataclass(frozen=True)
class Write:
    """Give ``path`` the text ``text`` (a new file takes ``fmt``, UTF-8 by default; an
    existing one keeps its encoding, BOM, newlines and mode unless ``fmt`` is given)."""

    path: str
    text: str
    fmt: TextFormat | None = None


@dataclass(frozen=True)
class ReplaceModule:
    """Give the Python module at ``path`` the code of ``module`` (its parse is kept for
    the next rule that reads the module)."""

    path: str
    module: cst.Module


@dataclass(frozen=True)
class Delete:
    path: str


@dataclass(frozen=True)
class Rename:
    src: str
    dst: str


@dataclass(frozen=True)
class SetMode:
    path: str
    mode: int


Edit = Write | ReplaceModule | Delete | Rename | SetMode


@dataclass(frozen=True, eq=False)
class Fix:
    """The edits that resolve one or more findings, applied together or not at all.

    ``startup`` marks a fix that changes how the repository starts today (a server start,
    a ``__main__`` block, a port, a Dockerfile, a run script): the engine withholds it
    while HF001 has chosen no app, since a repository with no app in ``main.py`` would
    then start nothing. Compared by identity: two findings share a fix by sharing the
    object.
    """

    edits: tuple[Edit, ...]
    applicability: FixSafety = FixSafety.SAFE
    startup: bool = False

    def __post_init__(self) -> None:
        if self.applicability is FixSafety.DISPLAY_ONLY:
            raise ValueError("a display-only finding has no fix: report it with fix=None")

    @classmethod
    def safe(cls, *edits: Edit, startup: bool = False) -> Fix:
        return cls(tuple(edits), FixSafety.SAFE, startup)

    @classmethod
    def unsafe(cls, *edits: Edit, startup: bool = False) -> Fix:
        return cls(tuple(edits), FixSafety.UNSAFE, startup)
