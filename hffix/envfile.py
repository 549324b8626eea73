"""Dotenv files: reading ``NAME=value`` lines, ``.env.example`` with names only, ``.gitignore``.

Only names ever move between files: values of ``.env`` files are read to judge whether they
are secrets and are never written anywhere.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
        # What a Space sets itself (Hugging Face's "Spaces environment" documentation).
        "SPACE_ID",
        "SPACE_HOST",
        "SPACE_AUTHOR_NAME",
        "SPACE_REPO_NAME",
        "SPACE_TITLE",
        "SPACE_CREATOR_USER_ID",
        "CPU_CORES",
        "MEMORY",
    }
)
# Variables a front-end build inlines into the pages it ships (Next.js, Vite, Create React
# App, Nuxt, Expo, Gatsby, Vue CLI, SvelteKit, Astro).
FRONTEND_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "NUXT_PUBLIC_",
    "NUXT_ENV_",
    "EXPO_PUBLIC_",
    "GATSBY_",
    "VUE_APP_",
    "PUBLIC_",
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


@dataclass(frozen=True)
class Listed:
    """A variable ``.env.example`` lists: a Space secret or a Space variable, where the app
    reads it (``config.py:3``) and whether the app has a value when it is unset."""

    name: str
    secret: bool = False
    where: Sequence[str] = field(default=(), compare=False)
    default: bool = False


HEADER = "# The environment variables the app reads (names only: never commit values here)."
SECRETS_HEADING = "# Space secrets (set them in the Space's settings, under Secrets)"
VARIABLES_HEADING = "# Space variables (set them in the Space's settings, under Variables)"
_SHOWN_PLACES = 3


def _comment(item: Listed) -> str:
    places = list(item.where)
    shown = ", ".join(places[:_SHOWN_PLACES])
    if len(places) > _SHOWN_PLACES:
        shown += f" and {len(places) - _SHOWN_PLACES} more"
    if not shown:
        return "# named by hffix's findings (a Dockerfile's ENV, a run command)"
    default = "has a default" if item.default else "no default: the app needs it"
    return f"# read at {shown}; {default}"


def example_lines(listed: Iterable[Listed]) -> list[str]:
    """The lines listing ``listed``: secrets first, then variables, each group under its
    heading and sorted by name, each name under a comment saying where it is read."""
    items = sorted(listed, key=lambda item: (not item.secret, item.name))
    lines: list[str] = []
    for secret, heading in ((True, SECRETS_HEADING), (False, VARIABLES_HEADING)):
        group = [item for item in items if item.secret is secret]
        if not group:
            continue
        if lines:
            lines.append("")
        lines.append(heading)
        for item in group:
            lines += [_comment(item), f"{item.name}="]
    return lines


def updated_example(text: str | None, listed: Iterable[Listed], newline: str = "\n") -> str | None:
    """``.env.example`` listing every variable of ``listed`` it lacks (platform variables
    left out), grouped (see :func:`example_lines`); a new file starts with a header line.
    Lines already there are kept as they are. None when nothing is missing."""
    present = declared_names(text or "")
    wanted: dict[str, Listed] = {}
    for item in listed:
        if item.name not in present and item.name not in PLATFORM_VARIABLES:
            wanted.setdefault(item.name, item)
    if not wanted:
        return None
    lines = example_lines(wanted.values())
    if text is None or not text.strip():
        return _append(text, [HEADER, "", *lines], newline)
    return _append(text, ["", *lines], newline)


def is_frontend_env(text: str, *, has_python: bool) -> bool:
    """A front-end build's dotenv file (``frontend/.env.production``), asked of one in a
    folder with a ``package.json``: no Python in that folder, and every name it sets starts
    with a prefix the build inlines (``NEXT_PUBLIC_``, ``VITE_``...). Not the backend's:
    neither Space variables nor forced into ``.gitignore``."""
    if has_python:
        return False
    found = entries(text)
    return bool(found) and all(entry.name.startswith(FRONTEND_PREFIXES) for entry in found)


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
