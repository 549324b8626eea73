"""The write journal: its format, and how the next run undoes an interrupted write.

A kill is simulated in-process at every system call of a write: from that call on every
call that changes disk raises :class:`Killed` (nothing more reaches the disk, as after
``kill -9``), so the repository is left exactly as a kill at that moment leaves it. The
real thing, ``SIGKILL`` sent to ``hffix --write``, is in ``tests/test_interrupt.py``.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

import pytest

from hffix import api
from hffix.repository import journal, writer
from hffix.repository.journal import JOURNAL, SIDECAR, Journal, JournalError, Step
from hffix.repository.writer import TEMP_PREFIX, WriteError, apply_changes
from tests.test_writer import (
    HOIST_FILES,
    SMALL_HOIST,
    Injector,
    Tree,
    check_nothing_lost,
    hoist_changes,
    leftovers,
    make,
    modify,
    tree,
    user_tree,
)


class Killed(BaseException):
    """The process is gone: no more system calls."""


def killed_at(call: int) -> Injector:
    return Injector(Injector.EVERY, call, error=Killed)


def interrupt(root: Path, call: int) -> None:
    """Apply the hoist to ``root``, killed before its ``call``-th system call."""
    with killed_at(call).installed(), pytest.raises(Killed):
        apply_changes(root, hoist_changes())


def calls_of_a_write(tmp_path: Path) -> int:
    root = make(tmp_path / "count", HOIST_FILES)
    with Injector(Injector.EVERY).installed() as counted:
        apply_changes(root, hoist_changes())
    return counted.calls


# ----------------------------------------------------------------- the format


def test_the_journal_is_versioned_json_that_reads_back(tmp_path: Path) -> None:
    record, kept = journal.prepare(make(tmp_path / "repo", HOIST_FILES), hoist_changes())
    document = json.loads(record.to_json())
    assert document["format"] == "hffix-journal" and document["version"] == 1
    assert {"old_path", "new_path", "old_sha256", "new_sha256", "backup"} <= set(
        document["steps"][0]
    )
    assert Journal.from_json(record.to_json()) == record
    assert b"".join(kept) == b"".join(c.old or b"" for c in hoist_changes())
    assert set(record.created_folders) == {"app", "app/deep", "app/new"}
    assert record.folder_modes["backend/app/deep"] == 0o755


@pytest.mark.parametrize(
    ("document", "says"),
    [
        (b"{", "not JSON"),
        (b'{"format": "other"}', "not an hffix journal"),
        (b'{"format": "hffix-journal", "version": 99, "steps": []}', "version 99"),
        (b'{"format": "hffix-journal", "version": 1, "steps": [{}]}', "lacks a path"),
        (
            b'{"format": "hffix-journal", "version": 1, "steps": [{"old_path": "../x",'
            b' "old_mode": 1, "old_sha256": "0", "backup": [0, 0]}]}',
            "not a path inside",
        ),
    ],
)
def test_a_journal_hffix_cannot_read_is_reported_and_left_alone(
    tmp_path: Path, document: bytes, says: str
) -> None:
    root = make(tmp_path / "repo", {"a.py": b"x = 1\n"})
    (root / SIDECAR).mkdir()
    (root / JOURNAL).write_bytes(document)
    before = tree(root)
    recovery = journal.recover(root, write=True)
    assert recovery.error is not None and says in recovery.error
    assert tree(root) == before
    result = api.fix(root, write=True)
    assert result.error == recovery.error and not result.written
    assert tree(root) == before


def test_step_from_json_refuses_a_missing_hash() -> None:
    with pytest.raises(JournalError):
        Step.from_json({"new_path": "a.py", "new_mode": 0o100644})


# ----------------------------------------------------------------- killed at every call


def test_a_write_killed_at_any_call_is_undone_by_the_next_run(tmp_path: Path) -> None:
    """Killed while the journal is in place, the write is undone; killed before it is in
    place nothing was changed, and once it is removed the write is complete."""
    total = calls_of_a_write(tmp_path)
    after = make(tmp_path / "after", HOIST_FILES)
    apply_changes(after, hoist_changes())
    outcomes = {"undone": 0, "not begun": 0, "complete": 0}
    for call in range(1, total + 1):
        root = make(tmp_path / f"repo{call}", HOIST_FILES)
        before = tree(root)
        interrupt(root, call)
        pending = (root / JOURNAL).exists()
        changed = user_tree(root) != before
        recovery = journal.recover(root, write=True)
        assert recovery.error is None, f"killed at call {call}: {recovery.error}"
        assert (recovery.note is not None) == pending, f"killed at call {call}"
        assert leftovers(root) == [], f"killed at call {call}"
        if pending:
            outcomes["undone"] += 1
            assert tree(root) == before, f"killed at call {call}"
        elif changed:
            outcomes["complete"] += 1
            assert tree(root) == tree(after), f"killed at call {call}"
        else:
            outcomes["not begun"] += 1
            assert tree(root) == before, f"killed at call {call}"
    assert outcomes["undone"] > 50 and outcomes["not begun"] > 5 and outcomes["complete"] > 0


def test_a_recovery_killed_at_any_call_is_finished_by_the_next_one(tmp_path: Path) -> None:
    """Recovery is itself a write: killed half way, the next run finishes it."""
    middle = calls_of_a_write(tmp_path) * 2 // 3  # the moves written, the removals begun
    probe = make(tmp_path / "probe", HOIST_FILES)
    interrupt(probe, middle)
    with Injector(Injector.EVERY).installed() as counted:
        assert journal.recover(probe, write=True).error is None
    assert counted.calls > 10
    for call in range(1, counted.calls + 1):
        root = make(tmp_path / f"repo{call}", HOIST_FILES)
        before = tree(root)
        interrupt(root, middle)
        with killed_at(call).installed(), pytest.raises(Killed):
            journal.recover(root, write=True)
        assert journal.recover(root, write=True).error is None, f"killed at call {call}"
        assert tree(root) == before, f"recovery killed at call {call}"


def test_a_hoist_killed_at_any_call_ends_as_an_uninterrupted_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the API, as the command line runs it: hffix plans the hoist, the write is
    killed; the next ``fix(write=True)`` undoes it, plans again and writes. The result is
    byte for byte (and mode for mode) what one uninterrupted run gives."""
    clean = make(tmp_path / "clean", SMALL_HOIST)
    assert api.fix(clean, write=True).written
    expected = tree(clean)
    real_apply = writer.apply_changes
    total = {"calls": 0}

    def counted_apply(root: Path, changes: Any) -> None:
        with Injector(Injector.EVERY).installed() as counted:
            real_apply(root, changes)
        total["calls"] = counted.calls

    monkeypatch.setattr(writer, "apply_changes", counted_apply)
    api.fix(make(tmp_path / "count", SMALL_HOIST), write=True)
    assert total["calls"] > 50
    for call in range(1, total["calls"] + 1):

        def killed_apply(root: Path, changes: Any, call: int = call) -> None:
            with killed_at(call).installed():
                real_apply(root, changes)

        root = make(tmp_path / f"repo{call}", SMALL_HOIST)
        monkeypatch.setattr(writer, "apply_changes", killed_apply)
        with pytest.raises(Killed):
            api.fix(root, write=True)
        monkeypatch.setattr(writer, "apply_changes", real_apply)
        check = api.check(root)  # reports the pending write, changes nothing
        if (root / JOURNAL).exists():
            assert check.error is not None and "run hffix --write to undo it" in check.error
        pending = (root / JOURNAL).exists()
        result = api.fix(root, write=True)
        assert result.error is None, f"killed at call {call}: {result.error}"
        # Undone and written anew, or killed once the write was complete.
        assert result.written or not pending, f"killed at call {call}"
        assert tree(root) == expected, f"killed at call {call}"


# ----------------------------------------------------------------- what recovery meets


def killed_half_way(tmp_path: Path) -> tuple[Path, Tree]:
    root = make(tmp_path / "repo", HOIST_FILES)
    before = tree(root)
    interrupt(root, calls_of_a_write(tmp_path) * 2 // 3)
    assert (root / JOURNAL).is_file()
    return root, before


def test_without_write_a_pending_journal_is_reported_and_nothing_changes(
    tmp_path: Path,
) -> None:
    root, _ = killed_half_way(tmp_path)
    now = tree(root)
    recovery = journal.recover(root, write=False)
    assert recovery.error is not None
    assert recovery.error.startswith(f"{JOURNAL}: an hffix --write was interrupted (started ")
    assert "run hffix --write to undo it first" in recovery.error
    result = api.check(root)
    assert result.error == recovery.error and result.status is api.RepoStatus.FAILED
    assert tree(root) == now


def test_recovery_reports_what_it_undid(tmp_path: Path) -> None:
    root, before = killed_half_way(tmp_path)
    recovery = journal.recover(root, write=True)
    assert recovery.error is None and recovery.note is not None
    assert recovery.note.startswith("an hffix --write was interrupted (started ")
    assert recovery.note.endswith("11 files); it was undone before this run")
    assert tree(root) == before


def test_a_file_changed_since_the_kill_is_kept_and_named(tmp_path: Path) -> None:
    root, before = killed_half_way(tmp_path)
    (root / "requirements.txt").write_bytes(b"edited by hand\n")
    recovery = journal.recover(root, write=True)
    assert recovery.error is not None
    assert "could not: requirements.txt changed during the write and is kept as it is" in (
        recovery.error
    )
    assert (root / "requirements.txt").read_bytes() == b"edited by hand\n"
    assert (root / JOURNAL).exists()  # the old bytes are still kept
    # Moved away, the file comes back as it was, and so does everything else.
    (root / "requirements.txt").rename(tmp_path / "mine.txt")
    assert journal.recover(root, write=True).error is None
    assert tree(root) == before


def test_temporary_files_of_a_killed_write_are_removed(tmp_path: Path) -> None:
    root, before = killed_half_way(tmp_path)
    for folder in ("", "app", "backend/app"):
        if (root / folder).is_dir():
            (root / folder / f"{TEMP_PREFIX}abc").write_bytes(b"half a file")
    assert journal.recover(root, write=True).error is None
    assert tree(root) == before and leftovers(root) == []


def test_damaged_old_bytes_are_never_written_back(tmp_path: Path) -> None:
    root, before = killed_half_way(tmp_path)
    (root / SIDECAR / "old").write_bytes(b"garbage")
    recovery = journal.recover(root, write=True)
    assert recovery.error is not None and "does not hold the old" in recovery.error
    assert (root / JOURNAL).exists()
    assert b"garbage" not in {content for content, _ in user_tree(root).values()}
    check_nothing_lost(root, before, hoist_changes())


def test_a_write_in_progress_is_not_undone(tmp_path: Path) -> None:
    """Another process holds the journal's lock: its write is running, not interrupted."""
    root, _ = killed_half_way(tmp_path)
    now = tree(root)
    fd = os.open(root / SIDECAR, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for write in (True, False):
            recovery = journal.recover(root, write=write)
            assert recovery.error is not None and "another hffix process is writing" in (
                recovery.error
            )
        with pytest.raises(WriteError, match="interrupted write is pending"):
            run = HOIST_FILES["run.sh"]
            apply_changes(root, [modify("run.sh", run, run + b"# more\n")])
    finally:
        os.close(fd)
    assert tree(root) == now


def test_a_sidecar_without_journal_is_removed_by_the_next_write_only(tmp_path: Path) -> None:
    """A write killed before its journal was in place (or after it was removed) changed
    nothing, or finished: only its sidecar is left, and only --write removes it."""
    root = make(tmp_path / "repo", {"a.py": b"x = 1\n"})
    (root / SIDECAR).mkdir()
    (root / SIDECAR / "old").write_bytes(b"x = 1\n")
    assert journal.recover(root, write=False) == journal.Recovery()
    assert (root / SIDECAR).exists()
    assert journal.recover(root, write=True) == journal.Recovery()
    assert not (root / SIDECAR).exists()
    (root / SIDECAR).mkdir()
    apply_changes(root, [modify("a.py", b"x = 1\n", b"x = 2\n")])
    assert leftovers(root) == [] and (root / "a.py").read_bytes() == b"x = 2\n"


def test_nothing_is_left_after_a_write(tmp_path: Path) -> None:
    root = make(tmp_path / "repo", HOIST_FILES)
    apply_changes(root, hoist_changes())
    assert leftovers(root) == []


def test_the_old_bytes_are_private(tmp_path: Path) -> None:
    root = make(tmp_path / "repo", {".env": b"TOKEN=secret\n"})
    seen: dict[str, int] = {}
    real_begin = journal.begin

    def begin(*args: Any) -> journal.OpenJournal:
        opened = real_begin(*args)
        seen["folder"] = (root / SIDECAR).stat().st_mode & 0o777
        seen["old"] = (root / SIDECAR / "old").stat().st_mode & 0o777
        return opened

    journal.begin = begin  # type: ignore[assignment]
    try:
        apply_changes(root, [modify(".env", b"TOKEN=secret\n", b"TOKEN=\n")])
    finally:
        journal.begin = real_begin
    assert seen == {"folder": 0o700, "old": 0o600}


def test_a_write_killed_just_before_its_journal_goes_is_undone_folders_and_modes_too(
    tmp_path: Path,
) -> None:
    """Every change is on disk, the emptied backend/ folders are gone, only the journal's
    removal is missing: the whole write is undone, the folders come back with their modes."""
    total = calls_of_a_write(tmp_path)
    root = make(tmp_path / "repo", HOIST_FILES)
    (root / "backend" / "app" / "deep").chmod(0o750)
    (root / "backend" / "app").chmod(0o700)
    before = tree(root)
    interrupt(root, total - 3)  # the calls left: unlink the journal, sync, remove sidecar
    assert (root / JOURNAL).exists() and not (root / "backend").exists()
    assert journal.recover(root, write=True).error is None
    assert tree(root) == before


def test_commit_after_a_kill_undoes_the_half_write_before_git_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--write --commit on a repository a kill left half written: the interrupted write is
    undone first, so git sees a clean tree (not hffix's leftovers as the user's changes),
    and the run commits its fix."""
    import subprocess

    from hffix.fleet import commit as gitcommit
    from hffix.fleet import runner

    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "t")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "t@example.invalid")
    root = make(tmp_path / "repo", HOIST_FILES)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    interrupt(root, calls_of_a_write(tmp_path) * 2 // 3)
    assert (root / JOURNAL).is_file()
    options = runner.RunOptions(write=True, commit=gitcommit.CommitOptions())
    result = runner.run_one(str(root), options)
    assert result.error is None, result.error
    assert any(d.path == JOURNAL for d in result.diagnostics), "the recovery is reported"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    )
    assert status.stdout == "", "everything hffix wrote is committed; nothing is left over"
    assert not (root / JOURNAL).exists()
