"""Findings name the file as it is on disk, and an undecided app leaves the way the
repository starts today alone (the "decide, then apply" contract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hffix.cli import main
from hffix.repository.workspace import Location, PositionMap
from tests.conftest import CORPUS, copy_tree, snapshot


def _check_json(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, object]]]:
    code = main(["--check", "--format", "json", *args])
    out = capsys.readouterr().out
    report = json.loads(out)
    return code, [f for r in report["repositories"] for f in r["findings"]]


def _positions(original: str, edited: str | None, *, origin: str | None = "a.py") -> PositionMap:
    return PositionMap({"a.py": (origin, edited)}, lambda path: original)


# ------------------------------------------------------------------ the position map


def test_unedited_file_keeps_positions() -> None:
    assert _positions("x = 1\n", None).locate("a.py", 1, 5) == Location("a.py", 1, 5)


def test_lines_after_a_removed_line_map_back() -> None:
    positions = _positions("import uvicorn\nA = 1\nB = 2\n", "A = 1\nB = 2\n")
    assert positions.locate("a.py", 2, 5) == Location("a.py", 3, 5)


def test_an_inserted_line_maps_to_the_file() -> None:
    positions = _positions("A = 1\n", "import os\nA = 1\n")
    assert positions.locate("a.py", 1, 1) == Location("a.py")
    assert positions.locate("a.py", 2, 1) == Location("a.py", 1, 1)


def test_a_rewritten_line_keeps_its_line_and_a_column_on_it() -> None:
    positions = _positions("A = 1\nport = 8000\n", "A = 1\nport = int(os.environ['P'])\n")
    assert positions.locate("a.py", 2, 20) == Location("a.py", 2, 12)


def test_a_new_file_maps_to_itself_without_position() -> None:
    positions = _positions("", "app = 1\n", origin=None)
    assert positions.locate("a.py", 1, 1) == Location("a.py")


def test_a_moved_file_maps_to_its_path_on_disk() -> None:
    positions = PositionMap({"config.py": ("backend/config.py", None)}, lambda path: "")
    assert positions.locate("config.py", 3, 16) == Location("backend/config.py", 3, 16)


def test_a_path_not_in_the_view_is_kept_without_position() -> None:
    assert _positions("", None).locate("main.py") == Location("main.py")
    assert _positions("", None).locate("requirements.txt", 3, 1) == Location("requirements.txt")


# ------------------------------------------------------------------ findings on disk


def test_finding_after_an_earlier_rules_edit_keeps_its_line_on_disk(
    make_repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "main.py": "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n"
            'SECRET_KEY = "s3cr3t-Xk29aPq77LmZ0wQe"\n\n'
            'if __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8000)\n',
            "requirements.txt": "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n",
        }
    )
    _, findings = _check_json(capsys, str(root))
    secret = [f for f in findings if f["code"] == "HF005" and f["path"] == "main.py"]
    assert [(f["path"], f["line"], f["column"]) for f in secret] == [("main.py", 6, 14)]
    assert (root / "main.py").read_text().splitlines()[5].startswith("SECRET_KEY")


def test_findings_in_a_hoisted_backend_keep_their_paths_on_disk(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = CORPUS / "example-nested-backend" / "before"
    _, findings = _check_json(capsys, str(before))
    places = {(f["code"], f["path"], f["line"]) for f in findings}
    assert ("HF005", "backend/app/config.py", 3) in places
    assert ("HF006", "backend/Dockerfile", 7) in places
    for finding in findings:
        path, line = str(finding["path"]), int(str(finding["line"]))
        if line:
            lines = (before / path).read_text(encoding="utf-8").splitlines()
            assert line <= len(lines), finding
    # Messages that name a place name it as it is on disk too.
    assert not any("in Dockerfile:5" in str(f["message"]) for f in findings)


# ------------------------------------------------------------------ an undecided app


def test_undecided_app_keeps_dockerfiles_server_starts_and_manifests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CORPUS / "hf001-undecided-keeps-services" / "before"
    repo = copy_tree(case, tmp_path / "repo")
    kept = {
        path: content
        for path, content in snapshot(repo).items()
        if path.endswith(("Dockerfile", "main.py", "requirements.txt", "docker-compose.yml"))
    }
    assert main(["--write", "--no-color", str(repo)]) == 1
    first = capsys.readouterr().err
    after = snapshot(repo)
    for path, content in kept.items():
        assert after[path] == content, f"{path} changed although no app is chosen"
    root_requirements = (repo / "requirements.txt").read_text().split()
    assert "httpx" not in root_requirements  # one service's import, not the Space's
    assert "fastapi==0.110.0" not in root_requirements  # no service's manifest merged

    # A second run decides the same way, for the same reason, and changes nothing.
    assert main(["--write", "--no-color", str(repo)]) == 1
    second = capsys.readouterr().err
    assert snapshot(repo) == after
    reason = "2 FastAPI apps and nothing says which one the Space serves"
    assert reason in first
    assert reason in second
