"""A cheap look at a file's text: can HF005 find anything in it at all?

HF005's scan of a Python module needs its libcst tree, about ten times the cost of an ``ast``
parse, and most modules hold no secret. These filters rule a text out only when it lacks
something every finding needs, so they never hide one. Each condition stands for a part of
the classifier, and ``tests/test_secrets_prefilter.py`` holds it to that part:

* a value recognisable by its shape alone (:func:`hffix.secrets.classify.recognise`: provider
  formats, credentials URLs, private keys, bearer tokens) or random-looking
  (:func:`hffix.secrets.entropy.is_high_entropy`) holds a run of 20 key characters, or one
  of :data:`SHAPE_NEEDLES` (``://``, ``-----BEGIN``, the short Slack tokens);
* a name that says "secret" (:func:`hffix.secrets.names.signal` is ``STRONG`` or ``WEAK``)
  contains one of :data:`hffix.secrets.names.SIGNAL_STEMS`, in any case;
* a position that takes only secrets (``jwt.encode``'s key, ``server.login``'s password,
  :data:`hffix.secrets.pysource.POSITIONAL`) is reached through one of :data:`SLOT_NEEDLES`.

Substring tests on the lowered text, not one regular expression: a case-insensitive
alternation of these words costs more than parsing the module.
"""

from __future__ import annotations

import re

from hffix.secrets.names import SIGNAL_STEMS
from hffix.secrets.pysource import BY_METHOD_NAME, POSITIONAL

# Twenty characters of the alphabet random keys are written in (entropy's token class).
_KEY_RUN = re.compile(r"[A-Za-z0-9_\-+/=.~]{20}")
# Recognisable shapes that can be shorter than such a run.
SHAPE_NEEDLES = ("://", "begin", "xox", "xapp-")
# Roots of the callees whose arguments are secrets by position, and the methods matched on
# any object (``server.login(user, "…")``), lower-cased.
SLOT_NEEDLES = tuple(
    sorted(
        {callee.split(".")[0].lower() for callee, _ in POSITIONAL}
        | {
            callee.removeprefix(BY_METHOD_NAME).lower()
            for callee, _ in POSITIONAL
            if callee.startswith(BY_METHOD_NAME)
        }
    )
)
_PYTHON_NEEDLES = (*SHAPE_NEEDLES, *SIGNAL_STEMS, *SLOT_NEEDLES)


def may_hold_shaped(text: str) -> bool:
    """False only if no value in ``text`` can be recognised by its shape or randomness."""
    lowered = text.lower()
    return any(needle in lowered for needle in SHAPE_NEEDLES) or bool(_KEY_RUN.search(text))


def may_hold_secret(text: str) -> bool:
    """False only if HF005's scan can find nothing in the Python source ``text``."""
    lowered = text.lower()
    return any(needle in lowered for needle in _PYTHON_NEEDLES) or bool(_KEY_RUN.search(text))
