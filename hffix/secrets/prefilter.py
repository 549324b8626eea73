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
import bisect
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import cast

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
_NEWLINE = re.compile("\n")  # how ast counts lines (lone carriage returns are handled apart)
_QUOTE = re.compile("[\"']")
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
MAX_VALUE = 20_000  # longer strings are data, not secrets (the scan skips them too)


@dataclass
class _Unit:
    """One statement without the statements nested in it, or one dict entry's value in it:
    its strings and its names. ``data``: a statement whose strings are data unless their
    shape says otherwise (:func:`hffix.secrets.data.is_data_statement`), when asked."""

    values: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    data: bool = False


@dataclass
class _Units:
    """Finds the statements of a module worth a look: those whose own lines (a compound
    statement's decorators and header) hold a string (a quote) and a line of ``hot``, and
    the ``return`` statements holding a string in functions named with a stem. The line
    lists are sorted; ``None`` takes every statement."""

    hot: list[int] | None
    quoted: list[int] | None
    data: bool = False  # tell data statements apart (see _Unit)

    def of(self, body: list[ast.stmt], function: str | None) -> Iterator[_Unit]:
        """The units of the statements of ``body`` and of every block inside them, one
        statement at a time (the caller stops at the first that may hold a finding).
        ``function`` is the function a ``return`` in ``body`` returns from, if its name
        holds a stem: HF005 names a returned string after it (``def get_password(): return
        "…"``)."""
        for stmt in body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # docstrings and other bare strings are never findings
            first = _first_line(stmt)
            end = _last_line(stmt)  # a match case has no position of its own
            if not _meets(self.quoted, first, end):
                continue  # no string anywhere in it
            if function is None and not _meets(self.hot, first, end):
                continue  # nothing hot anywhere in it (a stem-named function's line is hot)
            first, last = _own_lines(stmt)
            if _meets(self.quoted, first, last) and (
                (function is not None and isinstance(stmt, ast.Return))
                or _meets(self.hot, first, last)
            ):
                yield from _units_of(stmt, function, data=self.data)
            inner = function
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = stmt.name if _has_stem(stmt.name) else None
            elif isinstance(stmt, ast.ClassDef):
                inner = None
            for name in _BODIES:
                children = getattr(stmt, name, None)
                if children:
                    yield from self.of(children, inner)


def _meets(lines: list[int] | None, first: int, last: int) -> bool:
    """Whether a line of ``lines`` (sorted; ``None`` for all) falls in ``first``..``last``."""
    if lines is None:
        return True
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= last


def _first_line(stmt: ast.AST) -> int:
    if isinstance(stmt, ast.match_case):
        return stmt.pattern.lineno
    first: int = getattr(stmt, "lineno", 1)
    for decorator in getattr(stmt, "decorator_list", ()):
        first = min(first, decorator.lineno)
    return first


def _own_lines(stmt: ast.AST) -> tuple[int, int]:
    """First and last line of ``stmt`` itself: decorators and a block's header, not its body."""
    first = _first_line(stmt)
    if not isinstance(getattr(stmt, "body", None), list):
        return first, getattr(stmt, "end_lineno", None) or first
    last = first
    for name, value in ast.iter_fields(stmt):
        if name not in _BODIES:
            for part in value if isinstance(value, list) else (value,):
                if isinstance(part, ast.AST):
                    last = max(last, _last_line(part))
    return first, last


def _last_line(node: ast.AST) -> int:
    """The last line of ``node``, through children for nodes without a position
    (``arguments``, ``withitem``)."""
    end: int | None = getattr(node, "end_lineno", None)
    if end is not None:
        return end
    return max((_last_line(child) for child in ast.iter_child_nodes(node)), default=0)


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
    todo: list[tuple[object, _Unit]] = []
    for name, value in ast.iter_fields(stmt):
        if name in _BODIES:
            continue
        for part in value if isinstance(value, list) else (value,):
            if isinstance(part, ast.AST):
                todo.append((part, statement))
    _own_names(stmt, statement)
    if function is not None and isinstance(stmt, ast.Return):
        statement.names += [function, returned_name(function)]
    while todo:
        node, unit = todo.pop()
        kind = type(node)
        if kind is ast.Constant:
            value = cast(ast.Constant, node).value
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, str) and 0 < len(value) <= MAX_VALUE:
                unit.values.append(value)
            continue
        if kind is ast.Dict:
            mapping = cast(ast.Dict, node)
            for key, item in zip(mapping.keys, mapping.values, strict=True):
                entry = _Unit(data=unit.data)
                if isinstance(key, ast.Constant):
                    named = key.value
                    if isinstance(named, str) and named:
                        entry.names.append(named)
                elif key is not None:
                    todo.append((key, unit))
                units.append(entry)
                todo.append((item, entry))
            continue
        fields = _FIELDS.get(kind)
        if fields is None:
            if not issubclass(kind, ast.AST):
                continue  # a name in a list of names (``global a, b``)
            fields = _FIELDS[kind] = kind._fields
        name_field = _NAME_FIELDS.get(kind)
        if name_field is not None:
            named = getattr(node, name_field)
            if isinstance(named, str) and named:
                unit.names.append(named)
        if kind is ast.alias and cast(ast.alias, node).asname:
            unit.names.append(cast(str, cast(ast.alias, node).asname))
        for field_name in fields:
            child = getattr(node, field_name, None)
            if type(child) is list:
                todo.extend((item, unit) for item in child)
            elif isinstance(child, ast.AST):
                todo.append((child, unit))
    return units


_FIELDS: dict[type, tuple[str, ...]] = {}


def _own_names(node: ast.AST, unit: _Unit) -> None:
    field_name = _NAME_FIELDS.get(type(node))
    name = getattr(node, field_name) if field_name is not None else None
    if isinstance(name, str) and name:
        unit.names.append(name)


def _lines_of(starts: list[int], offsets: list[int]) -> list[int]:
    """The sorted line numbers of character ``offsets``, given where each line starts."""
    return sorted({bisect.bisect_right(starts, at) for at in offsets})


def _hot_offsets(text: str, lowered: str, signing: Collection[str] = ()) -> list[int]:
    """Where a stem, a shape needle, a run of key characters or a name of ``signing``
    starts."""
    offsets = [match.start() for match in _KEY_RUN.finditer(text)]
    for needle in (*SIGNAL_STEMS, *SHAPE_NEEDLES):
        at = lowered.find(needle)
        while at != -1:
            offsets.append(at)
            at = lowered.find(needle, at + 1)
    for name in signing:
        at = text.find(name)
        while at != -1:
            offsets.append(at)
            at = text.find(name, at + 1)
    return offsets


_STEM = re.compile("|".join(map(re.escape, SIGNAL_STEMS)), re.IGNORECASE)


def _has_stem(name: str) -> bool:
    """Whether ``name`` could signal anything: every STRONG or WEAK name holds a stem."""
    return _STEM.search(name) is not None


def _strongest(unit: _Unit) -> NameSignal:
    """The strongest signal of a name in ``unit``, as written or upper-cased (settings read
    ``field.upper()``; ``passWord`` says nothing, ``PASSWORD`` says "secret")."""
    best = NameSignal.NEUTRAL
    for name in (*unit.names, *unit.values):
        if not _has_stem(name):
            continue
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
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        collector = _Units(None, None)  # lone carriage returns: lines counted otherwise
    else:
        starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]  # as ast counts
        quoted = _lines_of(starts, [match.start() for match in _QUOTE.finditer(text)])
        hot = None if anywhere else _lines_of(starts, _hot_offsets(text, lowered, signing))
        collector = _Units(hot, quoted)
    collector.data = data
    from hffix.secrets.formats import may_have_shape

    for unit in collector.of(tree.body, None):
        if unit.data:
            if any(may_have_shape(value) and recognise(value) for value in unit.values):
                return True
            continue
        strongest = NameSignal.STRONG if anywhere else None  # found when a value needs it
        signs: bool | None = True if anywhere else None
        for value in unit.values:
            if may_hold_shaped(value) and (
                classify(value) is not None or default_credentials(value) is not None
            ):
                return True
            if strongest is None:
                strongest = _strongest(unit)
            if may_be_named_secret(value, strongest):
                return True
            if signs is None:
                signs = _signs(unit, signing)
            if signs and any(weak_key(value, name) for name in (None, *unit.names)):
                return True
    return False


def _signs(unit: _Unit, signing: Collection[str]) -> bool:
    """Whether a name of ``unit`` holds a signing key (by its name, or passed to a signing
    call somewhere): where :func:`hffix.secrets.classify.weak_key` counts."""
    return any(
        name in signing or is_signing_key_name(name) or is_signing_key_name(name.upper())
        for name in (*unit.names, *unit.values)
        if _has_stem(name) or name in signing
    )
