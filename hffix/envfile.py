"""Dotenv files: reading ``NAME=value`` lines, ``.env.example`` with names only, ``.gitignore``.

Only names ever move between files: values of ``.env`` files are read to judge whether they
are secrets and are never written anywhere.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

EXAMPLE = ".env.example"
GITIGNORE = ".gitignore"
EXAMPLE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults", ".tpl", ".in")
# Set by the platform or the shell; listing them in .env.example would invite overriding them.
PLATFORM_VARIABLES = frozenset(
    {
        "PORT",
        "HOST",
        "HOME",
        "PATH",
        "USER",
        "PWD",
        "SHELL",
        "LANG",
        "TERM",
        "TMPDIR",
        "TZ",
        "PYTHONPATH",
        "PYTHONUNBUFFERED",
        "VIRTUAL_ENV",
        "CI",
        "GITHUB_ACTIONS",
        "SYSTEM",
    }
)
_LINE = re.compile(
    r"^\s*(?P<comment>#\s*)?(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.]*)\s*[=:](?P<rest>.*)$"
)


@dataclass(frozen=True)
class Entry:
    line: int  # 1-based
    name: str
    value: str  # unquoted; never print it


def is_dotenv(path: str) -> bool:
    """``.env``, ``.env.local``, ``backend/.env.production``; not ``.env.example`` and kin."""
    base = posixpath.basename(path)
    if base == ".env":
        return True
    return base.startswith(".env.") and not base.endswith(EXAMPLE_SUFFIXES)


def is_example(path: str) -> bool:
    base = posixpath.basename(path)
    return base.startswith(".env") and base.endswith(EXAMPLE_SUFFIXES)


def _unquote(rest: str) -> str:
    text = rest.strip()
    if text[:1] in ("'", '"'):
        quote = text[0]
        end = text.find(quote, 1)
        return text[1:end] if end > 0 else text[1:]
    return re.split(r"\s+#", text, maxsplit=1)[0].strip()


def entries(text: str) -> list[Entry]:
    """The ``NAME=value`` lines of a dotenv file (``export`` and quotes understood)."""
    found: list[Entry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line)
        if match is None or match.group("comment"):
            continue
        found.append(Entry(number, match.group("name"), _unquote(match.group("rest"))))
    return found


def declared_names(text: str) -> set[str]:
    """Every name a dotenv file mentions, commented-out lines (``# SENTRY_DSN=``) included."""
    return {m.group("name") for line in text.splitlines() if (m := _LINE.match(line))}


def _append(text: str | None, lines: Iterable[str], newline: str) -> str:
    body = text or ""
    if body and not body.endswith(("\n", "\r")):
        body += newline
    return body + "".join(line + newline for line in lines)


def updated_example(text: str | None, variables: Iterable[str], newline: str = "\n") -> str | None:
    """``.env.example`` with a ``NAME=`` line for each variable it lacks; None if complete."""
    present = declared_names(text or "")
    missing = sorted({v for v in variables if v not in present and v not in PLATFORM_VARIABLES})
    if not missing:
        return None
    return _append(text, (f"{name}=" for name in missing), newline)


def blank_values(text: str, lines: Iterable[int]) -> str:
    """``text`` with the values on ``lines`` (1-based) removed: ``NAME=secret`` -> ``NAME=``."""
    wanted = set(lines)
    out: list[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        match = _LINE.match(line)
        if number in wanted and match is not None:
            ending = line[len(line.rstrip("\r\n")) :]
            out.append(line[: match.start("rest")] + ending)
        else:
            out.append(line)
    return "".join(out)


def gitignore_entries(text: str | None, paths: Iterable[str]) -> list[str]:
    """Lines to add to the root ``.gitignore`` so that ``paths`` are ignored (and
    ``.env.example`` is not)."""
    import pathspec

    lines = (text or "").splitlines()
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    wanted: list[str] = []
    for path in paths:
        base = posixpath.basename(path)
        if not spec.match_file(path) and base not in wanted:
            wanted.append(base)
    combined = pathspec.GitIgnoreSpec.from_lines([*lines, *wanted])
    if combined.match_file(EXAMPLE):
        wanted.append(f"!{EXAMPLE}")
    return wanted


def updated_gitignore(text: str | None, paths: Iterable[str], newline: str = "\n") -> str | None:
    """The root ``.gitignore`` ignoring ``paths`` (dotenv files); None when it already does."""
    wanted = gitignore_entries(text, paths)
    if not wanted:
        return None
    return _append(text, wanted, newline)
