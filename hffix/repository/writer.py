"""Apply a change set to disk: per-file atomic, all-or-nothing per repository.

Every file is written to a temporary file in its own folder and moved into place with
``os.replace``, so a reader never sees half a file. Before anything is written, each file
the plan read is compared with disk: if it changed since planning the repository is left
alone. If a write fails half way, what was applied is rolled back from the bytes kept in
memory. SIGINT and SIGTERM are held back while a repository is being written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

from hffix.repository.workspace import ChangeKind, FileChange


class WriteError(Exception):
    """The change set was not applied; the repository is as it was. One-line message."""


def _inside(root: Path, rel: str) -> Path:
    """The absolute path for ``rel``, refusing any route through a symlink or out of ``root``."""
    target = root / rel
    current = root
    for part in Path(rel).parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise WriteError(f"{rel}: refusing to write through the symbolic link {current.name}")
    if target.is_symlink():
        raise WriteError(f"{rel}: refusing to replace a symbolic link")
    real_root = root.resolve()
    if not target.parent.resolve().is_relative_to(real_root) and target.parent.exists():
        raise WriteError(f"{rel}: resolves outside the repository")
    return target


def _atomic_write(root: Path, rel: str, data: bytes, mode: int, created_dirs: list[Path]) -> None:
    """Write ``rel`` atomically; every folder on the way is checked again at write time,
    just before the temporary file is made and again before it is moved into place (a
    symbolic link planted since planning is refused, never written through)."""
    path = _inside(root, rel)
    missing: list[Path] = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        folder.mkdir()
        created_dirs.append(folder)
    fd, tmp = tempfile.mkstemp(prefix=".hffix-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(mode))
        _inside(root, rel)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
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


def _verify_unchanged(root: Path, changes: Sequence[FileChange]) -> None:
    # Paths the change set empties: a new file may take their place.
    deleted = {c.old_path for c in changes if c.kind in (ChangeKind.DELETE, ChangeKind.RENAME)}
    for change in changes:
        if change.new_path is not None:
            target = _inside(root, change.new_path)
            arrives = change.new_path != change.old_path and change.new_path not in deleted
            if arrives and (target.exists() or target.is_symlink()):
                # A new file or a move onto a path planning never saw there (created since,
                # git-ignored, excluded, another repository).
                raise WriteError(f"{change.new_path}: appeared since planning; nothing written")
        if change.old_path is None:
            continue
        _inside(root, change.old_path)
        try:
            current = (root / change.old_path).read_bytes()
        except OSError as exc:
            raise WriteError(
                f"{change.old_path}: cannot read before writing: {exc.strerror}"
            ) from None
        if current != change.old:
            raise WriteError(f"{change.old_path}: changed on disk since planning; nothing written")


def _remove_empty_parents(root: Path, rel: str) -> None:
    folder = (root / rel).parent
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


# Files leave their paths before anything new arrives there: deletions, then renames,
# then edits, then new files (which may stand where a deleted or renamed file was).
_APPLY_ORDER = {
    ChangeKind.DELETE: 0,
    ChangeKind.RENAME: 1,
    ChangeKind.MODIFY: 2,
    ChangeKind.CREATE: 3,
}


def apply_changes(root: Path, changes: Sequence[FileChange]) -> None:
    """Write ``changes`` below ``root`` or raise :class:`WriteError` with disk unchanged."""
    if not changes:
        return
    _verify_unchanged(root, changes)
    undo: list[_Undo] = []
    created_dirs: list[Path] = []
    with _signals_held():
        try:
            for change in sorted(changes, key=lambda c: _APPLY_ORDER[c.kind]):
                _apply_one(root, change, undo, created_dirs)
        except BaseException as exc:
            failed: list[str] = []
            for what, step in reversed(undo):
                try:
                    step()
                except OSError:
                    failed.append(what)
            for folder in reversed(created_dirs):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            if isinstance(exc, OSError):
                name = exc.filename or ""
                if failed:
                    raise WriteError(
                        f"{name}: {exc.strerror}; rolled back except: {'; '.join(failed)}"
                    ) from None
                raise WriteError(f"{name}: {exc.strerror}; every change was rolled back") from None
            if failed:
                raise WriteError(f"interrupted; rolled back except: {'; '.join(failed)}") from exc
            raise
        for change in changes:
            if change.kind in (ChangeKind.DELETE, ChangeKind.RENAME) and change.old_path:
                _remove_empty_parents(root, change.old_path)


# A rollback step: what it restores (named in the error if it cannot), and how.
_Undo = tuple[str, Callable[[], None]]


def _apply_one(root: Path, change: FileChange, undo: list[_Undo], created_dirs: list[Path]) -> None:
    kind = change.kind
    if kind is ChangeKind.CREATE:
        assert change.new_path and change.new is not None and change.new_mode is not None
        new_path = change.new_path
        _atomic_write(root, new_path, change.new, change.new_mode, created_dirs)
        undo.append((f"could not remove the new {new_path}", _inside(root, new_path).unlink))
        return
    assert change.old_path and change.old is not None and change.old_mode is not None
    old_path = change.old_path
    old, old_mode = change.old, change.old_mode

    def restore_source() -> None:
        _atomic_write(root, old_path, old, old_mode, [])

    if kind is ChangeKind.DELETE:
        _inside(root, old_path).unlink()
        undo.append((f"could not restore the deleted {old_path}", restore_source))
        return
    assert change.new_path and change.new is not None and change.new_mode is not None
    new_path = change.new_path
    _atomic_write(root, new_path, change.new, change.new_mode, created_dirs)
    if kind is ChangeKind.MODIFY:
        undo.append((f"could not restore {old_path}: it has the new text", restore_source))
        return

    def move_back() -> None:
        # The source first: the moved copy goes only once the source is back, so a failure
        # (a full disk) never removes the only copy left.
        restore_source()
        _inside(root, new_path).unlink()

    undo.append((f"could not move {new_path} back to {old_path}: it is at {new_path}", move_back))
    _inside(root, old_path).unlink()
