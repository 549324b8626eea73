"""Hoisting a nested backend: when it applies, and merges that keep every line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hffix.project.hoist import (
    HoistBlocked,
    HoistPlan,
    merge_readmes,
    merge_requirement_files,
    plan_hoist,
    stale_references,
    union_lines,
)
from hffix.project.layout import Layout
from hffix.repository.workspace import Workspace


def plan(make_repo: Callable[..., Path], files: dict[str, str]) -> HoistPlan | HoistBlocked:
    workspace = Workspace.load(make_repo(files))
    return plan_hoist(workspace, Layout(workspace.paths()), "backend")


def test_metadata_only_root_is_hoisted(make_repo: Callable[..., Path]) -> None:
    result = plan(
        make_repo,
        {
            "README.md": "# x\n",
            "LICENSE": "MIT\n",
            ".github/workflows/ci.yml": "on: push\n",
            "docs/index.md": "docs\n",
            "Dockerfile": "FROM python\n",
            "backend/main.py": "app = 1\n",
            "backend/LICENSE": "MIT\n",
            "backend/api/routes.py": "",
        },
    )
    assert isinstance(result, HoistPlan)
    assert sorted(result.moves) == [
        ("backend/api/routes.py", "api/routes.py"),
        ("backend/main.py", "main.py"),
    ]
    assert result.duplicates == ["backend/LICENSE"]  # identical: kept once


def test_other_code_at_the_root_prevents_the_hoist(make_repo: Callable[..., Path]) -> None:
    result = plan(make_repo, {"backend/main.py": "", "frontend/package.json": "{}", "x.py": ""})
    assert isinstance(result, HoistBlocked)
    assert "frontend/" in result.reason and "x.py" in result.reason


def test_collisions_that_cannot_be_merged_stop_it(make_repo: Callable[..., Path]) -> None:
    result = plan(
        make_repo,
        {"Dockerfile": "FROM a\n", "backend/Dockerfile": "FROM b\n", "backend/main.py": ""},
    )
    assert isinstance(result, HoistBlocked) and "backend/Dockerfile and Dockerfile" in result.reason


def test_two_front_matters_stop_it(make_repo: Callable[..., Path]) -> None:
    result = plan(
        make_repo,
        {
            "README.md": "---\ntitle: a\n---\n",
            "backend/README.md": "---\ntitle: b\n---\n",
            "backend/main.py": "",
        },
    )
    assert isinstance(result, HoistBlocked) and "README.md" in result.reason


def test_merges_apply_to_the_workspace(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "README.md": "# Root",
            "requirements.txt": "fastapi==0.100\r\n",
            "backend/README.md": "---\r\nsdk: gradio\r\n---\r\n# Backend\r\n",
            "backend/requirements.txt": "fastapi==0.110\nuvicorn\n",
            "backend/main.py": "",
        }
    )
    workspace = Workspace.load(root)
    result = plan_hoist(workspace, Layout(workspace.paths()), "backend")
    assert isinstance(result, HoistPlan)
    result.apply(workspace)
    assert workspace.paths() == ["README.md", "main.py", "requirements.txt"]
    assert workspace.text("README.md") == (
        "---\nsdk: gradio\n---\n# Root\n\n## From `backend/README.md`\n\n# Backend\n"
    )
    assert workspace.text("requirements.txt") == (
        "fastapi==0.100\r\n# from backend/requirements.txt\r\nuvicorn\r\n"
        "# backend/requirements.txt had: fastapi==0.110\r\n"
    )
    assert any("fastapi" in note for note in result.notes)


def test_union_lines_keeps_order_and_skips_what_is_there() -> None:
    merged = union_lines(".env\n*.pyc", "*.pyc\n.venv/\n!keep.pyc\n\n", "\n", "backend/.gitignore")
    assert merged == ".env\n*.pyc\n# from backend/.gitignore\n.venv/\n!keep.pyc\n"
    assert union_lines("a\n", "a\n", "\n", "x") == "a\n"


def test_requirement_merge_reports_conflicting_pins() -> None:
    text, conflicts = merge_requirement_files(
        "a==1\nb\n", "A==2\nc\n", "\n", "sub/requirements.txt"
    )
    assert conflicts == ["a"]
    assert text == "a==1\nb\n# from sub/requirements.txt\nc\n# sub/requirements.txt had: A==2\n"


def test_readme_merge() -> None:
    assert merge_readmes("", "# B\n", "\n", "b/README.md") == "## From `b/README.md`\n\n# B\n"
    assert merge_readmes("---\na: 1\n---\n", "---\nb: 2\n---\n", "\n", "x") is None


def test_stale_references_name_files_outside_the_folder(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "Makefile": "run:\n\tcd backend && uvicorn main:app\n",
            ".github/workflows/ci.yml": "jobs:\n  t:\n    working-directory: ./backend\n",
            "README.md": "see backend/\n",
            "backend/main.py": "",
            "backend_notes.txt": "",
        }
    )
    workspace = Workspace.load(root)
    found = stale_references(workspace, Layout(workspace.paths()), "backend")
    assert found == [".github/workflows/ci.yml:3", "Makefile:2"]


def test_ignored_files_left_behind_are_named(make_repo: Callable[..., Path]) -> None:
    root = make_repo({".gitignore": ".env\n", "backend/.env": "SECRET=1\n", "backend/main.py": ""})
    result = plan_hoist(Workspace.load(root), Layout(Workspace.load(root).paths()), "backend")
    assert isinstance(result, HoistPlan)
    assert result.moves == [("backend/main.py", "main.py")]
    assert result.notes == [
        "ignored files stay in backend/ (.env); move them yourself if you need them"
    ]


# ------------------------------------------------------------------ what discovery skips


_BACKEND = {
    "README.md": "# x\n",
    "backend/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "backend/data/users.json": '{"users": ["from-backend"]}\n',
    "backend/app/config.py": "DEBUG = False\n",
}


def _write_repo(root: Path) -> None:
    from hffix.cli import main

    assert main(["--write", "--no-color", str(root)]) in (0, 1)


def test_a_git_ignored_root_file_stops_the_hoist(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {**_BACKEND, ".gitignore": "/data/\n", "data/users.json": '{"users": ["real-user"]}\n'}
    )
    result = plan_hoist(Workspace.load(root), Layout(Workspace.load(root).paths()), "backend")
    assert isinstance(result, HoistBlocked)
    assert "data/" in result.reason and "does not read" in result.reason
    _write_repo(root)
    assert (root / "data/users.json").read_text() == '{"users": ["real-user"]}\n'
    assert (root / "backend/data/users.json").is_file()  # not moved: a shim instead


def test_a_nested_repository_at_the_root_is_never_written_into(
    make_repo: Callable[..., Path],
) -> None:
    import subprocess

    root = make_repo({**_BACKEND, "app/notes.txt": "uncommitted work\n"})
    subprocess.run(["git", "init", "-q", str(root / "app")], check=True)
    result = plan_hoist(Workspace.load(root), Layout(Workspace.load(root).paths()), "backend")
    assert isinstance(result, HoistBlocked)
    assert "app/" in result.reason
    _write_repo(root)
    assert sorted(p.name for p in (root / "app").iterdir()) == [".git", "notes.txt"]
    assert (root / "backend/app/config.py").is_file()


def test_a_file_where_the_move_needs_a_folder_stops_the_hoist(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({**_BACKEND, ".gitignore": "/app\n", "app": "not a folder\n"})
    result = plan_hoist(Workspace.load(root), Layout(Workspace.load(root).paths()), "backend")
    assert isinstance(result, HoistBlocked)
    assert "app" in result.reason


def test_a_large_file_or_a_backslash_name_stops_the_hoist_not_the_run(
    make_repo: Callable[..., Path],
) -> None:
    """Both aborted the whole repository (an Unreadable from the change set, a ValueError
    from the rename): now the hoist is blocked with the reason and a shim is written."""
    import hffix

    for odd, content in (("data/model.bin", b"\0" * (4 * 1024 * 1024 + 1)), ("we\\ird.txt", b"x")):
        root = make_repo({**_BACKEND, f"backend/{odd}": content}, name=f"repo{len(odd)}")
        result = hffix.fix(root, write=True)
        assert result.error is None, result.traceback or result.error
        assert (root / "backend" / odd).read_bytes() == content  # not moved
        entry = next(f for f in result.findings if f.code == "HF001")
        assert "not moved to the root because" in entry.message
        assert (root / "main.py").read_text().startswith("# Hugging Face Spaces entrypoint")


_BIG = 4 * 1024 * 1024 + 1


def test_every_file_that_cannot_move_is_named_in_one_line(
    make_repo: Callable[..., Path],
) -> None:
    """Large files (a model, a Dockerfile, a requirements file) and backslash names: the
    hoist stops with one line naming each, and the rest of the repository is fixed."""
    import hffix

    big = {
        "backend/model.bin": b"\0" * _BIG,
        "backend/Dockerfile": b"FROM python:3.10\n" + b"# padding\n" * (_BIG // 10),
        "backend/requirements-dev.txt": b"pytest\n" + b"# padding\n" * (_BIG // 10),
        "backend/we\\ird.txt": b"x\n",
        "backend/ba\\ck.py": b"",
    }
    root = make_repo(
        {
            **_BACKEND,
            "backend/main.py": "import uvicorn\n"
            + _BACKEND["backend/main.py"]
            + "uvicorn.run(app, port=8000)\n",
            **big,
        }
    )
    result = plan_hoist(Workspace.load(root), Layout(Workspace.load(root).paths()), "backend")
    assert isinstance(result, HoistBlocked)
    assert "\n" not in result.reason
    for name in big:
        assert name in result.reason
    assert "backend/model.bin (4.0 MiB)" in result.reason
    assert "have a backslash in their names" in result.reason
    fixed = hffix.fix(root, write=True)
    assert fixed.error is None, fixed.traceback or fixed.error
    for name, content in big.items():
        assert (root / name).read_bytes() == content  # left where they are, byte for byte
    assert (root / "main.py").read_text().startswith("# Hugging Face Spaces entrypoint")
    assert "uvicorn.run" not in (root / "backend/main.py").read_text()  # HF002 still ran
    assert (root / "requirements.txt").is_file()
    entry = next(f for f in fixed.findings if f.code == "HF001")
    assert "not moved to the root because" in entry.message and "backend/ba\\ck.py" in entry.message


def test_a_large_root_file_that_collides_is_named(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "README.md": "# x\n",
            "requirements.txt": "fastapi\n" + "# padding\n" * (_BIG // 10),
            "backend/main.py": "app = 1\n",
            "backend/requirements.txt": "httpx\n",
        }
    )
    result = plan_hoist(Workspace.load(root), Layout(Workspace.load(root).paths()), "backend")
    assert isinstance(result, HoistBlocked)
    assert result.reason == (
        "these files collide: backend/requirements.txt and requirements.txt "
        "(requirements.txt: larger than 4 MiB)"
    )


def test_large_root_files_are_warnings_not_an_abort(make_repo: Callable[..., Path]) -> None:
    import hffix

    root = make_repo(
        {
            "main.py": "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
            "uvicorn.run(app, port=8000)\n",
            "requirements.txt": "fastapi\n" + "# padding\n" * (_BIG // 10),
            "Dockerfile": "FROM python:3.10\nRUN pip install httpx\n" + "#\n" * _BIG,
        }
    )
    result = hffix.fix(root, write=True)
    assert result.error is None, result.traceback or result.error
    warnings = {d.path: d.message for d in result.diagnostics}
    assert warnings == {
        "Dockerfile": "larger than 4 MiB, skipped",
        "requirements.txt": "larger than 4 MiB, skipped; requirements not checked",
    }
    assert "uvicorn.run" not in (root / "main.py").read_text()  # the rest is fixed
    assert (root / "Dockerfile").is_file()


def test_a_git_ignored_root_requirements_file_is_merged_by_the_hoist(
    make_repo: Callable[..., Path],
) -> None:
    """The root's requirements.txt is read even when git ignores it: the hoist merges it
    (it used to stop, the file being a path hffix does not read)."""
    root = make_repo(
        {
            ".gitignore": "/requirements.txt\n",
            "requirements.txt": "fastapi\n",
            "backend/main.py": "app = 1\n",
            "backend/requirements.txt": "httpx\n",
        }
    )
    result = plan_hoist(Workspace.load(root), Layout(Workspace.load(root).paths()), "backend")
    assert isinstance(result, HoistPlan), result
    assert result.merges == [
        (
            "requirements.txt",
            "backend/requirements.txt",
            "fastapi\n# from backend/requirements.txt\nhttpx\n",
        )
    ]
