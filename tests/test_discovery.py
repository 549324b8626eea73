"""Which files discovery hands to the rules."""

from __future__ import annotations

from pathlib import Path

from hffix.repository.discovery import discover


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
