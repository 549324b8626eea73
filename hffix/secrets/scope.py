"""Files HF004 and HF005 leave alone: tests and fixtures, configurable.

``[tool.hffix] test-paths = [...]`` replaces :data:`DEFAULT_TEST_PATHS` (gitignore-style
patterns); ``test-paths = []`` makes both rules look at tests too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pathspec

from hffix.config import Config, ConfigError

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


def tests_matcher(config: Config) -> Callable[[str], bool]:
    """A predicate telling whether a repository path is a test or fixture file."""
    patterns: Any = config.option(OPTION, list(DEFAULT_TEST_PATHS))
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ConfigError(f"[tool.hffix] {OPTION} must be a list of strings")
    return _matcher(tuple(patterns))


@functools.lru_cache(maxsize=32)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Compiled once per pattern list: HF004 and HF005 ask in every repository of a run."""
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    return lambda path: bool(patterns) and spec.match_file(path)
