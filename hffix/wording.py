"""Findings in the conditional when nothing was written.

A rule states what its fix does as done ("deleted", "added `httpx`", "now read from
SECRET_KEY"): that is what ``--write`` did. ``--check``, ``--dry-run`` and the Python API
without ``write`` changed nothing, so :func:`conditional` rewrites those outcomes as
"would be deleted", "would add `httpx`", "would be read from SECRET_KEY". Only the
outcome phrases rules use are rewritten, and only where a clause starts (the message's
start, after ": " or "; "), so quoted code is never touched; ``tests/test_wording.py``
checks every fixable finding of the corpus reads in the conditional.
"""

from __future__ import annotations

import re

# (past-tense outcome at the start of a clause, its conditional). Longest first where one
# is the start of another.
_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("now read from ", "would be read from "),
    ("added ", "would add "),
    ("created", "would be created"),
    ("deleted", "would be deleted"),
    ("removed the ", "would remove the "),
    ("removed", "would be removed"),
    ("set to ", "would be set to "),
    ("commented out", "would be commented out"),
    ("merged ", "would merge "),
    ("rewritten as ", "would be rewritten as "),
    ("replaced by ", "would be replaced by "),
    ("wrote ", "would write "),
    ("moved ", "would move "),
    ("updated ", "would update "),
    ("falls back to ", "would fall back to "),
    ("chose ", "would choose "),
    ("main.py changes into ", "main.py would change into "),
    ("its other statements stay", "its other statements would stay"),
)
_PAST = "|".join(re.escape(past) for past, _ in _OUTCOMES)
_FIRST_CLAUSE = re.compile(rf"(^|: |; )({_PAST})")  # the message's start counts
_CLAUSE = re.compile(rf"(: |; )({_PAST})")  # prose after quoted code
_CONDITIONAL = dict(_OUTCOMES)
# Words that end a clause's outcome ("deleted; it installed ..."), so "created" is not
# taken for the start of "createdAt".
_ENDS = (";", ",", ":", " ", "")


def conditional(message: str) -> str:
    """``message`` with every fix outcome in the conditional ("deleted" -> "would be
    deleted"); text inside backticks is left as it is."""
    parts = message.split("`")
    # Even parts are prose, odd parts are quoted code: only prose is rewritten.
    for index in range(0, len(parts), 2):
        pattern = _FIRST_CLAUSE if index == 0 else _CLAUSE
        parts[index] = pattern.sub(_rewrite, parts[index])
    return "`".join(parts)


def _rewrite(match: re.Match[str]) -> str:
    past = match.group(2)
    if not past.endswith(" "):
        following = match.string[match.end() : match.end() + 1]
        if following not in _ENDS:
            return match.group(0)  # a longer word ("createdAt"), not the outcome
    return match.group(1) + _CONDITIONAL[past]
