"""The code-generation state behind :class:`hffix.python.positions.Positions`.

A module of its own because defining the class imports libcst: the rules import
:mod:`hffix.python.positions` when they load, this module only once a position is asked for.

:class:`CountingState` subclasses libcst's ``CodegenState``, an internal class; it is
``None`` when a libcst release no longer has that class (``Positions`` then falls back to
``PositionProvider``: slower, same answers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst

from hffix.python.positions import Span

_NEWLINE = re.compile(r"\r\n?|\n")

try:
    from libcst._nodes.internal import CodegenState as _CodegenState
except ImportError:  # pragma: no cover - a libcst without the internal class
    _CodegenState = None  # type: ignore[assignment,misc]

CountingState: type[_CountingState] | None = None

if _CodegenState is not None:

    @dataclass
    class _CountingState(_CodegenState):
        spans: dict[cst.CSTNode, Span] = field(default_factory=dict)
        line: int = 1
        column: int = 0
        starts: list[tuple[int, int]] = field(default_factory=list)

        def before_codegen(self, node: cst.CSTNode) -> None:
            self.starts.append((self.line, self.column))

        def after_codegen(self, node: cst.CSTNode) -> None:
            # Nodes with no syntactic range get the whitespace-inclusive one, as in libcst.
            start = self.starts.pop()
            if node not in self.spans:
                self.spans[node] = (*start, self.line, self.column)

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
                if start_node is not None and start_node in spans:
                    start = spans[start_node][:2]
                end = (self.line, self.column)
                if end_node is not None and end_node in spans:
                    end = spans[end_node][2:]
                spans[node] = (*start, *end)

    CountingState = _CountingState
