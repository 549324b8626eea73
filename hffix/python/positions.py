"""Line and column of libcst nodes, for findings, at the price of one code generation.

libcst's ``PositionProvider`` wraps the module in a ``MetadataWrapper`` (a deep copy unless
told otherwise) and builds a ``CodeRange`` for every node: on a module the size of a typical
``main.py`` that costs several times the parse. Rules here need the positions of a handful
of nodes, so :class:`Positions` runs libcst's code generation once with a state that only
counts lines and columns and records plain tuples through the same hooks
``PositionProvider`` uses (``record_syntactic_position``, and the whitespace-inclusive range
for nodes without a syntactic one), so the answers are the same.

The state subclasses libcst's ``CodegenState``, an internal class; if a libcst release
changes it, :class:`Positions` falls back to ``PositionProvider`` (slower, same answers).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

_NEWLINE = re.compile(r"\r\n?|\n")

try:
    from libcst._nodes.internal import CodegenState as _CodegenState
except ImportError:  # pragma: no cover - a libcst without the internal class
    _CodegenState = None  # type: ignore[assignment,misc]


Span = tuple[int, int, int, int]  # start line, start column, end line, end column


if _CodegenState is not None:

    @dataclass
    class _CountingState(_CodegenState):
        spans: dict[int, Span] = field(default_factory=dict)
        line: int = 1
        column: int = 0
        starts: list[tuple[int, int]] = field(default_factory=list)

        def before_codegen(self, node: cst.CSTNode) -> None:
            self.starts.append((self.line, self.column))

        def after_codegen(self, node: cst.CSTNode) -> None:
            # Nodes with no syntactic range get the whitespace-inclusive one, as in libcst.
            start = self.starts.pop()
            if id(node) not in self.spans:
                self.spans[id(node)] = (*start, self.line, self.column)

        def add_indent_tokens(self) -> None:
            for token in self.indent_tokens:
                self.add_token(token)

        def add_token(self, value: str) -> None:
            self.tokens.append(value)
            if "\n" in value or "\r" in value:
                segments = _NEWLINE.split(value)
                self.line += len(segments) - 1
                self.column = len(segments[-1])
            else:
                self.column += len(value)

        @contextmanager
        def record_syntactic_position(
            self,
            node: cst.CSTNode,
            *,
            start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None,
        ) -> Iterator[None]:
            start = (self.line, self.column)
            try:
                yield
            finally:
                spans = self.spans
                if start_node is not None and id(start_node) in spans:
                    start = spans[id(start_node)][:2]
                end = (self.line, self.column)
                if end_node is not None and id(end_node) in spans:
                    end = spans[id(end_node)][2:]
                spans[id(node)] = (*start, *end)


class Positions:
    """Positions of the nodes of one module (the module object itself, not a copy)."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module  # keeps every node, so ids stay unique
        self._spans: dict[int, Span] | None = None
        self._ranges: dict[cst.CSTNode, CodeRange] | None = None

    def _compute(self) -> None:
        module = self._module
        if _CodegenState is not None:
            try:
                state = _CountingState(
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
        if not self.computed:
            self._compute()
        if self._spans is not None:
            line, column, end_line, end_column = self._spans[id(node)]
            return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))
        assert self._ranges is not None
        return self._ranges[node]

    def line(self, node: cst.CSTNode) -> int:
        return self.range(node).start.line


def top_level_lines(module: cst.Module, tree: ast.Module) -> dict[int, int] | None:
    """The line of each module-level statement of ``module`` (by ``id``), read from ``tree``,
    the ``ast`` of the same text: a line of ``a; b`` is two ``ast`` statements, any other
    statement one. ``None`` when the two do not line up."""
    lines: dict[int, int] = {}
    body = tree.body
    index = 0
    for stmt in module.body:
        if index >= len(body):
            return None
        lines[id(stmt)] = body[index].lineno
        index += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
    return lines if index == len(body) else None
