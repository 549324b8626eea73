"""Render a change set as a git-style patch that ``git apply`` reproduces exactly.

The patch is built from bytes, not text: lines are cut at ``\\n`` only, as git cuts them
(a ``\\r`` is an ordinary byte of its line, so ``\\r\\n`` and old Mac ``\\r`` newlines
survive), a BOM stays on the first line, files in latin-1 stay latin-1. Files holding NUL
bytes (UTF-16 text, binaries) are written as ``GIT binary patch`` literals with full blob
ids, which ``git apply`` requires.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import zlib
from collections.abc import Iterable

from hffix.repository.workspace import ChangeKind, FileChange

CONTEXT_LINES = 3
_NULL_ID = "0" * 40
_NO_NEWLINE = b"\\ No newline at end of file\n"


def git_mode(mode: int | None) -> str:
    """Git records only regular (100644) and executable (100755) files."""
    return "100755" if mode is not None and mode & 0o100 else "100644"


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def quote_path(path: str) -> str:
    """Quote a path the way git does when it holds control, quote or non-ASCII characters."""
    raw = path.encode("utf-8", "surrogateescape")
    if not any(b < 0x20 or b >= 0x7F or b in b'"\\' for b in raw):
        return path
    escapes = {0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f", 0x0D: "r"}
    out = []
    for b in raw:
        if b in b'"\\':
            out.append("\\" + chr(b))
        elif b in escapes:
            out.append("\\" + escapes[b])
        elif b < 0x20 or b >= 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def _prefixed(prefix: str, path: str) -> str:
    quoted = quote_path(path)
    if quoted.startswith('"'):
        return '"' + prefix + quoted[1:]
    return prefix + quoted


def _name_line(marker: str, prefix: str, path: str | None) -> bytes:
    if path is None:
        return f"{marker} /dev/null\n".encode()
    name = _prefixed(prefix, path)
    tab = "\t" if " " in path and not name.startswith('"') else ""
    return f"{marker} {name}{tab}\n".encode()


def _range(start: int, stop: int) -> str:
    length = stop - start
    begin = start + 1
    if length == 1:
        return str(begin)
    if length == 0:
        begin -= 1
    return f"{begin},{length}"


def _lines(data: bytes) -> list[bytes]:
    """``data`` cut after each ``\\n``, the only line separator git knows.

    ``bytes.splitlines`` would also cut at a lone ``\\r``: a file with old Mac newlines, or
    a carriage return inside a string literal, would then come out as lines without their
    ``\\n`` that ``git apply`` cannot match. Here a ``\\r`` is an ordinary byte of its line,
    and a file whose only newlines are ``\\r`` is one line.
    """
    if not data:
        return []
    lines = [line + b"\n" for line in data.split(b"\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    return lines


def _emit(out: list[bytes], sign: bytes, line: bytes) -> None:
    out.append(sign + line)
    if not line.endswith(b"\n"):
        out.append(b"\n")
        out.append(_NO_NEWLINE)


def text_hunks(old: bytes, new: bytes, context: int = CONTEXT_LINES) -> list[bytes]:
    """Unified-diff hunks between two byte strings, split on ``\\n`` as git does."""
    a, b = _lines(old), _lines(new)
    out: list[bytes] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        header = f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        out.append(header.encode())
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for line in a[i1:i2]:
                    _emit(out, b" ", line)
                continue
            for line in a[i1:i2]:
                _emit(out, b"-", line)
            for line in b[j1:j2]:
                _emit(out, b"+", line)
    return out


def binary_literal(data: bytes) -> list[bytes]:
    """One ``literal`` hunk of a ``GIT binary patch``: zlib data in git's base85 lines."""
    out = [f"literal {len(data)}\n".encode()]
    packed = zlib.compress(data, 9)
    for start in range(0, len(packed), 52):
        chunk = packed[start : start + 52]
        size = len(chunk)
        size_char = chr(ord("A") + size - 1) if size <= 26 else chr(ord("a") + size - 27)
        out.append(size_char.encode() + base64.b85encode(chunk, pad=True) + b"\n")
    out.append(b"\n")
    return out


def _is_binary(data: bytes | None) -> bool:
    return data is not None and b"\x00" in data


def file_patch(change: FileChange) -> bytes:
    old_name = change.old_path or change.new_path
    new_name = change.new_path or change.old_path
    assert old_name is not None and new_name is not None
    out = [f"diff --git {_prefixed('a/', old_name)} {_prefixed('b/', new_name)}\n".encode()]
    kind = change.kind
    if kind is ChangeKind.CREATE:
        out.append(f"new file mode {git_mode(change.new_mode)}\n".encode())
    elif kind is ChangeKind.DELETE:
        out.append(f"deleted file mode {git_mode(change.old_mode)}\n".encode())
    else:
        if git_mode(change.old_mode) != git_mode(change.new_mode):
            out.append(f"old mode {git_mode(change.old_mode)}\n".encode())
            out.append(f"new mode {git_mode(change.new_mode)}\n".encode())
        if kind is ChangeKind.RENAME:
            ratio = difflib.SequenceMatcher(
                None, _lines(change.old or b""), _lines(change.new or b""), autojunk=False
            ).ratio()
            out.append(f"similarity index {int(ratio * 100)}%\n".encode())
            out.append(f"rename from {quote_path(old_name)}\n".encode())
            out.append(f"rename to {quote_path(new_name)}\n".encode())
    old = change.old or b""
    new = change.new or b""
    if old == new:
        return b"".join(out)
    if _is_binary(change.old) or _is_binary(change.new):
        old_id = blob_id(old) if change.old is not None else _NULL_ID
        new_id = blob_id(new) if change.new is not None else _NULL_ID
        out.append(f"index {old_id}..{new_id}\n".encode())
        out.append(b"GIT binary patch\n")
        out.extend(binary_literal(new))
        out.extend(binary_literal(old))
        return b"".join(out)
    out.append(_name_line("---", "a/", None if kind is ChangeKind.CREATE else old_name))
    out.append(_name_line("+++", "b/", None if kind is ChangeKind.DELETE else new_name))
    out.extend(text_hunks(old, new))
    return b"".join(out)


def render_patch(changes: Iterable[FileChange]) -> bytes:
    """The whole change set as one patch (empty bytes when nothing changes)."""
    return b"".join(file_patch(change) for change in changes)
