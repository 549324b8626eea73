"""Reading and merging pip requirement files without losing what their authors wrote.

A requirements file is parsed line by line into :class:`RequirementLine` records that keep
the original text (comments, pins, markers, hashes, continuation lines). Names are compared
canonically (PEP 503: ``python_dotenv`` = ``python-dotenv``; extras do not change the name, so
``uvicorn[standard]`` counts as ``uvicorn``). :func:`merge_requirements` is the union used
when two files become one: the base file stays exactly as it is and what only the other
file declares is appended.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.requirements import Requirement

__all__ = [
    "LineKind",
    "RequirementLine",
    "canonical_name",
    "declared_names",
    "merge_requirements",
    "parse_requirements",
    "requirement_name",
]

# pip: a comment starts at "#" at the start of a line or after whitespace.
_COMMENT = re.compile(r"(^|\s+)#.*$")
# Per-requirement options pip accepts after a requirement (``--hash=...``, ``--config-settings``).
_TRAILING_OPTION = re.compile(r"\s+--?[A-Za-z][\w-]*(?:[= ]\S+)?")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_WHEEL = re.compile(r"(?:^|/)([A-Za-z0-9][A-Za-z0-9._]*?)-\d[^/]*\.whl$")
# Options naming another file: -r/--requirement (included), -c/--constraint (constraints).
_FILE_OPTION = re.compile(
    r"^(?P<opt>-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=-r)|(?<=-c))(?P<path>\S+)"
)
# A requirement that is a name and nothing else (PEP 508's name rule): most lines are.
_BARE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# PEP 503 normalisation, as packaging.utils.canonicalize_name does it.
_SEPARATORS = re.compile(r"[-_.]+")


class LineKind(Enum):
    BLANK = "blank"
    COMMENT = "comment"
    REQUIREMENT = "requirement"  # a distribution, by name, name @ URL, VCS URL with #egg=, wheel
    INCLUDE = "include"  # -r / --requirement FILE
    CONSTRAINT = "constraint"  # -c / --constraint FILE
    EDITABLE = "editable"  # -e / --editable PATH-OR-URL
    OPTION = "option"  # --index-url, --extra-index-url, --find-links, --pre, ...
    OTHER = "other"  # a local path or URL whose distribution name is unknown


@dataclass(frozen=True)
class RequirementLine:
    """One logical line (continuations joined) and what it declares."""

    text: str  # the physical lines as written, joined with "\n", no trailing newline
    kind: LineKind
    line: int  # 1-based number of its first physical line
    name: str | None = None  # canonical distribution name for REQUIREMENT/EDITABLE lines
    # Parsed form of a PEP 508 line (shared: read only); None for a bare name, which has no
    # version, extras, marker or URL to parse.
    requirement: Requirement | None = None
    target: str | None = None  # the file of an INCLUDE / CONSTRAINT line

    @property
    def logical(self) -> str:
        """The line with continuations joined and the comment removed, stripped."""
        return strip_comment(self.text.replace("\\\n", "")).strip()


def canonical_name(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()


def strip_comment(line: str) -> str:
    return _COMMENT.sub("", line)


def _split_physical(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each logical line; a trailing backslash continues it."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        parts = [lines[index]]
        while parts[-1].endswith("\\") and index + 1 < len(lines):
            index += 1
            parts.append(lines[index])
        index += 1
        yield start + 1, "\n".join(parts)


def requirement_name(line: str) -> str | None:
    """The canonical distribution name a single requirement line declares, else ``None``."""
    parsed = _classify(line, 1)
    return parsed.name


def _name_of_target(target: str) -> str | None:
    egg = _EGG.search(target)
    if egg:
        return canonical_name(egg.group(1))
    wheel = _WHEEL.search(target.split("#")[0])
    if wheel:
        return canonical_name(wheel.group(1))
    return None


def _classify(text: str, number: int) -> RequirementLine:
    logical = strip_comment(text.replace("\\\n", "")).strip()
    if not text.strip():
        return RequirementLine(text, LineKind.BLANK, number)
    if not logical:
        return RequirementLine(text, LineKind.COMMENT, number)
    if logical.startswith("-"):
        match = _FILE_OPTION.match(logical)
        if match:
            kind = (
                LineKind.INCLUDE if match["opt"] in {"-r", "--requirement"} else LineKind.CONSTRAINT
            )
            return RequirementLine(text, kind, number, target=match["path"])
        editable = re.match(r"^(?:-e|--editable)(?:\s*=\s*|\s+|(?<=-e))(\S+)", logical)
        if editable:
            name = _name_of_target(editable.group(1))
            return RequirementLine(text, LineKind.EDITABLE, number, name=name)
        return RequirementLine(text, LineKind.OPTION, number)
    spec = _TRAILING_OPTION.sub("", logical).strip()
    parsed = _pep508(spec)
    if parsed is None:
        name = _name_of_target(spec)
        kind = LineKind.REQUIREMENT if name else LineKind.OTHER
        return RequirementLine(text, kind, number, name=name)
    return RequirementLine(text, LineKind.REQUIREMENT, number, *parsed)


@functools.lru_cache(maxsize=4096)
def _pep508(spec: str) -> tuple[str, Requirement | None] | None:
    """Canonical name and parsed form of a PEP 508 requirement, or ``None``.

    A bare name needs no parser (and no import of packaging). Cached: the same lines recur
    in every file of a repository and across a fleet, and packaging's parser is the
    dearest part of reading them. The :class:`Requirement` is shared between the lines that
    hold it, so it is read, never changed."""
    if _BARE_NAME.fullmatch(spec):
        return canonical_name(spec), None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(spec)
    except InvalidRequirement:
        return None
    return canonical_name(requirement.name), requirement


def parse_requirements(text: str) -> list[RequirementLine]:
    """Every logical line of a requirements file, in order."""
    return [_classify(chunk, number) for number, chunk in _split_physical(text)]


def declared_names(lines: Iterable[RequirementLine]) -> set[str]:
    """Canonical names of the distributions the lines declare (no includes followed)."""
    return {line.name for line in lines if line.name is not None}


def _key(line: RequirementLine) -> str:
    """What makes two unnamed lines the same: the file of an include, else the words."""
    if line.target is not None:
        return f"{line.kind.value} {line.target}"
    return " ".join(line.logical.split())


def merge_requirements(
    base_text: str, extra_text: str, newline: str, *, source: str | None = None
) -> str:
    """``base_text`` with what only ``extra_text`` declares appended, joined with ``newline``.

    Union by canonical name: the base file's lines, pins, comments, markers and order are
    kept; every line of ``extra_text`` declaring a distribution the base lacks is appended
    (all of them, so marker-split pins such as ``numpy==1.24; python_version < "3.9"`` stay
    together), as are option, include, constraint and unnamed lines the base does not
    already have word for word. Standalone comments and blank lines of ``extra_text`` are
    not carried over. ``source``, when given, is named in a comment above the appended
    lines. The base text is returned unchanged when nothing is missing.
    """
    base = parse_requirements(base_text)
    have_names = declared_names(base)
    have_other = {_key(line) for line in base if line.name is None and line.logical}
    appended: list[str] = []
    for line in parse_requirements(extra_text):
        if line.kind in (LineKind.BLANK, LineKind.COMMENT):
            continue
        if line.name is not None:
            if line.name in have_names:
                continue
        elif _key(line) in have_other:
            continue
        else:
            have_other.add(_key(line))
        appended.append(line.text)
    if not appended:
        return base_text
    header = [f"# from {source}"] if source else []
    physical = [p for chunk in appended for p in chunk.split("\n")]
    prefix = base_text
    if prefix and not prefix.endswith(("\n", "\r")):
        prefix += newline
    return prefix + newline.join([*header, *physical]) + newline
