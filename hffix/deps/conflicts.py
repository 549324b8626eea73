"""Requirement sets pip cannot install, found before pip does.

Two kinds of contradiction, both decided with ``packaging``'s version rules:

- the same distribution twice with specifiers no version satisfies together
  (``pydantic==1.10.13`` and ``pydantic>=2``);
- a known pair: a distribution whose every release allowed by its specifier requires a
  version of another that the requirements rule out (``fastapi==0.109.0`` requires
  ``starlette>=0.35.0,<0.36.0``, so ``starlette>=0.50`` cannot install beside it). The
  pairs are :data:`PUBLISHED`: fastapi's requirements on starlette and pydantic,
  sqlmodel's on SQLAlchemy and pydantic, pydantic-settings' on pydantic.

:func:`upper_bound` uses the same table the other way: the bound that keeps an unpinned
``sqlmodel`` or ``fastapi`` on releases that accept what the requirements pin
(``sqlmodel<0.0.12`` beside ``SQLAlchemy==1.4.52``, ``fastapi<0.126`` beside
``pydantic<2``), so that pip need not walk back through dozens of releases.

Whether two specifiers overlap is decided on a finite set of candidate versions: every
version either one names, a version just above each, and ``0``. The overlap of two sets
of intervals, when not empty, holds one of these (its lower end, a point just above an
open lower end, or ``0`` when it is unbounded below).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.formats.requirements import LineKind, RequirementLine, canonical_name, parse_requirements

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

# Requires-Dist of every release of fastapi (0.60.0 to 0.165.0), sqlmodel (0.0.1 to 0.0.50)
# and pydantic-settings (2.0.0 to 2.16.3), read from the wheels on PyPI; pre-releases left
# out. Each row holds from its version up to the next row's: (first version, {dependency:
# its specifier}). Releases before the first row are not known here and never conflict.
PUBLISHED: dict[str, tuple[tuple[str, dict[str, str]], ...]] = {
    "fastapi": (
        ("0.60.0", {"starlette": "==0.13.4", "pydantic": ">=0.32.2,<2.0.0"}),
        ("0.60.1", {"starlette": "==0.13.6", "pydantic": ">=0.32.2,<2.0.0"}),
        ("0.61.0", {"starlette": "==0.13.6", "pydantic": ">=1.0.0,<2.0.0"}),
        ("0.65.0", {"starlette": "==0.14.2", "pydantic": ">=1.0.0,<2.0.0"}),
        ("0.65.1", {"starlette": "==0.14.2", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.69.0", {"starlette": "==0.15.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.70.0", {"starlette": "==0.16.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.71.0", {"starlette": "==0.17.1", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.76.0", {"starlette": "==0.18.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.77.0", {"starlette": "==0.19.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.77.1", {"starlette": "==0.19.1", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.85.0", {"starlette": "==0.20.4", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.87.0", {"starlette": "==0.21.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.88.0", {"starlette": "==0.22.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.90.0", {"starlette": ">=0.22.0,<=0.23.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.90.1", {"starlette": ">=0.22.0,<0.24.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.91.0", {"starlette": ">=0.24.0,<0.25.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.92.0", {"starlette": ">=0.25.0,<0.26.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.94.0", {"starlette": ">=0.26.0,<0.27.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.94.1", {"starlette": ">=0.26.1,<0.27.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.95.2", {"starlette": ">=0.27.0,<0.28.0", "pydantic": ">=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0"}),  # noqa: E501
        ("0.96.1", {"starlette": ">=0.27.0,<0.28.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,<2.0.0"}),
        ("0.100.0", {"starlette": ">=0.27.0,<0.28.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,<3.0.0"}),  # noqa: E501
        ("0.101.0", {"starlette": ">=0.27.0,<0.28.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.107.0", {"starlette": ">=0.28.0,<0.29.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.108.0", {"starlette": ">=0.29.0,<0.33.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.109.0", {"starlette": ">=0.35.0,<0.36.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.109.2", {"starlette": ">=0.36.3,<0.37.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.110.1", {"starlette": ">=0.37.2,<0.38.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.112.1", {"starlette": ">=0.37.2,<0.39.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.115.2", {"starlette": ">=0.37.2,<0.41.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.115.3", {"starlette": ">=0.40.0,<0.42.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.115.7", {"starlette": ">=0.40.0,<0.46.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.115.10", {"starlette": ">=0.40.0,<0.47.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.116.1", {"starlette": ">=0.40.0,<0.48.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.116.2", {"starlette": ">=0.40.0,<0.49.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.120.1", {"starlette": ">=0.40.0,<0.50.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.121.3", {"starlette": ">=0.40.0,<0.51.0", "pydantic": ">=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0"}),  # noqa: E501
        ("0.126.0", {"starlette": ">=0.40.0,<0.51.0", "pydantic": ">=2.7.0"}),
        ("0.128.3", {"starlette": ">=0.40.0,<1.0.0", "pydantic": ">=2.7.0"}),
        ("0.133.0", {"starlette": ">=0.40.0", "pydantic": ">=2.7.0"}),
        ("0.134.0", {"starlette": ">=0.46.0", "pydantic": ">=2.7.0"}),
        ("0.135.2", {"starlette": ">=0.46.0", "pydantic": ">=2.9.0"}),
        ("0.164.0", {"starlette": ">=1.6.0", "pydantic": ">=2.9.0"}),
    ),
    "sqlmodel": (
        ("0.0.1", {"sqlalchemy": ">=1.4.17,<1.5.0", "pydantic": ">=1.8.2,<2.0.0"}),
        ("0.0.7", {"sqlalchemy": ">=1.4.17,<=1.4.41", "pydantic": ">=1.8.2,<2.0.0"}),
        ("0.0.9", {"sqlalchemy": ">=1.4.36,<2.0.0", "pydantic": ">=1.8.2,<2.0.0"}),
        ("0.0.10", {"sqlalchemy": ">=1.4.36,<2.0.0", "pydantic": ">=1.9.0,<2.0.0"}),
        ("0.0.12", {"sqlalchemy": ">=2.0.0,<2.1.0", "pydantic": ">=1.9.0,<2.0.0"}),
        ("0.0.14", {"sqlalchemy": ">=2.0.0,<2.1.0", "pydantic": ">=1.10.13,<3.0.0"}),
        ("0.0.19", {"sqlalchemy": ">=2.0.14,<2.1.0", "pydantic": ">=1.10.13,<3.0.0"}),
        ("0.0.31", {"sqlalchemy": ">=2.0.14,<2.1.0", "pydantic": ">=2.7.0"}),
        ("0.0.34", {"sqlalchemy": ">=2.0.14,<2.1.0", "pydantic": ">=2.11.0"}),
        ("0.0.48", {"sqlalchemy": ">=2.0.14,<2.2.0", "pydantic": ">=2.11.0"}),
    ),
    "pydantic-settings": (
        ("2.0.0", {"pydantic": ">=2.0b3"}),
        ("2.0.1", {"pydantic": ">=2.0.1"}),
        ("2.1.0", {"pydantic": ">=2.3.0"}),
        ("2.3.0", {"pydantic": ">=2.7.0"}),
    ),
}  # fmt: skip

_PY310 = {"python_version": "3.10", "python_full_version": "3.10.12", "extra": ""}


@dataclass(frozen=True)
class Declared:
    """One requirement as written, with what pip reads from it."""

    text: str  # the logical line
    name: str  # canonical name
    specifier: SpecifierSet
    line: int = 0  # 1-based line in the file it came from; 0: not in a file yet


@dataclass(frozen=True)
class Conflict:
    first: Declared
    second: Declared
    why: str  # "no version satisfies both", "fastapi 0.109.0 requires starlette<0.36.0..."

    def describe(self) -> str:
        return f"`{self.first.text}` and `{self.second.text}` cannot install together: {self.why}"


def has_versions(text: str) -> bool:
    """Whether any requirement of ``text`` says more than a bare name (a version, marker,
    extra or URL): without one nothing can conflict, and ``packaging`` is not imported."""
    return any(
        line.requirement is not None
        for line in parse_requirements(text)
        if line.kind is LineKind.REQUIREMENT
    )


def declared(text: str) -> list[Declared]:
    """The requirements of a requirements file that apply on Python 3.10 (includes are not
    followed; URL requirements, whose version is not known, are left out)."""
    from packaging.specifiers import SpecifierSet

    found: list[Declared] = []
    for line in parse_requirements(text):
        found.extend(_declared_line(line, SpecifierSet))
    return found


def _declared_line(line: RequirementLine, specifier_set: type[SpecifierSet]) -> list[Declared]:
    if line.kind is not LineKind.REQUIREMENT or line.name is None:
        return []
    requirement = line.requirement
    if requirement is None:  # a bare name: any version
        return [Declared(line.logical, line.name, specifier_set(""), line.line)]
    if requirement.url:
        return []
    if requirement.marker is not None:
        try:
            if not requirement.marker.evaluate(dict(_PY310)):
                return []
        except Exception:  # an undefined variable: the line may apply
            pass
    return [Declared(line.logical, line.name, requirement.specifier, line.line)]


def _version(text: str) -> Version | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


@functools.lru_cache(maxsize=1024)
def _candidates(specifiers: tuple[str, ...]) -> tuple[Version, ...]:
    from packaging.specifiers import SpecifierSet

    points: set[Version] = set()
    for text in ("0", "99999"):
        version = _version(text)
        assert version is not None
        points.add(version)
    for specifier_text in specifiers:
        for specifier in SpecifierSet(specifier_text):
            written = specifier.version.removesuffix(".*")
            version = _version(written)
            if version is None:
                continue
            points.add(version)
            above = _version(f"{version.base_version}.0.0.0.0.1")
            if above is not None:
                points.add(above)
    return tuple(sorted(points))


def overlap(*specifiers: SpecifierSet) -> bool:
    """Whether one version satisfies every specifier (pre-releases count)."""
    texts = tuple(sorted(str(s) for s in specifiers))
    return any(all(s.contains(v, prereleases=True) for s in specifiers) for v in _candidates(texts))


def _rows(name: str) -> list[tuple[SpecifierSet, dict[str, str], str]]:
    """(the versions a row covers, its requirements, its first version) of a known pair."""
    from packaging.specifiers import SpecifierSet

    table = PUBLISHED[name]
    rows: list[tuple[SpecifierSet, dict[str, str], str]] = [
        (SpecifierSet(f"<{table[0][0]}"), {}, "")
    ]
    for index, (first, requires) in enumerate(table):
        upper = f",<{table[index + 1][0]}" if index + 1 < len(table) else ""
        rows.append((SpecifierSet(f">={first}{upper}"), requires, first))
    return rows


def _requires(name: str, specifier: SpecifierSet, dependency: str) -> str:
    """What the newest releases of ``name`` that ``specifier`` allows require of
    ``dependency``, for a message: ``fastapi 0.109.0 requires starlette>=0.35.0,<0.36.0``."""
    pins = [s.version for s in specifier if s.operator in {"==", "==="}]
    lower = [s.version for s in specifier if s.operator in {">=", ">", "~="}]
    for covers, requires, first in reversed(_rows(name)):
        if first and overlap(covers, specifier) and dependency in requires:
            release = pins[0] if pins else f"{max([*lower, first], key=_order)} and later"
            return f"{name} {release} requires {dependency}{requires[dependency]}"
    return f"{name} requires another {dependency}"


def _order(text: str) -> Version:
    version = _version(text) or _version("0")
    assert version is not None
    return version


def conflicts(requirements: Iterable[Declared]) -> list[Conflict]:
    """Every pair of requirements that cannot install together (see the module's doc)."""
    items = list(requirements)
    found: list[Conflict] = []
    for index, first in enumerate(items):
        for second in items[index + 1 :]:
            conflict = conflict_between(first, second)
            if conflict is not None:
                found.append(conflict)
    return found


def conflict_between(first: Declared, second: Declared) -> Conflict | None:
    """Why ``first`` and ``second`` cannot install together, or ``None``."""
    if first.name == second.name:
        if overlap(first.specifier, second.specifier):
            return None
        return Conflict(first, second, f"no version of {first.name} satisfies both")
    for package, dependency in ((first, second), (second, first)):
        rows = PUBLISHED.get(package.name)
        if rows is None or not any(dependency.name in r for _, r in rows):
            continue
        if not _compatible(package.name, package.specifier, {dependency.name: dependency}):
            why = _requires(package.name, package.specifier, dependency.name)
            return Conflict(first, second, why)
    return None


def _compatible(name: str, specifier: SpecifierSet, dependencies: Mapping[str, Declared]) -> bool:
    for covers, requires, _ in _rows(name):
        if not overlap(covers, specifier):
            continue
        if all(
            dependency not in requires or overlap(_spec(requires[dependency]), declared.specifier)
            for dependency, declared in dependencies.items()
        ):
            return True
    return False


def _spec(text: str) -> SpecifierSet:
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(text)


@dataclass(frozen=True)
class Bound:
    """An upper bound that keeps a distribution on releases the requirements accept."""

    specifier: str  # "<0.0.12"; "" when its newest releases accept them
    why: str = ""  # "sqlmodel 0.0.12 and later require sqlalchemy>=2.0.0,<2.1.0, which ..."


def upper_bound(name: str, requirements: Iterable[Declared]) -> Bound | None:
    """The bound that keeps an unpinned ``name`` (fastapi, sqlmodel, pydantic-settings) on
    releases accepting what ``requirements`` declare of the distributions it depends on:
    an empty one when its newest releases accept them; ``None`` when no known release
    does (a conflict to report)."""
    canonical = canonical_name(name)
    if canonical not in PUBLISHED:
        return Bound("")
    table = PUBLISHED[canonical]
    dependencies = {d.name: d for d in requirements if any(d.name in r for _, r in table)}
    rows = _rows(canonical)

    def refused(requires: dict[str, str]) -> Declared | None:
        for dependency, declared in dependencies.items():
            if dependency in requires and not overlap(
                _spec(requires[dependency]), declared.specifier
            ):
                return declared
        return None

    for index in range(len(rows) - 1, 0, -1):  # row 0: releases the table does not know
        if refused(rows[index][1]) is not None:
            continue
        if index == len(rows) - 1:
            return Bound("")
        _, requires, first = rows[index + 1]
        declared = refused(requires)
        assert declared is not None
        why = (
            f"{canonical} {first} and later require {declared.name}{requires[declared.name]}, "
            f"which `{declared.text}` rules out"
        )
        return Bound(f"<{first}", why)
    return None
