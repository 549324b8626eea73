"""Masking secret values in a rendered patch (``hffix --dry-run --redact``).

The patch's removed lines hold the literals HF005 moved out of the code. :func:`redact`
replaces every occurrence of the given values, in the encodings a source file may use,
with their masked form; ``GIT binary patch`` literals (UTF-16 files) are decoded, masked
and re-encoded. A redacted patch is for reading and review: its removed lines no longer
match the files, so ``git apply`` refuses it.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterable

from hffix.repository.patch import binary_literal
from hffix.secrets.classify import mask

_ENCODINGS = ("utf-8", "latin-1", "utf-16-le", "utf-16-be")
_LITERAL = re.compile(rb"^literal (\d+)\n((?:[A-Za-z][^\n]*\n)*)\n", re.MULTILINE)


def _replacements(values: Iterable[str]) -> list[tuple[bytes, bytes]]:
    pairs: dict[bytes, bytes] = {}
    for value in sorted({v for v in values if v}, key=len, reverse=True):
        masked = mask(value)
        for encoding in _ENCODINGS:
            try:
                pairs.setdefault(value.encode(encoding), masked.encode(encoding, "replace"))
            except UnicodeEncodeError:
                continue
    return sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)


def _mask_bytes(data: bytes, pairs: list[tuple[bytes, bytes]]) -> bytes:
    for raw, masked in pairs:
        data = data.replace(raw, masked)
    return data


def _decode_literal(lines: bytes) -> bytes | None:
    packed = b""
    for line in lines.splitlines():
        size_char = line[:1]
        size = size_char[0] - ord("A") + 1 if size_char.isupper() else size_char[0] - ord("a") + 27
        try:
            packed += base64.b85decode(line[1:])[:size]
        except ValueError:
            return None
    try:
        return zlib.decompress(packed)
    except zlib.error:
        return None


def redact(patch: bytes, values: Iterable[str]) -> bytes:
    """``patch`` with every occurrence of ``values`` replaced by its masked form."""
    pairs = _replacements(values)
    if not pairs or not patch:
        return patch

    def literal(match: re.Match[bytes]) -> bytes:
        data = _decode_literal(match.group(2))
        if data is None:
            return match.group(0)
        masked = _mask_bytes(data, pairs)
        return match.group(0) if masked == data else b"".join(binary_literal(masked))

    patch = _LITERAL.sub(literal, patch)
    return _mask_bytes(patch, pairs)
