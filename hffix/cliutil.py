"""What the ``hffix`` command and its ``verify`` sub-command share: how they run a typer
app so that a usage problem or an internal error is one line on standard error."""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO, cast

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
    except BrokenPipeError:
        # The reader went away (`hffix --check . | head`): not an error of hffix's. Point
        # standard output at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141  # 128 + SIGPIPE, what a shell reports for a command the pipe ended
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


class Progress:
    """A one-line progress bar for a run over many repositories, on standard error (a
    terminal), redrawn as each repository finishes. Output to the same terminal goes above
    it: write through :meth:`above`, or call :meth:`clear` then :meth:`draw` around it."""

    def __init__(self, stream: TextIO, total: int, done: int = 0) -> None:
        self.stream = stream
        self.total = total
        self.done = done
        self._first = done
        self._started = time.monotonic()
        self._shown = False
        self._closed = False

    def draw(self) -> None:
        if self._closed:
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        finished = self.done - self._first
        elapsed = time.monotonic() - self._started
        rate = finished / elapsed if finished and elapsed > 0 else 0.0
        left = f", {_clock((self.total - self.done) / rate)} left" if rate else ""
        text = f" {self.done}/{self.total} repositories, {rate:.1f}/s{left}"
        bar = max(10, min(40, width - len("hffix [] ") - len(text)))
        filled = bar * self.done // self.total if self.total else bar
        line = f"hffix [{'=' * filled}{' ' * (bar - filled)}]{text}"
        self.stream.write("\r" + line[:width] + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def advance(self) -> None:
        self.done += 1
        self.draw()

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def close(self) -> None:
        """Remove the bar for good; output through :meth:`above` then goes on as is."""
        self.clear()
        self._closed = True

    def above(self, stream: TextIO) -> TextIO:
        """``stream`` (on the same terminal), writing its lines above the bar."""
        return cast(TextIO, _Above(stream, self))


class _Above(io.TextIOBase):
    def __init__(self, stream: TextIO, progress: Progress) -> None:
        self._stream = stream
        self._progress = progress

    def write(self, text: str) -> int:
        self._progress.clear()
        written = self._stream.write(text)
        if text.endswith("\n"):
            self._stream.flush()
            self._progress.draw()
        return written

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def same_terminal(first: TextIO, second: TextIO) -> bool:
    """Whether two streams write to the same terminal."""
    try:
        return first.isatty() and os.path.samestat(
            os.fstat(first.fileno()), os.fstat(second.fileno())
        )
    except (OSError, ValueError, AttributeError):
        return False
