"""``hffix verify``: the command line over :func:`hffix.verify.verify`."""

from __future__ import annotations

import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from hffix.cliutil import UsageProblem, invoke, use_color
from hffix.verify import VerifyOptions, verify
from hffix.verify.envvars import EnvFileError, parse_assignment, read_env_file
from hffix.verify.render import render_json, render_text

HELP = """Prove that a repository starts the way a Hugging Face Space starts it.

WARNING: this RUNS THE REPOSITORY'S CODE. Verify only repositories you trust.

First the spec's validation checklist (SP-HF-10: root main.py, `app` exposed,
requirements.txt present, no Dockerfile, no hardcoded ports, Space configuration) and
every hffix rule, each a ✔/✘ line with the rule code behind each ✘. Then the boot: in a
subprocess whose working directory is PATH, `main` is imported and `main:app` is served
by uvicorn (lifespan on) on 127.0.0.1, on a free port the operating system picks. When
it is ready, GET / and GET /openapi.json (and each --path) are sent, their status codes
and the startup time reported, and the server is shut down (SIGTERM, then SIGKILL after
a timeout). When something fails, one line says why and what to do, followed by the
traceback and the app's output.

Without --install the app runs with the current interpreter (or --python) and whatever
is installed there. With --install, requirements.txt is installed into a fresh virtual
environment as the Space build does (cached by the file's hash), which catches
"module not found" before you push.

Variables listed in .env.example that are not given are reported before the boot.

Exit status: 0 the checklist passes and the app answered; 1 anything failed; 2 usage
error or unreadable repository.
"""


class Format(str, Enum):
    text = "text"
    json = "json"


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def _variables(env_files: list[Path] | None, pairs: list[str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    try:
        for path in env_files or []:
            values.update(read_env_file(path))
        for pair in pairs or []:
            name, value = parse_assignment(pair)
            values[name] = value
    except EnvFileError as exc:
        raise UsageProblem(str(exc)) from exc
    return values


@app.command(help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
def run(
    path: Annotated[Path, typer.Argument(help="The repository root (the Space's files).")] = Path(
        "."
    ),
    install: Annotated[
        bool,
        typer.Option(
            "--install",
            help="Install requirements.txt into a fresh, cached virtual environment; boot there.",
        ),
    ] = False,
    env_file: Annotated[
        list[Path] | None,
        typer.Option("--env-file", metavar="FILE", help="Read NAME=VALUE lines for the app."),
    ] = None,
    env: Annotated[
        list[str] | None,
        typer.Option("--env", "-e", metavar="NAME=VALUE", help="Set a variable for the app."),
    ] = None,
    clean_env: Annotated[
        bool,
        typer.Option(
            "--clean-env",
            help="Give the app only the variables set here (plus PATH, HOME, ...), as a Space.",
        ),
    ] = False,
    paths: Annotated[
        list[str] | None,
        typer.Option("--path", metavar="PATH", help="Also GET this path; it must answer 2xx/3xx."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", help="Wait this long for import and startup.", min=0.1
        ),
    ] = 60.0,
    python: Annotated[
        str | None,
        typer.Option(
            "--python",
            metavar="PYTHON",
            help="Interpreter to boot with (or to build the --install environment from).",
        ),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            metavar="DIR",
            help="Where --install keeps environments (default: $HFFIX_CACHE_DIR, ~/.cache/hffix).",
        ),
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="With --install: build the environment anew.")
    ] = False,
    no_boot: Annotated[
        bool, typer.Option("--no-boot", help="Only the checklist; run nothing.")
    ] = False,
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour output.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Whole tracebacks and app output.")
    ] = False,
) -> None:
    for item in paths or []:
        if not item.startswith("/"):
            raise UsageProblem(f"--path must start with '/': {item!r}")
    if python is not None and shutil.which(python) is None:
        raise UsageProblem(f"--python {python}: no such interpreter")
    if rebuild and not install:
        raise UsageProblem("--rebuild needs --install")
    options = VerifyOptions(
        variables=_variables(env_file, env),
        clean_env=clean_env,
        install=install,
        cache_dir=cache_dir,
        rebuild=rebuild,
        python=python,
        timeout=timeout,
        paths=list(paths or []),
        boot=not no_boot,
    )
    report = verify(path, options)
    if output_format is Format.json:
        render_json(report, sys.stdout)
    elif report.error is not None:
        print(f"hffix verify: error: {report.error}", file=sys.stderr)
    else:
        render_text(report, sys.stdout, color=use_color(no_color, sys.stdout), verbose=verbose)
    sys.stdout.flush()
    raise typer.Exit(report.exit_code)


def main(argv: list[str]) -> int:
    """``hffix verify ARGS``; returns the exit status."""
    return invoke(app, argv, "hffix verify")
