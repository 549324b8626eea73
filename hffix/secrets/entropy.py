"""Long random-looking strings: the shape of a generated key without a known prefix.

A candidate is one token of key characters (letters, digits, ``-_+/=.~``), at least 20
characters long (32 for hexadecimal), mixing letters and digits, whose Shannon entropy per
character is close to what random text of that alphabet and length reaches. Words and
identifiers (``my_super_secret_key``), UUIDs, dotted names and paths fall short.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_TOKEN = re.compile(r"^[A-Za-z0-9_\-+/=.~]+$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_DOTTED_WORDS = re.compile(r"^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+$")
MIN_LENGTH = 20
MIN_HEX_LENGTH = 32
MAX_LENGTH = 512


def shannon(value: str) -> float:
    """Bits of entropy per character of ``value`` (0 for an empty string)."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _expected(length: int, alphabet: int) -> float:
    """A lower bound for random text: log2 of how many distinct symbols it can show."""
    return math.log2(min(length, alphabet))


def _word_letters(value: str) -> int:
    """Letters of ``value`` that sit in word-like runs (``secret``, ``Password``)."""
    return sum(len(r) for r in re.findall(r"[A-Z]?[a-z]{3,}|[A-Z]{5,}", value))


def is_high_entropy(value: str) -> bool:
    """True when ``value`` looks like a generated key (see the module docstring)."""
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH or not _TOKEN.match(value):
        return False
    if value.startswith(("/", ".")) or "//" in value:
        return False
    if _DOTTED_WORDS.match(value):
        from hffix.secrets.placeholders import has_random_part

        if not has_random_part(value):
            return False  # a dotted name, not a token made of dotted parts
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    if not (has_digit and has_alpha):
        return False
    entropy = shannon(value)
    if _HEX.match(value):
        return len(value) >= MIN_HEX_LENGTH and entropy >= 0.8 * _expected(len(value), 16)
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            has_digit,
            any(not c.isalnum() for c in value),
        )
    )
    if classes < 3 and len(value) < 32:
        return False
    if _word_letters(value) * 2 > len(value):
        return False  # mostly words: "MySuperSecretPassword2024"
    return entropy >= 0.82 * _expected(len(value), 64)
