"""Which distribution provides an import name, for "module X not found; add Y" lines.

The answer comes from the requirements rule's curated table (:mod:`hffix.deps.distributions`),
then from the metadata of the environment hffix runs in. When neither knows the module the
answer is None and the explanation says "add its distribution to requirements.txt" rather
than guessing from the import name (the ``jwt`` distribution on PyPI is not PyJWT).
"""

from __future__ import annotations

from hffix.deps.distributions import resolve


def distribution_for(module: str) -> str | None:
    """The distribution to add for ``module`` (dotted or top-level), when it is known."""
    try:
        found = resolve(module)
    except Exception:  # the lookup must never hide the failure being explained
        return None
    return found.distribution if found is not None else None
