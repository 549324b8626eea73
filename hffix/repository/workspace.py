"""The in-memory view of one repository that every rule plans against, and the change set it yields.

Rules read the *current* view (the repository as earlier rules left it) and propose edits,
new files, renames and deletions through :class:`Workspace`. Nothing touches disk: the
view is turned into a list of :class:`FileChange` by :meth:`Workspace.changes`, which the
patch renderer and the writer consume.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from hffix.fixes import Delete, Edit, Rename, SetMode, Write
from hffix.repository.discovery import DiskFile, Skipped, scan
from hffix.textio import UTF8, DecodeError, TextFormat, decode, encode

MAX_FILE_BYTES = 4 * 1024 * 1024
REGULAR_FILE = stat.S_IFREG | 0o644


class Unreadable(Exception):
    """A file that cannot be read as text; ``reason`` is one line."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ChangeKind(Enum):
    CREATE = "create"
    MODIFY = "modify"
    DELETE = "delete"
    RENAME = "rename"


@dataclass(frozen=True)
class FileChange:
    """One file's difference between disk and the planned result."""

    old_path: str | None
    new_path: str | None
    old: bytes | None
    new: bytes | None
    old_mode: int | None
    new_mode: int | None

    @property
    def kind(self) -> ChangeKind:
        if self.old_path is None:
            return ChangeKind.CREATE
        if self.new_path is None:
            return ChangeKind.DELETE
        if self.old_path != self.new_path:
            return ChangeKind.RENAME
        return ChangeKind.MODIFY

    @property
    def path(self) -> str:
        """The path a user recognises: the new one, or the old one for a deletion."""
        return self.new_path or self.old_path or ""


@dataclass(slots=True)
class _Entry:
    origin: str | None  # original path whose content this is; None for a new file
    text: str | None = None  # None: unchanged since disk and not yet loaded
    fmt: TextFormat = UTF8
    mode: int = REGULAR_FILE
    dirty: bool = False

    def copy(self) -> _Entry:
        return _Entry(self.origin, self.text, self.fmt, self.mode, self.dirty)


# O_BINARY: no newline translation where the C library would do it (Windows).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def _read_file(path: str, size: int) -> bytes:
    """The whole content of the file at ``path``, read to its end as ``open(path,
    "rb").read()`` does, without the buffered file object: ``size`` (its size when
    discovered) is the first read's length, so a file that did not change is read in one
    call, and a second read finds its end. A file that grew since is read on to its end."""
    fd = os.open(path, _READ_FLAGS)
    try:
        data = os.read(fd, size + 1)
        if not data:
            return data
        chunks = [data]
        while chunk := os.read(fd, max(size, 65536)):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return data if len(chunks) == 1 else b"".join(chunks)


_PYTHON_SUFFIXES = (".py", ".pyi")


def is_python_path(path: str) -> bool:
    return path.endswith(_PYTHON_SUFFIXES)


def _check_relative(path: str) -> str:
    norm = posixpath.normpath(path)
    if norm.startswith(("../", "/")) or norm in {"..", "."} or "\\" in path:
        raise ValueError(f"path {path!r} is not inside the repository")
    return norm


@dataclass
class Workspace:
    """A repository root, what discovery found in it, and the edits planned so far."""

    root: Path
    disk: dict[str, DiskFile]
    skipped: list[Skipped] = field(default_factory=list)
    # The Space's own root files git ignores (read all the same; see discovery.ALWAYS_READ).
    gitignored: frozenset[str] = frozenset()
    _current: dict[str, _Entry] = field(default_factory=dict, repr=False)
    _raw: dict[str, bytes] = field(default_factory=dict, repr=False)
    _decoded: dict[str, tuple[str, TextFormat]] = field(default_factory=dict, repr=False)
    # While a draft is open (see :meth:`draft`): the edits made, in order.
    _recorder: list[Edit] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        current = self._current
        for path, info in self.disk.items():
            current[path] = _Entry(path, None, UTF8, info.mode)

    @classmethod
    def load(cls, root: Path, exclude: tuple[str, ...] = ()) -> Workspace:
        found = scan(root, exclude)
        return cls(root, found.files, found.skipped, found.gitignored)

    # ----------------------------------------------------------------- reading
    def paths(self) -> list[str]:
        """Every path in the current view, sorted."""
        return sorted(self._current)

    def exists(self, path: str) -> bool:
        return path in self._current

    def raw(self, path: str) -> bytes:
        """The on-disk bytes of an original file (read once, kept for the write-time check)."""
        data = self._raw.get(path)
        if data is None:
            info = self.disk[path]
            if info.size > MAX_FILE_BYTES:
                raise Unreadable(
                    path, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, skipped"
                )
            try:  # os.path, not pathlib: this runs for every file of every repository
                data = self._raw[path] = _read_file(os.path.join(self.root, path), info.size)
            except OSError as exc:
                raise Unreadable(path, f"cannot read: {exc.strerror}") from None
        return data

    def _original(self, path: str) -> tuple[str, TextFormat]:
        decoded = self._decoded.get(path)
        if decoded is None:
            try:
                decoded = decode(self.raw(path), python=path.endswith(_PYTHON_SUFFIXES))
            except DecodeError as exc:
                raise Unreadable(path, f"cannot decode: {exc}") from None
            self._decoded[path] = decoded
        return decoded

    def text(self, path: str) -> str:
        """Current text of ``path``; raises :class:`Unreadable` or :class:`KeyError`."""
        entry = self._current[path]
        if entry.text is None:
            assert entry.origin is not None
            entry.text, entry.fmt = self._original(entry.origin)
        return entry.text

    def original_text(self, path: str) -> str:
        """The text ``path`` had on disk before any rule ran."""
        return self._original(path)[0]

    def format(self, path: str) -> TextFormat:
        self.text(path)
        return self._current[path].fmt

    def newline(self, path: str) -> str:
        return self.format(path).newline if self.exists(path) else "\n"

    def mode(self, path: str) -> int:
        return self._current[path].mode

    def origin(self, path: str) -> str | None:
        """The original path whose content ``path`` now holds (``None`` for a new file)."""
        return self._current[path].origin

    # ----------------------------------------------------------------- editing
    def write(self, path: str, text: str, *, fmt: TextFormat | None = None) -> None:
        """Replace or create ``path``; an existing file keeps encoding, BOM, newlines and mode."""
        path = _check_relative(path)
        if self._recorder is not None:
            self._recorder.append(Write(path, text, fmt))
        entry = self._current.get(path)
        if entry is None:
            self._current[path] = _Entry(origin=None, text=text, fmt=fmt or UTF8, dirty=True)
            return
        if entry.text is None:
            self.text(path)
        if fmt is not None:
            entry.fmt = fmt
        entry.text = text
        entry.dirty = True

    def delete(self, path: str) -> None:
        del self._current[path]
        if self._recorder is not None:
            self._recorder.append(Delete(path))

    def rename(self, src: str, dst: str) -> None:
        dst = _check_relative(dst)
        if dst in self._current:
            raise FileExistsError(dst)
        self._current[dst] = self._current.pop(src)
        if self._recorder is not None:
            self._recorder.append(Rename(src, dst))

    def set_mode(self, path: str, mode: int) -> None:
        self._current[path].mode = mode
        if self._recorder is not None:
            self._recorder.append(SetMode(path, mode))

    @contextlib.contextmanager
    def draft(self) -> Iterator[list[Edit]]:
        """Edit the view freely inside the block; afterwards it is as it was before, and the
        list holds the edits made, in order. A repository rule plans a multi-file change
        this way (reading its own edits as it goes) and reports it as one fix, which the
        engine applies or withholds (:class:`hffix.fixes.Fix`)."""
        saved = {path: entry.copy() for path, entry in self._current.items()}
        edits: list[Edit] = []
        outer, self._recorder = self._recorder, edits
        try:
            yield edits
        finally:
            self._recorder = outer
            self._current = saved

    # ----------------------------------------------------------------- positions
    def positions(self) -> PositionMap:
        """Maps a position in the view as it is now back to the file on disk.

        Taken when a rule starts: the rule reads this view and reports positions in it, and
        the map turns them into what the user has on disk, however earlier rules moved or
        edited the file.
        """
        edited = {
            path: (entry.origin, entry.text if entry.dirty else None)
            for path, entry in self._current.items()
        }
        return PositionMap(edited, self.original_text)

    # ----------------------------------------------------------------- results
    def changes(self) -> list[FileChange]:
        """The change set: every file whose bytes, path or mode would differ from disk."""
        result: list[FileChange] = []
        kept = {e.origin for e in self._current.values() if e.origin is not None}
        for path, entry in sorted(self._current.items()):
            if entry.origin is None and path in self.disk and path not in kept:
                # A new file where a deleted one stood is an edit of that file.
                kept.add(path)
                entry = _Entry(
                    origin=path, text=entry.text, fmt=entry.fmt, mode=entry.mode, dirty=True
                )
            if entry.origin is None:
                assert entry.text is not None
                new = encode(entry.text, entry.fmt)
                result.append(FileChange(None, path, None, new, None, entry.mode))
                continue
            old = self._raw.get(entry.origin)
            new_bytes: bytes | None = None
            if entry.dirty and entry.text is not None:
                new_bytes = encode(entry.text, entry.fmt)
                if old is None:
                    old = self.raw(entry.origin)
            old_mode = self.disk[entry.origin].mode
            moved = entry.origin != path
            edited = new_bytes is not None and new_bytes != old
            if moved or edited or old_mode != entry.mode:
                if old is None:
                    old = self.raw(entry.origin)
                result.append(
                    FileChange(
                        entry.origin,
                        path,
                        old,
                        new_bytes if new_bytes is not None else old,
                        old_mode,
                        entry.mode,
                    )
                )
        for path in sorted(set(self.disk) - kept):
            result.append(FileChange(path, None, self.raw(path), None, self.disk[path].mode, None))
        # Deletions first: a rename may land where a deleted file stood.
        result.sort(key=lambda c: (c.path, c.kind is not ChangeKind.DELETE))
        return result


@dataclass(frozen=True)
class Location:
    """A place in a file as it is on disk; line and column 0 mean the file as a whole."""

    path: str
    line: int = 0
    col: int = 0


class PositionMap:
    """Positions in one moment's view of the workspace, mapped to the files on disk."""

    def __init__(
        self,
        entries: Mapping[str, tuple[str | None, str | None]],
        original_text: Callable[[str], str],
    ) -> None:
        # path -> (the on-disk path it came from or None, its edited text or None if unedited)
        self._entries = entries
        self._original_text = original_text
        # path -> (the original's lines, blocks taking them to the edited lines)
        self._lines: dict[str, tuple[list[str], list[tuple[int, int, int, int, int]]]] = {}

    def locate(self, path: str, line: int = 0, col: int = 0) -> Location:
        """Where (``path``, ``line``, ``col``) of this view is on disk.

        A path that did not exist in the view (a file the fix creates), a file that is new in
        the view and a line that an earlier rule inserted have no position on disk: they
        map to the file as a whole.
        """
        entry = self._entries.get(path)
        if entry is None:
            return Location(path)
        origin, edited = entry
        if origin is None:
            return Location(path)
        if line <= 0 or edited is None:
            return Location(origin, max(line, 0), max(col, 0) if line > 0 else 0)
        try:
            original = self._original_text(origin)
        except (Unreadable, KeyError):
            return Location(origin)
        lines, blocks = self._blocks(path, original, edited)
        return _map_line(blocks, lines, origin, line, col)

    def _blocks(
        self, path: str, original: str, edited: str
    ) -> tuple[list[str], list[tuple[int, int, int, int, int]]]:
        """The original's lines, and the ``(tag, i1, i2, j1, j2)`` blocks taking them to the
        edited lines; computed once per file."""
        if path not in self._lines:
            import difflib  # only an edited file's positions need it (start-up)

            lines = original.splitlines()
            matcher = difflib.SequenceMatcher(None, lines, edited.splitlines(), autojunk=False)
            blocks = [(_TAGS[t], i1, i2, j1, j2) for t, i1, i2, j1, j2 in matcher.get_opcodes()]
            self._lines[path] = (lines, blocks)
        return self._lines[path]


_EQUAL, _REPLACE, _INSERT, _DELETE = range(4)
_TAGS = {"equal": _EQUAL, "replace": _REPLACE, "insert": _INSERT, "delete": _DELETE}


def _map_line(
    blocks: list[tuple[int, int, int, int, int]],
    lines: list[str],
    origin: str,
    line: int,
    col: int,
) -> Location:
    index = line - 1
    for tag, i1, i2, j1, j2 in blocks:
        if not j1 <= index < j2:
            continue
        if tag == _EQUAL:
            return Location(origin, i1 + index - j1 + 1, col)
        if tag == _REPLACE:
            # A line an earlier rule rewrote: the line it replaced, the column kept on it.
            mapped = min(i1 + index - j1, i2 - 1)
            width = len(lines[mapped]) if mapped < len(lines) else 0
            return Location(origin, mapped + 1, min(max(col, 0), width + 1))
        break  # an inserted line: nothing on disk stands there
    return Location(origin)
