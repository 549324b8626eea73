"""The libcst transformer behind :func:`hffix.secrets.rewrite.rewrite`: a module of its own,
imported (with libcst) only once a module has a fix to apply."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import TypeVar

import libcst as cst

from hffix.python.imports import FreedImports
from hffix.python.positions import Positions
from hffix.python.removal import RemovesStatements
from hffix.secrets.pysource import Fix, NodeKey, node_key
from hffix.secrets.rewrite import Action

_ExprT = TypeVar("_ExprT", bound=cst.BaseExpression)
_NEEDS_OS = frozenset({Fix.REPLACE, Fix.REPLACE_IN_CONCAT, Fix.EMBED})


def env_get(variable: str, quote: str = '"', *, empty_default: bool = False) -> cst.Call:
    """``os.environ.get("NAME")`` (with ``""`` as default inside a ``+`` chain)."""
    default = f", {quote}{quote}" if empty_default else ""
    call = cst.parse_expression(f"os.environ.get({quote}{variable}{quote}{default})")
    assert isinstance(call, cst.Call)
    return call


def _with_parens(new: _ExprT, old: cst.BaseExpression) -> _ExprT:
    if not old.lpar:
        return new
    return new.with_changes(lpar=[*old.lpar, *new.lpar], rpar=[*new.rpar, *old.rpar])


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _opposite(quote: str) -> str:
    return "'" if '"' in quote else '"'


def _split(
    text: str, actions: Sequence[Action], quote: str, escape: bool
) -> list[cst.BaseFormattedStringContent]:
    """``text`` as f-string parts, each action's secret replaced by a variable read."""
    for action in actions:
        index = text.find(action.raw_secret) if action.raw_secret else -1
        if index < 0:
            continue
        before = text[:index]
        after = text[index + len(action.raw_secret) :]
        parts: list[cst.BaseFormattedStringContent] = []
        if before:
            parts.extend(_split(before, actions, quote, escape))
        parts.append(cst.FormattedStringExpression(expression=env_get(action.variable, quote)))
        if after:
            parts.extend(_split(after, actions, quote, escape))
        return parts
    return [cst.FormattedStringText(_escape_braces(text) if escape else text)]


def _remove_arg(call: cst.Call, index: int) -> cst.Call:
    args = list(call.args)
    removed = args.pop(index)
    if index == len(args) and args:
        args[-1] = args[-1].with_changes(comma=removed.comma)
    return call.with_changes(args=args)


def _default_index(call: cst.Call) -> int | None:
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == "default":
            return index
    if call.args and call.args[0].keyword is None and not call.args[0].star:
        return 0
    return None


class Rewriter(RemovesStatements):
    """Applies the planned fixes to the module ``positions`` belongs to (visit that one)."""

    def __init__(
        self,
        positions: Positions,
        strings: Mapping[NodeKey, Sequence[Action]],
        targets: Mapping[NodeKey, Action],
        freed: FreedImports,
    ) -> None:
        super().__init__()
        self.positions = positions
        self.freed = freed  # imports that only the removed statements used
        self._freed_ids = {id(s) for s in freed.statements}
        self.strings = strings
        self.targets = targets
        self.applied: set[NodeKey] = set()  # keys of the nodes a fix was applied to
        self.needs_os = False  # a fix reads os.environ
        # Lines the planned nodes span: statements elsewhere are passed over whole (unless
        # imports are freed too: those sit anywhere, so then every statement is visited).
        self._lines: list[int] | None = None
        if not freed.statements and not freed.aliases:
            spans = (range(key[1], key[3] + 1) for key in (*strings, *targets))
            self._lines = sorted({line for span in spans for line in span})

    def _key(self, node: cst.CSTNode) -> NodeKey:
        return node_key(node, self.positions.range(node))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self._lines is not None and isinstance(node, cst.BaseStatement):
            where = self.positions.range(node)
            index = bisect.bisect_left(self._lines, where.start.line)
            if index == len(self._lines) or self._lines[index] > where.end.line:
                return False  # nothing planned inside: no need to rebuild it
        return super().on_visit(node)

    def _used(self, key: NodeKey, action: Action) -> None:
        self.applied.add(key)
        if action.fix in _NEEDS_OS:
            self.needs_os = True

    # ------------------------------------------------------------ strings
    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        key = self._key(original_node)
        actions = self.strings.get(key, ())
        if not actions:
            return updated_node
        action = actions[0]
        if action.fix in (Fix.REPLACE, Fix.REPLACE_IN_CONCAT):
            self._used(key, action)
            call = env_get(
                action.variable, action.quote, empty_default=action.fix is Fix.REPLACE_IN_CONCAT
            )
            return _with_parens(call, updated_node)
        if action.fix is Fix.EMBED:
            prefix = updated_node.prefix.lower()
            if "b" in prefix:
                return updated_node
            quote = updated_node.quote
            parts = _split(updated_node.raw_value, actions, _opposite(quote), escape=True)
            for used in actions:
                self._used(key, used)
            start = ("r" if "r" in prefix else "") + "f" + quote
            return cst.FormattedString(
                parts=parts, start=start, end=quote, lpar=updated_node.lpar, rpar=updated_node.rpar
            )
        return updated_node

    def leave_ConcatenatedString(
        self, original_node: cst.ConcatenatedString, updated_node: cst.ConcatenatedString
    ) -> cst.BaseExpression:
        key = self._key(original_node)
        actions = self.strings.get(key, ())
        if actions and actions[0].fix is Fix.REPLACE:
            self._used(key, actions[0])
            return _with_parens(env_get(actions[0].variable, actions[0].quote), updated_node)
        return updated_node

    def leave_FormattedString(
        self, original_node: cst.FormattedString, updated_node: cst.FormattedString
    ) -> cst.BaseExpression:
        key = self._key(original_node)
        actions = [a for a in self.strings.get(key, ()) if a.fix is Fix.EMBED]
        if not actions:
            return updated_node
        inner = _opposite(updated_node.quote)
        parts: list[cst.BaseFormattedStringContent] = []
        for part in updated_node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.extend(_split(part.value, actions, inner, escape=False))
            else:
                parts.append(part)
        for action in actions:
            self._used(key, action)
        return updated_node.with_changes(parts=parts)

    # ------------------------------------------------------------ targets
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        key = self._key(original_node)
        action = self.targets.get(key)
        if action is None:
            return updated_node
        if action.fix is Fix.DROP_DEFAULT and len(updated_node.args) >= 2:
            index = next(
                (
                    i
                    for i, arg in enumerate(updated_node.args)
                    if i > 0
                    and (
                        (arg.keyword is None and i == 1)
                        or (arg.keyword is not None and arg.keyword.value in ("default", "value"))
                    )
                ),
                None,
            )
            if index is not None:
                self._used(key, action)
                return _remove_arg(updated_node, index)
        if action.fix is Fix.SETTINGS_DEFAULT:
            index = _default_index(updated_node)
            if index is not None:
                self._used(key, action)
                if action.settings_none:
                    arg = updated_node.args[index]
                    args = list(updated_node.args)
                    args[index] = arg.with_changes(value=cst.Name("None"))
                    return updated_node.with_changes(args=args)
                return _remove_arg(updated_node, index)
        return updated_node

    def leave_AnnAssign(
        self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign
    ) -> cst.AnnAssign:
        key = self._key(original_node)
        action = self.targets.get(key)
        if action is None or action.fix is not Fix.SETTINGS_DEFAULT:
            return updated_node
        self._used(key, action)
        if action.settings_none:
            return updated_node.with_changes(value=cst.Name("None"))
        return updated_node.with_changes(value=None, equal=cst.MaybeSentinel.DEFAULT)

    def leave_BooleanOperation(
        self, original_node: cst.BooleanOperation, updated_node: cst.BooleanOperation
    ) -> cst.BaseExpression:
        key = self._key(original_node)
        action = self.targets.get(key)
        if action is None or action.fix is not Fix.OR_FALLBACK:
            return updated_node
        self._used(key, action)
        return _with_parens(updated_node.left, updated_node)

    # ------------------------------------------------------------ statements
    def doomed(self, line: cst.SimpleStatementLine | cst.SimpleStatementSuite) -> list[bool]:
        keys = [self._key(stmt) for stmt in line.body]
        removed = [
            (a := self.targets.get(k)) is not None and a.fix is Fix.REMOVE_STATEMENT for k in keys
        ]
        self.applied.update(key for key, gone in zip(keys, removed, strict=True) if gone)
        return [
            gone or id(stmt) in self._freed_ids
            for stmt, gone in zip(line.body, removed, strict=True)
        ]
