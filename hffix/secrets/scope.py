"""Files HF004 and HF005 leave alone: tests and fixtures, configurable.

``[tool.hffix] test-paths = [...]`` replaces :data:`DEFAULT_TEST_PATHS` (gitignore-style
patterns); ``test-paths = []`` makes both rules look at tests too.

A Python module is test code by its path (these patterns) or by what it imports: one that
imports pytest, unittest or hypothesis is a test wherever it is (``app/test.py``,
``verify_api.py``), as :func:`hffix.project.layout.is_test_module` says; :class:`TestCode`
asks both, and asks the imports only while some test paths are configured.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hffix.config import Config, ConfigError
from hffix.project.layout import TEST_FRAMEWORKS, is_test_module

if TYPE_CHECKING:
    import pathspec

OPTION = "test-paths"
DEFAULT_TEST_PATHS = (
    "test/",
    "tests/",
    "testing/",
    "fixtures/",
    "testdata/",
    "test_data/",
    "test_*.py",
    "*_test.py",
    "*_tests.py",
    "conftest.py",
)


def _patterns(config: Config) -> tuple[str, ...]:
    patterns: Any = config.option(OPTION, list(DEFAULT_TEST_PATHS))
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ConfigError(f"[tool.hffix] {OPTION} must be a list of strings")
    return tuple(patterns)


def tests_matcher(config: Config) -> Callable[[str], bool]:
    """A predicate telling whether a repository path is a test or fixture file."""
    return _matcher(_patterns(config))


class TestCode:
    """Whether a file is test code: by its path (``test-paths``), or, for a Python module,
    by importing a test framework (:func:`hffix.project.layout.is_test_module`). With
    ``test-paths = []`` nothing is test code."""

    __test__ = False  # not a pytest class

    def __init__(self, config: Config) -> None:
        patterns = _patterns(config)
        self.path: Callable[[str], bool] = _matcher(patterns)
        self._by_imports = bool(patterns)

    def __call__(self, path: str) -> bool:
        return self.path(path)

    def module(self, path: str, text: str, tree: Callable[[], ast.Module | None]) -> bool:
        """Whether the Python module at ``path`` (source ``text``; ``tree`` gives its
        ``ast``, asked only when the text names a test framework) is test code."""
        if self.path(path):
            return True
        if not self._by_imports or not any(name in text for name in TEST_FRAMEWORKS):
            return False
        # The path test is the configured one above: is_test_module answers by the imports.
        return is_test_module("", tree())


@functools.lru_cache(maxsize=32)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Compiled once per pattern list: HF004 and HF005 ask in every repository of a run.

    A path that holds none of the patterns' literal parts (``test``, ``fixture``... for the
    defaults) is answered without the dozen regular expressions of the spec, which are only
    compiled (and pathspec imported) for the first path that holds one."""
    needles = _needles(patterns)
    if not patterns:
        return lambda path: False
    if needles is None:
        return lambda path: bool(_spec(patterns).match_file(path))
    return lambda path: any(n in path for n in needles) and bool(_spec(patterns).match_file(path))


@functools.lru_cache(maxsize=32)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _needles(patterns: tuple[str, ...]) -> tuple[str, ...] | None:
    """One literal text per pattern that every path it matches contains (its longest plain
    run); ``None`` when a pattern has none to offer."""
    needles: list[str] = []
    for pattern in patterns:
        pattern = pattern.strip()
        if not pattern or pattern.startswith(("#", "!")):
            continue  # matches nothing, or can only take a match back
        if "\\" in pattern:
            return None  # escapes: not worth reading here
        plain = re.split(r"[*?/]|\[[^\]]*\]", pattern)
        longest = max(plain, key=len)
        if not longest:
            return None
        needles.append(longest)
    return tuple(needles)
