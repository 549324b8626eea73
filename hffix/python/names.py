"""Where each plain name is used in a module, by enclosing small statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import TypeVar

import libcst as cst


class NameUses(cst.CSTVisitor):
    """Records, for every identifier, the small statements it appears in.

    Attribute names (``x.name``) and keyword-argument names (``f(name=1)``) are not uses of
    ``name``. A use outside any small statement (a decorator, an ``if`` test, a ``def``
    header) is recorded with owner ``None``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.uses: dict[str, list[cst.BaseSmallStatement | None]] = defaultdict(list)
        self._owners: list[cst.BaseSmallStatement] = []
        self._not_names: set[int] = set()
        self._pending: cst.CSTNode | None = None

    @classmethod
    def of(cls, node: cst.CSTNode) -> NameUses:
        visitor = cls()
        node.visit(visitor)
        return visitor

    @classmethod
    def deferred(cls, node: cst.CSTNode) -> NameUses:
        """Like :meth:`of`, but ``node`` is only walked when a question is first asked."""
        visitor = cls()
        visitor._pending = node
        return visitor

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseSmallStatement):
            self._owners.append(node)
        elif isinstance(node, cst.Attribute):
            self._not_names.add(id(node.attr))
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            self._not_names.add(id(node.keyword))
        elif isinstance(node, cst.Name) and id(node) not in self._not_names:
            self.uses[node.value].append(self._owners[-1] if self._owners else None)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, cst.BaseSmallStatement):
            self._owners.pop()

    def only_within(self, name: str, statements: Collection[cst.BaseSmallStatement]) -> bool:
        """True when every use of ``name`` sits in one of ``statements`` (compared by identity)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.visit(self)
        ids = {id(s) for s in statements}
        return all(owner is not None and id(owner) in ids for owner in self.uses.get(name, ()))


def assigned_names(stmt: cst.BaseSmallStatement) -> list[str]:
    """Plain names bound by an assignment statement (``a = b = 1``, ``a: int = 1``, ``a += 1``)."""
    targets: list[cst.BaseExpression] = []
    if isinstance(stmt, cst.Assign):
        targets = [t.target for t in stmt.targets]
    elif isinstance(stmt, (cst.AnnAssign, cst.AugAssign)):
        targets = [stmt.target]
    names: list[str] = []
    for target in targets:
        if isinstance(target, cst.Name):
            names.append(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            names.extend(e.value.value for e in target.elements if isinstance(e.value, cst.Name))
    return names


class _SmallStatements(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.BaseSmallStatement] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseSmallStatement):
            self.found.append(node)
        return True


def small_statements(node: cst.CSTNode) -> list[cst.BaseSmallStatement]:
    """Every small statement inside ``node`` (itself included), in source order."""
    visitor = _SmallStatements()
    node.visit(visitor)
    return visitor.found


_NodeT = TypeVar("_NodeT", bound=cst.CSTNode)


class _Finder(cst.CSTVisitor):
    def __init__(self, kinds: type[cst.CSTNode] | tuple[type[cst.CSTNode], ...]) -> None:
        super().__init__()
        self.kinds = kinds
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kinds):
            self.found.append(node)
        return True


def find_all(node: cst.CSTNode, kinds: type[_NodeT] | tuple[type[_NodeT], ...]) -> list[_NodeT]:
    """Every node of the given types inside ``node`` (itself included), in source order: what
    ``libcst.matchers.findall`` does for a type match, without the matchers' import cost."""
    finder = _Finder(kinds)
    node.visit(finder)
    return finder.found  # type: ignore[return-value]
