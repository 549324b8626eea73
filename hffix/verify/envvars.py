"""Environment variables for the booted app: ``.env`` files, ``-e NAME=VALUE``, ``.env.example``.

A Space gets its variables from the Space's settings, never from a ``.env`` file (those are
not pushed). ``hffix verify`` therefore reads ``.env`` files only when asked (``--env-file``),
and compares what was given with what ``.env.example`` and hffix's rules say the app reads.

When the app fails to start because a variable is unset (SQLAlchemy's ``Expected string or
URL object, got None`` after ``os.environ.get("DATABASE_URL")``), :func:`unset_variable`
finds the read behind it from the traceback and the repository's reads, so that the failure
names it in one line (:func:`missing_variable_reason`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LINE = re.compile(r"^\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(?P<value>.*)$")
_DOUBLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}

# What a clean process environment keeps with --clean-env: what Python and the OS need.
BASE_VARIABLES = (
    "PATH",
    "HOME",
    "USER",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "TEMP",
    "TMP",
    "SYSTEMROOT",
    "SYSTEMDRIVE",
    "COMSPEC",
    "PATHEXT",
    "WINDIR",
    "TZ",
)


class EnvFileError(ValueError):
    """A ``--env-file`` that cannot be read, or a malformed ``-e`` value."""


def parse_assignment(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` from the command line (``-e``)."""
    name, sep, value = text.partition("=")
    if not sep or not _NAME.fullmatch(name):
        raise EnvFileError(f"-e expects NAME=VALUE, got {text!r}")
    return name, value


def _unquote(raw: str) -> str:
    raw = raw.strip()
    if raw[:1] == '"':
        out: list[str] = []
        index = 1
        while index < len(raw):
            char = raw[index]
            if char == "\\" and index + 1 < len(raw):
                nxt = raw[index + 1]
                out.append(_DOUBLE_ESCAPES.get(nxt, "\\" + nxt))
                index += 2
                continue
            if char == '"':
                break
            out.append(char)
            index += 1
        return "".join(out)
    if raw[:1] == "'":
        end = raw.find("'", 1)
        return raw[1:end] if end != -1 else raw[1:]
    comment = re.search(r"\s#", raw)
    if comment:
        raw = raw[: comment.start()]
    return raw.strip()


def parse_env_text(text: str) -> dict[str, str]:
    """Variables of a dotenv file: ``NAME=value``, ``export NAME=value``, quotes, comments.

    Multi-line double-quoted values are joined the way python-dotenv reads them.
    """
    values: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            continue
        raw = match.group("value")
        if raw.lstrip().startswith('"') and not _closed(raw.lstrip()):
            while index < len(lines) and not _closed(raw.lstrip()):
                raw += "\n" + lines[index]
                index += 1
        values[match.group("name")] = _unquote(raw)
    return values


def _closed(raw: str) -> bool:
    """Whether a double-quoted value has its closing quote."""
    index = 1
    while index < len(raw):
        if raw[index] == "\\":
            index += 2
            continue
        if raw[index] == '"':
            return True
        index += 1
    return False


def read_env_file(path: Path) -> dict[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EnvFileError(f"--env-file {path}: {exc.strerror or exc}") from exc
    return parse_env_text(data.decode("utf-8-sig", "replace"))


def example_names(root: Path) -> list[str]:
    """Variable names listed in the repository's ``.env.example`` (names only, in order)."""
    names: list[str] = []
    for candidate in (".env.example", ".env.sample", ".env.template", "example.env"):
        path = root / candidate
        if path.is_file():
            for name in parse_env_text(path.read_bytes().decode("utf-8-sig", "replace")):
                if name not in names:
                    names.append(name)
    return names


def example_file(root: Path) -> str | None:
    for candidate in (".env.example", ".env.sample", ".env.template", "example.env"):
        if (root / candidate).is_file():
            return candidate
    return None


def child_environment(
    given: Mapping[str, str],
    *,
    clean: bool,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment the app starts with: this process's (or a minimal one) plus ``given``."""
    source = os.environ if base is None else base
    if clean:
        env = {name: source[name] for name in BASE_VARIABLES if name in source}
    else:
        env = dict(source)
    env.update(given)
    return env


def missing_names(expected: Iterable[str], environment: Mapping[str, str]) -> list[str]:
    """Expected names that the app's environment does not set (or sets empty)."""
    return [name for name in expected if not environment.get(name)]


# ---------------------------------------------------------------- the variable behind a failure
_SKIP_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", "env", "node_modules", "__pycache__", ".tox", "site-packages"}
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NONE = re.compile(r"\bNone(?:Type)?\b")
_MAX_FILES = 4000


@dataclass(frozen=True)
class Read:
    """A place in the repository that reads a variable (:mod:`hffix.secrets.reads`)."""

    variable: str
    path: str  # repository path, POSIX
    line: int
    default: bool

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def repository_reads(root: Path) -> list[Read]:
    """Every environment read of the repository's Python files (tests and virtual
    environments left out), in path and line order."""
    import ast

    from hffix.project.layout import is_test_module
    from hffix.secrets import reads

    trees: list[tuple[str, ast.Module]] = []
    seen = 0
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            seen += 1
            if seen > _MAX_FILES:
                break
            path = Path(current) / name
            try:
                text = path.read_bytes().decode("utf-8-sig", "replace")
            except OSError:
                continue
            if not reads.may_read(text):
                continue
            rel = path.relative_to(root).as_posix()
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            if not is_test_module(rel, tree):
                trees.append((rel, tree))
    modules = [(rel, reads.ModuleEnv(tree)) for rel, tree in trees]
    wrappers: dict[str, reads.Wrapper] = {}
    for _, module in modules:
        wrappers.update(module.wrappers())
    found: list[Read] = []
    for rel, module in modules:
        for read in module.scan(wrappers).reads:
            found.append(Read(read.variable, rel, read.line, read.default))
    return found


def _frames(event: Mapping[str, Any], root: Path) -> list[tuple[str, int, str]]:
    """(repository path, line, code) of the traceback's frames in the repository, deepest
    first."""
    from hffix.verify.explain import relative

    found: list[tuple[str, int, str]] = []
    for frame in reversed(event.get("frames") or []):
        path = relative(root, frame.get("file"))
        line = frame.get("line")
        if path and isinstance(line, int):
            found.append((path, line, str(frame.get("code") or "")))
    return found


def unset_variable(
    event: Mapping[str, Any], root: Path, environment: Mapping[str, str], reads: Sequence[Read]
) -> Read | None:
    """The read of an unset variable, read without a default, that made the app raise
    ``event`` (an exception the child reported), when the traceback shows it: a settings
    field pydantic says is required (``jwt_secret`` read as ``APP_JWT_SECRET``); a frame of
    the repository on the line that reads it (``create_engine(os.environ.get("DATABASE_URL"))``);
    a frame whose code names it (``create_engine(settings.database_url)``); or, when the
    exception is about ``None``, the one such variable read in the modules the traceback
    goes through."""
    # A variable with a default is unset on purpose: the app runs on its default.
    unset = [r for r in reads if not r.default and not environment.get(r.variable)]
    if not unset:
        return None
    frames = _frames(event, root)
    required = _required_fields(str(event.get("message", "")))
    if required:
        return _settings_read(required, unset, {path for path, _, _ in frames})
    by_place: dict[tuple[str, int], Read] = {}
    for read in sorted(unset, key=lambda r: r.default):  # a read without a default first
        by_place.setdefault((read.path, read.line), read)
    for path, line, _ in frames:
        if (path, line) in by_place:
            return by_place[(path, line)]
    first_read: dict[str, Read] = {}  # variable -> its first unset read (no default first)
    for read in sorted(unset, key=lambda r: (r.default, r.path, r.line)):
        first_read.setdefault(read.variable, read)
    for _, _, code in frames:
        for token in _IDENTIFIER.findall(code):
            named = first_read.get(token) or first_read.get(token.upper())
            if named is not None:
                return named
    message = f"{event.get('message', '')} {event.get('type', '')}"
    if _NONE.search(message):
        modules = {path for path, _, _ in frames}
        needed = {r.variable: r for r in unset if not r.default and r.path in modules}
        if len(needed) == 1:
            return next(iter(needed.values()))
    return None


_REQUIRED = re.compile(r"^(?P<field>[A-Za-z_][\w.]*)\n\s+Field required", re.MULTILINE)


def _required_fields(message: str) -> list[str]:
    """The fields a pydantic ``ValidationError`` says are required (``jwt_secret``,
    ``db``), as it names them."""
    return [match["field"] for match in _REQUIRED.finditer(message)]


def _settings_read(fields: list[str], unset: Sequence[Read], modules: set[str]) -> Read | None:
    """The unset read behind the first required field a settings class could not fill: the
    field's own variable, with the class's ``env_prefix`` (``APP_JWT_SECRET`` for
    ``jwt_secret``) or, for a nested model, its first variable (``DB__HOST`` for ``db``);
    reads in the modules the traceback goes through first."""
    ordered = sorted(unset, key=lambda r: (r.path not in modules, r.default, r.path, r.line))
    for field in fields:
        name = field.split(".")[-1].upper()
        for read in ordered:
            variable = read.variable.upper()
            if (
                variable == name
                or variable.endswith("_" + name)
                or variable.startswith(name + "__")
                or f"_{name}__" in variable
            ):
                return read
    return None


def missing_variable_reason(read: Read) -> str:
    """The one line ``hffix verify`` gives for a failure an unset variable caused."""
    return f"{read.variable} is not set (read at {read.where}); set it in the Space's settings"
