"""README's two set-up commands are the ones CI runs."""

from __future__ import annotations

import re

from tests.conftest import ROOT


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
