"""Environment variables for the booted app: ``.env`` files, ``-e NAME=VALUE``, ``.env.example``.

A Space gets its variables from the Space's settings, never from a ``.env`` file (those are
not pushed). ``hffix verify`` therefore reads ``.env`` files only when asked (``--env-file``),
and compares what was given with what ``.env.example`` and hffix's rules say the app reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

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
