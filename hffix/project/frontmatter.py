"""README.md front matter (the Space's configuration), read and edited line by line.

No YAML library: the front matter of a Space is a flat mapping, and a line-based edit
keeps every other byte (comments, quoting, key order, newlines) as it was. Reading checks
the YAML rules such a block can break — a missing closing ``---``, a top level that is
not a mapping, tab indentation, duplicate keys (Spaces' parser rejects them), unclosed
quotes and brackets, ``: `` inside a plain value, reserved indicators — and raises
:class:`FrontMatterError` with the line; broken front matter is reported, never rewritten.
Nested values (lists, mappings, block scalars) are kept verbatim; only single-line
top-level entries are edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^---[ \t]*$")  # the Hub closes front matter with --- only
_KEY = re.compile(
    r"""^(?P<key>"[^"]*"|'[^']*'|[^\s#'"\-?:,\[\]{}&*!|>%@`][^:#]*?|-[^\s:#][^:#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)(?P<rest>.*)$"""
)
_PLAIN_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]*$")
_YAML_SPECIAL = re.compile(
    r"^(?:true|false|yes|no|on|off|null|~|y|n|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?|"
    r"0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)$",
    re.IGNORECASE,
)


class FrontMatterError(ValueError):
    """The front matter is not valid YAML (or, with ``unsupported``, valid YAML in a layout
    this module does not edit); ``line`` is 1-based in the README."""

    def __init__(self, line: int, reason: str, *, unsupported: bool = False) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason
        self.unsupported = unsupported


@dataclass(frozen=True)
class Entry:
    key: str
    first: int  # index (0-based) of the key's line
    last: int  # index of the last line that belongs to it
    value: str  # the value text on the key's line, without comment, stripped
    value_start: int  # column where the value text starts (after the separator)
    value_end: int  # column where it ends (a trailing comment and spaces follow)

    @property
    def multiline(self) -> bool:
        return self.last > self.first or self.value[:1] in {"|", ">"}


@dataclass(frozen=True)
class FrontMatter:
    lines: list[str]  # the whole README, line endings kept
    close: int  # index of the closing fence line
    entries: dict[str, Entry]

    def body(self) -> str:
        return "".join(self.lines[self.close + 1 :])


def _bare(line: str) -> str:
    return line.rstrip("\r\n")


def split(text: str) -> tuple[str, str]:
    """(front matter block with its fences, the rest); ("", text) when there is none."""
    lines = text.splitlines(keepends=True)
    if not lines or not _OPEN.match(_bare(lines[0])):
        return "", text
    for index in range(1, len(lines)):
        if _CLOSE.match(_bare(lines[index])):
            return "".join(lines[: index + 1]), "".join(lines[index + 1 :])
    return "", text


def parse(text: str) -> FrontMatter | None:
    """The front matter of ``text``, None without one; raises :class:`FrontMatterError`."""
    lines = text.splitlines(keepends=True)
    if not lines or not _OPEN.match(_bare(lines[0])):
        return None
    close = next((i for i in range(1, len(lines)) if _CLOSE.match(_bare(lines[i]))), None)
    if close is None:
        raise FrontMatterError(1, "the front matter has no closing `---` line")
    entries: dict[str, Entry] = {}
    current: tuple[str, int, str, int, int] | None = None  # key, first, value, start, end
    last = 0
    open_value = ""  # text of a quoted or flow value still open on the key's line

    def finish() -> None:
        if current is not None:
            key, first, value, start, end = current
            if open_value:
                _check_value(open_value, first + 1, complete=True)
            entries[key] = Entry(key, first, last, value, start, end)

    for index in range(1, close):
        line = _bare(lines[index])
        number = index + 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise FrontMatterError(number, "tabs are not allowed for indentation in YAML")
        if indent:
            if current is None:
                raise FrontMatterError(
                    number,
                    "the keys are indented; hffix edits only keys at the start of a line",
                    unsupported=True,
                )
            last = index
            if open_value:
                open_value += " " + stripped
            continue
        if stripped.startswith("- ") or stripped == "-":
            raise FrontMatterError(number, "the front matter must be a mapping of keys, not a list")
        match = _KEY.match(line)
        if match is None:
            raise FrontMatterError(number, f"expected `key: value`, found {stripped[:40]!r}")
        finish()
        key = match.group("key").strip()
        if key[:1] in {'"', "'"}:
            key = key[1:-1]
        if key in entries:
            raise FrontMatterError(number, f"duplicate key `{key}`")
        rest = match.group("rest")
        value, end_offset = _value_text(rest)
        lead = len(rest) - len(rest.lstrip(" \t"))
        start = match.start("rest") + lead
        current = (key, index, value, start, match.start("rest") + end_offset)
        last = index
        open_value = "" if _check_value(value, number, complete=False) else value
    finish()
    return FrontMatter(lines, close, entries)


def _value_text(rest: str) -> tuple[str, int]:
    """The value on a key line without its comment, and where the value ends in ``rest``."""
    quote = None
    index = 0
    while index < len(rest):
        char = rest[index]
        if quote is None:
            if char in {'"', "'"} and rest[:index].strip() == "":
                quote = char
            elif char == "#" and (index == 0 or rest[index - 1] in " \t"):
                break
        elif quote == '"' and char == "\\":
            index += 1
        elif char == quote:
            if quote == "'" and rest[index + 1 : index + 2] == "'":
                index += 1
            else:
                quote = None
        index += 1
    value = rest[:index].rstrip()
    return value.strip(), len(value)


def _check_value(value: str, number: int, *, complete: bool) -> bool:
    """Validate a value; False when it is a quoted or flow value that continues on later lines."""
    if not value:
        return True
    head = value[0]
    if head == '"':
        if not _closed_quote(value, '"'):
            if complete:
                raise FrontMatterError(number, "unclosed double quote")
            return False
        return True
    if head == "'":
        if not _closed_quote(value, "'"):
            if complete:
                raise FrontMatterError(number, "unclosed single quote")
            return False
        return True
    if head in "[{":
        balance = _flow_balance(value)
        if balance < 0 or (complete and balance != 0):
            raise FrontMatterError(number, "unbalanced brackets")
        return balance == 0
    if head in "@`":
        raise FrontMatterError(number, f"a plain value cannot start with `{head}`; quote it")
    if head in "|>":
        return True
    if ": " in value or value.endswith(":"):
        raise FrontMatterError(number, "`: ` inside a plain value; quote the value")
    return True


def _closed_quote(value: str, quote: str) -> bool:
    index = 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1 : index + 2] == "'":
                index += 2
                continue
            rest = value[index + 1 :].strip()
            return not rest or rest.startswith("#")
        index += 1
    return False


def _flow_balance(value: str) -> int:
    depth = 0
    quote = None
    for char in value:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth < 0:
                return -1
    return depth


def scalar(entry: Entry) -> str | None:
    """The string a single-line scalar entry holds, as YAML reads it (``3.10`` is 3.1)."""
    if entry.multiline:
        return None
    value = entry.value
    if not value:
        return ""
    if value[0] == '"':
        return _unescape(value[1 : value.rindex('"')])
    if value[0] == "'":
        return value[1 : value.rindex("'")].replace("''", "'")
    if value[0] in "[{&*!":
        return None
    if re.fullmatch(r"[-+]?\d+\.\d+", value):
        return str(float(value))  # YAML reads 3.10 as the float 3.1
    return value


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "0": "\0", " ": " "}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def render_scalar(value: str, *, quote: bool = False) -> str:
    if not quote and _PLAIN_SAFE.match(value) and not _YAML_SPECIAL.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def with_value(front: FrontMatter, key: str, rendered: str, newline: str) -> str:
    """The README with ``key`` set to the YAML text ``rendered``; every other byte kept."""
    lines = list(front.lines)
    entry = front.entries.get(key)
    if entry is None:
        lines.insert(front.close, f"{key}: {rendered}{newline}")
        return "".join(lines)
    if entry.multiline:
        raise ValueError(f"{key} spans several lines")
    line = lines[entry.first]
    ending = line[len(_bare(line)) :]
    bare = _bare(line)
    if entry.value:
        bare = bare[: entry.value_start] + rendered + bare[entry.value_end :]
    else:
        head, tail = bare[: entry.value_end], bare[entry.value_end :]
        bare = head.rstrip() + " " + rendered + tail
    lines[entry.first] = bare + ending
    return "".join(lines)


def new_block(pairs: list[tuple[str, str]], newline: str) -> str:
    body = "".join(f"{key}: {value}{newline}" for key, value in pairs)
    return f"---{newline}{body}---{newline}"
