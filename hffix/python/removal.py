"""The base of the transformers that remove small statements (HF002's server starts,
HF005's secrets).

A module of its own because defining a libcst transformer imports libcst: the modules
that use it import it once a module is to be rewritten.
"""

from __future__ import annotations

from typing import TypeVar

import libcst as cst

from hffix.python import edits
from hffix.python.imports import FreedImports, ImportStatement, without_aliases

_ImportT = TypeVar("_ImportT", cst.Import, cst.ImportFrom)
_LineT = TypeVar("_LineT", cst.SimpleStatementLine, cst.SimpleStatementSuite)


class RemovesStatements(cst.CSTTransformer):
    """Base of the transformers that remove small statements.

    A subclass says which statements of a line go (:meth:`doomed`, asked with the original
    line) and sets :attr:`freed` to the imports the removal leaves unused. Lines emptied
    this way are dropped with the comments above them kept (:class:`~.edits.LineDropper`),
    a block left empty gets ``pass``, and the imports that stay lose their freed aliases.
    """

    def __init__(self) -> None:
        super().__init__()
        self.freed = FreedImports()
        self._dropper = edits.LineDropper()

    def doomed(self, line: cst.SimpleStatementLine | cst.SimpleStatementSuite) -> list[bool]:
        """For each small statement of ``line`` (an original node), whether it goes."""
        raise NotImplementedError

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        return self._strip(original_node, updated_node)

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        return self._strip(original_node, updated_node)

    def _strip(self, original: _LineT, updated: _LineT) -> _LineT:
        doomed = self.doomed(original)
        if not any(doomed):
            return updated
        result = edits.without_small_statements(updated, lambda i: doomed[i])
        if result is None:
            self._dropper.mark(updated)
            return updated
        assert isinstance(result, type(updated))
        return result

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        block = self._dropper.block(updated_node)
        if not block.body:
            return block.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return block

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return self._dropper.module(updated_node)

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        return self._trimmed(original_node, updated_node)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        return self._trimmed(original_node, updated_node)

    def _trimmed(self, original: ImportStatement, updated: _ImportT) -> _ImportT:
        dropped = self.freed.aliases.get(original)
        result = without_aliases(updated, dropped) if dropped else updated
        assert isinstance(result, type(updated))
        return result
