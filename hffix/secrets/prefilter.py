"""Cheap looks at a file: can HF005 find anything in it at all?

HF005's scan of a Python module needs its libcst tree, about ten times the cost of an ``ast``
parse, and most modules hold no secret. These filters rule a text out only when it lacks
something every finding needs, so they never hide one. Each condition stands for a part of
the classifier, and ``tests/test_secrets_prefilter.py`` holds it to that part:

* a value recognisable by its shape alone (:func:`hffix.secrets.classify.recognise`: provider
  formats, credentials URLs, private keys, bearer tokens) or random-looking
  (:func:`hffix.secrets.entropy.is_high_entropy`) holds a run of 20 key characters, or one
  of :data:`SHAPE_NEEDLES` (``://``, ``-----BEGIN``, the short Slack tokens);
* a name that says "secret" (:func:`hffix.secrets.names.signal` is ``STRONG`` or ``WEAK``)
  contains one of :data:`hffix.secrets.names.SIGNAL_STEMS`, in any case;
* a position that takes only secrets (``jwt.encode``'s key, ``server.login``'s password,
  :data:`hffix.secrets.pysource.POSITIONAL`) is reached through one of :data:`SLOT_NEEDLES`;
* a settings class with an ``env_prefix`` names its fields' variables with two parts
  (``"SEC"`` + ``ret``), which no stem needs to be in alone.

Substring tests on the lowered text, not one regular expression: a case-insensitive
alternation of these words costs more than parsing the module. The text is read as written:
a value split over adjacent literals (``"3Ab9kZ2Qp7" "Lm4Xy8Rw1T"``) or spelt with escapes
shows no run of 20 key characters, so a random-looking value written that way under a
neutral name is not seen.

A module whose text passes then meets :func:`may_hold_secret_in`, which reads the shared
``ast`` of the statements on the lines the text filter matched: string values as
evaluated, and names only where names are (identifiers and strings, not keywords, comments
or docstrings), each statement on its own. Words such as ``key`` in
``primary_key=True`` or ``pass`` as a statement let most modules through the text filter;
this second look keeps the libcst parse for modules with a string that could be a secret.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, chain
from typing import Any, NamedTuple

from hffix.secrets.classify import (
    classify,
    default_credentials,
    may_be_named_secret,
    recognise,
    weak_key,
)
from hffix.secrets.data import is_data_statement
from hffix.secrets.names import SIGNAL_STEMS, NameSignal, is_signing_key_name, signal
from hffix.secrets.pysource import BY_METHOD_NAME, POSITIONAL, returned_name

# Twenty characters of the alphabet random keys are written in (entropy's token class).
_KEY_RUN = re.compile(r"[A-Za-z0-9_\-+/=.~]{20}")
# The text in UTF-8 as _hot_lines reads it, where such a run is one of b"k" * 20: a key
# character (ASCII, a byte of its own) becomes "k", a newline stays, any other byte (those
# of a longer character too) becomes a space.
_AS_KEYS = bytes(
    ord("k")
    if byte < 128 and _KEY_RUN.fullmatch(chr(byte) * 20)
    else byte
    if byte == ord("\n")
    else ord(" ")
    for byte in range(256)
)
_KEY_RUN_BYTES = b"k" * 20
_NOT_QUOTE = bytes(byte for byte in range(256) if byte not in b"\n\"'")  # newlines stay
# Recognisable shapes that can be shorter than such a run.
SHAPE_NEEDLES = ("://", "begin", "xox", "xapp-")
# Roots of the callees whose arguments are secrets by position, and the methods matched on
# any object (``server.login(user, "…")``), lower-cased.
SLOT_NEEDLES = tuple(
    sorted(
        {callee.split(".")[0].lower() for callee, _ in POSITIONAL}
        | {
            callee.removeprefix(BY_METHOD_NAME).lower()
            for callee, _ in POSITIONAL
            if callee.startswith(BY_METHOD_NAME)
        }
    )
)
COMPOSED_NAMES = "env_prefix"
_PYTHON_NEEDLES = (*SHAPE_NEEDLES, *SIGNAL_STEMS, *SLOT_NEEDLES, COMPOSED_NAMES)


def may_hold_shaped(text: str) -> bool:
    """False only if no value in ``text`` can be recognised by its shape or randomness."""
    lowered = text.lower()
    return any(needle in lowered for needle in SHAPE_NEEDLES) or bool(_KEY_RUN.search(text))


def may_hold_secret(text: str, signing: Collection[str] = ()) -> bool:
    """False only if HF005's scan can find nothing in the Python source ``text``;
    ``signing``: the names the repository signs with (a placeholder held under one is a
    weak finding, :func:`hffix.secrets.classify.weak_key`)."""
    lowered = text.lower()
    return (
        any(needle in lowered for needle in _PYTHON_NEEDLES)
        or bool(_KEY_RUN.search(text))
        or any(name in text for name in signing)
    )


# Where a name sits in the ast: the field holding it, by node type.
_NAME_FIELDS: dict[type, str] = {
    ast.Name: "id",
    ast.Attribute: "attr",
    ast.arg: "arg",
    ast.keyword: "arg",
    ast.FunctionDef: "name",
    ast.AsyncFunctionDef: "name",
    ast.ClassDef: "name",
    ast.alias: "name",
    ast.ImportFrom: "module",
}
_BODIES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)  # what a block holds
_DECORATED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
# Fields holding only an operator or a context (``ast.Add``, ``ast.Load``): no name, no string.
_BARE = frozenset({"op", "ops", "ctx"})
MAX_VALUE = 20_000  # longer strings are data, not secrets (the scan skips them too)


@dataclass
class _Unit:
    """One statement without the statements nested in it, or one dict entry's value in it:
    its strings and its names. ``data``: a statement whose strings are data unless their
    shape says otherwise (:func:`hffix.secrets.data.is_data_statement`), when asked."""

    values: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    data: bool = False


class _Shape(NamedTuple):
    """What the walks need of a node type, looked up once."""

    bodies: tuple[str, ...]  # its blocks: statements (or handlers, cases) nested in it
    fields: tuple[str, ...]  # the others that may hold a node (not operators, contexts, names)
    block: bool  # a ``body``: a header of its own (a ``match`` has cases, no header)
    function: bool  # a function, whose name a ``return`` in it is named after
    name: str | None  # the field holding its name (_NAME_FIELDS)


_SHAPES: dict[type, _Shape] = {}


def _shape(kind: type) -> _Shape:
    fields: tuple[str, ...] = getattr(kind, "_fields", ())
    # Blocks of statements; an expression's ``body`` (``lambda``, ``a if b else c``) is none.
    bodies = _BODIES if issubclass(kind, _STATEMENTS) else frozenset()
    shape = _SHAPES[kind] = _Shape(
        bodies=tuple(name for name in fields if name in bodies),
        fields=tuple(
            name
            for name in fields
            if name not in bodies and name not in _BARE and name != _NAME_FIELDS.get(kind)
        ),
        block="body" in bodies and "body" in fields,
        function=kind in (ast.FunctionDef, ast.AsyncFunctionDef),
        name=_NAME_FIELDS.get(kind),
    )
    return shape


def _statements(
    body: list[ast.stmt], hot: list[int], quoted: list[int]
) -> Iterator[tuple[ast.stmt, str | None]]:
    """The statements of ``body`` and of every block inside them worth a look, each with
    the function a ``return`` in it returns from if its name holds a stem: HF005 names a
    returned string after it (``def get_password(): return "…"``).

    Worth a look: a statement whose own lines (a compound statement's decorators and
    header) hold a string (a quote) and a line of ``hot``, and a ``return`` holding a string
    in a function named with a stem. ``hot`` and ``quoted`` count lines: ``hot[n]`` is how
    many of the first ``n`` are hot, so lines ``first``..``last`` hold one if ``hot[last] !=
    hot[first - 1]``. A statement with no quote on any of its lines, or (outside such a
    function) no hot line, is passed over with the blocks inside it. Walked in source order,
    one statement at a time (the caller stops at the first that may hold a finding), without
    recursion: a stack of the blocks open."""
    shapes = _SHAPES
    todo: list[tuple[Iterator[Any], str | None]] = [(iter(body), None)]
    while todo:
        statements, function = todo[-1]
        for stmt in statements:
            kind = type(stmt)
            if kind is ast.match_case:  # a match case has no position of its own
                first = stmt.pattern.lineno
                end = _last_line(stmt)
            else:
                if kind is ast.Expr and isinstance(stmt.value, ast.Constant):
                    continue  # docstrings and other bare strings are never findings
                first = stmt.lineno
                if kind in _DECORATED:
                    for decorator in stmt.decorator_list:
                        first = min(first, decorator.lineno)
                end = stmt.end_lineno
                if end is None:
                    end = _last_line(stmt)
            before = first - 1
            if quoted[end] == quoted[before]:
                continue  # no string anywhere in it
            if function is None and hot[end] == hot[before]:
                continue  # nothing hot anywhere in it (a stem-named function's line is hot)
            shape = shapes.get(kind) or _shape(kind)
            if not shape.block:
                last = stmt.end_lineno or first
                if quoted[last] != quoted[before] and (
                    (function is not None and kind is ast.Return) or hot[last] != hot[before]
                ):
                    yield stmt, function
            elif quoted[first] != quoted[before] and hot[first] != hot[before]:
                yield stmt, function  # its first line holds both
            else:
                # Its header ends by the line its block starts on: worth measuring only if
                # the lines up to there hold a quote and a hot line.
                bound = stmt.body[0].lineno if stmt.body else end
                if quoted[bound] != quoted[before] and hot[bound] != hot[before]:
                    last = _header_end(stmt, shape.fields, first)
                    if quoted[last] != quoted[before] and hot[last] != hot[before]:
                        yield stmt, function
            blocks = [found for name in shape.bodies if (found := getattr(stmt, name))]
            if blocks:
                inner = function
                if shape.function:
                    inner = stmt.name if _has_stem(stmt.name) else None
                elif kind is ast.ClassDef:
                    inner = None
                todo.append(
                    (iter(blocks[0]) if len(blocks) == 1 else chain.from_iterable(blocks), inner)
                )
                break  # its blocks first, then the statements after it
        else:
            todo.pop()


def _header_end(stmt: ast.AST, fields: tuple[str, ...], first: int) -> int:
    """The last line of a compound statement's own part (its decorators and header, not
    its blocks), which starts on ``first``; ``fields``: its fields but its blocks."""
    last = first
    for name in fields:
        value = getattr(stmt, name, None)
        for part in value if type(value) is list else (value,):
            if isinstance(part, ast.AST):
                last = max(last, _last_line(part))
    return last


def _last_line(node: ast.AST) -> int:
    """The last line of ``node``, through children for nodes without a position
    (``arguments``, ``withitem``, ``match_case``; none of them nests in itself)."""
    end: int | None = getattr(node, "end_lineno", None)
    if end is not None:
        return end
    shape = _SHAPES.get(type(node)) or _shape(type(node))
    return _header_end(node, shape.fields + shape.bodies, 0)


def _units_of(stmt: ast.stmt, function: str | None, *, data: bool) -> list[_Unit]:
    """The statement's unit, and one unit per dict entry value inside it.

    HF005 names a string in a dict entry's value after the entry's key, or after a name
    inside that value (a keyword, a parameter, an environment read), never after what
    holds the dict (:meth:`hffix.secrets.pysource._Collector._context` stops at the first
    of them): a table of a hundred thousand entries assigned to ``API_KEYS`` is judged
    entry by entry, by its keys. A key that is a plain string is a name, never a finding.
    Walked without recursion (the ``ast`` may be deeper than Python's stack allows), with
    each node type's fields looked up once."""
    statement = _Unit(data=data and is_data_statement(stmt))
    units = [statement]
    todo: list[tuple[Any, _Unit]] = [(stmt, statement)]
    push = todo.append
    shapes = _SHAPES
    if function is not None and isinstance(stmt, ast.Return):
        statement.names += [function, returned_name(function)]
    while todo:
        node, unit = todo.pop()
        kind = type(node)
        if kind is ast.Constant:
            value = node.value
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, str) and 0 < len(value) <= MAX_VALUE:
                unit.values.append(value)
            continue
        if kind is ast.Dict:
            for key, item in zip(node.keys, node.values, strict=True):
                entry = _Unit(data=unit.data)
                if isinstance(key, ast.Constant):
                    named = key.value
                    if isinstance(named, str) and named:
                        entry.names.append(named)
                elif key is not None:
                    push((key, unit))
                units.append(entry)
                push((item, entry))
            continue
        shape = shapes.get(kind) or _shape(kind)
        if shape.name is not None:
            named = getattr(node, shape.name)
            if isinstance(named, str) and named:
                unit.names.append(named)
            if kind is ast.alias and node.asname:
                unit.names.append(node.asname)
        for name in shape.fields:  # not the blocks of the statement, nor of one in it
            child = getattr(node, name, None)
            for part in child if type(child) is list else (child,):
                if type(part) is ast.Name:  # the commonest node: its name, at once
                    if part.id:
                        unit.names.append(part.id)
                elif isinstance(part, ast.AST):
                    push((part, unit))
    return units


def _line_counts(
    tree: ast.Module, text: str, lowered: str, signing: Collection[str], *, anywhere: bool
) -> tuple[list[int], list[int]] | None:
    """``hot`` and ``quoted`` for :func:`_statements`: how many of the first ``n`` lines
    hold a stem, a shape needle, a run of key characters or a name of ``signing`` (all of
    them when ``anywhere``), and a quote; ``None`` when no statement can be worth a look
    (no quote, or nothing hot). Lines are counted as ``ast`` counts them, at newlines; with
    lone carriage returns, which it counts too, every line is hot and quoted."""
    lines = text.count("\n") + 1
    if tree.body:  # the last statement ends last (a tree of another text: no line beyond)
        lines = max(lines, tree.body[-1].end_lineno or 0)
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        every = list(range(lines + 1))
        return every, every
    encoded = text.encode("utf-8", "surrogatepass")  # a newline and a quote are a byte
    quoted = list(
        accumulate(map(bool, encoded.translate(None, _NOT_QUOTE).split(b"\n")), initial=0)
    )
    if not quoted[-1]:
        return None
    quoted += [quoted[-1]] * (lines + 1 - len(quoted))
    if anywhere:
        return list(range(lines + 1)), quoted
    found = _hot_lines(text, lowered, encoded, signing)
    if not found:
        return None
    flags = [0] * (lines + 1)
    for line in found:
        flags[line] = 1
    return list(accumulate(flags)), quoted


def _hot_lines(text: str, lowered: str, encoded: bytes, signing: Collection[str]) -> set[int]:
    """The lines where a stem, a shape needle, a run of key characters or a name of
    ``signing`` starts (``encoded``: ``text`` in UTF-8; ``lowered``: ``text.lower()``,
    where stems and shape needles are looked for)."""
    found: set[int] = set()
    keys = encoded.translate(_AS_KEYS)
    at = keys.find(_KEY_RUN_BYTES)
    line, counted = 1, 0
    while at != -1:
        line += keys.count(b"\n", counted, at)
        counted = at
        found.add(line)
        at = keys.find(b"\n", at)  # the rest of its line is hot already
        if at != -1:
            at = keys.find(_KEY_RUN_BYTES, at)
    in_lowered: list[int] = []
    for needle in (*SIGNAL_STEMS, *SHAPE_NEEDLES):
        at = lowered.find(needle)
        while at != -1:
            in_lowered.append(at)
            at = lowered.find(needle, at + 1)
    in_text: list[int] = []
    for name in signing:
        at = text.find(name)
        while at != -1:
            in_text.append(at)
            at = text.find(name, at + 1)
    # Each offset counted in the text it was found in: lower-casing keeps every newline
    # but may lengthen a character (``İ``), so the two texts' offsets differ.
    for source, offsets in ((lowered, in_lowered), (text, in_text)):
        offsets.sort()
        line, counted = 1, 0
        for at in offsets:
            line += source.count("\n", counted, at)
            counted = at
            found.add(line)
    return found


_STEM = re.compile("|".join(map(re.escape, SIGNAL_STEMS)), re.IGNORECASE)


def _has_stem(name: str) -> bool:
    """Whether ``name`` could signal anything: every STRONG or WEAK name holds a stem."""
    known = _STEMMED.get(name)
    if known is None:
        known = _STEM.search(name) is not None
        if len(name) <= 64:  # a name, or a short string: they recur from module to module
            if len(_STEMMED) >= 32_768:
                _STEMMED.clear()
            _STEMMED[name] = known
    return known


_STEMMED: dict[str, bool] = {}


def _strongest(stemmed: list[str]) -> NameSignal:
    """The strongest signal of a name of ``stemmed`` (a unit's names and strings that hold
    a stem), as written or upper-cased (settings read ``field.upper()``; ``passWord`` says
    nothing, ``PASSWORD`` says "secret")."""
    best = NameSignal.NEUTRAL
    for name in stemmed:
        for spelling in (name, name.upper()):
            found = signal(spelling)
            if found is NameSignal.STRONG:
                return found
            if found is NameSignal.WEAK:
                best = found
    return best


def may_hold_secret_in(
    tree: ast.Module, text: str, *, data: bool = False, signing: Collection[str] = ()
) -> bool:
    """False only if HF005's scan can find nothing in the module whose ``ast`` is ``tree``;
    with ``data``, nothing that is not then dropped as data: a statement that
    :func:`hffix.secrets.data.is_data_statement` calls data (``KEYS = ["…", …]``) counts
    only for a string recognisable by its shape (a provider token, a private key…), which is
    a secret wherever it stands.

    A finding is a string that :func:`~hffix.secrets.classify.classify` calls a secret under
    no name (its shape, its randomness), or a string that a name makes one. The scan takes
    that name from the statement holding the string (its target, keyword, dict key,
    parameter, comparison, environment read) or, for ``return``, from the function; so a
    statement needs a string that the strongest name it holds could make a secret. A secret
    position (``jwt.encode``, ``server.login``) may be reached through an import made
    anywhere, and an ``env_prefix`` makes names out of two parts: with either named in
    ``text`` (the module's source), every statement counts as holding the strongest name.
    Bare strings (docstrings) are never findings.

    Only statements whose own lines hold a quote and a stem, a shape needle or a run of key
    characters are read (a string, its name and a recognisable value are written on the
    lines of the statement that holds them), and the returns holding a quote in functions
    named with a stem: the text filter's limit (a value split over adjacent literals or
    spelt with escapes) holds here too."""
    lowered = text.lower()
    anywhere = COMPOSED_NAMES in lowered or any(slot in lowered for slot in SLOT_NEEDLES)
    counts = _line_counts(tree, text, lowered, signing, anywhere=anywhere)
    if counts is None:
        return False
    for stmt, function in _statements(tree.body, *counts):
        if _may_hold_finding(_units_of(stmt, function, data=data), anywhere, signing):
            return True
    return False


def _may_hold_finding(units: list[_Unit], anywhere: bool, signing: Collection[str]) -> bool:
    """Whether a string of ``units`` may be a finding (see :func:`may_hold_secret_in`)."""
    for unit in units:
        if unit.data:
            from hffix.secrets.formats import may_have_shape  # its patterns when needed

            if any(may_have_shape(value) and recognise(value) for value in unit.values):
                return True
            continue
        # Found when a value needs them, from the names and strings holding a stem.
        strongest: NameSignal | None = NameSignal.STRONG if anywhere else None
        signs: bool | None = True if anywhere else None
        for value in unit.values:
            if may_hold_shaped(value) and (
                classify(value) is not None or default_credentials(value) is not None
            ):
                return True
            if strongest is None or signs is None:
                stemmed = [name for name in (*unit.names, *unit.values) if _has_stem(name)]
                strongest = _strongest(stemmed)
                signs = _signs(unit, stemmed, signing)
            if may_be_named_secret(value, strongest):
                return True
            if signs and any(weak_key(value, name) for name in (None, *unit.names)):
                return True
    return False


def _signs(unit: _Unit, stemmed: list[str], signing: Collection[str]) -> bool:
    """Whether a name of ``unit`` holds a signing key (by its name, or passed to a signing
    call somewhere): where :func:`hffix.secrets.classify.weak_key` counts. ``stemmed``: its
    names and strings that hold a stem (the others name no signing key)."""
    return any(
        is_signing_key_name(name) or is_signing_key_name(name.upper()) for name in stemmed
    ) or (bool(signing) and any(name in signing for name in (*unit.names, *unit.values)))
