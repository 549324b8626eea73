"""Small, reusable CST edits shared by the Python rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

    StatementT = cst.BaseStatement


def leading_lines(stmt: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    """The blank and comment lines above a statement."""
    import libcst as cst

    if isinstance(stmt, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return stmt.leading_lines
    return ()


def split_leading_lines(
    lines: Sequence[cst.EmptyLine],
) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """(detached, attached): comments right above a statement belong to it; lines up to
    the last blank line before them do not."""
    last_blank = -1
    for index, line in enumerate(lines):
        if line.comment is None:
            last_blank = index
    return list(lines[: last_blank + 1]), list(lines[last_blank + 1 :])


def strip_trailing_blank_lines(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    while lines and lines[-1].comment is None:
        lines.pop()
    return lines


def remove_statements(
    body: Sequence[StatementT], doomed: Callable[[StatementT], bool]
) -> tuple[list[StatementT], list[cst.EmptyLine]]:
    """Drop the statements ``doomed`` picks, keeping every comment that is not attached to them.

    Returns the new body and the lines that must go into the enclosing block's footer
    because no statement follows them.
    """
    kept: list[StatementT] = []
    pending: list[cst.EmptyLine] = []
    for stmt in body:
        if doomed(stmt):
            detached, _attached = split_leading_lines(leading_lines(stmt))
            pending.extend(detached)
            continue
        if pending:
            stmt = stmt.with_changes(leading_lines=[*pending, *leading_lines(stmt)])
            pending = []
        kept.append(stmt)
    return kept, strip_trailing_blank_lines(pending)


def remove_from_module(module: cst.Module, doomed: Callable[[StatementT], bool]) -> cst.Module:
    body, footer = remove_statements(module.body, doomed)
    return module.with_changes(body=body, footer=[*footer, *module.footer])


def remove_from_block(
    block: cst.IndentedBlock, doomed: Callable[[StatementT], bool]
) -> cst.IndentedBlock:
    body, footer = remove_statements(block.body, doomed)
    return block.with_changes(body=body, footer=[*footer, *block.footer])


def without_small_statements(
    line: cst.SimpleStatementLine | cst.SimpleStatementSuite,
    doomed: Callable[[int], bool],
) -> cst.SimpleStatementLine | cst.SimpleStatementSuite | None:
    """``line`` without the small statements whose index ``doomed`` picks.

    ``None`` when a statement line loses everything; a one-line suite (``if x: a()``) that
    loses everything gets ``pass``.
    """
    import libcst as cst

    kept = [s for i, s in enumerate(line.body) if not doomed(i)]
    if len(kept) == len(line.body):
        return line
    if not kept:
        if isinstance(line, cst.SimpleStatementLine):
            return None
        return line.with_changes(body=[cst.Pass()])
    last = kept[-1]
    kept[-1] = last.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=kept)


def tidy_module_start(before: cst.Module, after: cst.Module) -> cst.Module:
    """Drop blank lines a removal left at the top of a module that did not start with them
    (a module left with nothing but blank lines becomes empty)."""
    if not after.body:
        lines = [*after.header, *after.footer]
        if any(line.comment is not None for line in lines):
            return after
        return after.with_changes(header=[], footer=[], has_trailing_newline=False)
    if after.header:
        return after
    first = after.body[0]
    original = leading_lines(before.body[0]) if before.body else ()
    if original and original[0].comment is None:
        return after
    lines = list(leading_lines(first))
    while lines and lines[0].comment is None:
        lines.pop(0)
    if len(lines) == len(leading_lines(first)):
        return after
    return after.with_changes(body=[first.with_changes(leading_lines=lines), *after.body[1:]])


class LineDropper:
    """Statement lines a transformer empties, removed when their block is left.

    A transformer cannot return ``RemoveFromParent`` for a line without losing the comments
    above it, so it marks the emptied line here and calls :meth:`block` / :meth:`module` in
    ``leave_IndentedBlock`` / ``leave_Module``.
    """

    def __init__(self) -> None:
        self._lines: set[cst.CSTNode] = set()

    def mark(self, line: cst.CSTNode) -> None:
        self._lines.add(line)

    def marked(self, stmt: cst.BaseStatement) -> bool:
        return stmt in self._lines

    def block(self, block: cst.IndentedBlock) -> cst.IndentedBlock:
        return remove_from_block(block, self.marked)

    def module(self, module: cst.Module) -> cst.Module:
        return remove_from_module(module, self.marked)
