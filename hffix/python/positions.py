"""Line and column of libcst nodes, for findings, at the price of one code generation.

libcst's ``PositionProvider`` wraps the module in a ``MetadataWrapper`` (a deep copy unless
told otherwise) and builds a ``CodeRange`` for every node: on a module the size of a typical
``main.py`` that costs several times the parse. Rules here need the positions of a handful
of nodes, so :class:`Positions` runs libcst's code generation once with a state that only
counts lines and columns and records plain tuples through the same hooks
``PositionProvider`` uses (``record_syntactic_position``, and the whitespace-inclusive range
for nodes without a syntactic one), so the answers are the same.

The state (:mod:`hffix.python.spans`, imported with libcst on the first question)
subclasses libcst's ``CodegenState``, an internal class; if a libcst release changes it,
:class:`Positions` falls back to ``PositionProvider`` (slower, same answers).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import CodeRange

Span = tuple[int, int, int, int]  # start line, start column, end line, end column


class Positions:
    """Positions of the nodes of one module (the module object itself, not a copy)."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module  # keeps every node, so ids stay unique
        self._spans: dict[cst.CSTNode, Span] | None = None
        self._ranges: dict[cst.CSTNode, CodeRange] | None = None

    def _compute(self) -> None:
        from libcst.metadata import MetadataWrapper, PositionProvider

        from hffix.python.spans import CountingState

        module = self._module
        if CountingState is not None:
            try:
                state = CountingState(
                    default_indent=module.default_indent, default_newline=module.default_newline
                )
                module._codegen(state)
                self._spans = state.spans
                return
            except (AttributeError, TypeError):  # pragma: no cover - libcst internals moved
                pass
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self._ranges = dict(wrapper.resolve(PositionProvider))

    @property
    def computed(self) -> bool:
        """Whether the code generation has run (it runs on the first question)."""
        return self._spans is not None or self._ranges is not None

    def range(self, node: cst.CSTNode) -> CodeRange:
        """Where ``node`` starts and ends, as ``PositionProvider`` reports it."""
        from libcst.metadata import CodePosition, CodeRange

        if not self.computed:
            self._compute()
        if self._spans is not None:
            line, column, end_line, end_column = self._spans[node]
            return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))
        assert self._ranges is not None
        return self._ranges[node]

    def line(self, node: cst.CSTNode) -> int:
        return self.range(node).start.line


def top_level_lines(module: cst.Module, tree: ast.Module) -> dict[cst.CSTNode, int] | None:
    """The line of each module-level statement of ``module`` (by ``id``), read from ``tree``,
    the ``ast`` of the same text: a line of ``a; b`` is two ``ast`` statements, any other
    statement one. ``None`` when the two do not line up."""
    import libcst as cst

    lines: dict[cst.CSTNode, int] = {}
    body = tree.body
    index = 0
    for stmt in module.body:
        if index >= len(body):
            return None
        lines[stmt] = body[index].lineno
        index += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
    return lines if index == len(body) else None
