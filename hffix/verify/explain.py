"""Turn what the booted app did (the child's events and output) into one line a user can act on.

Every explanation names the place in the repository (``file:line``) when the traceback
goes through the repository's code, and says what to do: add a distribution to
requirements.txt, set a variable, fix an import path, bind ``app``.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hffix.formats.requirements import canonical_name, declared_names, parse_requirements
from hffix.verify.distributions import distribution_for
from hffix.verify.report import Failure

Event = Mapping[str, Any]

_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CAPS_TOKEN = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[A-Z]{3,}\b")
_MISSING_WORDS = re.compile(
    r"not set|missing|required|undefined|environment|env var|not found|not configured", re.I
)
_SKIP_DIRS = {
    ".git",
    ".hg",
    ".venv",
    "venv",
    "env",
    "node_modules",
    "__pycache__",
    ".tox",
    "site-packages",
}


@dataclass
class Context:
    """What explanations need besides the events."""

    root: Path
    environment: Mapping[str, str] = field(default_factory=dict)  # what the app was given
    example_names: Sequence[str] = ()
    example_file: str | None = None
    installed: bool = False  # booted in a virtual environment built from requirements.txt
    python: str = ""
    timeout: float = 0.0


def first_line(text: str, limit: int = 200) -> str:
    for line in text.strip().splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def relative(root: Path, filename: str | None) -> str | None:
    """``filename`` as a repository path, or None when it is outside (or in a venv inside)."""
    if not filename or filename.startswith("<"):
        return None
    try:
        path = Path(filename)
        if not path.is_absolute():
            path = root / path
        if not path.is_file():
            return None
        rel = Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except (ValueError, OSError):
        return None
    if any(part in _SKIP_DIRS for part in rel.parts):
        return None
    return rel.as_posix()


def repository_frame(root: Path, event: Event) -> tuple[str | None, int | None]:
    """The deepest traceback frame in the repository's own code."""
    syntax = event.get("syntax")
    if isinstance(syntax, dict):
        path = relative(root, syntax.get("file"))
        if path:
            return path, syntax.get("line")
    for frame in reversed(event.get("frames") or []):
        path = relative(root, frame.get("file"))
        if path:
            return path, frame.get("line")
    return None, None


def _where(path: str | None, line: int | None) -> str:
    if path is None:
        return ""
    return f"{path}:{line}" if line else path


def _exception_text(event: Event) -> str:
    message = first_line(str(event.get("message", "")))
    kind = str(event.get("type", "Exception"))
    return f"{kind}: {message}" if message else kind


def _requirements(root: Path) -> set[str]:
    try:
        text = (root / "requirements.txt").read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return set()
    return declared_names(parse_requirements(text))


def _first_party(root: Path, top: str, limit: int = 4000) -> str | None:
    """Where a module named ``top`` lives in the repository, when not at the root."""
    seen = 0
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        seen += 1
        if seen > limit:
            break
        here = Path(current)
        if here == root:
            continue
        if f"{top}.py" in files:
            return (here / f"{top}.py").relative_to(root).as_posix()
        if top in dirs:
            return (here / top).relative_to(root).as_posix() + "/"
    return None


def missing_module(event: Event, ctx: Context) -> Failure:
    name = str(event.get("module") or "")
    if not name:
        match = re.search(r"No module named '([^']+)'", str(event.get("message", "")))
        name = match.group(1) if match else "?"
    top = name.split(".")[0]
    path, line = repository_frame(ctx.root, event)
    where = f" (imported at {_where(path, line)})" if path else ""
    detail = str(event.get("traceback", ""))

    def failure(reason: str) -> Failure:
        return Failure("missing-module", reason, path, line, detail)

    at_root = (ctx.root / f"{top}.py").is_file() or (ctx.root / top).is_dir()
    if at_root:
        if top == name:
            return failure(f"module '{name}' could not be imported{where}")
        return failure(
            f"module '{name}' not found{where}: '{top}' is in the repository but has no "
            f"'{name[len(top) + 1 :]}'; fix the import path"
        )
    elsewhere = _first_party(ctx.root, top)
    if elsewhere:
        return failure(
            f"module '{name}' not found{where}: it is {elsewhere}, which the Space cannot import "
            f"from the repository root; fix the import path (or run hffix --write)"
        )
    declared = _requirements(ctx.root)
    distribution = distribution_for(name)
    listed = None
    if distribution and canonical_name(distribution) in declared:
        listed = distribution
    elif canonical_name(top) in declared:
        if distribution and canonical_name(distribution) != canonical_name(top):
            return failure(
                f"module '{name}' not found{where}: requirements.txt lists {top}, but "
                f"'{top}' comes from {distribution}; replace it"
            )
        listed = top
    if listed and not ctx.installed:
        return failure(
            f"module '{name}' not found{where} in {ctx.python or 'this interpreter'}; "
            f"requirements.txt lists {listed}: install it there or run with --install"
        )
    if listed:
        return failure(
            f"module '{name}' not found{where} although requirements.txt installed {listed}; "
            f"check that {listed} provides '{top}'"
        )
    if distribution:
        return failure(f"module '{name}' not found{where}; add {distribution} to requirements.txt")
    return failure(f"module '{name}' not found{where}; add its distribution to requirements.txt")


def missing_variable(event: Event, ctx: Context) -> str | None:
    """The environment variable whose absence raised ``event``, when it is one."""
    kind = str(event.get("type", ""))
    message = str(event.get("message", ""))
    expected = set(ctx.example_names)
    candidates: list[str] = []
    key = event.get("key")
    if kind == "KeyError" and isinstance(key, str):
        codes = " ".join(str(f.get("code", "")) for f in event.get("frames") or [])
        if key in expected or (_ENV_NAME.match(key) and re.search(r"environ|getenv|env", codes)):
            candidates.append(key)
    elif kind == "ValidationError" and "Field required" in message:
        lines = message.splitlines()
        for index, line in enumerate(lines[1:], start=1):
            if line.strip().startswith("Field required"):
                field_name = lines[index - 1].strip().split(".")[-1]
                if field_name:
                    candidates.append(field_name.upper())
    elif _MISSING_WORDS.search(message):
        tokens = _CAPS_TOKEN.findall(message)
        candidates.extend(token for token in tokens if token in expected or "_" in token)
    for cause in event.get("causes") or []:
        if cause.get("type") == "KeyError" and cause.get("key") in expected:
            candidates.append(str(cause["key"]))
    for name in candidates:
        if not ctx.environment.get(name):
            return name
    return None


def variable_reason(name: str, ctx: Context, where: str) -> str:
    at = f" (read at {where})" if where else ""
    if name in ctx.example_names:
        return f"set {name}, listed in {ctx.example_file or '.env.example'}{at}"
    return (
        f"set {name}{at}; it is not listed in .env.example: add it there and to the Space's secrets"
    )


def exception(event: Event, ctx: Context, phase: str) -> Failure:
    """An exception raised while importing ``main`` or running the app's startup."""
    kind = str(event.get("type", ""))
    if kind in {"ModuleNotFoundError"} or (
        kind == "ImportError" and str(event.get("message", "")).startswith("No module named")
    ):
        return missing_module(event, ctx)
    for cause in event.get("causes") or []:
        if cause.get("type") == "ModuleNotFoundError" and phase == "import":
            merged = dict(event)
            merged["module"] = cause.get("module")
            return missing_module(merged, ctx)
    path, line = repository_frame(ctx.root, event)
    where = _where(path, line)
    detail = str(event.get("traceback", ""))
    variable = missing_variable(event, ctx)
    if variable:
        return Failure(
            "missing-variable", variable_reason(variable, ctx, where), path, line, detail
        )
    when = "while importing main" if phase == "import" else f"at {phase}"
    hint = import_hint(event, ctx) if kind == "ImportError" else ""
    if hint:
        return Failure("import-error", f"{where or 'main'}: {hint}", path, line, detail)
    if kind == "SystemExit":
        code = first_line(str(event.get("message", ""))) or "0"
        return Failure(
            "exit-at-import",
            f"{where or 'main'} exits {when} (SystemExit: {code}); the Space's server never "
            f"gets the app",
            path,
            line,
            detail,
        )
    if kind in {"SyntaxError", "IndentationError", "TabError"}:
        syntax = event.get("syntax") or {}
        column = f":{syntax.get('offset')}" if syntax.get("offset") else ""
        text = syntax.get("msg") or first_line(str(event.get("message", "")))
        return Failure("syntax-error", f"{where}{column}: {kind}: {text}", path, line, detail)
    prefix = f"{where}: " if where else ""
    return Failure(
        "import-error" if phase == "import" else f"{phase}-error",
        f"{prefix}{_exception_text(event)} ({'raised ' + when})",
        path,
        line,
        detail,
    )


_CANNOT_IMPORT = re.compile(
    r"cannot import name '(?P<name>\w+)' from (?P<partial>partially initialized module )?"
    r"'(?P<module>[\w.]+)'(?: \(most likely [^)]*\))?(?: \((?P<file>[^)]*)\))?"
)


def import_hint(event: Event, ctx: Context) -> str:
    """What an ``ImportError`` between the repository's own modules means, when it is one
    of the two ways a module is found under the wrong name: ``cannot import name 'app'
    from 'src.main' (src/main.py)`` while the app's module is another ``src/main.py``, or
    a module of the app importing ``main`` and getting the root main.py half-run."""
    match = _CANNOT_IMPORT.search(str(event.get("message", "")))
    if match is None:
        return ""
    name, module = match["name"], match["module"]
    found = relative(ctx.root, match["file"]) if match["file"] else None
    if match["partial"] and module == "main" and found == "main.py":
        return (
            f"a module of the app imports `{name}` from `main`, which is now the root main.py "
            "(half-run: a circular import); the app's own module must be `main`: run hffix "
            "--write, which loads it under that name"
        )
    if found is None:
        return ""
    tail = module.replace(".", "/")
    others = [
        path
        for path in _repository_files(ctx.root, (f"{tail}.py", f"{tail}/__init__.py"))
        if path != found
    ]
    if not others:
        return ""
    return (
        f"`from {module} import {name}` found {found}, but the app's `{module}` is "
        f"{others[0]}: a folder without __init__.py loses to a package or module of the same "
        "name anywhere on sys.path; run hffix --write (main.py then loads that folder as the "
        "package) or rename one of them"
    )


def _repository_files(root: Path, tails: Sequence[str], limit: int = 4000) -> list[str]:
    """Repository paths ending with one of ``tails`` (at a folder boundary)."""
    found: list[str] = []
    for seen, (current, dirs, files) in enumerate(os.walk(root), start=1):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        if seen > limit:
            break
        here = Path(current).relative_to(root).as_posix()
        for file in files:
            path = file if here == "." else f"{here}/{file}"
            if any(path == t or path.endswith("/" + t) for t in tails):
                found.append(path)
    return sorted(found)


def no_app(event: Event, ctx: Context) -> Failure:
    module = str(event.get("module", "main"))
    attribute = str(event.get("attribute", "app"))
    path = relative(ctx.root, event.get("file")) or f"{module}.py"
    found = [str(c) for c in event.get("candidates") or []]
    if event.get("event") == "not-asgi":
        reason = (
            f"{module}.{attribute} is a {event.get('type')}, not an ASGI application; "
            f"bind the FastAPI app to `{attribute}`"
        )
        return Failure("not-asgi", reason, path, None)
    hint = ""
    apps = [c for c in found if not c.endswith("()")]
    factories = [c for c in found if c.endswith("()")]
    if apps:
        hint = f"; it defines the app `{apps[0]}`: add `{attribute} = {apps[0]}`"
    elif factories:
        hint = f"; it defines {factories[0]}: add `{attribute} = {factories[0]}`"
    return Failure(
        "no-app",
        f"{path} has no attribute {attribute}{hint} (or run hffix --write)",
        path,
        None,
    )


def no_uvicorn(event: Event, ctx: Context) -> Failure:
    if ctx.installed:
        reason = (
            "uvicorn is not installed by requirements.txt; add uvicorn (SP-HF-05: "
            "missing uvicorn means the Space cannot serve the app)"
        )
    else:
        reason = (
            f"uvicorn is not installed in {ctx.python or 'this interpreter'}; install it "
            f"there or run with --install"
        )
    return Failure("no-uvicorn", reason, None, None, str(event.get("traceback", "")))


def from_events(events: Sequence[Event], ctx: Context) -> Failure | None:
    """The failure the events show, if any (before the server was ready)."""
    for event in events:
        kind = event.get("event")
        if kind == "import-error":
            return exception(event, ctx, "import")
        if kind in {"no-app", "not-asgi"}:
            return no_app(event, ctx)
        if kind == "no-uvicorn":
            return no_uvicorn(event, ctx)
        if kind == "exception" and event.get("phase") == "startup":
            return exception(event, ctx, "startup")
    for event in events:
        if event.get("event") == "lifespan-failed" and event.get("phase") == "startup":
            lines = [line for line in str(event.get("message", "")).splitlines() if line.strip()]
            text = first_line(lines[-1]) if lines else ""
            return Failure("startup-error", f"startup failed: {text or 'the app said so'}")
        if event.get("event") == "startup-failed":
            return Failure("startup-error", "startup failed (see the app's output)")
    return None


def timed_out(events: Sequence[Event], ctx: Context, stderr: str, stdout: str) -> Failure:
    """The app did not get ready within the timeout: say which phase it was stuck in."""
    seen = {str(e.get("event")) for e in events}
    output = f"{stdout}\n{stderr}"
    if "imported" not in seen:
        if re.search(r"Uvicorn running on|Application startup complete", output):
            return Failure(
                "server-at-import",
                f"main.py starts its own server while it is imported (uvicorn.run at module "
                f"level, HF002): the Space's server never gets the app; no answer within "
                f"{ctx.timeout:g} s",
            )
        if re.search(r"address already in use", output, re.I):
            return Failure(
                "port-at-import",
                "main.py binds a fixed port while it is imported (hardcoded port, SP-HF-07)",
            )
        return Failure(
            "timeout",
            f"importing main did not finish within {ctx.timeout:g} s; something at import "
            f"time blocks (a network call, a server, input()); raise --timeout if it is just slow",
        )
    return Failure(
        "timeout",
        f"startup did not finish within {ctx.timeout:g} s (the app's startup/lifespan "
        f"handlers are still running); raise --timeout if it is just slow",
    )


def died(returncode: int | None, stderr: str, when: str = "before it was ready") -> Failure:
    last = ""
    for line in reversed(stderr.strip().splitlines()):
        if line.strip():
            last = first_line(line)
            break
    if returncode is not None and returncode < 0:
        try:
            status = f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            status = f"signal {-returncode}"
    else:
        status = f"status {returncode}" if returncode is not None else "an unknown status"
    tail = f": {last}" if last else ""
    return Failure("exited", f"the server process exited with {status} {when}{tail}")


def request_error(events: Iterable[Event], path: str, ctx: Context) -> str:
    """What the app raised while answering ``path`` (for a 5xx), in one line."""
    for event in events:
        if event.get("event") == "exception" and event.get("phase") == "request":
            if event.get("path") != path:
                continue
            where, line = repository_frame(ctx.root, event)
            variable = missing_variable(event, ctx)
            if variable:
                return variable_reason(variable, ctx, _where(where, line))
            prefix = f"{_where(where, line)}: " if where else ""
            return f"{prefix}{_exception_text(event)}"
    return ""
