"""Imports that a removal leaves unused.

libcst's ``RemoveImportsVisitor`` drops the blank lines above an import it removes, which
merges import groups; rules here remove import statements themselves (through
:func:`hffix.python.edits.remove_statements`, which keeps detached lines) and use this
module only to decide *what* becomes unused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst import MetadataDependent
from libcst.metadata import CodeRange, PositionProvider, ScopeProvider

from hffix.python import edits

ImportStatement = cst.Import | cst.ImportFrom


@dataclass
class FreedImports:
    """Import statements to delete whole, and single aliases to drop from the others."""

    statements: list[cst.BaseSmallStatement] = field(default_factory=list)
    # id(statement) -> bound names to drop; the statements stay alive in the module.
    aliases: dict[int, set[str]] = field(default_factory=dict)


def _bound_name(alias: cst.ImportAlias) -> str:
    return alias.evaluated_alias or alias.evaluated_name


def _position(owner: MetadataDependent, node: cst.CSTNode) -> CodeRange:
    position: CodeRange = owner.get_metadata(PositionProvider, node)
    return position


def _within(inner: CodeRange, outer: CodeRange) -> bool:
    return (outer.start.line, outer.start.column) <= (inner.start.line, inner.start.column) and (
        inner.end.line,
        inner.end.column,
    ) <= (outer.end.line, outer.end.column)


def freed_imports(
    owner: MetadataDependent, module: cst.Module, removed: Sequence[cst.CSTNode]
) -> FreedImports:
    """Imports whose every use sits inside ``removed`` (imports that were already unused, or
    are used only by ``__all__``, are left alone). ``owner`` must depend on ScopeProvider and
    PositionProvider."""
    ranges = [_position(owner, node) for node in removed]

    def inside(node: cst.CSTNode) -> bool:
        position = _position(owner, node)
        return any(_within(position, outer) for outer in ranges)

    freed = FreedImports()
    for statement in m.findall(module, m.Import() | m.ImportFrom()):
        assert isinstance(statement, (cst.Import, cst.ImportFrom))
        if isinstance(statement.names, cst.ImportStar) or inside(statement):
            continue
        scope = owner.get_metadata(ScopeProvider, statement, None)
        if scope is None:
            continue
        dropped: set[str] = set()
        for alias in statement.names:
            name = _bound_name(alias)
            references = [
                reference
                for assignment in scope.assignments[name]
                if getattr(assignment, "node", None) is statement
                for reference in assignment.references
            ]
            if references and all(inside(reference.node) for reference in references):
                dropped.add(name)
        if len(dropped) == len(statement.names):
            freed.statements.append(statement)
        elif dropped:
            freed.aliases[id(statement)] = dropped
    return freed


def without_aliases(statement: ImportStatement, dropped: set[str]) -> ImportStatement:
    """``statement`` minus the aliases binding ``dropped`` names (never all of them)."""
    if isinstance(statement.names, cst.ImportStar):
        return statement
    kept = [alias for alias in statement.names if _bound_name(alias) not in dropped]
    if not kept or len(kept) == len(statement.names):
        return statement
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return statement.with_changes(names=kept)


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import_line(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body
    )


def ensure_module_import(module: cst.Module, name: str) -> cst.Module:
    """``module`` with a top-level ``import name``, placed as libcst's AddImportsVisitor
    places it (after the leading import block, or the docstring), without its extra passes
    over the whole tree: that visitor costs more than the rest of a small fix."""
    body = list(module.body)
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import) and any(
                    alias.asname is None and alias.evaluated_name == name for alias in small.names
                ):
                    return module
    index = 1 if body and _is_docstring(body[0]) else 0
    while index < len(body) and _is_import_line(body[index]):
        index += 1
    new = cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(cst.Name(name))])])
    if index < len(body):
        following = body[index]
        lines = list(edits.leading_lines(following))
        if not lines or lines[0].comment is not None:
            body[index] = following.with_changes(leading_lines=[cst.EmptyLine(), *lines])
    body.insert(index, new)
    return module.with_changes(body=body)
