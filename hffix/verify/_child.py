"""The program ``hffix verify`` runs in the repository's interpreter to boot ``main:app``.

It is passed to ``python -c`` (so ``sys.path[0]`` is the working directory, the repository
root, as with ``uvicorn main:app``) and must not import hffix: it may run in a virtual
environment that has only the repository's requirements. Keep it compatible with Python 3.8.

Protocol: the parent names a file in ``HFFIX_VERIFY_EVENTS``; this program appends one JSON
object per line to it. Events, in order: ``listening`` (port), ``imported`` or an error
(``import-error``, ``no-app``, ``not-asgi``, ``no-uvicorn``), then ``ready`` once uvicorn has
run the lifespan startup and serves, ``exception`` for errors raised by the app at startup,
shutdown or during a request, and ``stopped``. The listening socket is bound here to port 0
on 127.0.0.1, so the operating system picks a free port and no other process can take it
between the choice and the bind.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import traceback
from typing import Any

_EVENTS = os.environ.pop("HFFIX_VERIFY_EVENTS", "")
_APP = os.environ.pop("HFFIX_VERIFY_APP", "main:app")
_GRACE = float(os.environ.pop("HFFIX_VERIFY_GRACE", "5"))
_MAX_TEXT = 4000


def emit(event: str, **fields: Any) -> None:
    fields["event"] = event
    fields["t"] = time.monotonic()
    line = json.dumps(fields, default=repr) + "\n"
    if not _EVENTS:
        return
    fd = os.open(_EVENTS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8", "replace"))
    finally:
        os.close(fd)


def describe(exc: BaseException) -> dict[str, Any]:
    """An exception as plain data: type, message, frames and the details explain needs."""
    stack = traceback.extract_tb(exc.__traceback__)
    while stack and _ours(stack[0].filename):
        del stack[0]
    frames: list[dict[str, Any]] = []
    for frame in stack:
        frames.append(
            {
                "file": frame.filename,
                "line": frame.lineno,
                "function": frame.name,
                "code": (frame.line or "")[:200],
            }
        )
    kind = type(exc)
    data: dict[str, Any] = {
        "type": kind.__name__,
        "qualified": f"{kind.__module__}.{kind.__qualname__}",
        "message": str(exc)[:_MAX_TEXT],
        "frames": frames,
        "traceback": _format(exc, stack)[-_MAX_TEXT * 2 :],
    }
    if isinstance(exc, ImportError):
        data["module"] = exc.name
        data["path"] = getattr(exc, "path", None)
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        data["key"] = exc.args[0]
    if isinstance(exc, SyntaxError):
        data["syntax"] = {
            "file": exc.filename,
            "line": exc.lineno,
            "offset": exc.offset,
            "text": (exc.text or "").rstrip("\n")[:200],
            "msg": exc.msg,
        }
    causes: list[dict[str, Any]] = []
    seen = {id(exc)}
    inner = exc.__cause__ or exc.__context__
    while inner is not None and id(inner) not in seen and len(causes) < 3:
        seen.add(id(inner))
        causes.append(describe_shallow(inner))
        inner = inner.__cause__ or inner.__context__
    data["causes"] = causes
    return data


def _ours(filename: str) -> bool:
    """Frames of this program and of the import machinery, above the repository's code."""
    return (
        filename == "<string>"
        or filename.startswith("<frozen importlib")
        or filename.replace("\\", "/").endswith("importlib/__init__.py")
    )


def _format(exc: BaseException, stack: Any) -> str:
    """The traceback as Python prints it, without the frames of this program."""
    lines = []
    chained = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if chained is not None:
        lines.append(
            "".join(traceback.format_exception(type(chained), chained, chained.__traceback__))
        )
        lines.append(
            "\nThe above exception was the direct cause of the following exception:\n\n"
            if exc.__cause__ is not None
            else "\nDuring handling of the above exception, another exception occurred:\n\n"
        )
    lines.append("Traceback (most recent call last):\n")
    lines.extend(traceback.format_list(stack))
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return "".join(lines)


def describe_shallow(exc: BaseException) -> dict[str, Any]:
    data: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)[:_MAX_TEXT]}
    if isinstance(exc, ImportError):
        data["module"] = exc.name
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        data["key"] = exc.args[0]
    return data


def candidates(module: Any) -> list[str]:
    """Names in ``module`` that look like an ASGI app or an app factory."""
    found = []
    for name, value in sorted(vars(module).items()):
        if name.startswith("__"):
            continue
        kind = type(value)
        bases = [cls.__name__ for cls in getattr(kind, "__mro__", ())]
        if "Starlette" in bases or "FastAPI" in bases:
            found.append(name)
        elif callable(value) and name in (
            "create_app",
            "make_app",
            "get_app",
            "app_factory",
            "get_application",
            "create_application",
        ):
            found.append(name + "()")
    return found


class Guard:
    """ASGI wrapper that reports what the app raises, then lets uvicorn handle it as usual."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.started = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "lifespan":
            try:
                await self.app(scope, receive, send)
            except Exception as exc:
                emit("exception", phase="request", path=scope.get("path"), **describe(exc))
                raise
            return

        async def watch_send(message: Any) -> None:
            kind = message.get("type", "")
            if kind == "lifespan.startup.complete":
                self.started = True
            elif kind in ("lifespan.startup.failed", "lifespan.shutdown.failed"):
                emit(
                    "lifespan-failed",
                    phase=kind.split(".")[1],
                    message=str(message.get("message") or "")[-_MAX_TEXT:],
                )
            await send(message)

        try:
            await self.app(scope, receive, watch_send)
        except BaseException as exc:
            emit("exception", phase="shutdown" if self.started else "startup", **describe(exc))
            raise


def main() -> int:
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(False)
    emit(
        "listening",
        port=sock.getsockname()[1],
        pid=os.getpid(),
        python=sys.executable,
        version=sys.version.split()[0],
    )

    module_name, _, attribute = _APP.partition(":")
    started = time.monotonic()
    try:
        import importlib

        module = importlib.import_module(module_name)
    except BaseException as exc:
        emit("import-error", **describe(exc))
        return 3
    module_file = getattr(module, "__file__", None)
    if not hasattr(module, attribute):
        emit(
            "no-app",
            module=module_name,
            attribute=attribute,
            file=module_file,
            candidates=candidates(module),
        )
        return 3
    app = getattr(module, attribute)
    if not callable(app):
        emit(
            "not-asgi",
            module=module_name,
            attribute=attribute,
            file=module_file,
            type=type(app).__name__,
            candidates=candidates(module),
        )
        return 3
    emit("imported", seconds=time.monotonic() - started, file=module_file)

    try:
        import uvicorn
    except BaseException as exc:
        emit("no-uvicorn", **describe(exc))
        return 3

    options: dict[str, Any] = {"lifespan": "on", "log_level": "info", "workers": 1}
    config = None
    for extra in ({"timeout_graceful_shutdown": _GRACE}, {}):
        try:
            config = uvicorn.Config(app, **dict(options, **extra))
            break
        except TypeError:
            continue
    assert config is not None
    config.load()
    guard = Guard(config.loaded_app)
    config.loaded_app = guard

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            try:
                await super().startup(sockets=sockets)
            except SystemExit:
                emit("startup-failed")
                raise
            if self.should_exit:
                emit("startup-failed")
            else:
                emit("ready")

        async def shutdown(self, sockets: Any = None) -> None:
            emit("stopping")
            await super().shutdown(sockets=sockets)
            emit("shutdown-complete")

    server = Server(config)
    try:
        server.run(sockets=[sock])
    except SystemExit as exc:
        emit("stopped", code=exc.code)
        raise
    except BaseException as exc:
        emit("exception", phase="server", **describe(exc))
        raise
    emit("stopped", code=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
