"""``hffix verify``: prove that a repository starts the way a Space starts it.

It runs the spec's checklist (SP-HF-10) and every rule, then RUNS THE REPOSITORY'S CODE:
``main:app`` is imported and served by uvicorn on 127.0.0.1, probed over HTTP and stopped.

>>> from hffix.verify import VerifyOptions, verify
>>> report = verify("path/to/repo", VerifyOptions(paths=["/health"]))  # doctest: +SKIP
>>> report.exit_code, report.reason()  # doctest: +SKIP
(1, "module 'jose' not found (imported at main.py:3); add python-jose to requirements.txt")
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hffix import api
from hffix.config import ConfigError, load_config
from hffix.rules import ALL_RULES
from hffix.verify import checklist, explain
from hffix.verify.boot import BootOptions, boot
from hffix.verify.envvars import child_environment, example_file, example_names, missing_names
from hffix.verify.report import Boot, EnvReport, Failure, Interpreter, VerifyReport
from hffix.verify.venv import InstallError, prepare

__all__ = ["VerifyOptions", "VerifyReport", "verify"]

SPACE_PYTHON = "3.10"


@dataclass
class VerifyOptions:
    variables: Mapping[str, str] = field(default_factory=dict)  # from --env-file and -e, in order
    clean_env: bool = False  # start the app with only PATH/HOME/... and ``variables``
    install: bool = False
    cache_dir: Path | None = None
    rebuild: bool = False
    python: str | None = None  # interpreter to boot with (or to build the venv from)
    timeout: float = 60.0
    paths: Sequence[str] = ()
    boot: bool = True
    shutdown_timeout: float = 10.0
    install_timeout: float = 1800.0


def _python_version(python: str) -> str:
    if os.path.realpath(python) == os.path.realpath(sys.executable):
        return ".".join(map(str, sys.version_info[:3]))
    try:
        proc = subprocess.run(
            [python, "-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except OSError:
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _rules_for(root: Path) -> list[checklist.RuleInfo]:
    try:
        config = load_config(root)
    except ConfigError:
        return []
    return [checklist.RuleInfo(r.code, r.name) for r in ALL_RULES if config.enabled(r.code)]


def _env_report(
    root: Path, result: api.Result, options: VerifyOptions, environment: Mapping[str, str]
) -> EnvReport:
    report = EnvReport(given=list(options.variables), clean=options.clean_env)
    listed_in = example_file(root) or ".env.example"
    for name in example_names(root):
        report.expected[name] = listed_in
    for name in result.variables:
        report.expected.setdefault(name, "hffix's findings")
    report.missing = missing_names(report.expected, environment)
    if (root / ".env").is_file():
        report.notes.append(
            ".env exists here but is not pushed to the Space: what the app loads from it "
            "locally will not be there (set those values as the Space's secrets)"
        )
    return report


def _interpreter(root: Path, options: VerifyOptions) -> tuple[Interpreter, Failure | None]:
    base = options.python or sys.executable
    if not options.install:
        version = _python_version(base)
        note = (
            "the current interpreter: packages are those installed there, not "
            "requirements.txt (--install builds them from requirements.txt)"
            if options.python is None
            else "the interpreter given with --python: packages are those installed there "
            "(--install builds them from requirements.txt)"
        )
        info = Interpreter(python=base, version=version, note=note)
        return _version_note(info), None
    try:
        built = prepare(
            root,
            python=base,
            cache=options.cache_dir,
            rebuild=options.rebuild,
            timeout=options.install_timeout,
        )
    except InstallError as exc:
        info = Interpreter(python=base, version=_python_version(base), installed=True)
        return info, Failure("install", exc.reason, "requirements.txt", None, exc.log[-8000:])
    how = "reused from the cache" if built.cached else f"built in {built.seconds:.1f} s"
    info = Interpreter(
        python=built.python,
        version=_python_version(built.python),
        installed=True,
        venv=str(built.folder),
        cached=built.cached,
        note=f"a virtual environment with requirements.txt installed ({how})",
    )
    return _version_note(info), None


def _version_note(info: Interpreter) -> Interpreter:
    if info.version and not info.version.startswith(SPACE_PYTHON + "."):
        info.note += (
            f"; Spaces run Python {SPACE_PYTHON} (SP-HF-06), this is {info.version}: "
            f"give a {SPACE_PYTHON} interpreter with --python to match"
        )
    return info


def verify(path: str | os.PathLike[str], options: VerifyOptions | None = None) -> VerifyReport:
    """Check, then boot and probe the repository at ``path``. Runs the repository's code."""
    options = options or VerifyOptions()
    root = Path(path)
    report = VerifyReport(path=str(path))
    if not root.is_dir():
        report.error = f"{path}: no such folder" if not root.exists() else f"{path}: not a folder"
        return report
    result = api.check(root)
    if result.error is not None:
        report.error = result.error
        return report
    report.checklist, report.rules, report.diagnostics = checklist.build(
        root, result, _rules_for(root)
    )
    report.fixable = len(result.fixed)
    environment = child_environment(options.variables, clean=options.clean_env)
    report.env = _env_report(root, result, options, environment)
    if not options.boot:
        report.boot = Boot(skipped="not booted (--no-boot)", disabled=True)
        return report
    if not (root / "main.py").is_file():
        report.boot = Boot(skipped="no main.py at the repository root: nothing to boot")
        return report
    interpreter, failure = _interpreter(root, options)
    report.interpreter = interpreter
    if failure is not None:
        report.boot = Boot(attempted=False, failure=failure, skipped=failure.reason)
        return report
    ctx = explain.Context(
        root=root,
        environment=environment,
        example_names=example_names(root),
        example_file=example_file(root),
        installed=interpreter.installed,
        python=interpreter.python,
    )
    boot_options = BootOptions(
        python=interpreter.python,
        environment=environment,
        timeout=options.timeout,
        paths=list(options.paths),
        shutdown_timeout=options.shutdown_timeout,
    )
    report.boot = boot(root, boot_options, ctx)
    checklist.confirm_app(report.checklist, report.boot)
    return report
