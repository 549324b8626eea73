"""Facts one rule learns and a later rule needs, shared through the session.

Rules run in a fixed order (see :mod:`hffix.rules`); a rule that discovers something other
rules depend on (where the app lives, what a Dockerfile said) records it here instead of
the later rule recomputing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Facts:
    # Repository paths of Python modules the Space starts from: root main.py and the module
    # that defines the app. HF003 strips every __main__ block in them.
    entry_modules: set[str] = field(default_factory=set)
    # Environment variables the code reads after the fix; listed for the user.
    variables: set[str] = field(default_factory=set)
