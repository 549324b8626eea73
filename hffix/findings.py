"""What a rule reports: findings, their fix status, and how fixes are classed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class FixSafety(Enum):
    """A fix's applicability, as in ruff: whether hffix applies it, and when.

    ``SAFE`` fixes keep behaviour on Spaces and are applied by ``--write``; ``UNSAFE`` ones
    may change what the program does and need ``--unsafe-fixes``; ``DISPLAY_ONLY`` findings
    are only reported, for the user to fix by hand.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class Severity(Enum):
    """How much a finding matters on a Space, whatever its status: ``error`` (the Space
    fails to build or start, or a secret is committed) or ``warning`` (it builds and
    starts, but something it needs or shows is missing). CI formats annotate with it."""

    ERROR = "error"
    WARNING = "warning"


class Status(Enum):
    """What became of a finding in this run."""

    FIXED = "fixed"  # the plan contains the fix
    UNSAFE_FIX = "unsafe-fix"  # a fix exists; it needs --unsafe-fixes
    MANUAL = "manual"  # nothing hffix can do safely; the message says why


@dataclass(frozen=True)
class Finding:
    """One problem at one place. Messages never contain a secret's value."""

    code: str
    path: str
    line: int
    col: int
    message: str
    status: Status
    # Names of environment variables the user has to set in the Space (HF005 and friends).
    variables: tuple[str, ...] = field(default=())
    # The fix is one that needs --unsafe-fixes (applied in this run when status is FIXED).
    unsafe: bool = False
    # A committed secret was found: the user must rotate it (git history keeps it).
    secret: bool = False
    # The rule's severity; a committed secret is always an error.
    severity: Severity = Severity.ERROR

    @property
    def applicability(self) -> FixSafety:
        """This finding's fix: safe, unsafe, or display-only (reported, fixed by hand)."""
        if self.status is Status.MANUAL:
            return FixSafety.DISPLAY_ONLY
        if self.unsafe or self.status is Status.UNSAFE_FIX:
            return FixSafety.UNSAFE
        return FixSafety.SAFE

    @property
    def remains(self) -> bool:
        """True when the repository is still non-compliant after the planned fixes."""
        return self.status is not Status.FIXED

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path or "."


@dataclass(frozen=True)
class Diagnostic:
    """A file or setting hffix could not use. Reported once; the rest of the run goes on."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message
