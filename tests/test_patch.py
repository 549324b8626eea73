"""The git-style patch keeps carriage returns: git cuts lines at ``\\n`` only.

Old Mac files (``\\r`` newlines only) are one line to git, and a lone ``\\r`` inside a
string literal of an LF file is an ordinary byte of its line. Each case is applied with
``git apply`` and compared with what ``--write`` (or the writer) leaves, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.cli import main
from hffix.repository.patch import render_patch, text_hunks
from hffix.repository.workspace import Workspace
from hffix.repository.writer import apply_changes
from tests.conftest import copy_tree, git_apply, snapshot

REQUIREMENTS = b"fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"


def _plan_both_ways(
    tmp_path: Path, files: dict[str, bytes], edit: Callable[[Workspace], None]
) -> dict[str, tuple[bytes, bool]]:
    original = tmp_path / "original"
    original.mkdir()
    for rel, data in files.items():
        (original / rel).write_bytes(data)
    workspace = Workspace.load(original)
    edit(workspace)
    changes = workspace.changes()
    patched = copy_tree(original, tmp_path / "patched")
    git_apply(patched, render_patch(changes))
    written = copy_tree(original, tmp_path / "written")
    apply_changes(written, changes)
    assert snapshot(patched) == snapshot(written)
    return snapshot(written)


def test_hunks_cut_lines_at_newline_only() -> None:
    hunks = b"".join(text_hunks(b"a\rb\nc\n", b"a\rb\nd\n"))
    assert hunks == b"@@ -1,2 +1,2 @@\n a\rb\n-c\n+d\n"
    # A file without any \n is one line (and has no newline at its end, to git).
    hunks = b"".join(text_hunks(b"x\ry\r", b"x\rz\r"))
    assert hunks == (
        b"@@ -1 +1 @@\n-x\ry\r\n\\ No newline at end of file\n"
        b"+x\rz\r\n\\ No newline at end of file\n"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"one\rtwo\rthree\r", b"one\r2\rthree\r"),  # old Mac newlines
        (b"one\rtwo\rthree", b"one\r2\rthree"),  # ... and no newline at the end
        (b"one\rtwo\r", b"one\rtwo\rthree\r"),
        (b"one\rtwo\r", b""),
        (b"", b"one\rtwo\r"),
        (b"a = 1\rb = 2\r", b"a = 1\nb = 2\n"),  # CR-only rewritten as LF
        (b"a = 1\nb = 2\n", b"a = 1\rb = 2\r"),
        (b"s = '''x\ry'''\nport = 1\n", b"s = '''x\ry'''\nport = 2\n"),  # lone CR in a literal
        (b"s = '''x\ry'''\nport = 1\n", b"s = '''x\rz'''\nport = 1\n"),
        (b"a\r\nb\rc\nd\n", b"a\r\nb\rc\ne\n"),  # mixed newlines
        (b"\r\r\n\n\r", b"\r\r\n\nx\r"),
    ],
)
def test_carriage_returns_survive_git_apply(tmp_path: Path, before: bytes, after: bytes) -> None:
    def edit(ws: Workspace) -> None:
        ws.write("f.py", after.decode())

    assert _plan_both_ways(tmp_path, {"f.py": before}, edit)["f.py"][0] == after


def test_a_cr_only_file_renamed_and_edited(tmp_path: Path) -> None:
    def edit(ws: Workspace) -> None:
        text = ws.text("a.py")
        ws.delete("a.py")
        ws.write("b.py", text.replace("2", "3"))

    result = _plan_both_ways(tmp_path, {"a.py": b"x = 1\ry = 2\r"}, edit)
    assert result == {"b.py": (b"x = 1\ry = 3\r", False)}


def _dry_run_equals_write(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], files: dict[str, bytes]
) -> dict[str, bytes]:
    """``--dry-run`` then ``git apply`` gives exactly what ``--write`` gives; returns it."""
    source = tmp_path / "source"
    source.mkdir()
    for rel, data in files.items():
        (source / rel).write_bytes(data)
    dry = copy_tree(source, tmp_path / "dry")
    wet = copy_tree(source, tmp_path / "wet")
    assert main(["--dry-run", "--no-color", str(dry)]) in (0, 1)
    patch = capsysbinary.readouterr().out
    assert snapshot(dry) == snapshot(source), "--dry-run wrote to the repository"
    assert patch, "nothing to fix: the case shows nothing"
    git_apply(dry, patch)
    assert main(["--write", "--no-color", str(wet)]) in (0, 1)
    assert snapshot(dry) == snapshot(wet)
    assert main(["--dry-run", "--no-color", str(wet)]) in (0, 1)
    assert capsysbinary.readouterr().out == b"", "a second run still has changes"
    return {rel: data for rel, (data, _) in snapshot(wet).items()}


MAIN = (
    'from fastapi import FastAPI\nimport uvicorn\nSEP = """a\rb"""\napp = FastAPI()\n'
    'if __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8000)\n'
)


def test_cli_patch_with_a_lone_cr_in_a_literal(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    files = {"main.py": MAIN.encode(), "requirements.txt": REQUIREMENTS}
    result = _dry_run_equals_write(tmp_path, capsysbinary, files)
    assert result["main.py"] == b'from fastapi import FastAPI\nSEP = """a\rb"""\napp = FastAPI()\n'


def test_cli_patch_with_old_mac_newlines(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    main_py = MAIN.replace('"""a\rb"""', "'ab'").replace("\n", "\r").encode()
    files = {"main.py": main_py, "requirements.txt": b"fastapi\ruvicorn\r"}
    result = _dry_run_equals_write(tmp_path, capsysbinary, files)
    assert b"uvicorn.run" not in result["main.py"]
    assert b"\n" not in result["main.py"]
    assert result["requirements.txt"].startswith(b"fastapi\ruvicorn\rpydantic\r")
