"""HF004's text edits: port options on server command lines in shell-like files.

A *server command* is ``uvicorn``, ``gunicorn``, ``hypercorn``, ``granian`` or ``fastapi
run``/``fastapi dev`` as a word (so ``python -m uvicorn`` and ``poetry run uvicorn`` count).
Its arguments run to the end of the logical line (backslash continuations followed), a
``;``/``&&``/``||``/``|``/``&`` separator, or a `` #`` comment. Among them these go:
``--port N``, ``--port=N``, ``-p N`` with a literal number, and ``-b``/``--bind``
``host:N`` (also ``--bind=…``). Ports taken from a variable (``$PORT``, ``${PORT:-8000}``,
``$(PORT)``) are already compliant and stay, as do unix sockets and file descriptors.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

SERVER = re.compile(
    r"(?<![\w./\-])(?P<cmd>uvicorn|gunicorn|hypercorn|granian|fastapi[ \t]+(?:run|dev))"
    r"(?![\w\-.:/])"
)
_PORT_VALUE = re.compile(r"""^(["']?)\d{1,5}\1$""")
_BIND_VALUE = re.compile(r"""^(["']?)[\w.\-\[\]:]*:\d{1,5}\1$""")
_WS = re.compile(r"(?:[ \t]|\\\r?\n)+")
_TOKEN = re.compile(r"""(?:[^\s;&|#"'\\]|\\.|"(?:[^"\\]|\\.)*"|'[^']*')+""")
_END = re.compile(r"\r?\n|;|&&|\|\||\||&|(?<=\s)#")

SHELL_NAMES = frozenset(
    {
        "Makefile",
        "makefile",
        "GNUmakefile",
        "justfile",
        "Justfile",
        ".justfile",
        "tox.ini",
        "start",
        "run",
        "serve",
        "entrypoint",
        "boot",
        "start-server",
        "run-server",
    }
)
SHELL_SUFFIXES = (".sh", ".bash", ".zsh", ".mk", ".command")


@dataclass(frozen=True)
class Removal:
    start: int  # span removed from the text (leading whitespace included)
    end: int
    option_start: int  # where the option itself starts
    option: str  # the removed option as written, e.g. "--port 8000"
    command: str  # "uvicorn", "fastapi run", ...


def is_shell_like(path: str, text_start: str = "", executable: bool = False) -> bool:
    """Files whose lines are command lines: Procfiles, shell scripts, Makefiles, start scripts."""
    base = posixpath.basename(path)
    if base.startswith("Procfile") or base in SHELL_NAMES or base.endswith(SHELL_SUFFIXES):
        return True
    if "." in base:
        return False
    first = text_start.split("\n", 1)[0]
    return first.startswith("#!") and bool(re.search(r"\b(?:ba|z|da)?sh\b", first)) and executable


def _tokens(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of the words of one command's arguments, from ``start`` to its end."""
    position = start
    while position < end:
        ws = _WS.match(text, position, end)
        if ws is not None:
            position = ws.end()
            continue
        if _END.match(text, position, end):
            return
        token = _TOKEN.match(text, position, end)
        if token is None or token.end() == position:
            return
        yield token.start(), token.end()
        position = token.end()


def _removal(
    text: str, first: tuple[int, int], second: tuple[int, int] | None, command: str
) -> Removal:
    start = first[0]
    while start > 0:
        if text[start - 1] in " \t":
            start -= 1
        elif text.endswith("\\\n", 0, start):
            start -= 2
        elif text.endswith("\\\r\n", 0, start):
            start -= 3
        else:
            break
    end = (second or first)[1]
    option = text[first[0] : end]
    option = re.sub(r"\s*\\\r?\n\s*", " ", option)
    return Removal(start, end, first[0], option, command)


def port_options(text: str, start: int = 0, end: int | None = None) -> list[Removal]:
    """The port options to remove from server commands in ``text[start:end]``."""
    stop = len(text) if end is None else end
    removals: list[Removal] = []
    seen: set[int] = set()
    for match in SERVER.finditer(text, start, stop):
        command = re.sub(r"\s+", " ", match.group("cmd"))
        spans = list(_tokens(text, match.end(), stop))
        index = 0
        while index < len(spans):
            if spans[index][0] in seen:
                break  # a nested match ("-k uvicorn.workers...") already handled these
            seen.add(spans[index][0])
            word = text[spans[index][0] : spans[index][1]]
            following = spans[index + 1] if index + 1 < len(spans) else None
            value = text[following[0] : following[1]] if following else ""
            if word in ("--port", "-p") and following and _PORT_VALUE.match(value):
                removals.append(_removal(text, spans[index], following, command))
                index += 2
                continue
            if word in ("-b", "--bind") and following and _BIND_VALUE.match(value):
                removals.append(_removal(text, spans[index], following, command))
                index += 2
                continue
            name, equals, inline = word.partition("=")
            if equals and (
                (name == "--port" and _PORT_VALUE.match(inline))
                or (name == "--bind" and _BIND_VALUE.match(inline))
            ):
                removals.append(_removal(text, spans[index], None, command))
            index += 1
    return removals


def _json_strings(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the contents of the JSON strings in ``text`` (quotes excluded)."""
    for match in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', text):
        yield match.start(1), match.end(1)


def _toml_strings(text: str) -> Iterator[tuple[int, int]]:
    pattern = re.compile(
        r'"""(.*?)"""|\'\'\'(.*?)\'\'\'|"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\'', re.S
    )
    for match in pattern.finditer(text):
        group = next(g for g in range(1, 5) if match.group(g) is not None)
        yield match.start(group), match.end(group)


def removals_in_file(path: str, text: str, executable: bool = False) -> list[Removal] | None:
    """The removals for one file, or None when HF004 does not read files like it."""
    base = posixpath.basename(path)
    if base == "package.json":
        try:
            json.loads(text)
        except ValueError:
            return None
        return [r for s, e in _json_strings(text) for r in port_options(text, s, e)]
    if base == "pyproject.toml":
        return [r for s, e in _toml_strings(text) for r in port_options(text, s, e)]
    if is_shell_like(path, text[:200], executable):
        return port_options(text)
    return None


def apply(text: str, removals: list[Removal]) -> str:
    for removal in sorted(removals, key=lambda r: r.start, reverse=True):
        text = text[: removal.start] + text[removal.end :]
    return text


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column), both 1-based, of ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
