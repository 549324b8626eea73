"""``hffix verify --install``: a fresh virtual environment from requirements.txt (slow).

Builds one small environment (fastapi + uvicorn) from the package index into a temporary
cache, boots there, reuses it on the second run, and shows what the current interpreter
hides: a module installed here but not declared in requirements.txt is "not found".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.verify import VerifyOptions, verify
from hffix.verify.venv import InstallError, environment_key, prepare
from tests.verify_helpers import GOOD_MAIN, assert_no_leak

MakeRepo = Callable[..., Path]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX"),
]

SMALL = "fastapi\nuvicorn\n"


def test_install_builds_boots_and_reuses(
    make_repo: MakeRepo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cache = tmp_path_factory.mktemp("hffix-cache")
    root = make_repo({"main.py": GOOD_MAIN, "requirements.txt": SMALL}, name="small")
    options = VerifyOptions(install=True, cache_dir=cache, timeout=60)
    first = verify(root, options)
    assert_no_leak(first.to_dict())
    assert first.interpreter is not None and first.interpreter.installed
    assert not first.interpreter.cached
    assert first.interpreter.venv is not None
    assert Path(first.interpreter.venv).parent == cache / "venvs"
    assert first.boot.ok, first.reason()
    assert {p.path: p.status for p in first.boot.probes} == {"/": 200, "/openapi.json": 200}

    second = verify(root, options)
    assert second.interpreter is not None and second.interpreter.cached
    assert second.interpreter.venv == first.interpreter.venv
    assert second.boot.ok, second.reason()

    # Installed here (test extra) but not declared: only --install catches it.
    undeclared = make_repo(
        {"main.py": "import hypothesis\n" + GOOD_MAIN, "requirements.txt": SMALL}, name="undeclared"
    )
    here = verify(undeclared, VerifyOptions(timeout=60))
    assert here.boot.ok, here.reason()
    built = verify(undeclared, options)
    assert built.interpreter is not None and built.interpreter.cached  # same requirements
    assert built.boot.failure is not None
    assert built.boot.failure.kind == "missing-module"
    assert built.reason().startswith("module 'hypothesis' not found (imported at main.py:1)")
    assert built.exit_code == 1


def test_requirements_that_do_not_install(
    make_repo: MakeRepo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cache = tmp_path_factory.mktemp("hffix-cache-bad")
    root = make_repo({"main.py": GOOD_MAIN, "requirements.txt": "-r missing.txt\n"})
    with pytest.raises(InstallError) as raised:
        prepare(root, cache=cache)
    assert raised.value.reason.startswith("pip could not install requirements.txt:")
    assert "missing.txt" in raised.value.reason
    assert not any((cache / "venvs").glob("*/bin")), "a failed build must not stay cached"
    report = verify(root, VerifyOptions(install=True, cache_dir=cache))
    assert report.exit_code == 1
    assert report.boot.failure is not None and report.boot.failure.kind == "install"
    assert not report.boot.attempted


def test_environment_key_follows_the_requirements() -> None:
    assert environment_key(b"fastapi\n", "CPython-3.11") == environment_key(
        b"fastapi\n", "CPython-3.11"
    )
    assert environment_key(b"fastapi\n", "CPython-3.11") != environment_key(
        b"fastapi\nuvicorn\n", "CPython-3.11"
    )
    assert environment_key(b"fastapi\n", "CPython-3.11") != environment_key(
        b"fastapi\n", "CPython-3.10"
    )


def test_install_without_requirements(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"main.py": GOOD_MAIN})
    with pytest.raises(InstallError) as raised:
        prepare(root, cache=tmp_path / "cache")
    assert "needs a requirements.txt" in raised.value.reason
