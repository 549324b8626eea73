"""The workspace change set, the git-style patch and the atomic writer, end to end.

Every scenario is planned on a workspace, then applied twice: once by ``git apply`` from
the rendered patch, once by the writer. Both results must equal the expected tree.
"""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.repository.patch import quote_path, render_patch
from hffix.repository.workspace import ChangeKind, Workspace
from hffix.repository.writer import WriteError, apply_changes
from hffix.textio import TextFormat
from tests.conftest import copy_tree, git_apply, snapshot

Edit = Callable[[Workspace], None]


def roundtrip(tmp_path: Path, files: dict[str, bytes], edit: Edit) -> dict[str, tuple[bytes, bool]]:
    """Plan ``edit`` on a repo of ``files``; apply by patch and by writer; return the result."""
    original = tmp_path / "original"
    original.mkdir()
    for rel, data in files.items():
        target = original / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if rel.endswith(".sh"):
            target.chmod(0o755)
    workspace = Workspace.load(original)
    edit(workspace)
    changes = workspace.changes()
    patched = copy_tree(original, tmp_path / "patched")
    git_apply(patched, render_patch(changes))
    written = copy_tree(original, tmp_path / "written")
    apply_changes(written, changes)
    assert snapshot(patched) == snapshot(written)
    assert snapshot(original) == snapshot(tmp_path / "original")
    return snapshot(written)


def test_crlf_lines_stay_crlf(tmp_path: Path) -> None:
    def edit(ws: Workspace) -> None:
        ws.write("a.py", ws.text("a.py").replace("two", "2"))

    result = roundtrip(tmp_path, {"a.py": b"one\r\ntwo\r\nthree\r\n"}, edit)
    assert result["a.py"][0] == b"one\r\n2\r\nthree\r\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"a\nb", b"a\nc"),
        (b"a\nb", b"a\nb\n"),
        (b"a\nb\n", b"a\nb"),
        (b"", b"x"),
        (b"x", b""),
    ],
)
def test_missing_final_newline(tmp_path: Path, before: bytes, after: bytes) -> None:
    def edit(ws: Workspace) -> None:
        ws.write("f.txt", after.decode())

    assert roundtrip(tmp_path, {"f.txt": before}, edit)["f.txt"][0] == after


def test_bom_and_latin1_survive(tmp_path: Path) -> None:
    latin = "# -*- coding: latin-1 -*-\nname = 'café'\nport = 1\n".encode("latin-1")
    bom = b"\xef\xbb\xbfx = 1\ny = 2\n"

    def edit(ws: Workspace) -> None:
        ws.write("latin.py", ws.text("latin.py").replace("port = 1", "port = 2"))
        ws.write("bom.py", ws.text("bom.py").replace("x = 1", "x = 3"))

    result = roundtrip(tmp_path, {"latin.py": latin, "bom.py": bom}, edit)
    assert result["latin.py"][0] == latin.replace(b"port = 1", b"port = 2")
    assert result["bom.py"][0] == b"\xef\xbb\xbfx = 3\ny = 2\n"


def test_utf16_file_rewritten_as_utf8_uses_binary_patch(tmp_path: Path) -> None:
    utf16 = "\ufefffastapi\r\nuvicorn\r\n".encode("utf-16-le")

    def edit(ws: Workspace) -> None:
        assert ws.text("requirements.txt") == "fastapi\r\nuvicorn\r\n"
        ws.write("requirements.txt", "fastapi\nuvicorn\npydantic\n", fmt=TextFormat())

    result = roundtrip(tmp_path, {"requirements.txt": utf16}, edit)
    assert result["requirements.txt"][0] == b"fastapi\nuvicorn\npydantic\n"


def test_create_delete_rename_and_edit(tmp_path: Path) -> None:
    files = {
        "backend/app.py": b"app = 1\nline2\n",
        "backend/util.py": b"u = 1\n",
        "Dockerfile": b"FROM python\n",
        "run.sh": b"#!/bin/sh\nuvicorn app:app --port 8000\n",
    }

    def edit(ws: Workspace) -> None:
        ws.rename("backend/app.py", "app.py")
        ws.write("app.py", ws.text("app.py").replace("line2", "line two"))
        ws.rename("backend/util.py", "util.py")
        ws.delete("Dockerfile")
        ws.write("main.py", "from app import app\n")
        ws.write("empty.txt", "")
        ws.write("run.sh", ws.text("run.sh").replace(" --port 8000", ""))
        kinds = {c.path: c.kind for c in ws.changes()}
        assert kinds == {
            "app.py": ChangeKind.RENAME,
            "util.py": ChangeKind.RENAME,
            "Dockerfile": ChangeKind.DELETE,
            "main.py": ChangeKind.CREATE,
            "empty.txt": ChangeKind.CREATE,
            "run.sh": ChangeKind.MODIFY,
        }

    result = roundtrip(tmp_path, files, edit)
    assert result == {
        "app.py": (b"app = 1\nline two\n", False),
        "util.py": (b"u = 1\n", False),
        "main.py": (b"from app import app\n", False),
        "empty.txt": (b"", False),
        "run.sh": (b"#!/bin/sh\nuvicorn app:app\n", True),
    }
    assert not (tmp_path / "written" / "backend").exists(), "emptied folder left behind"


def test_rename_onto_a_deleted_file(tmp_path: Path) -> None:
    def edit(ws: Workspace) -> None:
        ws.delete("main.py")
        ws.rename("src/main.py", "main.py")

    result = roundtrip(tmp_path, {"main.py": b"old\n", "src/main.py": b"new\n"}, edit)
    assert result == {"main.py": (b"new\n", False)}


def test_new_file_where_a_deleted_one_stood_is_an_edit(tmp_path: Path) -> None:
    def edit(ws: Workspace) -> None:
        ws.delete("main.py")
        ws.write("main.py", "replacement\n")
        assert [c.kind for c in ws.changes()] == [ChangeKind.MODIFY]

    assert roundtrip(tmp_path, {"main.py": b"old\n"}, edit) == {
        "main.py": (b"replacement\n", False)
    }


def test_mode_change(tmp_path: Path) -> None:
    def edit(ws: Workspace) -> None:
        ws.set_mode("tool.py", stat.S_IFREG | 0o755)

    assert roundtrip(tmp_path, {"tool.py": b"x\n"}, edit)["tool.py"] == (b"x\n", True)


@pytest.mark.parametrize("name", ["with space.py", "café/ünï.py", 'q"uote.py', "tab\there.py"])
def test_odd_file_names(tmp_path: Path, name: str) -> None:
    def edit(ws: Workspace) -> None:
        ws.write(name, ws.text(name) + "y = 2\n")
        ws.write("new " + name.replace("/", "_"), "z\n")

    result = roundtrip(tmp_path, {name: b"x = 1\n"}, edit)
    assert result[name][0] == b"x = 1\ny = 2\n"


def test_quote_path_matches_git() -> None:
    assert quote_path("plain/name.py") == "plain/name.py"
    assert quote_path("with space.py") == "with space.py"
    assert quote_path("café.py") == '"caf\\303\\251.py"'
    assert quote_path('a"b') == '"a\\"b"'


def test_nothing_changed_means_empty_patch(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    ws = Workspace.load(tmp_path)
    ws.write("a.py", "x = 1\n")
    assert ws.changes() == []
    assert render_patch(ws.changes()) == b""


def test_writer_refuses_a_file_changed_since_planning(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 1\n")
    ws = Workspace.load(tmp_path)
    ws.write("a.py", "x = 2\n")
    ws.write("b.py", "y = 2\n")
    changes = ws.changes()
    (tmp_path / "b.py").write_text("y = 1  # edited meanwhile\n")
    with pytest.raises(WriteError, match="changed on disk since planning"):
        apply_changes(tmp_path, changes)
    assert (tmp_path / "a.py").read_text() == "x = 1\n"


def test_writer_refuses_a_rename_onto_a_file_planning_never_saw(tmp_path: Path) -> None:
    (tmp_path / "backend").mkdir()
    (tmp_path / "backend" / "users.json").write_text("moved\n")
    (tmp_path / ".gitignore").write_text("/users.json\n")
    (tmp_path / "users.json").write_text("the user's own data\n")  # ignored: not in the view
    ws = Workspace.load(tmp_path)
    assert not ws.exists("users.json")
    ws.rename("backend/users.json", "users.json")
    with pytest.raises(WriteError, match=r"users\.json: appeared since planning"):
        apply_changes(tmp_path, ws.changes())
    assert (tmp_path / "users.json").read_text() == "the user's own data\n"
    assert (tmp_path / "backend" / "users.json").read_text() == "moved\n"


def test_a_symlink_planted_after_planning_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hffix.repository import writer

    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "pkg").mkdir(parents=True)
    outside.mkdir()
    (repo / "pkg" / "a.py").write_text("x = 1\n")
    (repo / "top.py").write_text("y = 1\n")
    (outside / "a.py").write_text("x = 1\n")  # what the planted link will point at
    ws = Workspace.load(repo)
    ws.write("top.py", "y = 2\n")
    ws.write("pkg/a.py", "x = 2\n")
    ws.write("pkg/new.py", "z = 1\n")
    changes = ws.changes()
    verify = writer._verify_unchanged

    def verify_then_plant(root: Path, planned: object) -> None:
        verify(root, planned)  # type: ignore[arg-type]
        (repo / "pkg" / "a.py").unlink()
        (repo / "pkg").rmdir()
        (repo / "pkg").symlink_to(outside, target_is_directory=True)

    monkeypatch.setattr(writer, "_verify_unchanged", verify_then_plant)
    with pytest.raises(WriteError, match="symbolic link"):
        apply_changes(repo, changes)
    assert sorted(p.name for p in outside.iterdir()) == ["a.py"]
    assert (outside / "a.py").read_text() == "x = 1\n"
    assert (repo / "top.py").read_text() == "y = 1\n"  # rolled back


def test_writer_rolls_back_when_a_write_fails(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.py").write_text("y = 1\n")
    ws = Workspace.load(tmp_path)
    ws.write("a.py", "x = 2\n")
    ws.write("locked/b.py", "y = 2\n")
    ws.write("new/c.py", "z = 1\n")
    changes = ws.changes()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write into read-only folders (root)")
        with pytest.raises(WriteError, match="rolled back"):
            apply_changes(tmp_path, changes)
    finally:
        locked.chmod(0o755)
    assert (tmp_path / "a.py").read_text() == "x = 1\n"
    assert (locked / "b.py").read_text() == "y = 1\n"
    assert not (tmp_path / "new").exists()


def test_writer_rolls_back_on_injected_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root can write anywhere, so fail the third file write by hand."""
    from hffix.repository import writer

    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(f"{name} = 1\n")
    (tmp_path / "gone.txt").write_text("keep me\n")
    ws = Workspace.load(tmp_path)
    for name in ("a.py", "b.py", "c.py"):
        ws.write(name, f"{name} = 2\n")
    ws.delete("gone.txt")
    ws.write("added/new.py", "new\n")
    changes = ws.changes()
    real = writer._atomic_write
    calls = {"n": 0}

    def flaky(root: Path, rel: str, data: bytes, mode: int, created: list[Path]) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", str(root / rel))
        real(root, rel, data, mode, created)

    monkeypatch.setattr(writer, "_atomic_write", flaky)
    before = snapshot(tmp_path)
    with pytest.raises(WriteError, match="rolled back"):
        apply_changes(tmp_path, changes)
    monkeypatch.setattr(writer, "_atomic_write", real)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "added").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hffix-")]


def test_writer_never_writes_through_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1\n")
    ws = Workspace.load(repo)
    ws.write("linked/new.py", "evil\n")
    changes = ws.changes()
    (repo / "linked").symlink_to(outside)
    with pytest.raises(WriteError, match="symbolic link"):
        apply_changes(repo, changes)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_write_waits_for_the_change_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    """Ctrl-C (or a TERM) in the middle of --write: every file is written, then the signal acts."""
    from hffix.repository import writer

    for index in range(5):
        (tmp_path / f"f{index}.py").write_text("old\n")
    ws = Workspace.load(tmp_path)
    for index in range(5):
        ws.write(f"f{index}.py", "new\n")
    changes = ws.changes()
    real = writer._atomic_write
    calls = {"n": 0}

    def interrupted(root: Path, rel: str, data: bytes, mode: int, created: list[Path]) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            os.kill(os.getpid(), signum)
        real(root, rel, data, mode, created)

    class Terminated(Exception):
        pass

    def on_term(_signum: int, _frame: object) -> None:
        raise Terminated

    monkeypatch.setattr(writer, "_atomic_write", interrupted)
    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        with pytest.raises(KeyboardInterrupt if signum == signal.SIGINT else Terminated):
            apply_changes(tmp_path, changes)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert {p.read_text() for p in tmp_path.glob("f*.py")} == {"new\n"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hffix-")]


def test_rename_away_then_create_in_its_place(tmp_path: Path) -> None:
    """Moving a CLI main.py aside and writing a new main.py in one change set."""

    def edit(ws: Workspace) -> None:
        ws.rename("main.py", "main_script.py")
        ws.write("main.py", "from app import app\n")

    result = roundtrip(tmp_path, {"main.py": b"def cli():\n    pass\n"}, edit)
    assert result == {
        "main.py": (b"from app import app\n", False),
        "main_script.py": (b"def cli():\n    pass\n", False),
    }


def test_a_file_that_grew_after_discovery_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"x = 1\n")
    workspace = Workspace.load(tmp_path)  # discovery saw 6 bytes
    grown = b"x = 1\n" + b"y = 2\n" * 20_000  # more than one read's worth
    (tmp_path / "a.py").write_bytes(grown)
    assert workspace.raw("a.py") == grown
    assert workspace.raw("a.py") is workspace.raw("a.py")  # read once


def test_a_file_that_shrank_or_emptied_after_discovery_is_read_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"x = 1\ny = 2\n")
    (tmp_path / "b.py").write_bytes(b"x = 1\n")
    workspace = Workspace.load(tmp_path)
    (tmp_path / "a.py").write_bytes(b"x\n")
    (tmp_path / "b.py").write_bytes(b"")
    assert workspace.raw("a.py") == b"x\n"
    assert workspace.raw("b.py") == b""
    assert workspace.text("b.py") == ""


def test_a_draft_leaves_every_entry_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"a = 1\r\n")
    (tmp_path / "b.sh").write_bytes(b"echo\n")
    workspace = Workspace.load(tmp_path)
    fmt = workspace.format("a.py")
    with workspace.draft() as edits:
        workspace.write("a.py", "a = 2\r\n")
        workspace.set_mode("b.sh", 0o100755)
        workspace.rename("b.sh", "c.sh")
    assert len(edits) == 3
    assert workspace.paths() == ["a.py", "b.sh"]
    assert workspace.text("a.py") == "a = 1\r\n" and workspace.format("a.py") == fmt
    assert workspace.changes() == []
