"""Start-up: what ``hffix --check`` imports on a compliant repository, and the command
lines :func:`hffix.cli.main` reads without typer.

pre-commit starts hffix at every commit, so the modules a compliant repository never needs
(typer, tomlkit, the writer, the secret formats...) are imported where they are used. A
module-level import elsewhere would put one back on every start without failing anything
else: these tests fail instead. No time is measured here (``bench/bench.py`` does that).
"""

from __future__ import annotations

import functools
import inspect
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hffix import cli
from hffix.cli import OutputFormat, _quick_arguments, run

COMPLIANT = {
    "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "requirements.txt": "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n",
    "README.md": '---\ntitle: Demo\nsdk: gradio\napp_file: main.py\npython_version: "3.10"\n---\n',
}
# Never imported by `hffix --check` on a compliant repository with no pyproject.toml.
NOT_AT_START_UP = (
    "typer",  # the command line is read without it (see below)
    "tomlkit",  # only a pyproject.toml, Pipfile or poetry table is read with it
    "hffix.repository.writer",  # only --write
    "hffix.repository.patch",  # only a patch to print
    "hffix.secrets.formats",  # only a value that reaches the secret classifier
    "hffix.secrets.placeholders",
    "hffix.secrets.urls",
    "hffix.secrets.entropy",
    "hffix.secrets.rewriter",  # only a secret to move out of the code
    "hffix.secrets.redact",  # only a message or patch that may quote a secret
    "hffix.project.hoist",  # only an app in a folder to hoist
    "hffix.project.importroot",  # only an app outside the root, or main.py importing relatively
    "hffix.project.lift",  # only an app to lift out of a __main__ block
    "hffix.project.moveaside",  # only a main.py to move aside
    "hffix.python.spans",  # only a libcst node's position
    "libcst",  # only a module a rule edits (Session.parse)
    "packaging",  # only a requirement line with a version or marker
    "pathspec",  # only an ignore pattern to match
    "multiprocessing",  # only --jobs 2 and more
    "hffix.fleet.commit",  # only --commit
    "subprocess",  # git: only --commit and verify
    "hashlib",  # the journal and --commit: only a write
    "difflib",  # only a finding's position in a file an earlier rule edited
)
# hffix's helpers over libcst, tomlkit, pathspec and packaging: each imports those only in
# the functions that use them, so a rule can import the helpers when it loads.
HELPERS = (
    "hffix.config",
    "hffix.envfile",
    "hffix.formats.requirements",
    "hffix.deps.manifests",
    "hffix.project.lift",
    "hffix.project.moveaside",
    "hffix.project.runcommands",
    "hffix.python.edits",
    "hffix.python.importmap",
    "hffix.python.imports",
    "hffix.python.names",
    "hffix.python.positions",
    "hffix.python.servers",
    "hffix.python.walk",
    "hffix.secrets.classify",
    "hffix.secrets.envreads",
    "hffix.secrets.naming",
    "hffix.secrets.prefilter",
    "hffix.secrets.pysource",
    "hffix.secrets.reads",
    "hffix.secrets.redact",
    "hffix.secrets.rewrite",
    "hffix.secrets.scope",
    "hffix.secrets.settings",
)
# (helpers, what they must not import when they load); pathspec also comes with
# hffix.repository.discovery, which most helpers reach through the workspace.
LAZY_IMPORTS = [
    (HELPERS, ("libcst", "tomlkit", "packaging")),
    (("hffix.config", "hffix.envfile", "hffix.secrets.scope"), ("pathspec",)),
]


def _loaded_after(code: str, candidates: tuple[str, ...]) -> list[str]:
    """Which of ``candidates`` are in ``sys.modules`` after ``code`` runs in a new process."""
    report = f"import json, sys\nprint(json.dumps([m for m in {candidates!r} if m in sys.modules]))"
    script = f"{code}\n{report}"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    loaded: list[str] = json.loads(proc.stdout.splitlines()[-1])
    return loaded


def test_a_compliant_check_imports_none_of_what_it_does_not_need(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(COMPLIANT)
    code = (
        "from hffix.cli import main\n"
        f"assert main(['--check', {str(repo)!r}]) == 0, 'the repository is not compliant'"
    )
    assert _loaded_after(code, NOT_AT_START_UP) == []


@pytest.mark.parametrize(("helpers", "parsers"), LAZY_IMPORTS)
def test_the_helpers_import_no_parser_when_they_load(
    helpers: tuple[str, ...], parsers: tuple[str, ...]
) -> None:
    # hffix/__init__ imports the engine and every rule: load the helpers without it.
    package = Path(__file__).resolve().parent.parent / "hffix"
    code = (
        "import sys, types\n"
        "package = types.ModuleType('hffix')\n"
        f"package.__path__ = [{str(package)!r}]\n"
        "sys.modules['hffix'] = package\n"
        f"for name in {helpers!r}:\n"
        "    __import__(name)"
    )
    assert _loaded_after(code, parsers) == []


QUICK = [
    [],
    ["--check"],
    ["--check", "."],
    ["--dry-run", "a", "b/", "--no-color"],
    ["--write", "-q", "-v", "--redact", "repo"],
    ["--check", "--select", "HF001,HF002", "--select=HF005", "--ignore", "HF010"],
    ["--select="],
    ["--jobs", "2", "-j", "3", "--jobs=4"],
    ["--format", "json", "--format=github"],
    ["--unsafe-fixes", "--no-unsafe-fixes"],
    ["--no-unsafe-fixes", "--unsafe-fixes", "x=y"],
    ["--repos-from", "list.txt", "--check"],
    ["--check", "--exit-zero", "--jobs", "1", "--repos-from", "repos.txt"],
]
ELSEWHERE = [
    ["--help"],
    ["-h"],
    ["--"],
    ["-"],
    ["-qv"],
    ["-j4"],
    ["-j=4"],
    ["--jobs", "0"],
    ["--jobs", "x"],
    ["--jobs"],
    ["--format", "xml"],
    ["--select", "-x"],
    ["--repos-from", "-"],
    ["--check=yes"],
    ["--explain", "HF001"],
    ["--report", "out.jsonl"],
    ["--chek"],
]


def _typer_reading(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The arguments typer calls :func:`run` with for ``args``."""
    import typer

    received: dict[str, Any] = {}

    @functools.wraps(run)
    def record(**arguments: Any) -> int:
        received.update(arguments)
        return 0

    monkeypatch.setattr(cli, "run", record)
    command = typer.main.get_command(cli._typer_app())
    assert command.main(args=list(args), prog_name="hffix", standalone_mode=False) == 0
    return received


@pytest.mark.parametrize("args", QUICK)
def test_quick_reading_is_typer_reading(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    quick = _quick_arguments(args)
    assert quick is not None
    defaults = {name: p.default for name, p in inspect.signature(run).parameters.items()}
    assert {**defaults, **quick} == _typer_reading(args, monkeypatch)


@pytest.mark.parametrize("args", ELSEWHERE)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert _quick_arguments(args) is None


def test_quick_values_are_typed_as_typer_types_them() -> None:
    quick = _quick_arguments(["--format", "sarif", "-j", "2", "repo"])
    assert quick == {"output_format": OutputFormat.sarif, "jobs": 2, "paths": [Path("repo")]}
