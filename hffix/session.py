"""The state the rules share during one repository's run: the workspace view, the
configuration, the facts rules hand on, and the analysis cache (:mod:`hffix.analysis`),
which holds one parse of each file's text (:data:`SYNTAX`, the ``ast`` every rule reads;
:data:`CST`, libcst, only for the modules a rule edits)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hffix.analysis import AnalysisCache, FileAnalysis
from hffix.config import Config
from hffix.facts import Facts
from hffix.findings import Diagnostic, Finding
from hffix.fixes import Delete, Fix, Rename, ReplaceModule, SetMode, Write
from hffix.repository.workspace import Unreadable, Workspace

if TYPE_CHECKING:  # libcst is imported when a module is first parsed with it (start-up)
    import libcst as cst

PYTHON_310 = (3, 10)
# The deepest ``ast`` a module may have to be parsed with libcst. libcst's native parser
# crashes the process (SIGSEGV) on a 10,000-term chain, and its visitors overflow the
# stack near depth 150 (nested calls); real modules stay far below this.
MAX_CST_DEPTH = 100


@dataclass(frozen=True)
class SyntaxTree:
    """A module's ``ast``, parsed once per text and shared by every rule that reads it."""

    tree: ast.Module | None  # None: the file does not parse at all
    error: SyntaxError | None  # why it does not parse with Python 3.10's grammar, if it does not
    # Python's own parser gave up (nesting or size), not a syntax error: no other parser
    # (libcst) may try it either.
    too_complex: bool = False


@dataclass
class Session:
    """The state shared by the rules during one repository's run."""

    workspace: Workspace
    config: Config
    facts: Facts = field(default_factory=Facts)
    findings: list[Finding] = field(default_factory=list)
    reported: set[Finding] = field(default_factory=set)  # ``findings``, to report each once
    diagnostics: dict[str, Diagnostic] = field(default_factory=dict)
    # The fixes applied to the view so far (a fix shared by several findings, once).
    applied: set[Fix] = field(default_factory=set)
    analyses: AnalysisCache = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.analyses = AnalysisCache(self)

    def diagnose(self, path: str, message: str) -> None:
        """Report once that ``path`` could not be used; a message that quotes the file
        (a syntax error's line) has every secret in it masked."""
        if path not in self.diagnostics:
            from hffix.secrets.redact import mask_text  # the classifier: only when needed

            self.diagnostics[path] = Diagnostic(path, mask_text(message))

    def text(self, path: str) -> str | None:
        """Current text of ``path``, or ``None`` (diagnosed once) when it cannot be read."""
        try:
            return self.workspace.text(path)
        except Unreadable as exc:
            self.diagnose(exc.path, exc.reason)
            return None

    def parse(self, path: str) -> cst.Module | None:
        """The libcst module of ``path``'s current text (:data:`CST`), or ``None``."""
        return self.analyses.file(CST, path)

    def syntax(self, path: str) -> SyntaxTree | None:
        """The ``ast`` of ``path``'s current text (:data:`SYNTAX`); ``None`` if it cannot be
        read."""
        return self.analyses.file(SYNTAX, path)

    def tree(self, path: str) -> ast.Module | None:
        """The ``ast`` module of ``path``; ``None`` if it cannot be read or parsed."""
        syntax = self.analyses.file(SYNTAX, path)
        return syntax.tree if syntax is not None else None

    def replace_module(self, path: str, module: cst.Module) -> None:
        """Inside a :meth:`Workspace.draft` (a rule planning a multi-file change): write a
        transformed module to the view, keeping its parse. Elsewhere rules report a Fix."""
        self.apply(Fix.safe(ReplaceModule(path, module)))

    def apply(self, fix: Fix) -> None:
        """Make ``fix``'s edits in the view, in order. Only the engine calls this
        (:meth:`hffix.rules.base.RuleContext.report`, once it decided to apply the fix)."""
        workspace = self.workspace
        for edit in fix.edits:
            if isinstance(edit, ReplaceModule):
                workspace.write(edit.path, edit.module.code)
                # The next rule that parses this text gets the module it was made from.
                self.analyses.seed(CST, edit.path, workspace.text(edit.path), edit.module)
            elif isinstance(edit, Write):
                workspace.write(edit.path, edit.text, fmt=edit.fmt)
            elif isinstance(edit, Delete):
                workspace.delete(edit.path)
            elif isinstance(edit, Rename):
                workspace.rename(edit.src, edit.dst)
            elif isinstance(edit, SetMode):
                workspace.set_mode(edit.path, edit.mode)


def ast_depth(tree: ast.AST, limit: int) -> int:
    """The depth of ``tree`` (a module is 1), counted without recursion; stops counting
    once it passes ``limit``."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _parse_ast(text: str, path: str) -> SyntaxTree:
    try:
        return SyntaxTree(ast.parse(text, path, feature_version=PYTHON_310), None)
    except SyntaxError as too_new:
        newer_error: SyntaxError = too_new
    except ValueError as exc:  # NUL bytes
        return SyntaxTree(None, SyntaxError(str(exc) or type(exc).__name__))
    except (RecursionError, MemoryError) as exc:  # absurd nesting or size
        return SyntaxTree(None, SyntaxError(str(exc) or type(exc).__name__), too_complex=True)
    try:
        return SyntaxTree(ast.parse(text, path), newer_error)
    except (RecursionError, MemoryError):
        return SyntaxTree(None, newer_error, too_complex=True)
    except (SyntaxError, ValueError):
        return SyntaxTree(None, newer_error)


def _parse_cst(session: Session, path: str, text: str) -> cst.Module | None:
    import libcst as cst

    syntax = session.syntax(path)
    if syntax is not None and (syntax.too_complex or syntax.tree is not None):
        deep = syntax.tree is None or ast_depth(syntax.tree, MAX_CST_DEPTH) > MAX_CST_DEPTH
        if deep:
            session.diagnose(
                path,
                f"nested more than {MAX_CST_DEPTH} levels deep: not edited (libcst "
                "cannot parse it safely); fix it by hand if a rule reports it",
            )
            return None
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        session.diagnose(path, f"cannot parse, skipped: {_syntax_error(text, exc)}")
    except RecursionError:
        session.diagnose(path, "cannot parse, skipped: nesting too deep")
    return None


# A module's ``ast``, parsed with Python 3.10's grammar first (``feature_version``), so
# HF010 learns what is too new from the same parse every other rule reads imports and
# names from.
SYNTAX: FileAnalysis[SyntaxTree] = FileAnalysis(
    "ast", lambda _session, path, text: _parse_ast(text, path)
)
# A file's lines (``str.splitlines``), for suppression comments.
LINES: FileAnalysis[list[str]] = FileAnalysis(
    "lines", lambda _session, _path, text: text.splitlines()
)
# A module's libcst tree: about ten times the cost of SYNTAX, so asked for only by a rule
# that edits the module or needs its exact positions. ``None`` (diagnosed) when libcst
# cannot parse it or may not try (nested deeper than MAX_CST_DEPTH).
CST: FileAnalysis[cst.Module | None] = FileAnalysis(
    "libcst", lambda session, path, text: _parse_cst(session, path, text)
)


def _syntax_error(text: str, exc: cst.ParserSyntaxError) -> str:
    """One line naming where and why ``text`` does not parse; Python's own words if it has some."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    except (ValueError, RecursionError, MemoryError):
        pass
    reason = exc.message.split(": expected one of")[0]
    return f"line {exc.raw_line}: {reason}"
