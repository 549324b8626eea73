"""Which files discovery hands to the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

import hffix
from hffix.cli import main
from hffix.findings import Status
from hffix.repository.discovery import ALWAYS_READ, discover, scan
from tests.conftest import snapshot


def write(root: Path, rel: str, text: str = "x\n") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_gitignore_at_every_level_and_info_exclude(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*.log\n/generated/\n!keep.log\n")
    write(tmp_path, "app.log")
    write(tmp_path, "keep.log")
    write(tmp_path, "generated/out.py")
    write(tmp_path, "sub/generated/in_sub.py")  # /generated/ is anchored to the root
    write(tmp_path, "sub/.gitignore", "secret.py\n")
    write(tmp_path, "sub/secret.py")
    write(tmp_path, "secret.py")  # the nested rule does not reach up
    write(tmp_path, ".git/info/exclude", "local_notes.txt\n")
    write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")
    write(tmp_path, "local_notes.txt")
    files, _ = discover(tmp_path)
    assert sorted(files) == [
        ".gitignore",
        "keep.log",
        "secret.py",
        "sub/.gitignore",
        "sub/generated/in_sub.py",
    ]


def test_skips_environments_caches_and_build_output(tmp_path: Path) -> None:
    write(tmp_path, "main.py")
    write(tmp_path, "myenv/pyvenv.cfg", "home = /usr\n")
    write(tmp_path, "myenv/lib/site.py")
    for folder in ("node_modules", "__pycache__", "build", "dist", ".tox", "site-packages"):
        write(tmp_path, f"{folder}/junk.py")
    write(tmp_path, "pkg.egg-info/PKG-INFO")
    files, _ = discover(tmp_path)
    assert sorted(files) == ["main.py"]


def test_exclude_patterns_from_config(tmp_path: Path) -> None:
    write(tmp_path, "main.py")
    write(tmp_path, "legacy/old.py")
    write(tmp_path, "notebooks/a.ipynb")
    files, _ = discover(tmp_path, ["legacy/", "*.ipynb"])
    assert sorted(files) == ["main.py"]


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, "secret.py")
    repo = tmp_path / "repo"
    write(repo, "main.py")
    (repo / "ext").symlink_to(outside)
    (repo / "alias.py").symlink_to(repo / "main.py")
    (repo / "dangling.py").symlink_to(repo / "missing.py")
    (repo / "loop").symlink_to(repo)
    files, skipped = discover(repo)
    assert sorted(files) == ["main.py"]
    assert sorted(s.path for s in skipped) == ["alias.py", "dangling.py", "ext", "loop"]
    assert all("symbolic link" in s.reason for s in skipped)


def test_a_folder_named_like_a_module_is_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "models.py/__init__.py")
    files, _ = discover(tmp_path)
    assert sorted(files) == ["models.py/__init__.py"]


def test_the_spaces_own_files_are_read_even_when_git_ignores_them(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*\n")
    write(tmp_path, ".git/info/exclude", "packages.txt\n")
    for name in ("main.py", "requirements.txt", "README.md", "packages.txt", "notes.txt"):
        write(tmp_path, name)
    write(tmp_path, "app/main.py")  # only the root's own files are read all the same
    found = scan(tmp_path)
    assert sorted(found.files) == [
        ".gitignore",
        "README.md",
        "main.py",
        "packages.txt",
        "requirements.txt",
    ]
    assert found.gitignored == ALWAYS_READ  # missing or not, git ignores every one


def test_a_configured_exclude_still_wins(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "requirements.txt\n")
    write(tmp_path, "main.py")
    write(tmp_path, "requirements.txt")
    found = scan(tmp_path, ["main.py"])
    assert sorted(found.files) == [".gitignore", "requirements.txt"]
    assert found.gitignored == {"requirements.txt"}
    assert scan(tmp_path).gitignored == {"requirements.txt"}
    write(tmp_path, ".gitignore", "*.log\n")
    assert scan(tmp_path).gitignored == frozenset()


def _write_twice(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """``--write`` twice: the first must not fail, the second must change nothing."""
    assert main(["--write", "--no-color", str(root)]) in (0, 1)
    first = capsys.readouterr().err
    assert "error" not in first, first
    before = snapshot(root)
    assert main(["--write", "--no-color", str(root)]) in (0, 1)
    second = capsys.readouterr().err
    assert "error" not in second, second
    assert snapshot(root) == before, "the second --write changed the repository"
    assert "Changed" not in second
    return first


MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def test_a_gitignored_requirements_file_is_merged_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, ".gitignore", "__pycache__/\nrequirements.txt\n")
    write(tmp_path, "main.py", MAIN)
    write(tmp_path, "requirements.txt", "fastapi==0.111.0  # pinned\nhttpx\n")
    out = _write_twice(tmp_path, capsys)
    assert "requirements.txt is missing" not in out
    text = (tmp_path / "requirements.txt").read_text()
    assert text.startswith("fastapi==0.111.0  # pinned\nhttpx\nuvicorn\n")
    assert "requirements.txt is ignored by git" in out
    assert "stop ignoring it" in out


def test_a_gitignore_of_everything_converges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, ".gitignore", "*\n")
    write(tmp_path, "main.py", MAIN)
    out = _write_twice(tmp_path, capsys)
    assert "requirements.txt is missing" in out  # created once, read on the second run
    assert (tmp_path / "requirements.txt").read_text().startswith("fastapi\nuvicorn\n")
    assert "main.py is ignored by git" in out and "requirements.txt is ignored by git" in out
    result = hffix.check(tmp_path)
    ignored = [f for f in result.findings if "is ignored by git" in f.message]
    assert sorted(f.path for f in ignored) == ["main.py", "requirements.txt"]
    assert all(f.status is Status.MANUAL and f.code == "HF007" for f in ignored)


def test_each_ignore_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hffix.repository import discovery

    write(tmp_path, ".gitignore", "*.log\nrequirements.txt\n")
    write(tmp_path, "sub/.gitignore", "*.tmp\n")
    write(tmp_path, "sub/a.tmp")
    write(tmp_path, "sub/b.py")
    write(tmp_path, "c.log")
    write(tmp_path, "requirements.txt")
    read: list[str] = []
    real = discovery._read_patterns

    def counting(path: str | Path) -> list[str]:
        read.append(Path(path).relative_to(tmp_path).as_posix())
        return real(path)

    monkeypatch.setattr(discovery, "_read_patterns", counting)
    found = scan(tmp_path)
    assert sorted(read) == [".gitignore", "sub/.gitignore"]
    assert sorted(found.files) == [".gitignore", "requirements.txt", "sub/.gitignore", "sub/b.py"]
    assert found.gitignored == {"requirements.txt"}


def test_an_ignore_file_that_is_a_link_or_a_folder_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, "rules.txt", "*.py\n")
    (tmp_path / ".gitignore").symlink_to(tmp_path / "rules.txt")
    write(tmp_path, "sub/.gitignore/x", "*.py\n")
    write(tmp_path, "sub/a.py")
    write(tmp_path, "main.py")
    found = scan(tmp_path)
    assert sorted(found.files) == ["main.py", "rules.txt", "sub/.gitignore/x", "sub/a.py"]
    assert found.gitignored == frozenset()
    assert [s.path for s in found.skipped] == [".gitignore"]


def test_an_unlistable_root_is_one_skipped_entry(tmp_path: Path) -> None:
    write(tmp_path, "file.py")
    found = scan(tmp_path / "file.py")
    assert found.files == {}
    assert [(s.path, s.reason.split(":")[0]) for s in found.skipped] == [
        (".", "cannot list folder")
    ]
