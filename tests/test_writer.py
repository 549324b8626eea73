"""The writer: its order, a full disk at every system call, and links planted while it writes.

Change sets are built as :class:`FileChange` lists by hand (as the workspace makes them),
so that each test states exactly which files move, change, appear and go.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from hffix.repository import journal, writer
from hffix.repository.journal import JOURNAL, SIDECAR
from hffix.repository.workspace import ChangeKind, FileChange
from hffix.repository.writer import TEMP_PREFIX, WriteError, apply_changes

FILE = stat.S_IFREG | 0o644
SCRIPT = stat.S_IFREG | 0o755

# ----------------------------------------------------------------- helpers

Tree = dict[str, tuple[bytes | None, int]]  # path -> (bytes, or None for a folder; mode)


def tree(root: Path) -> Tree:
    """Every file and folder below ``root`` with its bytes and permission bits."""
    found: Tree = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            info = path.lstat()
            rel = path.relative_to(root).as_posix()
            content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
            found[rel] = (content, stat.S_IMODE(info.st_mode))
    return found


def user_tree(root: Path) -> Tree:
    """:func:`tree` without the journal and its sidecar folder."""
    return {
        path: entry
        for path, entry in tree(root).items()
        if path != JOURNAL and path != SIDECAR and not path.startswith(SIDECAR + "/")
    }


def leftovers(root: Path) -> list[str]:
    """The writer's temporary files, the journal and its sidecar, wherever they are."""
    return sorted(p for p in tree(root) if Path(p).name.startswith(".hffix-"))


def make(root: Path, files: dict[str, bytes], modes: dict[str, int] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(stat.S_IMODE((modes or {}).get(rel, FILE)))
    return root


def rename(old: str, new: str, data: bytes, edited: bytes | None = None) -> FileChange:
    return FileChange(old, new, data, data if edited is None else edited, FILE, FILE)


def modify(
    path: str, old: bytes, new: bytes, old_mode: int = FILE, new_mode: int = FILE
) -> FileChange:
    return FileChange(path, path, old, new, old_mode, new_mode)


def create(path: str, data: bytes, mode: int = FILE) -> FileChange:
    return FileChange(None, path, None, data, None, mode)


def delete(path: str, data: bytes) -> FileChange:
    return FileChange(path, None, data, None, FILE, None)


# A small hoist with everything a change set can hold: a chain of moves onto a path that
# is itself moved away, a move onto a deleted file, edits, a mode change, a deletion, a new
# file in a new folder and moves into new folders.
HOIST_FILES = {
    "main.py": b"print('a script')\n",
    "notes.txt": b"old notes\n",
    "requirements.txt": b"requests\n",
    "run.sh": b"#!/bin/sh\nexec python main.py\n",
    "backend/main.py": b"import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n",
    "backend/Dockerfile": b"FROM python:3.11\nRUN pip install httpx\n",
    "backend/notes.txt": b"new notes\n",
    "backend/app/__init__.py": b"",
    "backend/app/routes.py": b"ROUTES = []\n",
    "backend/app/deep/x.py": b"X = 1\n",
}


def hoist_changes() -> list[FileChange]:
    f = HOIST_FILES
    return [
        rename("main.py", "main_script.py", f["main.py"]),
        rename(
            "backend/main.py", "main.py", f["backend/main.py"], b"from fastapi import FastAPI\n"
        ),
        delete("notes.txt", f["notes.txt"]),
        rename("backend/notes.txt", "notes.txt", f["backend/notes.txt"]),
        modify("requirements.txt", f["requirements.txt"], b"requests\nfastapi\nhttpx\n"),
        modify("run.sh", f["run.sh"], f["run.sh"], FILE, SCRIPT),
        delete("backend/Dockerfile", f["backend/Dockerfile"]),
        rename("backend/app/__init__.py", "app/__init__.py", b""),
        rename("backend/app/routes.py", "app/routes.py", f["backend/app/routes.py"]),
        rename("backend/app/deep/x.py", "app/deep/x.py", f["backend/app/deep/x.py"]),
        create("app/new/settings.py", b"PORT = 7860\n"),
    ]


def expected_after(before: Tree, changes: list[FileChange]) -> dict[str, tuple[bytes, int]]:
    """The files (not folders) ``changes`` leave."""
    files = {p: (c, m) for p, (c, m) in before.items() if c is not None}
    for change in changes:
        if change.old_path is not None:
            files.pop(change.old_path, None)
    for change in changes:
        if change.new_path is not None:
            assert change.new is not None and change.new_mode is not None
            files[change.new_path] = (change.new, stat.S_IMODE(change.new_mode))
    return files


def files_of(found: Tree) -> dict[str, tuple[bytes, int]]:
    return {p: (c, m) for p, (c, m) in found.items() if c is not None}


class Injector:
    """Replaces the ``os`` functions named ``names``, which change disk. Each call counts
    (``os.open`` only when it creates a file) while ``armed``; ``hook(n)`` runs before the
    ``n``-th, and from the ``fail_at``-th call on (or only at it, unless ``persistent``) the
    call raises ``error()`` (``OSError(ENOSPC)``) instead of being made."""

    # Calls that need room on the disk.
    SPACE = ("open", "write", "fsync", "replace", "mkdir", "link")
    EVERY = (*SPACE, "unlink", "rmdir", "fchmod")

    def __init__(
        self,
        names: tuple[str, ...],
        fail_at: int | None = None,
        *,
        persistent: bool = True,
        hook: Callable[[int], None] | None = None,
        armed: bool = True,
        error: Callable[[], BaseException] = lambda: OSError(
            errno.ENOSPC, os.strerror(errno.ENOSPC)
        ),
    ) -> None:
        self.error = error
        self.names = names
        self.fail_at = fail_at
        self.persistent = persistent
        self.hook = hook
        self.armed = armed
        self.calls = 0

    def _fails(self, name: str, args: tuple[Any, ...]) -> bool:
        if not self.armed or (name == "open" and not (args[1] & os.O_CREAT)):
            return False
        self.calls += 1
        if self.hook is not None:
            self.hook(self.calls)
        if self.fail_at is None:
            return False
        return self.calls == self.fail_at or (self.persistent and self.calls > self.fail_at)

    @contextmanager
    def installed(self) -> Iterator[Injector]:
        real = {name: getattr(os, name) for name in self.names}

        def wrap(name: str) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                if self._fails(name, args):
                    raise self.error()
                return real[name](*args, **kwargs)

            return call

        for name in self.names:
            setattr(os, name, wrap(name))
        try:
            yield self
        finally:
            for name, function in real.items():
                setattr(os, name, function)


# ----------------------------------------------------------------- order


def simulate(files: dict[str, bytes], changes: list[FileChange]) -> Iterator[dict[str, bytes]]:
    """The repository after each operation of the writer's order."""
    state = dict(files)
    for op in writer._ordered(changes):
        change = changes[op.index]
        if op.write:
            assert change.new_path is not None and change.new is not None
            state[change.new_path] = change.new
        else:
            assert change.old_path is not None
            del state[change.old_path]
        yield dict(state)


def test_every_file_is_somewhere_after_every_step_of_the_order() -> None:
    changes = hoist_changes()
    steps = list(simulate(HOIST_FILES, changes))
    # 9 files arrive; of the 8 that leave, main.py and notes.txt are replaced, not removed.
    assert len(steps) == 9 + 6
    for state in steps:
        for change in changes:
            if change.old_path is None or change.new_path is None:
                continue
            at_old = state.get(change.old_path) == change.old
            at_new = state.get(change.new_path) == change.new
            assert at_old or at_new, f"{change.old_path} is nowhere"
    assert steps[-1] == {
        p: c for p, (c, _) in expected_after(as_tree(HOIST_FILES), changes).items()
    }


def as_tree(files: dict[str, bytes]) -> Tree:
    return {p: (c, 0o644) for p, c in files.items()}


def sequence(changes: list[FileChange]) -> list[tuple[bool, str]]:
    ops = writer._ordered(changes)
    paths = [changes[op.index].new_path if op.write else changes[op.index].old_path for op in ops]
    return [(op.write, path or "") for op, path in zip(ops, paths, strict=True)]


def test_order_writes_everything_before_it_removes_anything() -> None:
    changes = hoist_changes()
    ops = sequence(changes)
    assert [write for write, _ in ops] == sorted((write for write, _ in ops), reverse=True)
    written = [path for write, path in ops if write]
    removed = [path for write, path in ops if not write]
    # main.py's own file reaches main_script.py before backend/main.py takes its place.
    assert written.index("main_script.py") < written.index("main.py")
    # Harvested data (requirements.txt) is written before the Dockerfile goes.
    assert "requirements.txt" in written and "backend/Dockerfile" in removed
    # notes.txt is replaced by the moved file in one step, never removed.
    assert "notes.txt" not in removed
    # The order depends on the paths only.
    assert sequence(list(reversed(changes))) == ops


def test_a_cycle_of_moves_is_written_whole(tmp_path: Path) -> None:
    root = make(tmp_path / "repo", {"a.py": b"A\n", "b.py": b"B\n"})
    changes = [rename("a.py", "b.py", b"A\n"), rename("b.py", "a.py", b"B\n")]
    apply_changes(root, changes)
    assert files_of(tree(root)) == {"a.py": (b"B\n", 0o644), "b.py": (b"A\n", 0o644)}


def test_the_hoist_is_written_with_modes_and_no_leftovers(tmp_path: Path) -> None:
    root = make(tmp_path / "repo", HOIST_FILES)
    before = tree(root)
    changes = hoist_changes()
    apply_changes(root, changes)
    assert files_of(tree(root)) == expected_after(before, changes)
    assert not (root / "backend").exists()  # emptied folders go
    assert leftovers(root) == []


# ----------------------------------------------------------------- a full disk


def count_calls(tmp_path: Path, names: tuple[str, ...]) -> int:
    root = make(tmp_path / "count", HOIST_FILES)
    with Injector(names).installed() as counter:
        apply_changes(root, hoist_changes())
    return counter.calls


def check_nothing_lost(root: Path, before: Tree, changes: list[FileChange]) -> None:
    """Every file's bytes are at its old path, or its new bytes at its new path (a deleted
    file that could not come back is named by the error and kept in the journal)."""
    now = files_of(user_tree(root))
    for change in changes:
        if change.old_path is None:
            continue
        at_old = now.get(change.old_path, (None, 0))[0] == change.old
        at_new = (
            change.new_path is not None and now.get(change.new_path, (None, 0))[0] == change.new
        )
        assert at_old or at_new or change.new_path is None, f"{change.old_path} is lost"


def differing(before: Tree, root: Path) -> set[str]:
    now = files_of(user_tree(root))
    old = files_of(before)
    return {p for p in set(now) | set(old) if now.get(p) != old.get(p)}


@pytest.mark.parametrize("persistent", [False, True], ids=["one-failure", "disk-stays-full"])
def test_a_full_disk_at_every_call_loses_nothing_and_says_what_is_not_restored(
    tmp_path: Path, persistent: bool
) -> None:
    total = count_calls(tmp_path, Injector.SPACE)
    assert total > 30
    outcomes = {"rolled back": 0, "not restored": 0, "written": 0}
    for fail_at in range(1, total + 1):
        root = make(tmp_path / f"{fail_at}", HOIST_FILES)
        before = tree(root)
        changes = hoist_changes()
        try:
            with Injector(Injector.SPACE, fail_at, persistent=persistent).installed():
                apply_changes(root, changes)
        except WriteError as exc:
            error: WriteError | None = exc
        else:
            error = None
        case = f"{'from' if persistent else 'at'} call {fail_at} of {total}"
        assert not [p for p in leftovers(root) if p.rsplit("/", 1)[-1].startswith(TEMP_PREFIX)]
        if error is None:  # only the last directory sync can fail unnoticed
            outcomes["written"] += 1
            assert files_of(tree(root)) == expected_after(before, changes), case
            assert leftovers(root) == [], case
            continue
        assert "No space left on device" in str(error), case
        check_nothing_lost(root, before, changes)
        assert set(error.not_restored) == differing(before, root), case
        if not error.not_restored:
            outcomes["rolled back"] += 1
            assert str(error).endswith(("every change was rolled back", "nothing written")), case
            assert tree(root) == before, case
            assert leftovers(root) == [], case
            continue
        outcomes["not restored"] += 1
        message = str(error)
        assert "rolled back except: " in message and "every change" not in message, case
        for path in error.not_restored:
            assert path in message, case
        assert (root / JOURNAL).is_file() and (root / SIDECAR).is_dir(), case
        # Room again: the next run's recovery brings back exactly the old repository.
        recovery = journal.recover(root, write=True)
        assert recovery.error is None, case
        assert tree(root) == before, case
    assert outcomes["rolled back"] > 0
    if persistent:
        assert outcomes["not restored"] > 0  # the rollback itself hit the full disk
    else:
        assert outcomes["not restored"] == 0  # one failure: the rollback always finishes


def test_a_rollback_that_cannot_restore_a_moved_file_keeps_it_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A removal fails after the move was written and its old path removed, and the disk
    is full for the rollback: the moved file stays at its new path, its only copy in the
    repository, and the error says so; the journal brings it back once there is room."""
    root = make(tmp_path / "repo", {"backend/data.json": b'{"users": 3}\n', "z.py": b"z = 1\n"})
    before = tree(root)
    changes = [
        rename("backend/data.json", "data.json", b'{"users": 3}\n'),
        delete("z.py", b"z = 1\n"),
    ]
    disk = Injector(Injector.SPACE, fail_at=1, armed=False)
    real_unlink = os.unlink

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if path == "z.py":  # the last removal fails, and from now on the disk is full
            disk.armed = True
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    with disk.installed(), pytest.raises(WriteError) as raised:
        apply_changes(root, changes)
    monkeypatch.undo()
    message = str(raised.value)
    assert message.startswith("z.py: Input/output error; rolled back except: ")
    assert "could not move data.json back to backend/data.json: it is at data.json" in message
    assert raised.value.not_restored == ("backend/data.json", "data.json")
    assert (root / "data.json").read_bytes() == b'{"users": 3}\n'
    assert (root / "z.py").read_bytes() == b"z = 1\n"  # its removal failed: untouched
    assert journal.recover(root, write=True).error is None
    assert tree(root) == before


# ----------------------------------------------------------------- what is reported


SMALL_HOIST = {
    "README.md": b"# Notes\n",
    "backend/main.py": (
        b"import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n"
        b'if __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8000)\n'
    ),
    "backend/Dockerfile": (
        b"FROM python:3.11-slim\nCOPY . .\n"
        b"RUN pip install -r requirements.txt && pip install httpx\n"
        b'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]\n'
    ),
    "backend/requirements.txt": b"fastapi\nuvicorn\n",
    "backend/app/__init__.py": b"",
    "backend/app/util.py": b"VALUE = 1\n",
}


def test_a_failed_write_is_reported_as_failed_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk fills up in the middle of a hoist and stays full for the rollback: the API,
    the text summary and the JSON report say the repository failed, never that it was fixed
    or changed, and name what was not restored. With room again the next run undoes the
    rest and writes what an uninterrupted run writes."""
    from hffix import api
    from hffix.cli import main

    clean = make(tmp_path / "clean", SMALL_HOIST)
    real_atomic_write = writer._atomic_write
    assert api.fix(clean, write=True).written
    runs: dict[str, str] = {}
    for run in ("api", "text", "json"):
        root = make(tmp_path / run, SMALL_HOIST)
        before = tree(root)
        disk = Injector(Injector.SPACE, fail_at=1, armed=False)
        writes = {"n": 0}

        def atomic_write(
            *args: Any, disk: Injector = disk, writes: dict[str, int] = writes
        ) -> None:
            real_atomic_write(*args)
            writes["n"] += 1
            disk.armed = writes["n"] == 2  # full once two files are written

        monkeypatch.setattr(writer, "_atomic_write", atomic_write)
        with disk.installed():
            if run == "api":
                result = api.fix(root, write=True)
                assert result.status is api.RepoStatus.FAILED and not result.written
                assert result.error is not None
                runs[run] = result.error
            elif run == "text":
                assert main(["--write", "--no-color", str(root)]) == 2
                err = capsys.readouterr().err
                assert "[fixed]" not in err and "Changed" not in err and "0 fixed" in err
                runs[run] = err
            else:
                assert main(["--write", "--format", "json", str(root)]) == 2
                (repository,) = json.loads(capsys.readouterr().out)["repositories"]
                assert repository["status"] == "failed" and repository["written"] is False
                runs[run] = repository["error"]
        monkeypatch.undo()
        assert "No space left on device; rolled back except: " in runs[run]
        assert "except: could not restore README.md: it has the new text (" in runs[run]
        assert (root / JOURNAL).exists() and user_tree(root) != before
        fixed = api.fix(root, write=True)
        assert fixed.written and fixed.error is None
        assert str(fixed.diagnostics[0]).startswith(f"{JOURNAL}: an hffix --write")
        assert tree(root) == tree(clean)


# ----------------------------------------------------------------- planted links


def plant(root: Path, outside: Path, folder: str) -> None:
    """Move ``folder`` ("" for the root itself) aside and put a link to ``outside`` in its
    place (as someone with write access to the repository could, while hffix writes)."""
    target = root / folder if folder else root
    if target.is_symlink() or not target.is_dir():
        return
    os.rename(target, target.with_name(f"{target.name}-moved"))
    os.symlink(outside, target, target_is_directory=True)


LINK_FILES = {
    "top.py": b"y = 1\n",
    "pkg/a.py": b"x = 1\n",
    "pkg/sub/b.py": b"b = 1\n",
    "pkg/gone.py": b"gone\n",
}
OUTSIDE = {"a.py": b"x = 1\n", "sub/b.py": b"b = 1\n", "gone.py": b"gone\n", "b.py": b"b\n"}


def link_changes() -> list[FileChange]:
    return [
        modify("top.py", b"y = 1\n", b"y = 2\n"),
        modify("pkg/a.py", b"x = 1\n", b"x = 2\n"),
        rename("pkg/sub/b.py", "pkg/b.py", b"b = 1\n", b"b = 2\n"),
        create("pkg/new/c.py", b"c = 1\n"),
        delete("pkg/gone.py", b"gone\n"),
    ]


@pytest.mark.parametrize("folder", ["pkg", "pkg/sub", ""], ids=["pkg", "pkg-sub", "root"])
def test_a_link_planted_at_any_moment_of_the_write_is_never_written_through(
    tmp_path: Path, folder: str
) -> None:
    """Before each system call of the write, in turn, the folder (or the repository root)
    is swapped for a link to a folder outside the repository: nothing there is ever
    written, replaced or removed, and no temporary file is left behind."""
    counter = make(tmp_path / "count", LINK_FILES)
    with Injector(Injector.EVERY).installed() as counted:
        apply_changes(counter, link_changes())
    for at in range(1, counted.calls + 1):
        root = make(tmp_path / f"repo{at}", LINK_FILES)
        outside = make(tmp_path / f"outside{at}", OUTSIDE)

        def hook(call: int, root: Path = root, outside: Path = outside, at: int = at) -> None:
            if call == at:
                plant(root, outside, folder)

        with Injector(Injector.EVERY, hook=hook).installed():
            try:
                apply_changes(root, link_changes())
            except WriteError as exc:
                assert "symbolic link" in str(exc)
        assert tree(outside) == tree(make(tmp_path / "pristine", OUTSIDE)), f"call {at}"
        moved = root.with_name(f"{root.name}-moved")
        written = moved if root.is_symlink() else root
        assert not [p for p in leftovers(written) if TEMP_PREFIX in p], f"call {at}"


def test_a_link_planted_between_planning_and_writing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook: right after the journal is in place, before the first file is written."""
    root = make(tmp_path / "repo", LINK_FILES)
    outside = make(tmp_path / "outside", OUTSIDE)
    before_outside = tree(outside)
    real_begin = journal.begin

    def begin_then_plant(*args: Any) -> journal.OpenJournal:
        opened = real_begin(*args)
        plant(root, outside, "pkg")
        return opened

    monkeypatch.setattr(journal, "begin", begin_then_plant)
    with pytest.raises(WriteError, match="refusing to write through the symbolic link pkg"):
        apply_changes(root, link_changes())
    assert tree(outside) == before_outside
    assert (root / "top.py").read_bytes() == b"y = 1\n"
    assert files_of(tree(root / "pkg-moved")) == {
        "a.py": (b"x = 1\n", 0o644),
        "sub/b.py": (b"b = 1\n", 0o644),
        "gone.py": (b"gone\n", 0o644),
    }
    assert leftovers(root) == []  # nothing was written: nothing to undo


def test_a_link_in_place_of_a_file_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path / "repo", {"a.py": b"x = 1\n"})
    outside = make(tmp_path / "outside", {"target.py": b"keep\n"})
    real_begin = journal.begin

    def begin_then_link(*args: Any) -> journal.OpenJournal:
        opened = real_begin(*args)
        (root / "a.py").unlink()
        (root / "a.py").symlink_to(outside / "target.py")
        return opened

    monkeypatch.setattr(journal, "begin", begin_then_link)
    with pytest.raises(WriteError, match="refusing to replace a symbolic link"):
        apply_changes(root, [modify("a.py", b"x = 1\n", b"x = 2\n")])
    assert (outside / "target.py").read_bytes() == b"keep\n"
    assert (root / "a.py").is_symlink()


def test_the_hoist_covers_every_change_kind() -> None:
    assert {c.kind for c in hoist_changes()} == set(ChangeKind)
