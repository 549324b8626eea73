"""HF005 on the shared ``ast`` alone, for modules too large to parse with libcst.

A generated data module (a hundred thousand keys, a table of tokens) costs libcst a hundred
times what it costs ``ast`` and over a gigabyte of memory, for strings that are data. A
module with more than :data:`MAX_EDITED_STRINGS` string literals, or one libcst refuses (too
deeply nested), is therefore read here instead, without being edited: every string
recognisable by its shape alone (provider tokens, credentials URLs, private keys, bearer
tokens: secrets wherever they stand, never data), every string a secret name holds directly
(``SECRET_KEY = "…"``), and every string equal to a secret found in another module. What the
module reads of the environment is :mod:`hffix.secrets.reads`'s, from the same ``ast``.
Findings are display-only.

Everything here walks the tree without recursion, in time linear in its size.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import cast

from hffix.python.astwalk import FIELDS, attribute_chain, field_names, nodes
from hffix.secrets.classify import Detection, Verdict, classify, recognise
from hffix.secrets.names import NameSignal, env_name, signal
from hffix.secrets.prefilter import MAX_VALUE
from hffix.textio import line_starts

# Above this many string literals a module is not parsed with libcst by HF005 (real modules
# hold a few hundred; libcst spends about 0.2 ms and 20 KB on each).
MAX_EDITED_STRINGS = 5_000
_ENVIRON = frozenset({("os", "environ"), ("environ",)})  # as attribute_chain spells them


@dataclass(frozen=True)
class AstString:
    """A string literal of the module: its value and where it starts (line, 1-based
    column in characters, as libcst counts them)."""

    value: str
    line: int
    col: int


@dataclass(frozen=True)
class AstSecret:
    """A secret in a string literal: what it is, and the variable to move it to."""

    literal: AstString
    detection: Detection
    variable: str
    where: str  # for messages: "a string", "`SECRET_KEY = …`"; never a value


def string_count(tree: ast.Module, limit: int) -> int:
    """How many string literals ``tree`` holds, counted up to ``limit + 1``."""
    count = 0
    for node in nodes(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            count += 1
            if count > limit:
                break
    return count


def too_large(tree: ast.Module, text: str) -> int:
    """The number of string literals of a module with more than
    :data:`MAX_EDITED_STRINGS` of them, else 0. Two quotes a literal: a text with fewer
    quotes is counted no further."""
    if text.count('"') + text.count("'") <= 2 * MAX_EDITED_STRINGS:
        return 0
    count = string_count(tree, MAX_EDITED_STRINGS)
    return count if count > MAX_EDITED_STRINGS else 0


def _strings(tree: ast.Module) -> Iterator[tuple[str, ast.Constant]]:
    """The string literals of ``tree`` that are values, with their value, outside
    docstrings and other bare strings (never findings)."""
    bare: set[ast.AST] = set()  # the constants that are whole statements
    for node in nodes(tree):
        kind = type(node)
        if kind is ast.Expr:
            bare.add(cast(ast.Expr, node).value)
        elif kind is ast.Constant and node not in bare:
            constant = cast(ast.Constant, node)
            value = constant.value
            if isinstance(value, str) and 0 < len(value) <= MAX_VALUE:
                yield value, constant


class _Columns:
    """Turns ``ast``'s byte offsets into character columns, line by line, on demand."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def col(self, line: int, offset: int) -> int:
        if self._starts is None:
            self._starts = line_starts(self._text)
        if not 0 < line <= len(self._starts):
            return offset + 1
        start = self._starts[line - 1]
        head = self._text[start : start + offset]  # at least ``offset`` bytes' characters
        if head.isascii():
            return offset + 1
        return len(head.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1


def secrets_in(tree: ast.Module, text: str) -> list[AstSecret]:
    """The secrets of ``tree`` that need no libcst to be sure of, in source order: every
    string recognisable by its shape (a provider token, a credentials URL, a private key, a
    bearer token), and every string a strong name makes a secret (``SECRET_KEY = "…"``,
    ``api_key="…"``, ``{"password": "…"}``, ``os.environ["DB_PASSWORD"] = "…"``), or a
    secret-ish name holding a random-looking one, unless it is data (in a list, set or tuple
    display, a password hash, human-language text: :mod:`hffix.secrets.data`)."""
    from hffix.secrets.formats import may_have_shape

    columns = _Columns(text)
    found: list[AstSecret] = []
    for value, node, naming in _named_strings(tree):
        detection: Detection | None = None
        where, name = naming if naming is not None else ("a string", None)
        if may_have_shape(value):
            detection = recognise(value)
        if detection is None and name is not None:
            detection = _named_secret(value, name)
        if detection is None:
            continue
        variable = detection.variable or (env_name(name) if name else "") or "SECRET"
        literal = AstString(value, node.lineno, columns.col(node.lineno, node.col_offset))
        found.append(AstSecret(literal, detection, variable, where))
    found.sort(key=lambda s: (s.literal.line, s.literal.col))
    return found


def _named_secret(value: str, name: str) -> Detection | None:
    """What :func:`classify` calls ``value`` under ``name`` when it is sure (``SAFE``), or
    None; cheap for the names that cannot make it so."""
    from hffix.secrets.entropy import MIN_LENGTH

    if _is_data(value):
        return None
    strength = signal(name)
    if strength is NameSignal.WEAK and len(value) < MIN_LENGTH:
        return None  # only a random-looking value is sure under a weak name
    if strength not in (NameSignal.STRONG, NameSignal.WEAK):
        return None
    detection = classify(value, name)
    return detection if detection is not None and detection.verdict is Verdict.SAFE else None


def _is_data(value: str) -> bool:
    """The value-only tests of :func:`hffix.secrets.data.data_reason`."""
    from hffix.secrets.data import PASSWORD_HASH

    if PASSWORD_HASH.match(value):
        return True
    if not value.isascii() and any(ch.isalpha() and not ch.isascii() for ch in value):
        return True
    return len(value.split()) >= 3


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript):
        return _first_string(target.slice)
    return None


def _named_strings(tree: ast.Module) -> Iterator[tuple[str, ast.Constant, tuple[str, str] | None]]:
    """The string literals of ``tree`` that are values (not docstrings or other bare
    strings), each with (where, the name) when a name holds it directly: an assignment's
    value (not in a list, set or tuple display: data), a keyword argument, a dict entry's
    value under a string key. One walk, without recursion."""
    from hffix.secrets.data import is_data_statement

    named: dict[ast.AST, tuple[str, str]] = {}
    bare: set[ast.AST] = set()  # the constants that are whole statements
    todo: list[tuple[object, bool]] = [(tree, False)]  # (node, inside a data statement)
    fields_of = FIELDS
    while todo:
        node, data = todo.pop()
        kind = type(node)
        if kind is ast.Constant:
            constant = cast(ast.Constant, node)
            value = constant.value
            if isinstance(value, str) and 0 < len(value) <= MAX_VALUE and constant not in bare:
                yield value, constant, None if data else named.get(constant)
            continue
        fields = fields_of.get(kind)
        if fields is None and (fields := field_names(kind)) is None:
            continue  # a name in a list of names (``global a, b``)
        if kind is ast.Expr:
            bare.add(cast(ast.Expr, node).value)
        elif kind is ast.Assign or kind is ast.AnnAssign:
            assignment = cast("ast.Assign | ast.AnnAssign", node)
            if is_data_statement(assignment):
                data = True
            elif isinstance(assignment.value, ast.Constant):
                targets = (
                    assignment.targets
                    if isinstance(assignment, ast.Assign)
                    else [assignment.target]
                )
                target = targets[0] if len(targets) == 1 else None
                name = _target_name(target) if target is not None else None
                if name:
                    environ = (
                        isinstance(target, ast.Subscript)
                        and attribute_chain(target.value) in _ENVIRON
                    )
                    where = f'`os.environ["{name}"] = …`' if environ else f"`{name} = …`"
                    named[assignment.value] = (where, name)
        elif kind is ast.keyword:
            keyword = cast(ast.keyword, node)
            if keyword.arg and isinstance(keyword.value, ast.Constant):
                named[keyword.value] = (f"`{keyword.arg}=`", keyword.arg)
        elif kind is ast.Dict:
            mapping = cast(ast.Dict, node)
            for key, item in zip(mapping.keys, mapping.values, strict=True):
                name = _first_string(key)
                if name and isinstance(item, ast.Constant):
                    named[item] = (f'the "{name}" entry', name)
        for field_name in fields:
            child = getattr(node, field_name, None)
            if type(child) is list:
                todo.extend((item, data) for item in reversed(child))
            elif isinstance(child, ast.AST):
                todo.append((child, data))


def strings_in(tree: ast.Module, text: str, values: Collection[str]) -> list[AstString]:
    """Every string of ``tree`` whose value is one of ``values``, in source order."""
    columns = _Columns(text)
    found = [
        AstString(value, node.lineno, columns.col(node.lineno, node.col_offset))
        for value, node in _strings(tree)
        if value in values
    ]
    found.sort(key=lambda s: (s.line, s.col))
    return found


def _first_string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    return None
