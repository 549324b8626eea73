"""Distributions that build, package, test or lint a project: never what a Space runs.

A Dockerfile installs them to build its image (`pip install poetry poetry-plugin-export &&
poetry export ...`), a nested requirements file or a `setup.py`'s `setup_requires` lists
them for development; hffix carries none of them into requirements.txt. Code the Space runs
that imports one (`import setuptools`, `pkg_resources`) still gets it through the import.
"""

from __future__ import annotations

from hffix.formats.requirements import canonical_name, requirement_name

# Canonical names. Build and packaging tools: they make the image or the distribution.
BUILD_TOOLS = frozenset(
    {
        "build",
        "cython",
        "flit",
        "flit-core",
        "hatch",
        "hatchling",
        "maturin",
        "pdm",
        "pdm-backend",
        "pip",
        "pip-tools",
        "pipenv",
        "pipx",
        "poetry",
        "poetry-core",
        "poetry-dynamic-versioning",
        "poetry-plugin-export",
        "scikit-build",
        "scikit-build-core",
        "setuptools",
        "setuptools-rust",
        "setuptools-scm",
        "twine",
        "uv",
        "virtualenv",
        "wheel",
    }
)
# Test runners and test-only libraries.
TEST_TOOLS = frozenset(
    {
        "coverage",
        "factory-boy",
        "freezegun",
        "httpretty",
        "hypothesis",
        "mock",
        "nose",
        "nose2",
        "nox",
        "pytest",
        "requests-mock",
        "respx",
        "responses",
        "tox",
    }
)
# Linters, formatters, type checkers and debuggers.
DEVELOPMENT_TOOLS = frozenset(
    {
        "autopep8",
        "bandit",
        "black",
        "debugpy",
        "flake8",
        "ipdb",
        "isort",
        "mypy",
        "pre-commit",
        "pylint",
        "pyright",
        "ruff",
        "yapf",
    }
)


def tool_kind(name: str) -> str | None:
    """``"build tool"``, ``"test tool"`` or ``"development tool"`` for a distribution name
    (any spelling; pytest's plugins count as test tools), else ``None``."""
    canonical = canonical_name(name)
    if canonical in BUILD_TOOLS:
        return "build tool"
    if canonical in TEST_TOOLS or canonical.startswith("pytest-"):
        return "test tool"
    if canonical in DEVELOPMENT_TOOLS or canonical.startswith(("flake8-", "types-", "mypy-")):
        return "development tool"
    return None


def requirement_tool_kind(requirement: str) -> str | None:
    """:func:`tool_kind` of a requirement line (``poetry==1.8.3``), else ``None``."""
    name = requirement_name(requirement)
    return tool_kind(name) if name is not None else None
