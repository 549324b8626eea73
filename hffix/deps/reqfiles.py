"""Requirement files in the workspace: decoding (UTF-16 too) and following ``-r`` includes."""

from __future__ import annotations

import codecs
import posixpath
from dataclasses import dataclass, field

from hffix.formats.requirements import LineKind, RequirementLine, parse_requirements
from hffix.repository.workspace import Unreadable, Workspace
from hffix.textio import TextFormat, detect_newline

UTF8_FORMAT = TextFormat()


@dataclass(frozen=True)
class ReadFile:
    text: str
    fmt: TextFormat
    # Set when the workspace could not decode the file but this module could (UTF-16
    # without a byte-order mark): the file must be rewritten as UTF-8 for pip to read it.
    recovered: str | None = None

    @property
    def is_utf8(self) -> bool:
        return self.recovered is None and self.fmt.is_utf8


def _utf16_without_bom(raw: bytes) -> str | None:
    if len(raw) < 2 or len(raw) % 2:
        return None
    even_nuls = raw[0::2].count(0)
    odd_nuls = raw[1::2].count(0)
    half = len(raw) // 2
    if odd_nuls > half * 0.6 and even_nuls == 0:
        encoding = "utf-16-le"
    elif even_nuls > half * 0.6 and odd_nuls == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return codecs.decode(raw, encoding)
    except UnicodeDecodeError:
        return None


def read(workspace: Workspace, path: str) -> ReadFile | None:
    """The text of a requirements file; ``None`` when it cannot be read at all."""
    try:
        return ReadFile(workspace.text(path), workspace.format(path))
    except Unreadable:
        pass
    origin = workspace.origin(path)
    if origin is None:
        return None
    try:
        raw = workspace.raw(origin)
    except Unreadable:
        return None
    text = _utf16_without_bom(raw)
    if text is None:
        return None
    return ReadFile(text, TextFormat("utf-8", b"", detect_newline(text)), "UTF-16 without BOM")


def why_unreadable(workspace: Workspace, path: str) -> str:
    """Why :func:`read` gave ``None`` for ``path``, in one line (``larger than 4 MiB``)."""
    try:
        workspace.text(path)
    except Unreadable as exc:
        return exc.reason
    return "cannot decode"


@dataclass
class Flattened:
    """The requirement lines of a file with its ``-r`` includes inlined, in order."""

    lines: list[RequirementLine] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file read, the first one included
    missing: list[str] = field(default_factory=list)  # includes that name no file here


def flatten(workspace: Workspace, path: str, *, rebase_to: str = "") -> Flattened:
    """Lines of ``path`` and of the files it includes, in pip's order. ``-c`` constraint
    paths are rewritten relative to the folder ``rebase_to`` so they still work from there;
    other relative paths (``-e ./lib``) are kept as written."""
    result = Flattened()
    _flatten(workspace, path, rebase_to, result, set())
    return result


def _rebased(target: str, folder: str, rebase_to: str) -> str:
    if "://" in target or target.startswith("/"):
        return target
    joined = posixpath.normpath(posixpath.join(folder, target))
    return posixpath.relpath(joined, rebase_to or ".")


def _flatten(
    workspace: Workspace, path: str, rebase_to: str, result: Flattened, active: set[str]
) -> None:
    if path in active:
        return
    read_file = read(workspace, path) if workspace.exists(path) else None
    if read_file is None:
        result.missing.append(path)
        return
    active.add(path)
    result.files.append(path)
    folder = posixpath.dirname(path)
    for line in parse_requirements(read_file.text):
        if line.kind is LineKind.INCLUDE and line.target is not None:
            included = posixpath.normpath(posixpath.join(folder, line.target))
            if "://" in line.target:
                result.lines.append(line)
            else:
                _flatten(workspace, included, rebase_to, result, active)
            continue
        if line.kind is LineKind.CONSTRAINT and line.target is not None and folder != rebase_to:
            new_target = _rebased(line.target, folder, rebase_to)
            text = line.text.replace(line.target, new_target, 1)
            line = RequirementLine(text, line.kind, line.line, target=new_target)
        result.lines.append(line)
    active.discard(path)
