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
from typing import TYPE_CHECKING, ClassVar, TypeVar

from hffix.facts import SPACE_MODULES
from hffix.findings import Finding, FixSafety, Severity, Status
from hffix.fixes import Fix
from hffix.repository.workspace import Unreadable, is_python_path
from hffix.session import LINES

if TYPE_CHECKING:
    import libcst as cst

    from hffix.analysis import FileAnalysis
    from hffix.session import Session, SyntaxTree

_SUPPRESSION = re.compile(r"#\s*hffix:\s*ignore(?:\[(?P<codes>[A-Za-z0-9,\s]+)\])?")

_T = TypeVar("_T")


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
    # Every applicability this rule's findings can have (see FixSafety), safest first.
    fixes: ClassVar[tuple[FixSafety, ...]]
    # What its findings mean on a Space (see Severity); a committed secret is an error.
    severity: ClassVar[Severity] = Severity.ERROR
    VALID: ClassVar[Sequence[Example]] = ()
    INVALID: ClassVar[Sequence[Example]] = ()
    # Other tools' suppression comments this rule honours besides ``# hffix: ignore``: on
    # the finding's lines, and (NEXTLINE_PRAGMAS) on the line above them.
    PRAGMAS: ClassVar[tuple[str, ...]] = ()
    NEXTLINE_PRAGMAS: ClassVar[tuple[str, ...]] = ()
    # The ``[tool.hffix]`` keys this rule reads (:meth:`Config.option`); any other key is
    # an error (hffix.config.check_keys).
    OPTIONS: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def run(self, ctx: RuleContext) -> None:
        """Inspect the repository through ``ctx``; report findings and plan fixes."""

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return (
            f"{cls.code} {cls.name} ({cls.spec}; severity: {cls.severity.value}; "
            f"fix: {cls.fix_summary()})"
        )

    @classmethod
    def fix_summary(cls) -> str:
        """The rule's fix applicabilities in words, e.g. ``safe, unsafe, display-only``."""
        return ", ".join(fix.value for fix in cls.fixes)


class RuleContext:
    """What one rule sees of one repository run."""

    def __init__(self, session: Session, rule: Rule) -> None:
        self.session = session
        self.rule = rule
        self.workspace = session.workspace
        self.config = session.config
        self.facts = session.facts
        # The view as this rule found it: every position the rule reports refers to it, and
        # is mapped back to the file on disk (earlier rules may have moved or edited it).
        self.positions = session.workspace.positions()

    @property
    def unsafe_fixes(self) -> bool:
        return self.config.unsafe_fixes

    # ------------------------------------------------------------ suppression
    def allows(self, path: str, *lines: int) -> bool:
        """False when per-file-ignores or a suppression comment silences this rule at ``path``.

        A comment counts on one of ``lines``: ``# hffix: ignore`` / ``# hffix: ignore[CODE]``,
        or one of the rule's :attr:`Rule.PRAGMAS` (a pragma ending in ``nextline ...`` on the
        line above the first of them). Per-file-ignores match the path in this view and the
        path the file has on disk.
        """
        code = self.rule.code
        if self.config.ignored_in(path, code):
            return False
        disk = self.positions.locate(path).path
        if disk != path and self.config.ignored_in(disk, code):
            return False
        if not lines or not self.workspace.exists(path):
            return True
        text_lines = self._lines(path)
        for line in lines:
            if 0 < line <= len(text_lines):
                source = text_lines[line - 1]
                codes = suppressed_codes(source)
                if codes is not None and (not codes or code in codes):
                    return False
                if any(pragma in source for pragma in self.rule.PRAGMAS):
                    return False
        first = min(lines)
        if self.rule.NEXTLINE_PRAGMAS and 1 < first <= len(text_lines) + 1:
            above = text_lines[first - 2]
            return not any(pragma in above for pragma in self.rule.NEXTLINE_PRAGMAS)
        return True

    def _lines(self, path: str) -> list[str]:
        """The lines of ``path``'s current text, split once per text."""
        try:
            self.workspace.text(path)
        except Unreadable:
            return []  # not diagnosed here: the rule that read it did
        return self.analysis(LINES, path) or []

    # ------------------------------------------------------------ reporting
    def report(
        self,
        path: str,
        message: str,
        *,
        status: Status | None = None,
        fix: Fix | None = None,
        subject: str | None = None,
        remains: bool = False,
        line: int = 0,
        col: int = 0,
        variables: Sequence[str] = (),
        unsafe: bool = False,
        secret: bool = False,
    ) -> Status:
        """Report a finding at a place in the view this rule started from; return its status.

        With a ``fix``, the engine decides here and the rule does not: a fix that changes
        how the repository starts (``Fix.startup``) is withheld while no app is chosen (the
        finding is ``manual`` and says why, naming ``subject``, or the message, as what is
        left as it is); an unsafe fix is applied only with ``--unsafe-fixes``, else the
        finding is ``unsafe-fix``; otherwise the fix is applied (once, however many
        findings share it) and the finding is ``fixed``. Without a fix, ``status`` says
        what the rule found: ``manual``, or ``unsafe-fix`` for a fix it did not build.
        ``remains`` marks a fix that does only part of the work (a ``__main__`` block
        trimmed of its server start, its other work left for the user): applied as any
        other, but the finding stays ``manual``. A finding identical to one already
        reported (a second one about the same block) is reported once.

        The finding keeps the place on disk: the path the file has there, and the line and
        column it has there (see :meth:`PositionMap.locate`). ``secret`` marks a finding
        about a committed secret (the summary asks to rotate it). Every secret the message
        quotes is masked (:func:`hffix.secrets.redact.mask_text`).
        """
        from hffix.secrets.redact import mask_text  # the classifier: only when reporting

        if fix is not None:
            if status is not None:
                raise ValueError("a finding with a fix gets its status from the engine")
            status, unsafe = self._decide(fix)
            if status is Status.MANUAL:
                message = self.kept_message(subject or message)
            elif status is Status.FIXED and remains:
                status = Status.MANUAL
        elif status is None:
            raise ValueError("a finding without a fix needs a status")
        elif status is Status.FIXED:
            raise ValueError("a fixed finding carries the Fix that fixes it")
        where = self.positions.locate(path, line, col)
        unsafe = unsafe or status is Status.UNSAFE_FIX
        message = mask_text(message)  # messages quote the repository: never a secret
        finding = Finding(
            self.rule.code,
            where.path,
            where.line,
            where.col,
            message,
            status,
            tuple(variables),
            unsafe,
            secret,
            Severity.ERROR if secret else self.rule.severity,
        )
        if finding not in self.session.reported:
            self.session.reported.add(finding)
            self.session.findings.append(finding)
        return status

    def _decide(self, fix: Fix) -> tuple[Status, bool]:
        """The status of a finding resolved by ``fix``, and whether the fix is unsafe;
        applies ``fix`` to the view (once) when the decision is to apply it."""
        status = self.decision(fix.applicability, startup=fix.startup)
        if status is Status.FIXED and fix not in self.session.applied:
            self.session.applied.add(fix)
            self.session.apply(fix)
        unsafe = fix.applicability is FixSafety.UNSAFE and status is not Status.MANUAL
        return status, unsafe

    def decision(self, applicability: FixSafety, *, startup: bool = False) -> Status:
        """What :meth:`report` makes of a fix of this kind in this run: ``fixed`` (applied),
        ``unsafe-fix`` (needs ``--unsafe-fixes``) or ``manual`` (withheld: no app is
        chosen and the fix changes how the repository starts). A rule whose fix is costly
        to build asks first."""
        if applicability is FixSafety.DISPLAY_ONLY or (startup and self.app_undecided):
            return Status.MANUAL
        if applicability is FixSafety.UNSAFE and not self.unsafe_fixes:
            return Status.UNSAFE_FIX
        return Status.FIXED

    @property
    def app_undecided(self) -> bool:
        """True when HF001 looked for the app and chose none.

        A rule then changes nothing about how the repository starts today (server starts,
        ``__main__`` blocks, Dockerfiles, run scripts, other folders' manifests): with no app
        in ``main.py`` that would leave a repository that starts nothing. Its findings say so
        with :meth:`kept_message`.
        """
        return self.facts.no_app

    def in_space(self, path: str) -> bool:
        """Whether the Space runs the module at ``path`` (it is in ``import main``'s import
        closure), or that is unknown (HF001 did not run or chose no app).

        Rules that change how code starts fix only these: elsewhere a dev script, a test or
        another service keeps working as it does.
        """
        if self.facts.app is not None and path in self.facts.entry_modules:
            return True  # main.py and the app's module: no need to compute the closure
        modules = self.session.analyses.repository(SPACE_MODULES)
        return modules is None or path in modules

    @staticmethod
    def kept_message(what: str) -> str:
        """The message of a finding whose fix is withheld because no app is chosen."""
        return (
            f"{what}: left as it is, because no app is chosen for the Space yet (see HF001) "
            "and this is how the repository starts today"
        )

    def where(self, path: str, line: int = 0) -> str:
        """``path:line`` as the user has it on disk, for a message that names a place."""
        found = self.positions.locate(path, line)
        return f"{found.path}:{found.line}" if found.line else found.path

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

    def analysis(self, analysis: FileAnalysis[_T], path: str) -> _T | None:
        """``analysis`` of ``path``'s current text, from the session's one cache
        (:mod:`hffix.analysis`); ``None`` if the file cannot be read."""
        return self.session.analyses.file(analysis, path)

    def syntax(self, path: str) -> SyntaxTree | None:
        """The ``ast`` of ``path``'s current text, parsed once for all rules (see
        :meth:`hffix.session.Session.syntax`); ``None`` if the file cannot be read."""
        return self.session.syntax(path)
