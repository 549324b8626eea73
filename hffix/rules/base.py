"""The contract every rule implements, and the context it runs in.

A rule is a class with a code, a name, the spec section it enforces, a one-line MESSAGE,
a docstring in four parts (what it does / why it matters / example / fix safety) that
``hffix --explain`` prints, and VALID / INVALID examples the test suite runs. Its
:meth:`Rule.run` reads the repository through :class:`RuleContext`, reports findings and
proposes changes on the shared :class:`~hffix.repository.workspace.Workspace`.
"""

from __future__ import annotations

import inspect
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from hffix.findings import Finding, FixSafety, Status
from hffix.repository.workspace import Unreadable, is_python_path

if TYPE_CHECKING:
    import libcst as cst

    from hffix.engine import Session, SyntaxTree

_SUPPRESSION = re.compile(r"#\s*hffix:\s*ignore(?:\[(?P<codes>[A-Za-z0-9,\s]+)\])?")


def suppressed_codes(line: str) -> frozenset[str] | None:
    """Codes silenced by a ``# hffix: ignore[...]`` comment on ``line``; empty set means all."""
    match = _SUPPRESSION.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return frozenset()
    return frozenset(c.strip().upper() for c in codes.split(",") if c.strip())


@dataclass(frozen=True)
class Example:
    """A small repository before and after ``hffix --write``; run by the test suite.

    ``after`` maps paths to their expected text, ``None`` for a deleted file; paths not named
    stay as they were. ``codes`` are the finding codes expected on ``before``.
    """

    before: Mapping[str, str]
    after: Mapping[str, str | None] = field(default_factory=dict)
    codes: tuple[str, ...] = ()
    unsafe_fixes: bool = False

    @classmethod
    def module(
        cls,
        before: str,
        after: str | None = None,
        *,
        codes: Sequence[str] = (),
        path: str = "main.py",
        unsafe_fixes: bool = False,
    ) -> Example:
        return cls(
            before={path: before},
            after={} if after is None else {path: after},
            codes=tuple(codes),
            unsafe_fixes=unsafe_fixes,
        )


class Rule(ABC):
    """Base class for rules; see the module docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    spec: ClassVar[str]
    MESSAGE: ClassVar[str]
    fix_safety: ClassVar[FixSafety]
    VALID: ClassVar[Sequence[Example]] = ()
    INVALID: ClassVar[Sequence[Example]] = ()

    @abstractmethod
    def run(self, ctx: RuleContext) -> None:
        """Inspect the repository through ``ctx``; report findings and plan fixes."""

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return f"{cls.code} {cls.name} ({cls.spec}; fix: {cls.fix_safety.value})"


class RuleContext:
    """What one rule sees of one repository run."""

    def __init__(self, session: Session, rule: Rule) -> None:
        self.session = session
        self.rule = rule
        self.workspace = session.workspace
        self.config = session.config
        self.facts = session.facts

    @property
    def unsafe_fixes(self) -> bool:
        return self.config.unsafe_fixes

    # ------------------------------------------------------------ suppression
    def allows(self, path: str, *lines: int) -> bool:
        """False when per-file-ignores or a ``# hffix: ignore`` comment on one of ``lines``
        silences this rule at ``path``."""
        code = self.rule.code
        if self.config.ignored_in(path, code):
            return False
        if not lines or not self.workspace.exists(path):
            return True
        try:
            text_lines = self.workspace.text(path).splitlines()
        except Unreadable:
            return True
        for line in lines:
            if 0 < line <= len(text_lines):
                codes = suppressed_codes(text_lines[line - 1])
                if codes is not None and (not codes or code in codes):
                    return False
        return True

    # ------------------------------------------------------------ reporting
    def report(
        self,
        path: str,
        message: str,
        *,
        status: Status,
        line: int = 0,
        col: int = 0,
        variables: Sequence[str] = (),
    ) -> None:
        self.session.findings.append(
            Finding(self.rule.code, path, line, col, message, status, tuple(variables))
        )

    def fix_status(self) -> Status:
        """The status of a finding whose fix is this rule's :attr:`Rule.fix_safety`."""
        if self.rule.fix_safety is FixSafety.SAFE:
            return Status.FIXED
        if self.rule.fix_safety is FixSafety.UNSAFE:
            return Status.FIXED if self.unsafe_fixes else Status.UNSAFE_FIX
        return Status.MANUAL

    def diagnose(self, path: str, message: str) -> None:
        self.session.diagnose(path, message)

    # ------------------------------------------------------------ reading
    def text(self, path: str) -> str | None:
        """Current text of ``path``, or ``None`` (with a diagnostic) when it cannot be read."""
        return self.session.text(path)

    def python_files(self, *needles: str) -> Iterator[tuple[str, str]]:
        """(path, text) of every readable Python file containing one of ``needles``.

        The text pre-filter keeps most files away from the (slow) concrete syntax tree parser.
        """
        for path in self.workspace.paths():
            if not is_python_path(path) or self.config.ignored_in(path, self.rule.code):
                continue
            text = self.text(path)
            if text is not None and (not needles or any(n in text for n in needles)):
                yield path, text

    def parse(self, path: str) -> cst.Module | None:
        """The CST of ``path``'s current text (cached), or ``None`` if it does not parse.

        Parse with libcst only files a rule will edit or needs exact positions in: it is
        about ten times slower than :meth:`syntax`.
        """
        return self.session.parse(path)

    def syntax(self, path: str) -> SyntaxTree | None:
        """The ``ast`` of ``path``'s current text, parsed once for all rules (see
        :meth:`hffix.engine.Session.syntax`); ``None`` if the file cannot be read."""
        return self.session.syntax(path)
