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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.secrets.classify import mask

if TYPE_CHECKING:
    from hffix.secrets.classify import Detection

_ENCODINGS = ("utf-8", "latin-1", "utf-16-le", "utf-16-be")
_LITERAL = re.compile(rb"^literal (\d+)\n((?:[A-Za-z][^\n]*\n)*)\n", re.MULTILINE)


def _replacements(values: Iterable[str]) -> list[tuple[bytes, bytes]]:
    """(value, masked form) in every encoding; a value of several lines also line by line,
    since the patch shows each of its lines after a ``-`` or ``+``."""
    wanted = {v for v in values if v}
    for value in list(wanted):
        if "\n" in value:
            wanted.update(line.strip() for line in value.splitlines() if len(line.strip()) >= 8)
    pairs: dict[bytes, bytes] = {}
    for value in sorted(wanted, key=len, reverse=True):
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
    """:func:`mask_text` on the text lines of a patch (headers and binary literals kept).

    A private key spans lines: after a line that opens one (``-----BEGIN … PRIVATE
    KEY-----``), the lines of its body are masked up to the ``-----END`` line, and so are
    the base64 lines just before an ``-----END`` line (a hunk that starts inside a key) and
    next to a line masked as random-looking (a key's short last line)."""
    lines = patch.split(b"\n")
    in_binary = False
    in_key = False  # inside a private key's body
    after_base64 = False  # the line before was base64 the masking hid
    pending: list[int] = []  # base64 lines left as they are, since the last other line
    for index, line in enumerate(lines):
        if line.startswith(b"GIT binary patch"):
            in_binary = True
        elif line.startswith(b"diff --git "):
            in_binary = False
        headers = (b"--- a/", b"+++ b/", b"--- /dev/null", b"+++ /dev/null")
        if in_binary or line[:1] not in (b"+", b"-", b" ") or line.startswith(headers):
            in_key = after_base64 = False  # a hunk or file header: the next text is elsewhere
            pending = []
            continue
        text = line[1:].decode("utf-8", "surrogateescape")
        base64 = _BASE64_LINE.match(text) is not None
        end = _PRIVATE_KEY_END.search(text)
        if end is not None and "-----BEGIN " not in text[: end.start()]:
            masked = "-----END … PRIVATE KEY-----" + text[end.end() :]
            if not in_key:  # the key began before the hunk: its body lines shown so far
                for earlier in pending:
                    lines[earlier] = lines[earlier][:1] + _mask_base64(lines[earlier][1:])
            in_key = after_base64 = False
        elif (in_key or after_base64) and base64 and (in_key or _mixed(text)):
            masked = _BASE64_BODY.sub("…", text)
        else:
            masked = mask_text(text)
            opened = text.rfind("-----BEGIN ")
            in_key = opened != -1 and _opens_private_key(text[opened:])
            after_base64 = not in_key and masked != text and base64
        if base64 and masked == text:
            pending.append(index)
        elif not base64:
            pending = []
        if masked != text:
            lines[index] = line[:1] + masked.encode("utf-8", "surrogateescape")
    return b"\n".join(lines)


def _mask_base64(content: bytes) -> bytes:
    text = content.decode("utf-8", "surrogateescape")
    return _BASE64_BODY.sub("…", text).encode("utf-8", "surrogateescape")


def _mixed(text: str) -> bool:
    """Not a word: digits, base64's ``+/=``, or both cases (``dGVzdA==``, not ``pass``)."""
    return any(c.isdigit() or c in "+/=" for c in text) or (
        any(c.isupper() for c in text) and any(c.islower() for c in text)
    )


def _opens_private_key(tail: str) -> bool:
    """``tail`` (from a ``-----BEGIN`` marker to the end of a line) opens a private key whose
    body goes on on the next lines."""
    from hffix.secrets import formats

    return formats.PRIVATE_KEY.match(tail) is not None and _PRIVATE_KEY_END.search(tail) is None


# A line of base64 (a private key's body), quoted or not, maybe ending in an escaped newline.
_BASE64_LINE = re.compile(r"""^[ \t"']*[A-Za-z0-9+/]{4,}={0,2}(?:\\n)?["']?[ \t,]*$""")
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/]{4,}={0,2}")


# Where a name gives a value (each pattern has the groups ``name`` and ``value``):
_NAMED = (
    # NAME=value and NAME: value, as command lines, Dockerfiles, env and YAML files write
    # them; tried at every name, since a value may hold another (`web: TOKEN=…` in a
    # Procfile), so a value ends at an ``=`` (base64's padding kept)
    re.compile(
        r"""(?<![A-Za-z0-9_])(?=(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:=|:[ \t]+)"""
        r"""(?P<value>[^\s"'`,;()\[\]}=]{1,512}=*))"""
    ),
    # NAME = "value", NAME: str = "value", environ["NAME"] = "value", "NAME": "value" (JSON,
    # quotes escaped or not)
    re.compile(
        r"""(?P<name>[A-Za-z_][A-Za-z0-9_]*)\\?["']?\]?(?:[ \t]*:[ \t]*[\w.\[\]|, ]+?)?"""
        r"""[ \t]*[=:][ \t]*\\?(?P<quote>["'])"""
        r"""(?P<value>[^"'\n\\]+)\\?(?P=quote)"""
    ),
    # --api-key value, --password=value: a command line's options
    re.compile(
        r"""(?<![\w-])--?(?P<name>[A-Za-z][\w-]*)(?:=|[ \t]+)(?P<value>[^\s"'`;|&-][^\s"'`;|&]*)"""
    ),
    # ENV NAME value, ARG NAME value: a Dockerfile's older form
    re.compile(
        r"""(?<![\w-])(?:ENV|ARG|env|arg)[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]+(?P<value>[^\s"'`=]+)"""
    ),
    # NAME = value on a line of its own (.ini, .properties, .cfg files; NAME := value in a
    # Makefile)
    re.compile(
        r"""^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][\w.\-]*)[ \t]*(?:::?=|[?+]=|[=:])[ \t]*"""
        r"""(?P<value>[^\s"'`,;()\[\]{}]+)"""
        r"""[ \t]*(?:[#;].*)?$""",
        re.MULTILINE,
    ),
)
# A run of the characters random keys are written in (the entropy test's alphabet).
_KEY_RUN = re.compile(r"[A-Za-z0-9_\-+/=.~]{20,}")
_DOTTED_CODE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")  # settings.db_password
_PRIVATE_KEY_END = re.compile(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")


@dataclass(frozen=True)
class NamedValue:
    """A value ``text`` gives under a name, which the classifier calls a secret."""

    name: str
    start: int  # where the value starts in the text
    value: str
    detection: Detection  # its span is within ``value``

    @property
    def span(self) -> tuple[int, int]:
        """Where the secret is in the text: a credentials URL's password, else the secret."""
        start, end = self.detection.password_span or (self.detection.start, self.detection.end)
        return self.start + start, self.start + end


# Longer texts (a minified line) are not read for names: each name costs a classification.
MAX_NAMED_TEXT = 20_000
# The patterns of _NAMED that read a command line, not code.
SHELL_PATTERNS = (0, 1, 2, 3, 4)
QUOTED_PATTERNS = (1,)


def named_values(text: str, patterns: Iterable[int] = range(len(_NAMED))) -> Iterator[NamedValue]:
    """Every value ``text`` gives under a name (``patterns``: indexes into the patterns,
    see :data:`SHELL_PATTERNS`) that :func:`hffix.secrets.classify.classify` calls a
    secret under that name. A call, a subscript, an attribute (``password=settings.pw``) or
    an expansion (``$(cat /run/secret)``, ``${TOKEN}``) is code, not a value."""
    from hffix.secrets.classify import classify

    if len(text) > MAX_NAMED_TEXT:
        return  # a minified or generated line: its shapes and random runs only
    for index in patterns:
        for match in _NAMED[index].finditer(text):
            value = match.group("value")
            after = text[match.end("value") : match.end("value") + 1]
            if after in ("(", "[") or _DOTTED_CODE.match(value) or value.startswith(("$", "%")):
                continue
            found = classify(value, match.group("name"))
            if found is not None:
                yield NamedValue(match.group("name"), match.start("value"), value, found)


def secret_spans(text: str) -> list[tuple[int, int, str]]:
    """Where ``text`` shows a secret, as (start, end, masked form), sorted, not overlapping:
    every value :func:`hffix.secrets.classify.classify` calls a secret under the name that
    gives it (``NAME=value``, ``NAME: value``, ``NAME = "value"``, ``--name value``,
    ``ENV NAME value``), every secret recognisable by its shape anywhere (provider tokens,
    private keys, bearer tokens, the password of a credentials URL), and every
    random-looking run of key characters (what the classifier calls a high-entropy string).
    """
    from hffix.secrets import formats
    from hffix.secrets.entropy import is_high_entropy
    from hffix.secrets.placeholders import is_uuid

    spans: list[tuple[int, int, str]] = []
    for named in named_values(text):
        start, end = named.span
        url = named.detection.password_span is not None
        spans.append((start, end, "…" if url else mask(text[start:end])))
    if formats.may_have_shape(text):
        _shapes(text, 0, len(text), spans)
    for match in _KEY_RUN.finditer(text):
        for offset, piece in _pieces(match.group(0).rstrip(".")):  # a sentence's full stop
            if len(piece) >= 20 and is_high_entropy(piece) and not is_uuid(piece):
                start = match.start() + offset
                spans.append((start, start + len(piece), mask(piece)))
    return _disjoint(spans)


def _shapes(text: str, start: int, stop: int, spans: list[tuple[int, int, str]]) -> None:
    """The secrets recognisable by their shape in ``text[start:stop]``, into ``spans``: a
    private key from its ``-----BEGIN`` marker to its ``-----END`` marker (or the end), a
    credentials URL's password, a provider or bearer token."""
    from hffix.secrets import formats
    from hffix.secrets.classify import recognise

    position = start
    while position < stop:
        found = recognise(text[position:stop])
        if found is None:
            return
        marker = formats.PRIVATE_KEY.search(text, position, stop)
        if found.kind == formats.PRIVATE_KEY_LABEL and marker is not None:
            _shapes(text, position, marker.start(), spans)  # a token before the key
            closing = _PRIVATE_KEY_END.search(text, marker.end(), stop)
            end = closing.end() if closing is not None else stop
            spans.append((marker.start(), end, "-----BEGIN … PRIVATE KEY-----"))
            position = end
        elif found.password_span is not None:
            first, last = found.password_span
            spans.append((position + first, position + last, "…"))
            position += max(last, first + 1)
        else:
            spans.append((position + found.start, position + found.end, found.masked))
            position += max(found.end, found.start + 1)


def _pieces(run: str) -> list[tuple[int, str]]:
    """The parts of a run of key characters that may each be a key, with their offsets: the
    run itself (a base64 key holds ``/`` and ends in ``=``), else the parts around ``=``
    (``NAME=value``) and then around ``/`` (a URL's path)."""
    from hffix.secrets.entropy import is_high_entropy

    body = run.rstrip("=")
    if "=" not in body and is_high_entropy(run):
        return [(0, run)]
    pieces: list[tuple[int, str]] = []
    at = 0
    for part in body.split("="):
        if "/" in part and not is_high_entropy(part):
            inner = at
            for segment in part.split("/"):
                pieces.append((inner, segment))
                inner += len(segment) + 1
        else:
            pieces.append((at, part))
        at += len(part) + 1
    return pieces


def _disjoint(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``spans`` sorted, each overlapping group reduced to one span covering all of it."""
    merged: list[tuple[int, int, str]] = []
    for start, end, masked in sorted(spans, key=lambda span: (span[0], -span[1])):
        if merged and start < merged[-1][1]:
            first, last, shown = merged[-1]
            if end > last:
                merged[-1] = (first, end, shown if shown.endswith("…") else shown + "…")
            continue
        merged.append((start, end, masked))
    return merged


def mask_text(text: str) -> str:
    """``text`` with every secret it shows masked (see :func:`secret_spans`): what a name
    makes a secret (``OPENAI_API_KEY=...``, ``DB_PASSWORD: ...``, ``--api-key ...``), and
    what is recognisable anywhere (provider tokens, private keys, bearer tokens, the
    password of a credentials URL, random-looking keys). Every message that quotes the
    repository passes through it before it reaches a reporter
    (:meth:`hffix.rules.base.RuleContext.report`), and so does every text line of a
    ``--redact`` patch."""
    spans = secret_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    position = 0
    for start, end, masked in spans:
        parts.append(text[position:start])
        parts.append(masked)
        position = end
    parts.append(text[position:])
    return "".join(parts)
