"""What a dotted name refers to, from a module's import statements alone.

A cheap stand-in for libcst's ``QualifiedNameProvider``, whose scope analysis costs ten
times a module's parse; HF002, HF003, HF004 and HF005 all resolve names with it.
``import os`` / ``from os import environ`` / ``from pydantic_settings import BaseSettings
as Base`` map local names to what they import, and a ``Name`` or ``a.b.c`` attribute
chain resolves through that map. Shadowing by a later assignment is not tracked; an
unknown head resolves to the dotted text itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import QualifiedName


def walk_statements(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every statement (compound and small) below ``node``, without entering expressions:
    much cheaper than a full tree visit for finding imports and classes."""
    import libcst as cst

    if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        yield from node.body
        return
    children: list[cst.CSTNode] = []
    if isinstance(node, (cst.Module, cst.IndentedBlock)):
        children = list(node.body)
    elif isinstance(node, (cst.BaseCompoundStatement, cst.Else, cst.ExceptHandler, cst.Finally)):
        body = getattr(node, "body", None)
        children = [body] if isinstance(body, cst.CSTNode) else []
        for name in ("orelse", "handlers", "finalbody", "cases"):
            part = getattr(node, name, None)
            if isinstance(part, (list, tuple)):
                children.extend(part)
            elif isinstance(part, cst.CSTNode):
                children.append(part)
    elif isinstance(node, (cst.ExceptStarHandler, cst.MatchCase)):
        children = [node.body]
    for child in children:
        if isinstance(child, (cst.BaseCompoundStatement, cst.SimpleStatementLine)):
            yield child
        yield from walk_statements(child)


class ImportMap:
    """Callable as a :data:`~hffix.python.servers.NameResolver`."""

    def __init__(self, module: cst.Module) -> None:
        import libcst as cst
        from libcst.helpers import get_full_name_for_node

        self.aliases: dict[str, str] = {}
        for node in walk_statements(module):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    full = get_full_name_for_node(alias.name)
                    if full is None:
                        continue
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        self.aliases[alias.asname.name.value] = full
                    else:
                        head = full.split(".")[0]
                        self.aliases.setdefault(head, head)
            elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
                base = get_full_name_for_node(node.module) if node.module is not None else ""
                dots = "." * len(node.relative)
                for alias in node.names:
                    name = get_full_name_for_node(alias.name)
                    if name is None:
                        continue
                    local = name
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        local = alias.asname.name.value
                    self.aliases[local] = f"{dots}{base}.{name}" if base else f"{dots}{name}"

    def __call__(self, node: cst.CSTNode) -> set[QualifiedName]:
        import libcst as cst
        from libcst.helpers import get_full_name_for_node
        from libcst.metadata import QualifiedName, QualifiedNameSource

        dotted = (
            get_full_name_for_node(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
        )
        if dotted is None:
            return set()
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            target = self.aliases[head] + (f".{rest}" if rest else "")
            return {QualifiedName(target, QualifiedNameSource.IMPORT)}
        return {QualifiedName(dotted, QualifiedNameSource.LOCAL)}
