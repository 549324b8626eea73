"""Requirement sets pip cannot install (hffix.deps.conflicts) and tools that are no runtime
dependency (hffix.deps.tooling)."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from hffix.deps import conflicts, tooling


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("==1.10.13", ">=2", False),
        ("<2", ">=1.10", True),
        (">=2.0,<2.1", "~=2.0.25", True),
        ("~=1.4.2", ">=1.5", False),
        ("==1.4.*", "<1.4.5", True),
        (">1.7", "<=1.7", False),
        ("!=2.0.0", "==2.0.0", False),
        ("", "==0.1", True),
        (">=2.0b3", "<2.0", False),  # `<2.0` excludes 2.0's pre-releases (PEP 440)
        ("==2.1b1", "<2.1.5", True),  # a pre-release counts
    ],
)
def test_overlap(first: str, second: str, expected: bool) -> None:
    assert conflicts.overlap(SpecifierSet(first), SpecifierSet(second)) is expected


def test_the_published_table_is_ordered_and_parses() -> None:
    for name, rows in conflicts.PUBLISHED.items():
        versions = [Version(first) for first, _ in rows]
        assert versions == sorted(versions), name
        for _, requires in rows:
            for specifier in requires.values():
                SpecifierSet(specifier)


def test_conflicts_of_a_file() -> None:
    found = conflicts.conflicts(
        conflicts.declared(
            "fastapi==0.109.0\n"
            "starlette>=0.50\n"
            "pydantic==2.5\n"
            "pydantic-settings>=2.12\n"
            "sqlmodel==0.0.8\n"
            "SQLAlchemy==2.0.25\n"
            'numpy==1.24.4; python_version < "3.9"\n'  # not on the Space's Python
            'numpy==1.26.4; python_version >= "3.9"\n'
            "httpx @ https://example.org/httpx-0.27.0.tar.gz\n"  # version unknown
            "httpx==0.26\n"
        )
    )
    assert [(c.first.text, c.second.text) for c in found] == [
        ("fastapi==0.109.0", "starlette>=0.50"),
        ("pydantic==2.5", "pydantic-settings>=2.12"),
        ("pydantic==2.5", "sqlmodel==0.0.8"),
        ("sqlmodel==0.0.8", "SQLAlchemy==2.0.25"),
    ]
    assert found[0].why == "fastapi 0.109.0 requires starlette>=0.35.0,<0.36.0"
    assert found[1].why == "pydantic-settings 2.12 and later requires pydantic>=2.7.0"
    same = conflicts.conflicts(conflicts.declared("pydantic==1.10.13\npydantic>=2\n"))
    assert [c.why for c in same] == ["no version of pydantic satisfies both"]


def test_unknown_releases_and_open_ranges_never_conflict() -> None:
    assert conflicts.conflicts(conflicts.declared("fastapi\nstarlette==0.13.4\n")) == []
    assert conflicts.conflicts(conflicts.declared("fastapi==0.50.0\nstarlette==9\n")) == []


@pytest.mark.parametrize(
    ("name", "pinned", "bound"),
    [
        ("sqlmodel", "SQLAlchemy==1.4.52\npydantic\n", "<0.0.12"),
        ("sqlmodel", "pydantic<2\n", "<0.0.31"),
        ("sqlmodel", "pydantic==2.7.4\n", "<0.0.34"),
        ("fastapi", "pydantic<2\n", "<0.126.0"),
        ("fastapi", "starlette==0.27.0\n", "<0.107.0"),
        ("fastapi", "pydantic>=2.9\nstarlette\n", ""),
        ("pydantic-settings", "pydantic==2.5.3\n", "<2.3.0"),
        ("httpx", "pydantic<2\n", ""),
    ],
)
def test_upper_bound(name: str, pinned: str, bound: str) -> None:
    found = conflicts.upper_bound(name, conflicts.declared(pinned))
    assert found is not None and found.specifier == bound


def test_no_release_fits() -> None:
    assert conflicts.upper_bound("sqlmodel", conflicts.declared("SQLAlchemy==1.3.24\n")) is None


@pytest.mark.parametrize(
    ("requirement", "kind"),
    [
        ("poetry==1.8.3", "build tool"),
        ("Poetry-Plugin-Export", "build tool"),
        ("setuptools>=69", "build tool"),
        ("pytest-asyncio", "test tool"),
        ("coverage[toml]", "test tool"),
        ("ruff==0.4.4", "development tool"),
        ("types-requests", "development tool"),
        ("fastapi", None),
        ("pytest_benchmark", "test tool"),
    ],
)
def test_tool_kinds(requirement: str, kind: str | None) -> None:
    assert tooling.requirement_tool_kind(requirement) == kind
