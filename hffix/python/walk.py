"""A fast read-only walk over a libcst tree.

``node.visit(visitor)`` rebuilds every node it passes (libcst's visitors and transformers
share one traversal), which makes a read-only visit cost about as much as a transform. The
rules search trees many times per module, so :func:`iter_nodes` walks the dataclass fields
directly instead: about four times faster on a typical module.

Whitespace, comments and punctuation (``lpar``, ``comma``, ``whitespace_*``,
``leading_lines``...) are not entered: nothing here searches for them. Children come in
source order (the fields of a few node types are declared in another order).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

_SKIPPED_PREFIXES = ("whitespace", "leading_lines", "lines_after_decorators", "lpar", "rpar")
_SKIPPED = frozenset({"comma", "semicolon", "header", "footer"})
# Fields whose declaration order is not the order of the source text (by class name: the
# classes are libcst's, which is imported only once a module needs its concrete syntax tree).
_SOURCE_ORDER: dict[str, tuple[str, ...]] = {
    "FunctionDef": ("decorators", "name", "type_parameters", "params", "returns", "body"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "IfExp": ("body", "test", "orelse"),
    "Arg": ("star", "keyword", "value"),
    "ExceptHandler": ("type", "name", "body"),
    "ExceptStarHandler": ("type", "name", "body"),
    "Parameters": ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
}
_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
# isinstance(x, cst.CSTNode) goes through ABCMeta.__instancecheck__ each time: answer it
# once per type instead.
_IS_NODE: dict[type, bool] = {}


def is_node(value: object) -> bool:
    kind = type(value)
    known = _IS_NODE.get(kind)
    if known is None:
        import libcst as cst

        known = _IS_NODE[kind] = isinstance(value, cst.CSTNode)
    return known


def _fields(kind: type[cst.CSTNode]) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        declared = [
            f.name
            for f in dataclasses.fields(kind)
            if not f.name.startswith(_SKIPPED_PREFIXES) and f.name not in _SKIPPED
        ]
        order = _SOURCE_ORDER.get(kind.__name__, ())
        ordered = [n for n in order if n in declared] + [n for n in declared if n not in order]
        names = _FIELDS[kind] = tuple(ordered)
    return names


def iter_nodes(
    node: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None
) -> Iterator[cst.CSTNode]:
    """``node`` and every node below it, parents before children, in source order.

    ``prune(n)`` true: ``n`` is yielded but nothing below it."""
    stack: list[cst.CSTNode] = [node]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        current = pop()
        yield current
        if prune is not None and prune(current):
            continue
        children: list[cst.CSTNode] = []
        for name in _fields(type(current)):
            value = getattr(current, name)
            if is_node(value):
                children.append(value)
            elif type(value) is list or type(value) is tuple:
                children.extend(v for v in value if is_node(v))
        if len(children) == 1:
            push(children[0])
        elif children:
            children.reverse()
            extend(children)


def iter_with_parents(
    node: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None
) -> Iterator[tuple[cst.CSTNode, cst.CSTNode | None]]:
    """:func:`iter_nodes`, each node with its parent (``None`` for ``node`` itself)."""
    stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [(node, None)]
    while stack:
        current, parent = stack.pop()
        yield current, parent
        if prune is not None and prune(current):
            continue
        children: list[tuple[cst.CSTNode, cst.CSTNode | None]] = []
        for name in _fields(type(current)):
            value = getattr(current, name)
            if is_node(value):
                children.append((value, current))
            elif type(value) is list or type(value) is tuple:
                children.extend((v, current) for v in value if is_node(v))
        children.reverse()
        stack.extend(children)


def of_types(
    node: cst.CSTNode, kinds: type[cst.CSTNode] | tuple[type[cst.CSTNode], ...]
) -> Iterator[cst.CSTNode]:
    """The nodes of :func:`iter_nodes` that are instances of ``kinds`` (the type test runs
    once per node type: libcst's classes make every isinstance call a slow ABC check)."""
    verdicts: dict[type, bool] = {}
    for found in iter_nodes(node):
        kind = type(found)
        verdict = verdicts.get(kind)
        if verdict is None:
            verdict = verdicts[kind] = isinstance(found, kinds)
        if verdict:
            yield found
