"""Apply a change set to disk: per-file atomic, all or nothing per repository, journaled.

Every file is written to a temporary file (``.hffix-tmp-*``) in its own folder and moved
into place with ``os.replace``, so a reader never sees half a file. Before anything is
written, each file the plan read is compared with disk: if it changed since planning the
repository is left alone. Then the journal (:mod:`hffix.repository.journal`) records every
step and keeps the old bytes, so that a write killed half way is undone by the next run.

Order: every new, moved and edited file is written before any file is removed, so that at
every moment each file of the repository is at its old path, its new path or both (but in
a cycle of moves, where one file is for a moment only in memory and the journal). A file
that arrives where another leaves (a move onto a moved file) is written only once the
leaving file is at its own new path; a move onto a deleted file replaces it in one step.
Deletions, and the removal of moved files' old paths, come last.

The repository root is opened once per write; every path is opened one folder at a time
from it without following symbolic links (``O_NOFOLLOW``), and the temporary file, the
replacement and every removal are made relative to the folder's descriptor (``dir_fd``):
a link planted while hffix writes is refused, never written through, and a folder (or the
root) swapped for a link after hffix opened it only ever receives what was meant for it.

If a write fails half way, what was applied is rolled back from the bytes in memory. A
rollback that cannot restore a file (a full disk) never removes the copy that is left: it
names every path it could not restore in the error and keeps the journal, so the next run
finishes the rollback. SIGINT and SIGTERM are held back while a repository is written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

from hffix.repository import journal
from hffix.repository.journal import Folder, IsALinkError, Journal, JournalError, Step
from hffix.repository.workspace import ChangeKind, FileChange

TEMP_PREFIX = ".hffix-tmp-"
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted where a file was never blocks a read


class WriteError(Exception):
    """The change set was not applied. One-line message.

    ``not_restored`` is empty when the repository is as it was; otherwise a rollback could
    not finish, and it names every path that differs from before the write (the message
    says how; the journal keeps the old bytes and the next run finishes the rollback).
    """

    def __init__(self, message: str, not_restored: Collection[str] = ()) -> None:
        super().__init__(message)
        self.not_restored: tuple[str, ...] = tuple(sorted(set(not_restored)))


# ----------------------------------------------------------------- paths, without links


def _child(root: Path, folder: Folder, prefix: list[str], created: list[Path] | None) -> Folder:
    """Open the folder ``prefix[-1]`` in ``folder``; make it when missing and ``created``
    is given (and append it there)."""
    try:
        return journal.open_child(folder, prefix[-1])
    except FileNotFoundError:
        if created is None:
            raise
    try:
        os.mkdir(folder.at(prefix[-1]), 0o777, dir_fd=folder.fd)
        created.append(root.joinpath(*prefix))
    except FileExistsError:
        pass  # made meanwhile: opened, and checked, below
    return journal.open_child(folder, prefix[-1])


@contextlib.contextmanager
def _parent(
    root: Path, rel: str, created: list[Path] | None = None
) -> Iterator[tuple[Folder, str]]:
    """The folder holding ``rel``, opened from ``root`` one folder at a time without
    following a link (missing folders are made when ``created`` is given), and ``rel``'s
    last component. ``FileNotFoundError`` if a folder on the way is missing."""
    if not journal.is_relative(rel):
        raise WriteError(f"{rel}: not a path inside the repository")
    parts = rel.split("/")
    folder = journal.open_folder(root)
    try:
        for index in range(1, len(parts)):
            try:
                child = _child(root, folder, parts[:index], created)
            except IsALinkError:
                raise WriteError(
                    f"{rel}: refusing to write through the symbolic link {parts[index - 1]}"
                ) from None
            folder.close()
            folder = child
        yield folder, parts[-1]
    finally:
        folder.close()


def _lstat(root: Path, rel: str) -> os.stat_result | None:
    """``rel``'s own status (a link is not followed); None if it cannot exist."""
    try:
        with _parent(root, rel) as (folder, name):
            return journal.lstat(folder, name)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _read(root: Path, rel: str) -> tuple[bytes, int] | None:
    """``rel``'s bytes and mode; None if it is missing. Refuses a link or a non-file."""
    try:
        with _parent(root, rel) as (folder, name):
            flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC
            try:
                fd = os.open(folder.at(name), flags, dir_fd=folder.fd)
            except FileNotFoundError:
                return None
            except OSError:
                if journal.is_link(folder, name):
                    raise WriteError(f"{rel}: refusing to replace a symbolic link") from None
                raise
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    raise WriteError(f"{rel}: not a regular file")
                chunks: list[bytes] = []
                while chunk := os.read(fd, 1 << 20):
                    chunks.append(chunk)
                return b"".join(chunks), info.st_mode
            finally:
                os.close(fd)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _refuse_link(folder: Folder, name: str, rel: str) -> None:
    if journal.is_link(folder, name):
        raise WriteError(f"{rel}: refusing to replace a symbolic link")


def _temp_file(folder: Folder) -> tuple[int, str]:
    """A new, private, empty temporary file in ``folder``: (descriptor, name)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    while True:
        name = TEMP_PREFIX + os.urandom(6).hex()
        try:
            return os.open(folder.at(name), flags, 0o600, dir_fd=folder.fd), name
        except FileExistsError:
            continue


def _atomic_write(root: Path, rel: str, data: bytes, mode: int, created_dirs: list[Path]) -> None:
    """Write ``rel`` atomically, making missing folders (appended to ``created_dirs``).

    Every folder on the way is opened without following links, and the temporary file and
    the replacement are made through the folder's descriptor; a link at ``rel`` itself is
    refused before the temporary file is made and again before it is moved into place.
    """
    with _parent(root, rel, created_dirs) as (folder, name):
        _refuse_link(folder, name, rel)
        fd, temp = _temp_file(folder)
        try:
            try:
                journal.write_all(fd, [data])
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, stat.S_IMODE(mode))
                else:  # pragma: no cover - not POSIX
                    os.chmod(folder.at(temp), stat.S_IMODE(mode))
                os.fsync(fd)
            finally:
                os.close(fd)
            _refuse_link(folder, name, rel)
            os.replace(folder.at(temp), folder.at(name), src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(folder.at(temp), dir_fd=folder.fd)
            raise


def _remove(root: Path, rel: str) -> None:
    with _parent(root, rel) as (folder, name):
        _refuse_link(folder, name, rel)
        os.unlink(folder.at(name), dir_fd=folder.fd)


def _rmdir(root: Path, rel: str) -> None:
    """Remove the folder ``rel`` if it is empty (raises ``OSError`` if it is not)."""
    with _parent(root, rel) as (folder, name):
        os.rmdir(folder.at(name), dir_fd=folder.fd)


@contextlib.contextmanager
def _folder(root: Path, rel: str) -> Iterator[Folder]:
    """The folder ``rel`` ("" for the root), opened without following links."""
    if not rel:
        folder = journal.open_folder(root)
        try:
            yield folder
        finally:
            folder.close()
        return
    with _parent(root, rel) as (parent, name):
        folder = journal.open_child(parent, name)
        try:
            yield folder
        finally:
            folder.close()


def _parents(rel: str) -> list[str]:
    """``a/b/c.py`` -> ``["a", "a/b"]``."""
    parts = rel.split("/")
    return ["/".join(parts[:index]) for index in range(1, len(parts))]


def _folders_of(paths: Collection[str | None]) -> set[str]:
    """The folders holding ``paths``, the root ("") included."""
    return {""} | {os.path.dirname(path) for path in paths if path}


def _sync(root: Path, folders: Collection[str]) -> None:
    """Make the entries of ``folders`` (those still there) durable."""
    for rel in sorted(folders):
        try:
            with _folder(root, rel) as folder:
                folder.sync()
        except (FileNotFoundError, NotADirectoryError, WriteError, IsALinkError):
            continue


# ----------------------------------------------------------------- signals


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM until the block ends, then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, remember) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in received:
            signal.raise_signal(signum)


# ----------------------------------------------------------------- the write


def _verify_unchanged(root: Path, changes: Sequence[FileChange]) -> None:
    # Paths the change set empties: a new file may take their place.
    leaving = {c.old_path for c in changes if c.kind in (ChangeKind.DELETE, ChangeKind.RENAME)}
    for change in changes:
        try:
            _verify_one(root, change, leaving)
        except OSError as exc:
            raise WriteError(f"{change.path}: {exc.strerror or exc}; nothing written") from None


def _verify_one(root: Path, change: FileChange, leaving: Collection[str | None]) -> None:
    if change.new_path is not None:
        there = _lstat(root, change.new_path)
        arrives = change.new_path != change.old_path and change.new_path not in leaving
        if arrives and there is not None:
            # A new file or a move onto a path planning never saw there (created since,
            # git-ignored, excluded, another repository).
            raise WriteError(f"{change.new_path}: appeared since planning; nothing written")
        if there is not None and stat.S_ISLNK(there.st_mode):
            raise WriteError(f"{change.new_path}: refusing to replace a symbolic link")
    if change.old_path is None:
        return
    try:
        current = _read(root, change.old_path)
    except OSError as exc:
        raise WriteError(f"{change.old_path}: cannot read before writing: {exc.strerror}") from None
    if current is None:
        raise WriteError(f"{change.old_path}: cannot read before writing: it is gone")
    if current[0] != change.old:
        raise WriteError(f"{change.old_path}: changed on disk since planning; nothing written")


@dataclass(frozen=True)
class _Op:
    write: bool  # True: put the change's new bytes at its new path; False: remove its old path
    index: int  # the change
    steps: frozenset[int]  # the changes whose paths it touches (for the rollback)


def _ordered(changes: Sequence[FileChange]) -> list[_Op]:
    """Writes first, by path, each file leaving a path written at its new path before
    something arrives there; then removals, by path."""
    arriving = {c.new_path: i for i, c in enumerate(changes) if c.new_path is not None}
    leaving = {
        c.old_path: i
        for i, c in enumerate(changes)
        if c.old_path is not None and c.kind in (ChangeKind.DELETE, ChangeKind.RENAME)
    }
    ops: list[_Op] = []
    seen: set[str] = set()
    for start in sorted(arriving):
        chain: list[str] = []
        path: str | None = start
        while path is not None and path not in seen:  # a cycle of moves stops where it began
            seen.add(path)
            chain.append(path)
            source = leaving.get(path)
            path = changes[source].new_path if source is not None else None
        for path in reversed(chain):
            touched = {arriving[path]} | ({leaving[path]} if path in leaving else set())
            ops.append(_Op(True, arriving[path], frozenset(touched)))
    for path in sorted(leaving):
        if path not in arriving:
            ops.append(_Op(False, leaving[path], frozenset({leaving[path]})))
    return ops


def _remove_empty_parents(root: Path, rel: str) -> None:
    for folder in reversed(_parents(rel)):
        try:
            _rmdir(root, folder)
        except (OSError, WriteError):
            return


def apply_changes(root: Path, changes: Sequence[FileChange]) -> None:
    """Write ``changes`` below ``root``, or raise :class:`WriteError` with disk as it was
    (or, when even the rollback failed, with what differs in ``not_restored``)."""
    if not changes:
        return
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(journal.pinned(root))
        except OSError as exc:
            raise WriteError(f"{root}: {exc.strerror or exc}; nothing written") from None
        _apply(root, changes)


def _apply(root: Path, changes: Sequence[FileChange]) -> None:
    _verify_unchanged(root, changes)
    ops = _ordered(changes)
    record, kept = journal.prepare(root, changes)
    with signals_held():
        try:
            opened = journal.begin(root, record, kept)
        except JournalError as exc:
            raise WriteError(f"{exc}; nothing written") from None
        except OSError as exc:
            raise WriteError(
                f"{journal.JOURNAL}: cannot keep the old files for undo: "
                f"{exc.strerror or exc}; nothing written"
            ) from None
        touched: set[int] = set()
        where = ""
        try:
            for op in ops:
                change = changes[op.index]
                if op.write:
                    assert change.new_path and change.new is not None and change.new_mode
                    where = change.new_path
                    _atomic_write(root, where, change.new, change.new_mode, [])
                else:
                    assert change.old_path
                    where = change.old_path
                    _remove(root, where)
                touched |= op.steps  # an operation that raised changed nothing
            for change in changes:
                if change.kind in (ChangeKind.DELETE, ChangeKind.RENAME) and change.old_path:
                    _remove_empty_parents(root, change.old_path)
            where = "a folder"
            _sync(root, _folders_of([p for c in changes for p in (c.old_path, c.new_path)]))
            where = journal.JOURNAL
            opened.commit()
        except BaseException as exc:
            _undo(root, opened, changes, touched, where, exc)
        opened.discard()


def _undo(
    root: Path,
    opened: journal.OpenJournal,
    changes: Sequence[FileChange],
    touched: Collection[int],
    where: str,
    exc: BaseException,
) -> NoReturn:
    """Roll back the steps ``touched`` after ``exc``, then raise."""

    def old_bytes(index: int) -> bytes:
        data = changes[index].old
        assert data is not None
        return data

    try:
        unrestored = roll_back(root, opened.journal, old_bytes, touched)
    except BaseException:
        opened.close()
        raise
    if unrestored:
        opened.close()  # the journal stays: the next run finishes the rollback
    else:
        try:
            opened.commit()
        except OSError:
            opened.close()  # a journal of a rolled-back write: the next run finds it all done
        else:
            opened.discard()
    if isinstance(exc, WriteError):
        cause: str | None = str(exc)
    elif isinstance(exc, OSError):
        cause = f"{where}: {exc.strerror or exc}"
    else:
        cause = None
    if not unrestored:
        if cause is None:
            raise exc
        raise WriteError(f"{cause}; every change was rolled back") from None
    listed = "; ".join(item.message for item in unrestored)
    raise WriteError(
        f"{cause or 'interrupted'}; rolled back except: {listed} (the old files are kept in "
        f"{journal.SIDECAR}/; run hffix --write again to finish the rollback)",
        [path for item in unrestored for path in item.paths],
    ) from (None if cause else exc)


# ----------------------------------------------------------------- the rollback


@dataclass(frozen=True)
class Unrestored:
    """A path a rollback could not bring back: why, and every path that differs."""

    message: str
    paths: tuple[str, ...]


def roll_back(
    root: Path,
    record: Journal,
    old_bytes: Callable[[int], bytes],
    only: Collection[int] | None = None,
) -> list[Unrestored]:
    """Bring the files of ``record``'s steps (or of the steps ``only``) back to how they
    were before the write; return what could not be, and never remove the last copy.

    Decided from disk alone, path by path, so that it holds whatever prefix of the write
    ran: every old path gets its old bytes and mode unless it holds them, then every path
    the write added is removed if it holds what the write put there (a moved file only
    once its old path is restored). A path holding anything else is kept and named.
    """
    steps = record.steps
    chosen = [i for i in range(len(steps)) if only is None or i in only]
    arriving = {s.new_path: s for s in steps if s.new_path is not None}
    old_paths = {s.old_path for s in steps if s.old_path is not None}
    unrestored: list[Unrestored] = []
    restored: set[str] = set()
    for index in sorted(
        (i for i in chosen if steps[i].old_path is not None), key=lambda i: steps[i].old_path or ""
    ):
        step = steps[index]
        assert step.old_path is not None
        problem = _restore(root, record, index, arriving.get(step.old_path), old_bytes)
        if problem is None:
            restored.add(step.old_path)
        else:
            unrestored.append(problem)
    for index in chosen:
        step = steps[index]
        if step.new_path is None or step.new_path in old_paths:
            continue
        if step.old_path is not None and step.old_path not in restored:
            continue  # a moved file whose old path is not back: this is its only copy
        problem = _remove_arrival(root, step)
        if problem is not None:
            unrestored.append(problem)
    folders = _folders_of([p for i in chosen for p in (steps[i].old_path, steps[i].new_path)])
    _remove_temporary_files(root, folders | set(record.created_folders))
    for folder in sorted(record.created_folders, key=lambda f: f.count("/"), reverse=True):
        with contextlib.suppress(OSError, WriteError):
            _rmdir(root, folder)
    with contextlib.suppress(OSError):
        _sync(root, folders)
    return unrestored


def _restore(
    root: Path,
    record: Journal,
    index: int,
    arrival: Step | None,
    old_bytes: Callable[[int], bytes],
) -> Unrestored | None:
    """Put step ``index``'s old bytes and mode back at its old path, unless they are there
    or the path holds something the write neither found nor wrote."""
    step = record.steps[index]
    path, mode = step.old_path, step.old_mode
    assert path is not None and mode is not None
    try:
        state = _read(root, path)
    except (OSError, WriteError) as exc:
        return Unrestored(f"could not restore {path}: {_reason(exc)}", (path,))
    if state is not None:
        digest = journal.sha256(state[0])
        if digest == step.old_sha256 and stat.S_IMODE(state[1]) == stat.S_IMODE(mode):
            return None
        if digest not in {step.old_sha256, arrival.new_sha256 if arrival else None}:
            return Unrestored(f"{path} changed during the write and is kept as it is", (path,))
    try:
        created: list[Path] = []
        _atomic_write(root, path, old_bytes(index), mode, created)
        _restore_folder_modes(root, created, record.folder_modes)
    except (OSError, WriteError, JournalError) as exc:
        return _not_restored(root, step, _reason(exc))
    return None


def _not_restored(root: Path, step: Step, reason: str) -> Unrestored:
    old, new = step.old_path, step.new_path
    assert old is not None
    if new == old:
        return Unrestored(f"could not restore {old}: it has the new text ({reason})", (old,))
    if new is None:
        return Unrestored(f"could not restore the deleted {old} ({reason})", (old,))
    try:
        moved = _read(root, new)
    except (OSError, WriteError):
        moved = None
    if moved is not None and journal.sha256(moved[0]) == step.new_sha256:
        return Unrestored(
            f"could not move {new} back to {old}: it is at {new} ({reason})", (old, new)
        )
    return Unrestored(f"could not restore {old} ({reason})", (old,))


def _remove_arrival(root: Path, step: Step) -> Unrestored | None:
    """Remove the file the write put at ``step``'s new path (a path that was free)."""
    path = step.new_path
    assert path is not None
    try:
        state = _read(root, path)
    except (OSError, WriteError) as exc:
        return Unrestored(f"could not remove the new {path}: {_reason(exc)}", (path,))
    if state is None:
        return None
    if journal.sha256(state[0]) != step.new_sha256:
        return Unrestored(f"{path} changed during the write and is kept as it is", (path,))
    try:
        _remove(root, path)
    except (OSError, WriteError) as exc:
        return Unrestored(f"could not remove the new {path}: {_reason(exc)}", (path,))
    return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def _restore_folder_modes(root: Path, created: list[Path], modes: Mapping[str, int]) -> None:
    """Folders a restore made again get the modes the journal recorded for them."""
    for folder in created:
        rel = folder.relative_to(root).as_posix()
        if rel in modes:
            with _folder(root, rel) as opened:
                if opened.fd is not None:
                    os.fchmod(opened.fd, modes[rel])
                else:  # pragma: no cover - not POSIX
                    os.chmod(opened.path, modes[rel])


def _remove_temporary_files(root: Path, folders: Collection[str]) -> None:
    """Remove the writer's temporary files (``.hffix-tmp-*``) left in ``folders``."""
    for rel in sorted(folders):
        try:
            with _folder(root, rel) as folder:
                for name in folder.names():
                    if name.startswith(TEMP_PREFIX):
                        with contextlib.suppress(OSError):
                            os.unlink(folder.at(name), dir_fd=folder.fd)
        except (OSError, WriteError):
            continue
