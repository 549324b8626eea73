"""What the ``hffix`` command and its ``verify`` sub-command share: how they run a typer
app so that a usage problem or an internal error is one line on standard error."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import typer


class UsageProblem(Exception):
    """A command line that cannot be run as given (exit status 2)."""


def use_color(no_color: bool, stream: TextIO) -> bool:
    """Colour only on a terminal, never with --no-color or NO_COLOR set."""
    return not no_color and "NO_COLOR" not in os.environ and stream.isatty()


def invoke(app: typer.Typer, args: Sequence[str], prog: str) -> int:
    """Run ``app`` on ``args`` and return its exit status, never a traceback unless -v."""
    import typer

    command = typer.main.get_command(app)

    def call() -> object:
        try:
            return command.main(args=list(args), prog_name=prog, standalone_mode=False)
        except typer.Abort:  # how the argument parser hands on an interrupt
            raise KeyboardInterrupt from None

    return guarded(call, args, prog)


def guarded(call: Callable[[], object], args: Sequence[str], prog: str) -> int:
    """``call()``'s exit status; a usage problem, an interrupt or an internal error is one
    line on standard error (and a traceback with -v)."""
    try:
        status = call()
    except UsageProblem as exc:
        return _usage_error(prog, str(exc))
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # The argument parser's own errors carry exit code 2 and a message.
        format_message = getattr(exc, "format_message", None)
        if callable(format_message) and getattr(exc, "exit_code", None) == 2:
            return _usage_error(prog, str(format_message()))
        print(f"{prog}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if "--verbose" in args or "-v" in args:
            raise
        return 2
    return status if isinstance(status, int) else 0


def _usage_error(prog: str, message: str) -> int:
    print(f"{prog}: error: {message} (see {prog} --help)", file=sys.stderr)
    return 2
