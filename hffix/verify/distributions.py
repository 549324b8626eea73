"""Which distribution provides an import name, for "module X not found; add Y" lines.

The curated import → distribution table belongs to the requirements rule (HF007); this
module only asks it. When the table is not available or does not know the module, the
answer is None and the explanation says "add its distribution to requirements.txt" rather
than guessing from the import name (the ``jwt`` distribution on PyPI is not PyJWT).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

# Where the table may live, and the names it may be published under, most specific first.
_PROVIDERS = ("hffix.deps", "hffix.deps.mapping", "hffix.deps.imports")
_FUNCTIONS = ("distribution_for", "distribution_for_import", "lookup")
_TABLES = ("IMPORT_TO_DISTRIBUTION", "DISTRIBUTIONS", "MAPPING")


def _lookups() -> list[Callable[[str], Any]]:
    found: list[Callable[[str], Any]] = []
    for name in _PROVIDERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for function in _FUNCTIONS:
            candidate = getattr(module, function, None)
            if callable(candidate):
                found.append(candidate)
        for table in _TABLES:
            mapping = getattr(module, table, None)
            if isinstance(mapping, Mapping):
                found.append(mapping.get)
    return found


def distribution_for(module: str) -> str | None:
    """The distribution to add for ``module`` (dotted or top-level), when it is known."""
    parts = module.split(".")
    names = [".".join(parts[:index]) for index in range(len(parts), 0, -1)]
    for lookup in _lookups():
        for name in names:
            try:
                answer = lookup(name)
            except Exception:  # a provider's bug must not hide the real failure
                continue
            if isinstance(answer, str) and answer:
                return answer
            if isinstance(answer, list | tuple) and answer and isinstance(answer[0], str):
                return answer[0]
            text = getattr(answer, "distribution", None) or getattr(answer, "name", None)
            if isinstance(text, str) and text:
                return text
    return None
