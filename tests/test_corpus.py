"""Runs every corpus case (corpus/<case>/{before,after,case.toml}) through the command line.

For each case, on temporary copies: ``--dry-run`` writes nothing and its patch, applied
with ``git apply``, gives ``after/``; ``--write`` gives ``after/`` exactly; a second
``--write`` changes nothing; exit codes and finding codes are those ``case.toml`` names.
After ``--write``, ``--check`` finds nothing fixable and nothing in the files hffix created.
A case without ``after/`` expects the repository to stay as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from hffix.cli import main
from tests.conftest import CORPUS, copy_tree, git_apply, snapshot


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    args: list[str]
    dry_run_exit: int
    write_exit: int
    codes: list[str]
    stderr: list[str] = field(default_factory=list)

    @property
    def before(self) -> Path:
        return self.folder / "before"

    @property
    def after(self) -> Path:
        after = self.folder / "after"
        return after if after.exists() else self.before


def load_cases() -> list[Case]:
    cases = []
    for folder in sorted(CORPUS.iterdir()):
        spec_file = folder / "case.toml"
        if not spec_file.exists():
            continue
        spec: dict[str, Any] = tomlkit.parse(spec_file.read_text(encoding="utf-8")).unwrap()
        expect = spec["expect"]
        cases.append(
            Case(
                name=folder.name,
                folder=folder,
                args=list(spec.get("args", [])),
                dry_run_exit=expect["dry_run_exit"],
                write_exit=expect["write_exit"],
                codes=sorted(expect.get("codes", [])),
                stderr=list(expect.get("stderr", [])),
            )
        )
    return cases


CASES = load_cases()


def _created_paths(patch: bytes) -> set[str]:
    """The files a git-style patch creates (moved and edited files are not among them)."""
    created: set[str] = set()
    current = ""
    for line in patch.decode("utf-8", "replace").splitlines():
        if line.startswith("diff --git "):
            current = line.rsplit(" b/", 1)[-1]
        elif line.startswith("new file mode"):
            created.add(current)
    return created


def run_cli(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    code = main(list(args))
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode("utf-8", "replace")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    expected = snapshot(case.after)
    before = snapshot(case.before)

    # --dry-run: nothing written, the patch reproduces after/.
    dry = copy_tree(case.before, tmp_path / "dry")
    code, patch, err = run_cli(capsysbinary, "--dry-run", "--no-color", *case.args, str(dry))
    assert code == case.dry_run_exit, err
    assert snapshot(dry) == before, "--dry-run modified the repository"
    for text in case.stderr:
        assert text in err
    git_apply(dry, patch)
    assert snapshot(dry) == expected, "the --dry-run patch does not give after/"
    first_patch = patch

    # --write gives after/ exactly.
    wet = copy_tree(case.before, tmp_path / "wet")
    code, out, err = run_cli(capsysbinary, "--write", "--no-color", *case.args, str(wet))
    assert code == case.write_exit, err
    assert out == b""
    assert snapshot(wet) == expected, "--write does not give after/"

    # A second --write changes nothing.
    code, _, err = run_cli(capsysbinary, "--write", "--no-color", *case.args, str(wet))
    assert snapshot(wet) == expected, "a second --write changed the repository"
    code, patch, err = run_cli(capsysbinary, "--dry-run", "--no-color", *case.args, str(wet))
    assert patch == b"", "a second run still has changes"

    # Converged: a check of the written tree finds nothing fixable, and nothing in the
    # files hffix created (moved files keep their owner's findings).
    code, out, err = run_cli(capsysbinary, "--check", "--format", "json", *case.args, str(wet))
    left = [f for r in json.loads(out)["repositories"] for f in r["findings"]]
    created = _created_paths(first_patch)
    assert [f for f in left if f["status"] == "fixable"] == [], "fixable findings after --write"
    assert [f for f in left if f["path"] in created] == [], "findings about files hffix wrote"

    # Finding codes, from the machine-readable report.
    code, out, err = run_cli(
        capsysbinary, "--check", "--format", "json", *case.args, str(case.before)
    )
    report = json.loads(out)
    codes = sorted({f["code"] for r in report["repositories"] for f in r["findings"]})
    assert codes == case.codes
    assert snapshot(case.before) == before


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 12


SHIM_CASES = [
    c
    for c in CASES
    if (c.after / "main.py").is_file()
    and (c.after / "main.py").read_text(encoding="utf-8").startswith("# Hugging Face Spaces")
]


@pytest.mark.parametrize("case", SHIM_CASES, ids=[c.name for c in SHIM_CASES])
def test_the_written_main_py_survives_ruff_fix(
    case: Case, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """A `ruff check --fix` pre-commit hook next to hffix's: the two must converge. ruff's
    unused-import fix (F401) deleted the shim's `from app.main import app  # noqa: E402`."""
    import shutil
    import subprocess

    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    tree = copy_tree(case.after, tmp_path / "after")
    before = (tree / "main.py").read_bytes()
    proc = subprocess.run(
        [ruff, "check", "--fix", "--isolated", "--select", "F,E4,E7,E9,I", "main.py"],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tree / "main.py").read_bytes() == before, "ruff --fix changed the written main.py"
    _, _, err = run_cli(capsysbinary, "--check", "--no-color", *case.args, str(tree))
    assert "HF001" not in err
