"""README's commands: the two set-up commands are the ones CI runs, and every other hffix
command it shows runs as written."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import CORPUS, ROOT, copy_tree, snapshot


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    example = commands[0].split("hffix --dry-run ", 1)[1]
    assert (ROOT / example).is_dir(), f"README's example {example} does not exist"


def test_ci_runs_the_readme_test_command() -> None:
    test_command = setup_commands()[1].split("&&", 1)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def readme_hffix_commands() -> list[str]:
    """Every hffix command line of README's shell blocks (comments dropped), except the
    synopsis lines with [OPTIONS]-style placeholders."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", _readme(), re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("hffix ") and "[" not in line:
                commands.append(line)
    return commands


def _git_repo(src: Path, dst: Path) -> Path:
    import subprocess

    copy_tree(src, dst)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run([*git, *args], cwd=dst, check=True, capture_output=True)
    return dst


def test_every_readme_command_runs(tmp_path: Path) -> None:
    """Each hffix command README shows is accepted as written (exit 0 or 1, never a usage
    error), run in order where its placeholders are real repositories."""
    import os
    import shlex
    import subprocess
    import sys

    commands = readme_hffix_commands()
    assert len(commands) >= 10
    example = CORPUS / "example-nested-backend" / "before"
    work = tmp_path / "work"
    _git_repo(example, work)
    for name in ("service-a", "service-b"):
        _git_repo(example, tmp_path / "src" / name)
    fleet = (
        f"{_git_repo(example, tmp_path / 'fleet-1')}\n{_git_repo(example, tmp_path / 'fleet-2')}\n"
    )
    identity = {
        f"GIT_{who}_{what}": value
        for who in ("AUTHOR", "COMMITTER")
        for what, value in (("NAME", "t"), ("EMAIL", "t@example.invalid"))
    }
    env = {**os.environ, **identity, "HOME": str(tmp_path), "NO_COLOR": "1"}
    for command in commands:
        words = [w.replace("~/", f"{tmp_path}/") for w in shlex.split(command)]
        if "--commit" in words and "--resume" not in words:
            # The commands are alternatives, not steps: each --commit starts from clean trees.
            for tree in (work, *(Path(line) for line in fleet.split()), *tmp_path.glob("src/*")):
                subprocess.run(["git", "stash", "-u", "-q"], cwd=tree, capture_output=True)
        (work / "repos.txt").write_text(fleet)
        proc = subprocess.run(
            [sys.executable, "-m", "hffix", *words[1:]],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode in (0, 1), f"{command}: {proc.returncode} {proc.stderr[-500:]}"


def test_the_patch_pipeline_in_readme_applies(tmp_path: Path) -> None:
    """`hffix --dry-run --exit-zero . > ../fix.patch && git apply ../fix.patch` gives what
    `hffix --write .` gives."""
    import subprocess
    import sys

    line = re.search(r"`(hffix --dry-run[^`]*git apply \.\./fix\.patch)`", _readme())
    assert line is not None
    example = CORPUS / "example-nested-backend" / "before"
    piped, written = _git_repo(example, tmp_path / "a"), _git_repo(example, tmp_path / "b")
    pipeline = line.group(1).replace("hffix ", f"{sys.executable} -m hffix ", 1)
    subprocess.run(pipeline, shell=True, cwd=piped, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-m", "hffix", "--write", "."], cwd=written, capture_output=True
    )
    (piped.parent / "fix.patch").unlink()

    def tree(folder: Path) -> dict[str, tuple[bytes, bool]]:
        return {k: v for k, v in snapshot(folder).items() if not k.startswith(".git/")}

    assert tree(piped) == tree(written)


def test_verify_synopsis_options_exist() -> None:
    import subprocess
    import sys

    synopsis = next(line for line in _readme().splitlines() if line.startswith("hffix verify ["))
    options = re.findall(r"(?<=\[)(-{1,2}[a-z-]+)", synopsis)
    assert options
    proc = subprocess.run(
        [sys.executable, "-m", "hffix", "verify", "--help"], capture_output=True, text=True
    )
    for option in options:
        assert option in proc.stdout, option
