"""Where each plain name is used in a module, by enclosing small statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING, TypeVar, cast

from hffix.python.walk import iter_nodes, of_types

if TYPE_CHECKING:
    import libcst as cst


class NameUses:
    """Records, for every identifier, the small statements it appears in.

    Attribute names (``x.name``) and keyword-argument names (``f(name=1)``) are not uses of
    ``name``. A use outside any small statement (a decorator, an ``if`` test, a ``def``
    header) is recorded with owner ``None``.
    """

    def __init__(self) -> None:
        self.uses: dict[str, list[cst.BaseSmallStatement | None]] = defaultdict(list)
        self._pending: cst.CSTNode | None = None

    @classmethod
    def of(cls, node: cst.CSTNode) -> NameUses:
        uses = cls()
        uses._record(node)
        return uses

    @classmethod
    def deferred(cls, node: cst.CSTNode) -> NameUses:
        """Like :meth:`of`, but ``node`` is only walked when a question is first asked."""
        uses = cls()
        uses._pending = node
        return uses

    def _record(self, node: cst.CSTNode) -> None:
        import libcst as cst

        outside: set[cst.CSTNode] = set()
        for found in iter_nodes(node, prune=_is_small_statement):
            if isinstance(found, cst.BaseSmallStatement):  # holds no statement: walk it whole
                inside: set[cst.CSTNode] = set()
                for name in iter_nodes(found):
                    if _is_read(name, inside):
                        self.uses[cast("cst.Name", name).value].append(found)
            elif _is_read(found, outside):
                self.uses[cast("cst.Name", found).value].append(None)

    def only_within(self, name: str, statements: Collection[cst.BaseSmallStatement]) -> bool:
        """True when every use of ``name`` sits in one of ``statements`` (compared by identity)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._record(pending)
        within = set(statements)
        return all(owner is not None and owner in within for owner in self.uses.get(name, ()))


def _is_small_statement(node: cst.CSTNode) -> bool:
    import libcst as cst

    return isinstance(node, cst.BaseSmallStatement)


def _is_read(node: cst.CSTNode, labels: set[cst.CSTNode]) -> bool:
    """Whether ``node`` is a name being used. Call in walk order: remembers in ``labels`` the
    names that only label something (``x.attr``'s attr, ``f(key=1)``'s key)."""
    import libcst as cst

    kind = type(node)  # libcst's leaf classes are final: cheaper than isinstance (an ABC check)
    if kind is cst.Name:
        return node not in labels
    if kind is cst.Attribute:
        labels.add(cast(cst.Attribute, node).attr)
    elif kind is cst.Arg and (keyword := cast(cst.Arg, node).keyword) is not None:
        labels.add(keyword)
    return False


def assigned_names(stmt: cst.BaseSmallStatement) -> list[str]:
    """Plain names bound by an assignment statement (``a = b = 1``, ``a: int = 1``, ``a += 1``)."""
    import libcst as cst

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


def small_statements(node: cst.CSTNode) -> list[cst.BaseSmallStatement]:
    """Every small statement inside ``node`` (itself included), in source order."""
    import libcst as cst

    return find_all(node, cst.BaseSmallStatement)


_NodeT = TypeVar("_NodeT", bound="cst.CSTNode")


def find_all(node: cst.CSTNode, kinds: type[_NodeT] | tuple[type[_NodeT], ...]) -> list[_NodeT]:
    """Every node of the given types inside ``node`` (itself included), in source order: what
    ``libcst.matchers.findall`` does for a type match, at the price of a fast walk."""
    return list(of_types(node, kinds))  # type: ignore[arg-type]
