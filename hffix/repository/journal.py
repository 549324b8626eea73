"""The write journal: how a ``--write`` killed half way is undone by the next run.

Before the first change of a write touches disk, :func:`begin` leaves two things at the
repository root and syncs them to disk:

- ``.hffix-journal.d/old``: the old bytes of every file the change set edits, deletes or
  moves, one after the other (the folder and the file are private to the user: a moved
  ``.env`` may be among them);
- ``.hffix-journal``: JSON naming every step of the change set (its old and new path,
  modes, the SHA-256 of the old and of the new bytes, where its old bytes are in ``old``),
  the folders the write may create and the modes of the folders it may remove.

The write then changes the repository and removes both once it is complete, or once a
failed write has been rolled back. While it runs, the sidecar folder is locked
(``flock``), so another run can tell a write in progress from an interrupted one.

A journal found by a later run is an interrupted write (``kill -9``, a power cut, or a
rollback that could not finish). The policy is always the same: **roll back**, never
forward. Every old path gets its old bytes and mode back, every file the write added is
removed if it still holds what hffix wrote, the write's temporary files and the folders it
created go, and the journal is removed; then the run goes on as if the interrupted one
had never started (``--write`` plans and writes anew). What recovery decides depends only
on the journal and on the files it names, so it is deterministic and can itself be
interrupted and run again. A file that holds something hffix neither had nor wrote is
never overwritten: recovery stops, names it, and keeps the journal (and so the old bytes)
until the user has moved it away; removing ``.hffix-journal`` and ``.hffix-journal.d``
keeps the repository as it is. Without ``--write`` nothing is changed: the run reports
that an interrupted write is pending.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hffix.repository.workspace import FileChange

try:  # POSIX; elsewhere nothing is locked
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

JOURNAL = ".hffix-journal"
SIDECAR = ".hffix-journal.d"
OLD_BYTES = "old"  # in SIDECAR: the old bytes of every step, one after the other
_STAGING = "journal.tmp"  # in SIDECAR: the journal before it is linked into place
FORMAT = "hffix-journal"
VERSION = 1

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# Folders are opened and used through descriptors where the platform allows it (POSIX);
# elsewhere through paths, each component checked with lstat.
DIR_FDS = {os.open, os.mkdir, os.unlink, os.rename, os.stat, os.rmdir, os.link}.issubset(
    os.supports_dir_fd
) and os.listdir in os.supports_fd


class JournalError(Exception):
    """The journal cannot be written or read; one-line message."""


# ----------------------------------------------------------------- folders and files


@dataclass
class Folder:
    """An open folder: a descriptor (``fd``) where the platform has them, else a path."""

    fd: int | None
    path: str  # absolute; names the folder in messages, and is the route without ``fd``

    def at(self, name: str) -> str:
        """What to pass, with ``dir_fd=self.fd``, to reach ``name`` in this folder."""
        return name if self.fd is not None else os.path.join(self.path, name)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def sync(self) -> None:
        """Make the folder's entries durable (descriptors only)."""
        if self.fd is not None:
            os.fsync(self.fd)

    def names(self) -> list[str]:
        return os.listdir(self.fd if self.fd is not None else self.path)


# The repository root opened once by :func:`pinned` for a whole write or recovery.
_PINNED: ContextVar[tuple[str, int] | None] = ContextVar("hffix_pinned_root", default=None)


def open_folder(path: str | os.PathLike[str]) -> Folder:
    """Open a folder the caller trusts (the repository root); the root :func:`pinned`
    holds is reached through its descriptor, whatever its path names now."""
    name = os.fspath(path)
    if not DIR_FDS:
        return Folder(None, name)
    held = _PINNED.get()
    if held is not None and held[0] == name:
        return Folder(os.dup(held[1]), name)
    return Folder(os.open(name, os.O_RDONLY | _DIRECTORY | _CLOEXEC), name)


@contextlib.contextmanager
def pinned(root: Path) -> Iterator[None]:
    """Open ``root`` once for the block: every folder and file the block reaches below it is
    reached from that descriptor, even if the root's own path is swapped meanwhile."""
    if not DIR_FDS:
        yield
        return
    folder = open_folder(root)
    assert folder.fd is not None
    token = _PINNED.set((os.fspath(root), folder.fd))
    try:
        yield
    finally:
        _PINNED.reset(token)
        folder.close()


def open_child(folder: Folder, name: str) -> Folder:
    """Open the folder ``name`` in ``folder`` without following a symbolic link.

    Raises :class:`IsALinkError` for a link, ``FileNotFoundError`` when it is missing and
    ``NotADirectoryError`` for anything else that is not a folder.
    """
    path = os.path.join(folder.path, name)
    if folder.fd is not None:
        try:
            fd = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=folder.fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK) and is_link(folder, name):
                raise IsALinkError(path) from None
            raise
        return Folder(fd, path)
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise IsALinkError(path)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), path)
    return Folder(None, path)


class IsALinkError(OSError):
    """A symbolic link stands where a folder or file was to be opened."""

    def __init__(self, path: str) -> None:
        super().__init__(errno.ELOOP, "is a symbolic link", path)


def lstat(folder: Folder, name: str) -> os.stat_result | None:
    """``name``'s own status in ``folder`` (a link is not followed); None if missing."""
    try:
        return os.lstat(folder.at(name), dir_fd=folder.fd)
    except FileNotFoundError:
        return None


def is_link(folder: Folder, name: str) -> bool:
    info = lstat(folder, name)
    return info is not None and stat.S_ISLNK(info.st_mode)


def write_all(fd: int, chunks: Iterable[bytes]) -> None:
    """Write every byte of ``chunks`` to ``fd`` (``os.write`` may write less than asked)."""
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]


def _write_file(folder: Folder, name: str, chunks: Iterable[bytes]) -> None:
    """A new private file ``name`` in ``folder`` holding ``chunks``, synced to disk."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | _CLOEXEC
    fd = os.open(folder.at(name), flags, 0o600, dir_fd=folder.fd)
    try:
        write_all(fd, chunks)
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock(folder: Folder) -> bool:
    """Take the sidecar's lock without waiting; False if another process holds it."""
    if folder.fd is None or fcntl is None:  # pragma: no cover - not POSIX
        return True
    try:
        fcntl.flock(folder.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _empty_and_remove(root: Folder, sidecar: Folder) -> None:
    for name in sidecar.names():
        os.unlink(sidecar.at(name), dir_fd=sidecar.fd)
    os.rmdir(root.at(SIDECAR), dir_fd=root.fd)


# ----------------------------------------------------------------- the record


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Step:
    """One file of the change set: enough to tell, from disk alone, whether it was applied,
    and to undo it."""

    old_path: str | None  # None: the write creates the file
    new_path: str | None  # None: the write deletes the file
    old_mode: int | None
    new_mode: int | None
    old_sha256: str | None
    new_sha256: str | None
    backup: tuple[int, int] | None  # (offset, length) of the old bytes in SIDECAR/old

    def to_json(self) -> dict[str, Any]:
        return {
            "old_path": self.old_path,
            "new_path": self.new_path,
            "old_mode": self.old_mode,
            "new_mode": self.new_mode,
            "old_sha256": self.old_sha256,
            "new_sha256": self.new_sha256,
            "backup": list(self.backup) if self.backup is not None else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> Step:
        if not isinstance(data, dict):
            raise JournalError("a step is not an object")
        old_path = _optional(data, "old_path", str)
        new_path = _optional(data, "new_path", str)
        backup = data.get("backup")
        if backup is not None and not (
            isinstance(backup, list) and len(backup) == 2 and all(_is_int(n) for n in backup)
        ):
            raise JournalError("a step's backup is not [offset, length]")
        step = cls(
            old_path,
            new_path,
            _optional(data, "old_mode", int),
            _optional(data, "new_mode", int),
            _optional(data, "old_sha256", str),
            _optional(data, "new_sha256", str),
            (backup[0], backup[1]) if backup is not None else None,
        )
        complete_old = None not in (step.old_mode, step.old_sha256, step.backup)
        complete_new = None not in (step.new_mode, step.new_sha256)
        if (old_path is None and new_path is None) or (
            (old_path is not None and not complete_old)
            or (new_path is not None and not complete_new)
        ):
            raise JournalError("a step lacks a path, a mode, a hash or its old bytes")
        for path in (old_path, new_path):
            if path is not None and not is_relative(path):
                raise JournalError(f"a step names {path!r}, not a path inside the repository")
        return step


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(data: Mapping[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise JournalError(f"a step's {key} is not a {kind.__name__}")
    return value


def is_relative(path: str) -> bool:
    """A POSIX path inside the repository: no empty, `.` or `..` component."""
    return bool(path) and all(part not in ("", ".", "..") for part in path.split("/"))


@dataclass(frozen=True)
class Journal:
    """What ``.hffix-journal`` holds."""

    steps: tuple[Step, ...]
    # Folders missing when the write started that it may create (undo removes them if empty).
    created_folders: tuple[str, ...] = ()
    # Modes of the folders holding old paths (undo makes the ones the write removed again).
    folder_modes: Mapping[str, int] = field(default_factory=dict)
    started: str = ""  # local time the write started, for messages

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "started": self.started,
            "steps": [step.to_json() for step in self.steps],
            "created_folders": list(self.created_folders),
            "folder_modes": dict(sorted(self.folder_modes.items())),
        }
        return json.dumps(document, indent=1).encode("utf-8") + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Journal:
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise JournalError(f"{JOURNAL} is not JSON") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise JournalError(f"{JOURNAL} is not an hffix journal")
        if document.get("version") != VERSION:
            raise JournalError(
                f"{JOURNAL} has version {document.get('version')!r}; this hffix reads {VERSION}"
            )
        steps = document.get("steps")
        folders = document.get("created_folders", [])
        modes = document.get("folder_modes", {})
        if not (
            isinstance(steps, list)
            and isinstance(folders, list)
            and all(isinstance(f, str) and is_relative(f) for f in folders)
            and isinstance(modes, dict)
            and all(is_relative(k) and _is_int(v) for k, v in modes.items())
        ):
            raise JournalError(f"{JOURNAL} is damaged")
        return cls(
            tuple(Step.from_json(step) for step in steps),
            tuple(folders),
            modes,
            str(document.get("started", "")),
        )

    def describe(self) -> str:
        started = f"started {self.started}, " if self.started else ""
        count = len(self.steps)
        return f"({started}{count} file{'s' if count != 1 else ''})"


def _parents(path: str) -> Iterator[str]:
    """``a/b/c.py`` -> ``a``, ``a/b``."""
    parts = path.split("/")
    for index in range(1, len(parts)):
        yield "/".join(parts[:index])


def prepare(root: Path, changes: Sequence[FileChange]) -> tuple[Journal, list[bytes]]:
    """The journal of ``changes`` (its steps in the same order) and the old bytes to keep."""
    steps: list[Step] = []
    kept: list[bytes] = []
    offset = 0
    for change in changes:
        backup: tuple[int, int] | None = None
        if change.old_path is not None:
            assert change.old is not None
            backup = (offset, len(change.old))
            kept.append(change.old)
            offset += len(change.old)
        steps.append(
            Step(
                change.old_path,
                change.new_path,
                change.old_mode,
                change.new_mode,
                sha256(change.old) if change.old is not None else None,
                sha256(change.new) if change.new is not None else None,
                backup,
            )
        )
    created: dict[str, None] = {}
    modes: dict[str, int] = {}
    for change in changes:
        for folder in _parents(change.new_path or ""):
            if folder not in created and not os.path.lexists(root / folder):
                created[folder] = None
        for folder in _parents(change.old_path or ""):
            if folder not in modes:
                with contextlib.suppress(OSError):
                    modes[folder] = stat.S_IMODE(os.lstat(root / folder).st_mode)
    return (
        Journal(tuple(steps), tuple(created), modes, time.strftime("%Y-%m-%d %H:%M:%S")),
        kept,
    )


# ----------------------------------------------------------------- on disk


class OpenJournal:
    """A journal on disk whose lock this process holds (until :meth:`close`)."""

    def __init__(self, root: Folder, sidecar: Folder, journal: Journal) -> None:
        self.root = root
        self.sidecar = sidecar
        self.journal = journal
        self._old: int | None = None

    def old_bytes(self, index: int) -> bytes:
        """The old bytes of step ``index``, checked against the hash the journal recorded."""
        step = self.journal.steps[index]
        assert step.backup is not None
        if self._old is None:
            flags = os.O_RDONLY | _NOFOLLOW | _CLOEXEC
            try:
                self._old = os.open(self.sidecar.at(OLD_BYTES), flags, dir_fd=self.sidecar.fd)
            except OSError as exc:
                raise JournalError(f"{SIDECAR}/{OLD_BYTES}: {exc.strerror}") from None
        offset, length = step.backup
        os.lseek(self._old, offset, os.SEEK_SET)
        data = b""
        while len(data) < length and (chunk := os.read(self._old, length - len(data))):
            data += chunk
        if sha256(data) != step.old_sha256:
            raise JournalError(f"{SIDECAR}/{OLD_BYTES} does not hold the old {step.old_path}")
        return data

    def commit(self) -> None:
        """Remove the journal: from now on the repository is as it is (the write is done,
        or undone). Raises if the journal cannot be removed."""
        os.unlink(self.root.at(JOURNAL), dir_fd=self.root.fd)
        with contextlib.suppress(OSError):
            self.root.sync()

    def discard(self) -> None:
        """After :meth:`commit`: remove the sidecar and let go (a sidecar left behind
        without a journal is removed by the next write)."""
        try:
            with contextlib.suppress(OSError):
                self._close_old()
                _empty_and_remove(self.root, self.sidecar)
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the journal, leaving it on disk (for the next run)."""
        self._close_old()
        self.sidecar.close()
        self.root.close()

    def _close_old(self) -> None:
        if self._old is not None:
            os.close(self._old)
            self._old = None


def _open_sidecar(root: Folder, create: bool) -> Folder | None:
    """The sidecar folder, opened and locked; None if another process holds its lock."""
    if create:
        os.mkdir(root.at(SIDECAR), 0o700, dir_fd=root.fd)
    sidecar = open_child(root, SIDECAR)
    if not _lock(sidecar):
        sidecar.close()
        return None
    return sidecar


def begin(root_path: Path, journal: Journal, kept: Sequence[bytes]) -> OpenJournal:
    """Write the journal and the old bytes, durably, before any change. Raises
    :class:`JournalError` or ``OSError`` with nothing left behind."""
    root = open_folder(root_path)
    try:
        if lstat(root, JOURNAL) is not None:
            raise JournalError(
                f"{JOURNAL}: an interrupted write is pending; run hffix --write to undo it"
            )
        sidecar = _claim_sidecar(root)
    except BaseException:
        root.close()
        raise
    linked = False
    try:
        _write_file(sidecar, OLD_BYTES, kept)
        _write_file(sidecar, _STAGING, [journal.to_json()])
        sidecar.sync()
        try:
            os.link(
                sidecar.at(_STAGING),
                root.at(JOURNAL),
                src_dir_fd=sidecar.fd,
                dst_dir_fd=root.fd,
                follow_symlinks=False,
            )
        except FileExistsError:
            raise JournalError(f"{JOURNAL}: another hffix process is writing") from None
        linked = True
        os.unlink(sidecar.at(_STAGING), dir_fd=sidecar.fd)
        root.sync()
    except BaseException:
        try:
            with contextlib.suppress(OSError):
                if linked:
                    os.unlink(root.at(JOURNAL), dir_fd=root.fd)
                _empty_and_remove(root, sidecar)
        finally:
            sidecar.close()
            root.close()
        raise
    return OpenJournal(root, sidecar, journal)


def _claim_sidecar(root: Folder) -> Folder:
    """A new, empty, locked sidecar folder (a stale one, left without a journal by a write
    that was killed before its journal was in place or after it was removed, is emptied)."""
    try:
        sidecar = _open_sidecar(root, create=True)
    except FileExistsError:
        sidecar = _open_sidecar(root, create=False)
        if sidecar is not None:
            for name in sidecar.names():
                os.unlink(sidecar.at(name), dir_fd=sidecar.fd)
    if sidecar is None:
        raise JournalError(f"{SIDECAR}: another hffix process is writing")
    return sidecar


def open_pending(root_path: Path) -> OpenJournal | None:
    """The journal an interrupted write left, read and locked; None if there is none.

    A sidecar folder without a journal is a write that never started changing anything,
    or one that finished: it is left for :func:`begin` or :func:`remove_stale`.
    """
    root = open_folder(root_path)
    try:
        if lstat(root, JOURNAL) is None:
            root.close()
            return None
        try:
            sidecar = _open_sidecar(root, create=False)
        except FileNotFoundError:
            raise JournalError(f"{JOURNAL} is there but {SIDECAR}/ is missing") from None
        if sidecar is None:
            raise JournalError(
                "another hffix process is writing this repository right now; try again later"
            )
        try:
            fd = os.open(root.at(JOURNAL), os.O_RDONLY | _NOFOLLOW | _CLOEXEC, dir_fd=root.fd)
            try:
                raw = b""
                while chunk := os.read(fd, 1 << 20):
                    raw += chunk
            finally:
                os.close(fd)
            return OpenJournal(root, sidecar, Journal.from_json(raw))
        except BaseException:
            sidecar.close()
            raise
    except OSError as exc:
        root.close()
        raise JournalError(f"{JOURNAL}: {exc.strerror}") from None
    except BaseException:
        root.close()
        raise


def remove_stale(root_path: Path) -> None:
    """Remove a sidecar folder left without a journal (unless a write holds it)."""
    root = open_folder(root_path)
    try:
        if lstat(root, JOURNAL) is not None or lstat(root, SIDECAR) is None:
            return
        with contextlib.suppress(OSError):
            sidecar = _open_sidecar(root, create=False)
            if sidecar is not None:
                try:
                    _empty_and_remove(root, sidecar)
                finally:
                    sidecar.close()
    finally:
        root.close()


# ----------------------------------------------------------------- recovery


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` found and did."""

    error: str | None = None  # the run must stop here: nothing may be planned or written
    note: str | None = None  # one line for the user: what was undone


def recover(root: Path, write: bool) -> Recovery:
    """Undo the write an interrupted run left at ``root`` (only when ``write``).

    Call before planning. Without ``write`` nothing is changed and a pending journal is an
    error that says ``--write`` undoes it.
    """
    from hffix.repository import writer

    with writer.signals_held(), pinned(root):
        try:
            opened = open_pending(root)
        except JournalError as exc:
            return Recovery(error=f"{exc}; nothing checked or written")
        if opened is None:
            if write:
                remove_stale(root)
            return Recovery()
        what = opened.journal.describe()
        if not write:
            opened.close()
            return Recovery(
                error=(
                    f"{JOURNAL}: an hffix --write was interrupted {what} and left the "
                    "repository half written; run hffix --write to undo it first"
                )
            )
        try:
            unrestored = writer.roll_back(root, opened.journal, opened.old_bytes)
            if not unrestored:
                opened.commit()
        except OSError as exc:
            opened.close()
            return Recovery(error=f"{JOURNAL}: cannot undo the interrupted write: {exc}")
        except BaseException:
            opened.close()
            raise
        if unrestored:
            opened.close()
            listed = "; ".join(item.message for item in unrestored)
            return Recovery(
                error=(
                    f"{JOURNAL}: an hffix --write was interrupted {what}; undoing it, could "
                    f"not: {listed}. Move those files away (or free space) and run hffix "
                    f"--write again to finish; the old bytes are kept in {SIDECAR}/ (delete "
                    f"{JOURNAL} and {SIDECAR}/ to keep the repository as it is)"
                )
            )
        opened.discard()
    return Recovery(note=f"an hffix --write was interrupted {what}; it was undone before this run")
