"""Imports that a removal leaves unused.

libcst's ``RemoveImportsVisitor`` drops the blank lines above an import it removes, which
merges import groups; rules here remove import statements themselves (through
:func:`hffix.python.edits.remove_statements`, which keeps detached lines) and use this
module only to decide *what* becomes unused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, cast

from hffix.python import edits
from hffix.python.names import find_all
from hffix.python.walk import iter_nodes

if TYPE_CHECKING:
    import libcst as cst


ImportStatement: TypeAlias = "cst.Import | cst.ImportFrom"


@dataclass
class FreedImports:
    """Import statements to delete whole, and single aliases to drop from the others."""

    statements: list[cst.BaseSmallStatement] = field(default_factory=list)
    # statement -> bound names to drop; the statements stay alive in the module.
    aliases: dict[cst.CSTNode, set[str]] = field(default_factory=dict)


def _bound_name(alias: cst.ImportAlias) -> str:
    return alias.evaluated_alias or alias.evaluated_name


def _bound_head(alias: cst.ImportAlias) -> str:
    """The name code reads to use the import (``a`` for ``import a.b``)."""
    return _bound_name(alias).split(".")[0]


@dataclass
class _NameReads:
    """The reads of a module's names, seen from its imports outside the removed nodes.

    A read inside the removed nodes counts for the imports of that name above it (the ones
    that may have bound it when it ran, as libcst's scope analysis has it); a read anywhere
    else counts for every import of the name. Outside the removed nodes, the strings of
    annotations and of ``__all__`` count as reads too.
    """

    outside: set[str] = field(default_factory=set)  # names read outside the removed nodes
    imports: list[ImportStatement] = field(default_factory=list)  # outside the removed nodes
    # (id of an import, name it binds) for each binding a read inside the removed nodes used
    read_inside: set[tuple[cst.CSTNode, str]] = field(default_factory=set)
    strings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, module: cst.Module, removed: Sequence[cst.CSTNode]) -> _NameReads:
        import libcst as cst

        quoting = (cst.Annotation, cst.Assign, cst.AugAssign, cst.AnnAssign)
        reads = cls()
        gone = {n for node in removed for n in iter_nodes(node)}
        above: dict[str, list[tuple[cst.CSTNode, str]]] = {}  # name -> the imports met so far
        labels: set[cst.CSTNode] = set()  # names that only label: `x.attr`'s attr, `f(key=1)`'s key
        imports = (cst.Import, cst.ImportFrom)
        for node in iter_nodes(module, prune=lambda n: type(n) in imports):
            kind = type(node)  # libcst's leaf classes are final: no isinstance (an ABC check)
            if kind in imports:  # the names it binds are not reads
                statement = cast("ImportStatement", node)
                if node not in gone and not isinstance(statement.names, cst.ImportStar):
                    reads.imports.append(statement)
                    for alias in statement.names:
                        name = _bound_head(alias)
                        above.setdefault(name, []).append((node, name))
            elif kind is cst.Name:
                if node not in labels:
                    value = cast("cst.Name", node).value
                    if node in gone:
                        reads.read_inside.update(above.get(value, ()))
                    else:
                        reads.outside.add(value)
            elif kind is cst.Attribute:
                labels.add(cast("cst.Attribute", node).attr)
            elif kind is cst.Arg and (keyword := cast("cst.Arg", node).keyword) is not None:
                labels.add(keyword)
            elif kind in quoting and _quotes_names(node) and node not in gone:
                found = find_all(node, cst.SimpleString)
                reads.strings.extend(s.value for s in found if s not in gone)
        return reads


def _quotes_names(node: cst.CSTNode) -> bool:
    """An annotation, or an assignment to ``__all__``: where a string names a binding."""
    import libcst as cst

    if isinstance(node, cst.Annotation):
        return True
    if isinstance(node, cst.Assign):
        return any(
            isinstance(t.target, cst.Name) and t.target.value == "__all__" for t in node.targets
        )
    if isinstance(node, (cst.AugAssign, cst.AnnAssign)):
        return isinstance(node.target, cst.Name) and node.target.value == "__all__"
    return False


def freed_imports(
    module: cst.Module,
    removed: Sequence[cst.CSTNode],
    only: Callable[[str], bool] | None = None,
) -> FreedImports:
    """Imports whose every use sits inside ``removed`` (imports that were already unused, or
    are used only by ``__all__`` or a string annotation, are left alone).

    Names are matched by spelling, not scope: a name also read outside ``removed`` (even a
    local of the same name) keeps its import, so the answer errs on keeping an import.
    ``only``, when given, is asked about the imported module's dotted name (``uvicorn``
    for ``from uvicorn import run``): an import it refuses is never freed. Removing a
    server start frees only the server package's imports; ``from shop.api import app`` in
    main.py is a re-export even when its only reader was the removed block.
    """
    import libcst as cst

    reads = _NameReads.of(module, removed)
    words = set(re.findall(r"[A-Za-z_]\w*", " ".join(reads.strings)))
    freed = FreedImports()
    for statement in reads.imports:
        assert not isinstance(statement.names, cst.ImportStar)
        dropped: set[str] = set()
        for alias in statement.names:
            if only is not None and not only(_imported_module(statement, alias)):
                continue
            name = _bound_head(alias)
            if (statement, name) not in reads.read_inside:
                continue  # nothing removed read it: already unused, or read elsewhere only
            if name not in reads.outside and name not in words:
                dropped.add(_bound_name(alias))
        if len(dropped) == len(statement.names):
            freed.statements.append(statement)
        elif dropped:
            freed.aliases[statement] = dropped
    return freed


def _imported_module(statement: ImportStatement, alias: cst.ImportAlias) -> str:
    """The module an alias imports from: ``a.b`` for ``import a.b``, ``x`` for ``from x
    import y``; a relative import gives its dots (``.x``), which names no installed package."""
    import libcst as cst

    if isinstance(statement, cst.Import):
        return alias.evaluated_name
    dots = "." * len(statement.relative)
    module = statement.module
    name = cst.helpers.get_full_name_for_node(module) if module is not None else ""
    return f"{dots}{name}"


def without_aliases(statement: ImportStatement, dropped: set[str]) -> ImportStatement:
    """``statement`` minus the aliases binding ``dropped`` names (never all of them)."""
    import libcst as cst

    if isinstance(statement.names, cst.ImportStar):
        return statement
    kept = [alias for alias in statement.names if _bound_name(alias) not in dropped]
    if not kept or len(kept) == len(statement.names):
        return statement
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return statement.with_changes(names=kept)


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    import libcst as cst

    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import_line(stmt: cst.BaseStatement) -> bool:
    import libcst as cst

    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body
    )


def ensure_module_import(module: cst.Module, name: str) -> cst.Module:
    """``module`` with a top-level ``import name``, placed as libcst's AddImportsVisitor
    places it (after the leading import block, or the docstring), without its extra passes
    over the whole tree: that visitor costs more than the rest of a small fix."""
    import libcst as cst

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
