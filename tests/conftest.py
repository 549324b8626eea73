"""Shared helpers for the test suite."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def snapshot(folder: Path) -> dict[str, tuple[bytes, bool]]:
    """Every regular file below ``folder``: relative path -> (bytes, executable?)."""
    files: dict[str, tuple[bytes, bool]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts:
            rel = path.relative_to(folder).as_posix()
            files[rel] = (path.read_bytes(), bool(path.stat().st_mode & 0o100))
    return files


# Server packages: the only imports hffix may remove (once the server start is gone).
SERVER_MODULES = ("uvicorn", "gunicorn", "hypercorn")


def non_server_imports(source: str | bytes) -> set[str]:
    """Module-level imports other than a server package's, as ``module`` or ``module:name``
    strings; empty for text that does not parse."""
    try:
        text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
        tree = ast.parse(text)
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return set()
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] not in SERVER_MODULES}
        elif isinstance(node, ast.ImportFrom) and (
            (node.module or "").split(".")[0] not in SERVER_MODULES
        ):
            found |= {f"{'.' * node.level}{node.module}:{a.name}" for a in node.names}
    return found


def git_apply(folder: Path, patch: bytes) -> None:
    """Apply ``patch`` to ``folder`` with git; fails the test with git's message."""
    if not patch:
        return
    patch_file = folder.parent / f"{folder.name}.patch"
    patch_file.write_bytes(patch)
    proc = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", str(patch_file)],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    patch_file.unlink()
    assert proc.returncode == 0, f"git apply failed: {proc.stderr}"


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


@pytest.fixture
def make_repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a small repository from {path: text or bytes} and return its root."""

    def make(files: dict[str, str | bytes], name: str = "repo") -> Path:
        root = tmp_path / name
        root.mkdir()
        for rel, content in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_bytes(content.encode("utf-8"))
        return root

    return make
