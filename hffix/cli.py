"""The ``hffix`` command: argument parsing and output, over :mod:`hffix.api`."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from hffix import api
from hffix.reporters import REPORTERS, ReportContext
from hffix.reporters.common import Mode
from hffix.repository.patch import render_patch
from hffix.rules import ALL_RULES, get_rule

HELP = """Repair FastAPI repositories so they build and start on Hugging Face Spaces.

`hffix verify PATH` boots the repository the way a Space does (see hffix verify --help).

Each PATH is a repository root, the folder that becomes the Space (default: the current
folder). Without --write, hffix prints a git-style patch of what it would change on
standard output and a summary on standard error, and writes nothing:

    hffix --dry-run . > fix.patch && git apply fix.patch

gives exactly what `hffix --write .` gives. Patch paths are relative to the repository
root; with several PATHs each is prefixed with that PATH.

Exit status: 0 compliant; 1 something would change or a finding remains; 2 usage error,
missing path, unreadable configuration or internal error.
"""


class UsageProblem(Exception):
    """A command line that cannot be run as given (exit status 2)."""


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def _codes(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _use_color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stderr.isatty()


def _explain(code: str) -> int:
    rule = get_rule(code)
    if rule is None:
        known = ", ".join(r.code for r in ALL_RULES)
        raise UsageProblem(f"unknown rule {code!r} (known: {known})")
    print(f"# {rule.code} ({rule.name})\n")
    print(f"Enforces {rule.spec}. Fix: {rule.fix_safety.value}.\n")
    print(rule.documentation())
    return 0


def _list_rules() -> int:
    for rule in ALL_RULES:
        print(f"{rule.code}  {rule.name:<24} {rule.spec:<10} fix: {rule.fix_safety.value}")
    return 0


def _patch_for(result: api.Result, prefix: str | None) -> bytes:
    if not prefix:
        return result.patch
    changes = [
        dataclasses.replace(
            change,
            old_path=f"{prefix}/{change.old_path}" if change.old_path else None,
            new_path=f"{prefix}/{change.new_path}" if change.new_path else None,
        )
        for change in result.changes
    ]
    return render_patch(changes)


def _exit_code(results: Sequence[api.Result], mode: Mode) -> int:
    if any(r.error for r in results):
        return 2
    for result in results:
        if result.diagnostics or result.remaining:
            return 1
        if mode is not Mode.WRITE and (result.changes or result.findings):
            return 1
    return 0


@app.command(help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
def run(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Repository roots.", show_default=".")
    ] = None,
    write: Annotated[bool, typer.Option("--write", help="Apply the fixes.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the patch, write nothing (default).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Print findings only: path:line:col: CODE message.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these rule codes (comma-separated).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these rule codes (comma-separated).")
    ] = None,
    unsafe_fixes: Annotated[
        bool | None,
        typer.Option(
            "--unsafe-fixes/--no-unsafe-fixes", help="Also apply fixes that may change behaviour."
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="How to report findings.")
    ] = OutputFormat.text,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour output.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only problems that remain; no summary.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Skipped files, and tracebacks of errors.")
    ] = False,
    app_spec: Annotated[
        str | None,
        typer.Option(
            "--app",
            metavar="MODULE:ATTR",
            help="The app to serve, when hffix cannot choose (overrides [tool.hffix] app).",
        ),
    ] = None,
    explain: Annotated[
        str | None, typer.Option("--explain", metavar="CODE", help="Explain a rule and exit.")
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List the rules and exit.")
    ] = False,
) -> None:
    if explain:
        raise typer.Exit(_explain(explain))
    if list_rules:
        raise typer.Exit(_list_rules())
    if sum((write, dry_run, check)) > 1:
        raise UsageProblem("choose one of --write, --dry-run and --check")
    mode = Mode.WRITE if write else Mode.CHECK if check else Mode.DRY_RUN
    roots = paths or [Path(".")]
    results = [
        api.fix(
            root,
            write=mode is Mode.WRITE,
            select=_codes(select),
            ignore=_codes(ignore) or (),
            unsafe_fixes=unsafe_fixes,
            options={"app": app_spec} if app_spec else None,
        )
        for root in roots
    ]
    context = ReportContext(mode, color=_use_color(no_color), verbose=verbose, quiet=quiet)
    reporter = REPORTERS[output_format.value]
    if output_format is not OutputFormat.text or mode is Mode.CHECK:
        reporter(results, context, sys.stdout)
    else:
        if mode is Mode.DRY_RUN:
            sys.stdout.flush()
            for result in results:
                prefix = os.path.normpath(result.root) if len(results) > 1 else None
                sys.stdout.buffer.write(_patch_for(result, prefix))
            sys.stdout.buffer.flush()
        reporter(results, context, sys.stderr)
    raise typer.Exit(_exit_code(results, mode))


def _usage_error(message: str) -> int:
    print(f"hffix: error: {message} (see hffix --help)", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hffix`` script; returns the exit status."""
    command = typer.main.get_command(app)
    args = list(argv) if argv is not None else sys.argv[1:]
    if args[:1] == ["verify"]:
        from hffix.verify.cli import main as verify_main

        return verify_main(args[1:])
    try:
        status = command.main(args=args, prog_name="hffix", standalone_mode=False)
    except UsageProblem as exc:
        return _usage_error(str(exc))
    except typer.Abort:
        print("hffix: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # The argument parser's own errors carry an exit code and a message.
        format_message = getattr(exc, "format_message", None)
        if callable(format_message) and getattr(exc, "exit_code", None) == 2:
            return _usage_error(str(format_message()))
        print(f"hffix: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if "--verbose" in args or "-v" in args:
            raise
        return 2
    return status if isinstance(status, int) else 0
