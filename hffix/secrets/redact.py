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
    """``patch`` with every occurrence of ``values`` (the secrets HF005 moved) replaced by
    its masked form, and every other secret a text line of the patch shows masked as
    :func:`mask_text` masks messages (a deleted Dockerfile's ``ENV``, a key on a Procfile
    line)."""
    if not patch:
        return patch
    pairs = _replacements(values)
    if pairs:
        from hffix.repository.patch import binary_literal  # hashlib, difflib: not at start-up

        def literal(match: re.Match[bytes]) -> bytes:
            data = _decode_literal(match.group(2))
            if data is None:
                return match.group(0)
            masked = _mask_bytes(data, pairs)
            return match.group(0) if masked == data else b"".join(binary_literal(masked))

        patch = _LITERAL.sub(literal, patch)
        patch = _mask_bytes(patch, pairs)
    return _mask_lines(patch)


def _mask_lines(patch: bytes) -> bytes:
    """:func:`mask_text` on the text lines of a patch (headers and binary literals kept)."""
    lines = patch.split(b"\n")
    in_binary = False
    for index, line in enumerate(lines):
        if line.startswith(b"GIT binary patch"):
            in_binary = True
        elif line.startswith(b"diff --git "):
            in_binary = False
        headers = (b"--- a/", b"+++ b/", b"--- /dev/null", b"+++ /dev/null")
        if in_binary or line[:1] not in (b"+", b"-", b" ") or line.startswith(headers):
            continue
        text = line.decode("utf-8", "surrogateescape")
        masked = mask_text(text)
        if masked != text:
            lines[index] = masked.encode("utf-8", "surrogateescape")
    return b"\n".join(lines)


# `NAME=value` and `NAME: value` as command lines, Dockerfiles and env files write them;
# `NAME = "value"` and `environ["NAME"] = "value"` as code does.
_ASSIGNMENTS = (
    re.compile(r"""(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:=|:[ \t]+)(?P<value>[^\s"'`,;)\]}]+)"""),
    re.compile(
        r"""(?P<name>[A-Za-z_][A-Za-z0-9_]*)["']?\]?[ \t]*[=:][ \t]*(?P<quote>["'])"""
        r"""(?P<value>[^"'\n]+)(?P=quote)"""
    ),
)


def mask_text(text: str) -> str:
    """``text`` with every secret it quotes masked: values a name makes a secret
    (``OPENAI_API_KEY=...``, ``DB_PASSWORD: ...``), and values recognisable by shape alone
    anywhere (provider tokens, private keys, bearer tokens, the password of a credentials
    URL). Every message that quotes the repository passes through it before it reaches
    a reporter (:meth:`hffix.rules.base.RuleContext.report`)."""
    from hffix.secrets.classify import classify, recognise

    def named(match: re.Match[str]) -> str:
        value = match.group("value")
        found = classify(value, match.group("name"))
        if found is None:
            return match.group(0)
        start, end = match.start("value") - match.start(), match.end("value") - match.start()
        return match.group(0)[:start] + mask(value) + match.group(0)[end:]

    for pattern in _ASSIGNMENTS:
        text = pattern.sub(named, text)
    parts: list[str] = []
    position = 0
    while position < len(text):
        found = recognise(text[position:])
        if found is None:
            break
        if found.password_span is not None:  # a credentials URL: its password alone
            start, end = found.password_span
            parts.append(text[position : position + start] + "…")
            position += max(end, start + 1)
            continue
        parts.append(text[position : position + found.start])
        parts.append(found.masked)
        position += max(found.end, found.start + 1)
    parts.append(text[position:])
    return "".join(parts)
