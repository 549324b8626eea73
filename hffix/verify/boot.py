"""Boot ``main:app`` the way a Space does, on loopback, probe it over HTTP, and stop it.

The app runs in a child process (``python -c`` with :mod:`hffix.verify._child`'s source)
whose working directory is the repository root. The child binds 127.0.0.1 port 0 itself,
so the operating system picks a free port and nothing can take it in between, and hands
the bound socket to a real uvicorn server with the lifespan protocol on.

Readiness is an event, not a guess: the child reports ``ready`` from uvicorn's own
``Server.startup`` once the lifespan startup has completed and the socket is served. The
parent waits for it with a bounded timeout, watching for the child's exit and for failure
events at the same time, then sends the HTTP probes. Shutdown is SIGTERM (uvicorn's
graceful shutdown, running the lifespan shutdown), then SIGKILL of the whole process group
after a timeout; the group is always swept so no process the app started is left behind.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hffix.verify import explain
from hffix.verify.report import Boot, Failure, Probe

DEFAULT_PATHS = ("/", "/openapi.json")
_POLL = 0.05
_OUTPUT_LIMIT = 256 * 1024  # characters of the app's stdout/stderr kept (the last ones)
_BODY_LIMIT = 8 * 1024 * 1024


@dataclass
class BootOptions:
    python: str = sys.executable
    environment: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    timeout: float = 60.0  # seconds from process start until the server must be ready
    probe_timeout: float = 10.0  # per HTTP request
    shutdown_timeout: float = 10.0  # after SIGTERM, before SIGKILL
    graceful: float = 5.0  # uvicorn's timeout_graceful_shutdown (open connections)
    paths: Sequence[str] = ()  # extra paths that must answer 2xx/3xx (--path)
    app: str = "main:app"


def child_source() -> str:
    return (Path(__file__).with_name("_child.py")).read_text(encoding="utf-8")


class _Events:
    """Reads the JSON lines the child appends to its events file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.buffer = b""
        self.events: list[dict[str, Any]] = []

    def read(self) -> list[dict[str, Any]]:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except FileNotFoundError:
            return []
        self.offset += len(data)
        self.buffer += data
        *complete, self.buffer = self.buffer.split(b"\n")
        new: list[dict[str, Any]] = []
        for line in complete:
            try:
                value = json.loads(line.decode("utf-8", "replace"))
            except ValueError:
                continue
            if isinstance(value, dict):
                new.append(value)
        self.events.extend(new)
        return new

    def named(self, name: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event.get("event") == name]


_FAILED = {"import-error", "no-app", "not-asgi", "no-uvicorn", "startup-failed"}


def _tail(path: Path, limit: int = _OUTPUT_LIMIT) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - limit * 4))
            data = handle.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    return text[-limit:]


def probe(port: int, path: str, timeout: float, required: bool) -> Probe:
    result = Probe(path=path, required=required)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("GET", path, headers={"User-Agent": "hffix-verify", "Accept": "*/*"})
        response = connection.getresponse()
        body = response.read(_BODY_LIMIT)
        result.status = response.status
    except (OSError, http.client.HTTPException) as exc:
        result.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        result.seconds = time.monotonic() - started
        result.note = f"GET {path} got no answer ({result.error})"
        return result
    finally:
        connection.close()
    result.seconds = time.monotonic() - started
    status = result.status
    if status >= 500:
        result.note = f"GET {path} answered {status}"
    elif required and status >= 400:
        result.note = f"GET {path} answered {status}, expected a 2xx or 3xx answer"
    else:
        result.ok = True
        if path == "/openapi.json" and status == 200:
            try:
                json.loads(body)
            except ValueError:
                result.note = "answered 200 but not with JSON"
        elif status == 404 and path == "/":
            result.note = "the Space's page opens /: add a route for / if visitors should see one"
        elif status == 404 and path == "/openapi.json":
            result.note = "no OpenAPI schema (openapi_url disabled?)"
    return result


def _spawn(root: Path, options: BootOptions, events: Path, out: IO[bytes], err: IO[bytes]) -> Any:
    env = dict(options.environment)
    env["HFFIX_VERIFY_EVENTS"] = str(events)
    env["HFFIX_VERIFY_APP"] = options.app
    env["HFFIX_VERIFY_GRACE"] = str(options.graceful)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # verifying must not leave __pycache__ in the repo
    kwargs: dict[str, Any] = {}
    if os.name == "posix":
        kwargs["start_new_session"] = True
    else:  # pragma: no cover - Windows
        kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    return subprocess.Popen(
        [options.python, "-c", child_source()],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=err,
        **kwargs,
    )


def _group_alive(pid: int) -> bool:
    if os.name != "posix":  # pragma: no cover
        return False
    try:
        os.killpg(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _kill_group(pid: int) -> None:
    if os.name != "posix":  # pragma: no cover
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def stop(process: Any, timeout: float) -> tuple[bool, float, bool]:
    """SIGTERM, wait, then SIGKILL the group. Returns (forced, seconds, leftovers killed)."""
    started = time.monotonic()
    forced = False
    if process.poll() is None:
        try:
            if os.name == "posix":
                process.send_signal(signal.SIGTERM)
            else:  # pragma: no cover
                process.terminate()
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            forced = True
            _kill_group(process.pid)
            process.kill()
            process.wait()
    seconds = time.monotonic() - started
    leftovers = _group_alive(process.pid)
    if leftovers:
        _kill_group(process.pid)
        deadline = time.monotonic() + 5
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(_POLL)
    return forced, seconds, leftovers


def boot(root: Path, options: BootOptions, ctx: explain.Context) -> Boot:
    """Start the app, wait until it is ready, probe it, stop it; never leaves it running."""
    report = Boot(attempted=True)
    ctx.timeout = options.timeout
    with tempfile.TemporaryDirectory(prefix="hffix-verify-") as tmp:
        folder = Path(tmp)
        events = _Events(folder / "events.jsonl")
        out_path, err_path = folder / "stdout.txt", folder / "stderr.txt"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            started = time.monotonic()
            try:
                process = _spawn(root, options, events.path, out, err)
            except OSError as exc:
                report.attempted = False
                report.failure = Failure("spawn", f"cannot run {options.python}: {exc}")
                report.skipped = report.failure.reason
                return report
            report.pid = process.pid
            outcome = "timeout"
            try:
                outcome = _wait_ready(process, events, report, options, started)
                if outcome == "ready":
                    outcome = _probe_all(process, events, report, options, ctx)
            finally:
                # A server that never got ready has no connections to drain.
                grace = (
                    options.shutdown_timeout if report.ready else min(3.0, options.shutdown_timeout)
                )
                forced, seconds, leftovers = stop(process, grace)
                events.read()
                report.forced_kill = forced
                report.shutdown_seconds = seconds
                report.stopped_cleanly = (
                    not forced and bool(events.named("shutdown-complete")) and not leftovers
                )
                if leftovers:
                    report.warnings.append(
                        "the app left processes running after the server stopped; they were killed"
                    )
        report.stdout = _tail(out_path)
        report.stderr = _tail(err_path)
    _conclude(process, events, report, options, ctx, outcome)
    return report


def _wait_ready(
    process: Any, events: _Events, report: Boot, options: BootOptions, started: float
) -> str:
    """Wait for ``ready``; returns "ready", "exited", "failed" or "timeout"."""
    failed_at: float | None = None
    while True:
        for event in events.read():
            name = event.get("event")
            if name == "listening":
                report.port = int(event["port"])
            elif name == "imported":
                report.import_seconds = float(event.get("seconds", 0.0))
            elif name == "ready":
                report.ready = True
                report.startup_seconds = time.monotonic() - started
            elif name in _FAILED and failed_at is None:
                failed_at = time.monotonic()
        if report.ready:
            return "ready"
        if process.poll() is not None:
            events.read()
            return "exited"
        now = time.monotonic()
        if failed_at is not None and now - failed_at > 2.0:
            return "failed"  # the child reported why it failed but is slow to exit
        if now - started > options.timeout:
            return "timeout"
        time.sleep(_POLL)


def _probe_all(
    process: Any, events: _Events, report: Boot, options: BootOptions, ctx: explain.Context
) -> str:
    """Send the probes; returns "probed", or "exited" when the server died meanwhile."""
    assert report.port is not None
    wanted = [*DEFAULT_PATHS, *(path for path in options.paths if path not in DEFAULT_PATHS)]
    for path in wanted:
        if process.poll() is not None:
            return "exited"
        required = path in options.paths
        result = probe(report.port, path, options.probe_timeout, required)
        events.read()
        if not result.ok:
            # The app's error middleware sends the 500 before it re-raises: wait a moment
            # for the exception to be reported.
            deadline = time.monotonic() + 1.0
            raised = explain.request_error(events.events, path, ctx)
            while result.status is not None and not raised and time.monotonic() < deadline:
                time.sleep(_POLL)
                events.read()
                raised = explain.request_error(events.events, path, ctx)
            if raised:
                result.note = f"{result.note}: {raised}"
        report.probes.append(result)
    return "exited" if process.poll() is not None else "probed"


def _conclude(
    process: Any,
    events: _Events,
    report: Boot,
    options: BootOptions,
    ctx: explain.Context,
    outcome: str,
) -> None:
    for event in events.named("exception"):
        if event.get("phase") == "shutdown":
            raised = explain.exception(event, ctx, "shutdown")
            report.warnings.append(f"shutdown raised: {raised.reason}")
    if report.forced_kill and report.ready:
        report.warnings.append(
            f"the server did not stop within {options.shutdown_timeout:g} s of SIGTERM "
            f"and was killed (a shutdown handler that hangs?)"
        )
    failure: Failure | None = None
    if report.ready:
        if outcome == "exited":
            failure = explain.died(process.returncode, report.stderr, "while it was being probed")
    else:
        failure = explain.from_events(events.events, ctx)
        if failure is None and outcome == "exited":
            failure = explain.died(process.returncode, report.stderr)
        elif failure is None:
            failure = explain.timed_out(events.events, ctx, report.stderr, report.stdout)
    if failure is not None and failure.kind in _MAY_BE_A_VARIABLE:
        failure = _unset_variable(events.events, ctx, failure) or failure
    if failure is not None:
        if not failure.detail:
            failure.detail = report.stderr[-4000:]
        report.failure = failure


# Failures an unset variable may be behind, when the exception does not name it (or names a
# settings field, not the variable: ``jwt_secret`` read as ``APP_JWT_SECRET``).
_MAY_BE_A_VARIABLE = frozenset(
    {"import-error", "startup-error", "exit-at-import", "missing-variable"}
)


def _unset_variable(
    events: Sequence[dict[str, Any]], ctx: explain.Context, failure: Failure
) -> Failure | None:
    """The failure as "DATABASE_URL is not set (read at config.py:3); set it in the Space's
    settings" when an unset variable the repository reads is behind the exception
    (:func:`hffix.verify.envvars.unset_variable`)."""
    from hffix.verify import envvars

    raised = next(
        (
            event
            for event in events
            if event.get("event") == "import-error"
            or (event.get("event") == "exception" and event.get("phase") == "startup")
        ),
        None,
    )
    if raised is None:
        return None
    reads = envvars.repository_reads(ctx.root)
    read = envvars.unset_variable(raised, ctx.root, ctx.environment, reads)
    if read is None or (failure.kind == "missing-variable" and read.variable in failure.reason):
        return None  # nothing better than what the exception said
    reason = envvars.missing_variable_reason(read)
    return Failure("missing-variable", reason, read.path, read.line, failure.detail)
