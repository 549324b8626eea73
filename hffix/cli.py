"""The ``hffix`` command: argument parsing and output, over :mod:`hffix.api` and ``bulk``.

typer defines the command line (:func:`run`'s parameters: help, every option, the errors it
reports), but importing it and building the command costs more than checking a small
repository, and pre-commit starts hffix at every commit. So :func:`main` first reads the
command lines hooks and CI run (a mode, ``--select``/``--ignore``, ``--jobs``, ``--format``,
``--no-color``, ``-q``, ``-v``, ``--redact``, paths) itself (:func:`_quick_arguments`, held
to typer's reading by ``tests/test_cli_startup.py``) and imports typer only for any other.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from hffix import api
from hffix.cliutil import Progress, UsageProblem, guarded, invoke, same_terminal, use_color
from hffix.fleet import DEFAULT_BRANCH
from hffix.fleet import report as reportfile
from hffix.fleet import runner as bulk
from hffix.reporters import REPORTERS, Mode, ReportContext, Tally
from hffix.rules import ALL_RULES, get_rule

if TYPE_CHECKING:
    import typer

    from hffix.fleet import commit as gitcommit
    from hffix.rules.base import Rule

HELP = """Repair FastAPI repositories so they build and start on Hugging Face Spaces.

Each PATH is a repository root, the folder that becomes the Space (default: the current
folder). Without --write, hffix prints a git-style patch of what it would change on
standard output and a summary on standard error, and writes nothing:

    hffix --dry-run . > fix.patch && git apply fix.patch

gives exactly what `hffix --write .` gives. Patch paths are relative to the repository
root; with several PATHs each is prefixed with that PATH.

`hffix verify PATH` boots the repository the way a Space does (see hffix verify --help).

Exit status: 0 compliant; 1 something would change or a finding remains; 2 usage error,
missing path, unreadable configuration or internal error.
"""


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class ExecutorName(str, Enum):
    local = "local"
    dask = "dask"


def _codes(values: list[str] | None, option: str) -> list[str] | None:
    """The rule codes of a repeatable, comma-separated option; an unknown code is a usage
    error with the closest known one (``--select HF999``)."""
    if values is None:
        return None
    from hffix.config import ConfigError, rule_codes

    codes = [code.strip() for value in values for code in value.split(",") if code.strip()]
    try:
        return sorted(rule_codes(codes, option))
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def _rule_data(rule: type[Rule]) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "spec": rule.spec,
        "message": rule.MESSAGE,
        "severity": rule.severity.value,
        "fix": [fix.value for fix in rule.fixes],
        "options": list(rule.OPTIONS),
    }


def _patterns(values: list[str] | None) -> list[str]:
    """``--exclude`` patterns (repeatable, comma-separated), each inside the repository."""
    from hffix.config import ConfigError, inside_repository

    patterns = [p.strip() for value in values or () for p in value.split(",") if p.strip()]
    try:
        return [inside_repository(p, "--exclude") for p in patterns]
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def _config_file(path: Path | None) -> str | None:
    """``--config``: read once here, so a broken file is one usage error, not one per
    repository; workers read it again by its absolute path."""
    if path is None:
        return None
    from hffix.config import ConfigError, load_config_file

    try:
        load_config_file(path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    return os.path.abspath(path)


def _explain(code: str, as_json: bool = False) -> int:
    rule = get_rule(code)
    if rule is None:
        known = ", ".join(r.code for r in ALL_RULES)
        raise UsageProblem(f"unknown rule {code!r} (known: {known})")
    if as_json:
        import json

        print(json.dumps({**_rule_data(rule), "documentation": rule.documentation()}, indent=2))
        return 0
    print(f"# {rule.code} ({rule.name})\n")
    print(f"Enforces {rule.spec}. Fix: {rule.fix_summary()}.\n")
    print(rule.documentation())
    return 0


def _list_rules(as_json: bool = False) -> int:
    if as_json:
        import json

        print(json.dumps([_rule_data(rule) for rule in ALL_RULES], indent=2))
        return 0
    for rule in ALL_RULES:
        print(f"{rule.code}  {rule.name:<24} {rule.spec:<10} fix: {rule.fix_summary()}")
    return 0


def _patch_for(result: api.Result, prefix: str | None) -> bytes:
    if not prefix:
        return result.patch
    from hffix.repository.patch import render_patch

    changes = [
        dataclasses.replace(
            change,
            old_path=f"{prefix}/{change.old_path}" if change.old_path else None,
            new_path=f"{prefix}/{change.new_path}" if change.new_path else None,
        )
        for change in result.changes
    ]
    return render_patch(changes)


def _exit_code(result: api.Result, mode: Mode) -> int:
    if result.error:
        return 2
    if result.diagnostics or result.remaining:
        return 1
    if mode is not Mode.WRITE and (result.changes or result.findings):
        return 1
    return 0


def _repositories(paths: list[Path] | None, repos_from: str | None) -> list[str]:
    roots = [str(p) for p in paths or []]
    if repos_from == "-":
        try:
            roots += bulk.read_repository_list(sys.stdin)
        except UnicodeDecodeError:
            raise UsageProblem("--repos-from -: standard input is not UTF-8 text") from None
    elif repos_from:
        try:
            with open(repos_from, encoding="utf-8") as handle:
                roots += bulk.read_repository_list(handle)
        except OSError as exc:
            raise UsageProblem(f"--repos-from {repos_from}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise UsageProblem(f"--repos-from {repos_from}: not UTF-8 text") from None
    # An empty list is an empty run: "." only when neither PATH nor --repos-from is given.
    return roots if roots or repos_from else ["."]


def _check_values(
    timeout: float | None,
    report: Path | None,
    app_spec: str | None,
    scheduler: str | None,
    executor: ExecutorName,
) -> None:
    """Option values that cannot work are usage errors at once, before any repository."""
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise UsageProblem(f"--timeout takes a positive number of seconds, not {timeout}")
    if report is not None:
        if not report.parent.is_dir():
            raise UsageProblem(f"--report {report}: the folder {report.parent} does not exist")
        if report.is_dir():
            raise UsageProblem(f"--report {report}: is a folder; give a file name")
    if app_spec is not None:
        from hffix.project.choice import parse_app_option

        if parse_app_option(app_spec) is None:
            raise UsageProblem(
                f"--app takes MODULE:ATTR or FILE.py:ATTR (e.g. app.main:app), not {app_spec!r}"
            )
    if scheduler is not None and executor is not ExecutorName.dask:
        raise UsageProblem("--scheduler goes with --executor dask")


def _check_fleet_options(
    executor: ExecutorName,
    scheduler: str | None,
    jobs: int | None,
    commit: bool,
    branch: str,
    allow_dirty: bool,
) -> None:
    if allow_dirty and not commit:
        raise UsageProblem("--allow-dirty goes with --commit")
    if commit:
        _check_branch(branch)
    if executor is not ExecutorName.dask:
        return
    if jobs is not None:
        raise UsageProblem(
            "--jobs sets local worker processes; with --executor dask the "
            "cluster's workers run the repositories"
        )
    if not scheduler:
        raise UsageProblem("--executor dask needs --scheduler tcp://HOST:PORT")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageProblem("--executor dask needs the extra: pip install 'hffix[dask]'") from None


def _check_branch(branch: str) -> None:
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "check-ref-format", "--branch", branch],
            capture_output=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageProblem(f"--commit needs git: {exc}") from None
    if proc.returncode != 0:
        raise UsageProblem(f"--branch {branch!r} is not a valid branch name")


def _check_app(app_spec: str | None, roots: list[str]) -> None:
    """``--app`` must name a module or file each repository has (HF001 chooses among
    several); a repository that is not there is reported by the run itself."""
    if app_spec is None:
        return
    from hffix.project.choice import parse_app_option
    from hffix.repository.discovery import discover

    parsed = parse_app_option(app_spec)
    assert parsed is not None  # _check_values
    target = parsed[0]
    wanted: tuple[str, ...]
    if target.endswith(".py") or "/" in target:
        wanted = (target.removeprefix("./"),)
        exact = True
    else:
        wanted = (target.replace(".", "/") + ".py", target.replace(".", "/") + "/__init__.py")
        exact = False
    for root in roots:
        if not os.path.isdir(root):
            continue
        files, _ = discover(Path(root))
        if not any(
            path in wanted or (not exact and path.endswith(tuple("/" + w for w in wanted)))
            for path in files
        ):
            what = "file" if exact else "module"
            raise UsageProblem(f"--app {app_spec}: {root} has no {what} {target}")


def _progress(show: bool, total: int, done: int, mode: Mode) -> tuple[Progress | None, bool]:
    """The progress bar (standard error, terminals only), and whether standard output is
    the same terminal (its output must then go above the bar)."""
    if not show or not sys.stderr.isatty():
        return None, False
    shared = same_terminal(sys.stdout, sys.stderr)
    if shared and mode is Mode.DRY_RUN:
        return None, False  # patches fill the terminal; a bar between them helps nobody
    progress = Progress(sys.stderr, total, done)
    progress.draw()
    return progress, shared


def run(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Repository roots.", show_default=".")
    ] = None,
    write: Annotated[bool, typer.Option("--write", help="Apply the fixes.")] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", "--diff", help="Print the patch, write nothing (default)."),
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
    extend_select: Annotated[
        list[str] | None,
        typer.Option(
            "--extend-select", help="Rule codes to add to those selected (comma-separated)."
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="PATTERN",
            help="Skip these files (gitignore patterns, added to [tool.hffix] exclude).",
        ),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Use this TOML file's [tool.hffix] (or top-level table) for every repository.",
        ),
    ] = None,
    exit_zero: Annotated[
        bool,
        typer.Option("--exit-zero", help="Exit 0 even when findings remain (errors still exit 2)."),
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule instead of listing them.")
    ] = False,
    unsafe_fixes: Annotated[
        bool | None,
        typer.Option(
            "--unsafe-fixes/--no-unsafe-fixes", help="Also apply fixes that may change behaviour."
        ),
    ] = None,
    app_spec: Annotated[
        str | None,
        typer.Option(
            "--app",
            metavar="MODULE:ATTR",
            help="The app to serve, when hffix cannot choose (overrides [tool.hffix] app).",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="How to report findings.")
    ] = OutputFormat.text,
    repos_from: Annotated[
        str | None,
        typer.Option(
            "--repos-from", metavar="FILE", help="Read repository paths, one a line ('-': stdin)."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Repositories processed in parallel [default: CPUs]."
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout", min=0.1, metavar="SECONDS", help="Give up on a repository after this long."
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE.jsonl",
            help="Write one JSON line per repository as it finishes.",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Skip repositories the --report file has as done; retry failed ones."
        ),
    ] = False,
    commit: Annotated[
        bool,
        typer.Option("--commit", help="With --write: commit each repository's fixes on a branch."),
    ] = False,
    branch: Annotated[str, typer.Option("--branch", help="Branch for --commit.")] = DEFAULT_BRANCH,
    allow_dirty: Annotated[
        bool,
        typer.Option("--allow-dirty", help="Let --commit work in a tree with uncommitted changes."),
    ] = False,
    executor: Annotated[
        ExecutorName, typer.Option("--executor", help="Where repositories are processed.")
    ] = ExecutorName.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler for --executor dask."
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact", help="Mask secret values in the patch (it then cannot be applied)."
        ),
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour output.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only problems that remain; no summary.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Skipped files, and tracebacks of errors.")
    ] = False,
    explain: Annotated[
        str | None, typer.Option("--explain", metavar="CODE", help="Explain a rule and exit.")
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List the rules and exit.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Print hffix's version and exit.")
    ] = False,
) -> int:
    """The command (typer passes what it read; :func:`main` calls it directly for the
    command lines it reads itself); returns the exit status."""
    if version:
        from hffix import __version__

        print(f"hffix {__version__}")
        return 0
    as_json = output_format is OutputFormat.json
    if explain:
        return _explain(explain, as_json)
    if list_rules:
        return _list_rules(as_json)
    if sum((write, dry_run, check)) > 1:
        raise UsageProblem("choose one of --write, --dry-run and --check")
    if commit and not write:
        raise UsageProblem("--commit needs --write")
    if resume and report is None:
        raise UsageProblem("--resume needs --report FILE")
    _check_values(timeout, report, app_spec, scheduler, executor)
    _check_fleet_options(executor, scheduler, jobs, commit, branch, allow_dirty)
    mode = Mode.WRITE if write else Mode.CHECK if check else Mode.DRY_RUN
    roots = _repositories(paths, repos_from)
    if not roots:
        source = "standard input" if repos_from == "-" else repos_from
        if not quiet:
            print(f"hffix: no repositories in {source}; nothing to do", file=sys.stderr)
        return 0
    # --resume: repositories the report has as done are not run again, but count.
    recorded = reportfile.previous(report) if resume and report else {}
    earlier = [recorded.get(reportfile.key(r)) for r in roots]
    done = [reportfile.result_from_entry(e) for e in earlier if e and reportfile.finished(e)]
    todo = [r for r, e in zip(roots, earlier, strict=True) if not (e and reportfile.finished(e))]
    _check_app(app_spec, todo)
    options = bulk.RunOptions(
        write=mode is Mode.WRITE,
        select=tuple(_codes(select, "--select") or ()) if select is not None else None,
        ignore=tuple(_codes(ignore, "--ignore") or ()),
        extend_select=tuple(_codes(extend_select, "--extend-select") or ()),
        exclude=tuple(_patterns(exclude)),
        config_file=_config_file(config_file),
        unsafe_fixes=unsafe_fixes,
        options={"app": app_spec} if app_spec else {},
        timeout=timeout,
        commit=_commit_options(branch, allow_dirty) if commit else None,
        report=os.path.abspath(report) if report else None,
    )
    context = ReportContext(
        mode,
        color=use_color(no_color, sys.stderr),
        verbose=verbose,
        quiet=quiet,
        statistics=statistics,
    )
    machine = output_format is not OutputFormat.text
    out = sys.stdout if machine or mode is Mode.CHECK else sys.stderr
    # Ctrl-C in a run that writes several repositories (or commits, or keeps a report)
    # lets the repositories in progress finish: each ends committed and reported, or
    # untouched. A second Ctrl-C stops at once.
    stop = bulk.Stop()
    graceful = options.write and (len(roots) > 1 or commit or report is not None)
    try:
        results = bulk.run_many(
            todo,
            options,
            jobs=jobs or bulk.default_jobs(),
            executor=executor.value,
            scheduler=scheduler,
            stop=stop,
        )
    except bulk.ExecutorError as exc:
        raise UsageProblem(str(exc)) from None
    tally = Tally()
    status = 0
    for result in done:
        tally.add(result)
        status = max(status, _exit_code(result, mode))
    if done and not quiet:
        print(
            f"hffix: {len(done)} of {len(roots)} repositories already done in {report} "
            "(resumed; counted in the totals)",
            file=sys.stderr,
        )
    with ExitStack() as stack:
        stack.enter_context(results)
        if report is not None:
            try:
                reportfile.start(report, resume=resume)
            except OSError as exc:
                raise UsageProblem(f"--report {report}: {exc.strerror}") from None
        progress, shared = _progress(len(roots) > 1 and not quiet, len(roots), len(done), mode)
        if progress is not None:
            stack.callback(progress.close)
            if out is sys.stderr or shared:
                out = progress.above(out)
        reporter = REPORTERS[output_format.value](context, out)
        if graceful:

            def notice() -> None:
                if progress is not None:
                    progress.clear()
                print(
                    "hffix: stopping once the repositories in progress are done "
                    "(Ctrl-C again to stop at once)",
                    file=sys.stderr,
                )

            stack.enter_context(stop.handling(notice))
        for result in results:
            if mode is Mode.DRY_RUN and not machine:
                prefix = os.path.normpath(result.root) if len(roots) > 1 else None
                sys.stdout.flush()
                patch = _patch_for(result, prefix)
                if redact:
                    from hffix.secrets.redact import redact as mask_secrets

                    patch = mask_secrets(patch, result.facts.secret_values)
                sys.stdout.buffer.write(patch)
                sys.stdout.buffer.flush()
            reporter.add(result)
            tally.add(result)
            status = max(status, _exit_code(result, mode))
            if progress is not None:
                progress.advance()
    reporter.close(tally)
    if stop.signum is not None:
        left = len(roots) - tally.repositories
        again = " (run the same command with --resume to do them)" if report else ""
        print(f"hffix: stopped; {left} repositories not started{again}", file=sys.stderr)
        return 128 + stop.signum
    return 0 if exit_zero and status == 1 else status


def _typer_app() -> typer.Typer:
    """The typer application around :func:`run`, built on demand."""
    global typer  # run's annotations name typer.Option: typer reads them in this module
    import typer

    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command(help=HELP, context_settings={"help_option_names": ["-h", "--help"]})(run)
    return app


def _commit_options(branch: str, allow_dirty: bool) -> gitcommit.CommitOptions:
    from hffix.fleet import commit as gitcommit  # git and hashlib: only for --commit

    return gitcommit.CommitOptions(branch, allow_dirty)


# What _quick_arguments reads, by spelling: flags (parameter, value), options taking a value.
_FLAGS: dict[str, tuple[str, bool]] = {
    "--write": ("write", True),
    "--dry-run": ("dry_run", True),
    "--diff": ("dry_run", True),
    "--check": ("check", True),
    "--unsafe-fixes": ("unsafe_fixes", True),
    "--no-unsafe-fixes": ("unsafe_fixes", False),
    "--redact": ("redact", True),
    "--no-color": ("no_color", True),
    "--quiet": ("quiet", True),
    "-q": ("quiet", True),
    "--verbose": ("verbose", True),
    "-v": ("verbose", True),
    "--exit-zero": ("exit_zero", True),
}
_VALUED = {
    "--select": "select",
    "--ignore": "ignore",
    "--jobs": "jobs",
    "-j": "jobs",
    "--format": "output_format",
    "--repos-from": "repos_from",
}
_FORMATS = {f.value: f for f in OutputFormat}


def _quick_arguments(args: Sequence[str]) -> dict[str, Any] | None:
    """:func:`run`'s arguments for ``args`` as typer would read them, or ``None`` when
    ``args`` use anything else (``--help``, other options, ``--``, an invalid value,
    ``-qv``): typer then reads them, and reports what it must."""
    values: dict[str, Any] = {}
    paths: list[Path] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if not arg.startswith("-"):
            paths.append(Path(arg))
            continue
        name, equals, value = arg.partition("=")
        if not equals and name in _FLAGS:
            parameter, flag = _FLAGS[name]
            values[parameter] = flag
            continue
        if name not in _VALUED or (name == "-j" and equals):
            return None
        if not equals:
            if index == len(args):
                return None
            value = args[index]
            index += 1
        if value.startswith("-"):
            return None
        parameter = _VALUED[name]
        if parameter in ("select", "ignore"):
            values.setdefault(parameter, []).append(value)
        elif parameter == "jobs":
            if not (value.isascii() and value.isdigit() and int(value) >= 1):
                return None
            values["jobs"] = int(value)
        elif parameter == "output_format":
            if value not in _FORMATS:
                return None
            values["output_format"] = _FORMATS[value]
        else:
            values[parameter] = value
    if paths:
        values["paths"] = paths
    return values


# Options users bring from other tools, and what hffix calls them.
_OTHER_TOOLS = {"--fix": "--write", "--unsafe": "--unsafe-fixes", "--show-fixes": "--dry-run"}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hffix`` script; returns the exit status."""
    args = list(argv) if argv is not None else sys.argv[1:]
    for arg in args:
        ours = _OTHER_TOOLS.get(arg.partition("=")[0])
        if ours is not None:
            print(f"hffix: error: no such option {arg}; hffix calls it {ours}", file=sys.stderr)
            return 2
    if args == ["version"] and not os.path.exists("version"):
        print("hffix: error: no repository at version; did you mean --version?", file=sys.stderr)
        return 2
    if args[:1] == ["verify"]:
        from hffix.verify.cli import main as verify_main

        return verify_main(args[1:])
    if argv is None:  # a process of its own (not a caller's interpreter): tune it
        bulk.tune_gc()
    quick = _quick_arguments(args)
    if quick is not None:
        return guarded(lambda: run(**quick), args, "hffix")
    return invoke(_typer_app(), args, "hffix")
