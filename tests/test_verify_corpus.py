"""Every corpus tree with a root main.py boots under ``hffix verify`` and answers 200.

The trees are found in corpus/ at collection time, so new cases are included without
editing this file: ``after/`` when the case has one, else ``before/`` (a case that must
stay unchanged). Each tree is copied to a temporary folder first, so nothing (bytecode,
a SQLite file the app creates) lands in corpus/.

A tree that needs a distribution the test environment does not have is skipped with its
name. A tree whose case ends with findings left (``write_exit`` != 0) or runs only some
rules (``--select``) is not claimed to be ready for a Space: when it does not boot, it is
skipped with verify's one-line reason. Every other tree must boot and answer.

Variables the tree lists in .env.example (or that hffix's rules name) are given
placeholder values, as a Space's secrets would be set.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from hffix import api
from hffix.verify import VerifyOptions, verify
from hffix.verify.envvars import example_names
from tests.conftest import CORPUS, copy_tree
from tests.verify_helpers import assert_no_leak

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")


def _trees() -> list[Any]:
    params = []
    for folder in sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []:
        tree = folder / "after" if (folder / "after").is_dir() else folder / "before"
        if not (tree / "main.py").is_file():
            continue
        spec: dict[str, Any] = {}
        if (folder / "case.toml").is_file():
            spec = tomlkit.parse((folder / "case.toml").read_text(encoding="utf-8")).unwrap()
        write_exit = int(spec.get("expect", {}).get("write_exit", 0))
        # A case that selects rules claims compliance only for those rules.
        claimed = write_exit == 0 and not any(
            str(arg).startswith("--select") for arg in spec.get("args", [])
        )
        params.append(pytest.param(tree, claimed, id=folder.name))
    return params


TREES = _trees()


def placeholder(name: str) -> str:
    """A value that lets an app start: a SQLite URL for database URLs, a dummy otherwise."""
    upper = name.upper()
    if "DATABASE" in upper or upper.endswith(("_DB_URL", "DB_URL", "_DSN")):
        return "sqlite:///./verify.db"
    if upper.endswith(("_URL", "_URI", "HOST")):
        return "http://127.0.0.1:9"
    return "verify-placeholder"


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def test_corpus_has_bootable_trees() -> None:
    """The discovery itself must find something, or the parametrized test proves nothing."""
    assert TREES, "no corpus tree with a root main.py was found"


def _pins_this_environment_breaks(requirements: Path) -> list[str]:
    """Requirements of ``requirements`` that the installed version of the same
    distribution does not satisfy (a case pinning `pydantic<2` in a pydantic 2 test
    environment): booting here would test the environment, not the fix."""
    from importlib.metadata import PackageNotFoundError, version

    from hffix.formats.requirements import LineKind, parse_requirements

    if not requirements.is_file():
        return []
    broken = []
    for line in parse_requirements(requirements.read_text(encoding="utf-8")):
        if line.kind is not LineKind.REQUIREMENT or line.requirement is None:
            continue
        try:
            installed = version(line.requirement.name)
        except PackageNotFoundError:
            continue
        if not line.requirement.specifier.contains(installed, prereleases=True):
            broken.append(f"{line.requirement} (installed: {installed})")
    return broken


@pytest.mark.slow  # boots a server per corpus case
@pytest.mark.parametrize(("tree", "claimed"), TREES)
def test_corpus_tree_boots_and_answers(tree: Path, claimed: bool, tmp_path: Path) -> None:
    broken = _pins_this_environment_breaks(tree / "requirements.txt")
    if broken:
        pytest.skip(
            f"the case pins {', '.join(broken)}; "
            "tests/test_hf007_install.py installs and imports it on Python 3.10"
        )
    root = copy_tree(tree, tmp_path / "repo")
    names = set(example_names(root)) | set(api.check(root).variables)
    options = VerifyOptions(
        variables={name: placeholder(name) for name in sorted(names)}, timeout=30
    )
    report = verify(root, options)
    data = report.to_dict()
    assert_no_leak(data)
    boot = report.boot
    assert boot.attempted, report.reason()
    failure = boot.failure
    if failure is not None and failure.kind == "missing-module":
        module = failure.reason.split("'")[1]
        # A third-party module (the reason points at requirements.txt) this venv lacks.
        if "requirements.txt" in failure.reason and not _installed(module.split(".")[0]):
            pytest.skip(f"needs {module!r}, not installed in the test environment")
    if not boot.ok and not claimed:
        assert report.reason(), "a failed boot must say why"
        pytest.skip(f"not claimed ready (findings left or rules selected): {report.reason()}")
    assert boot.ok, f"{report.reason()}\n{boot.failure.detail if boot.failure else ''}"
    statuses = {probe.path: probe.status for probe in boot.probes}
    assert 200 in (statuses.get("/openapi.json"), statuses.get("/")), statuses
    assert not boot.forced_kill, "the server did not stop on SIGTERM"
