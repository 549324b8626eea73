"""Decoding and re-encoding files so that a rewrite changes only what a rule changed.

A file read here remembers its encoding, its byte-order mark and its newline style;
:func:`encode` turns edited text back into bytes in the same form. Text keeps the
file's own newlines (``\\r\\n`` stays ``\\r\\n``): rules that add lines use
:attr:`TextFormat.newline`.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodeError(ValueError):
    """The bytes are not text this tool can rewrite faithfully."""


@dataclass(frozen=True)
class TextFormat:
    """How a text file is stored on disk."""

    encoding: str = "utf-8"
    bom: bytes = b""
    newline: str = "\n"

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8" and not self.bom


UTF8 = TextFormat()


def detect_newline(text: str) -> str:
    """The dominant newline of ``text``; ``\\n`` when there is none."""
    if "\r" not in text:  # the common case: one scan instead of three counts
        return "\n"
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"), key=lambda pair: pair[0])
    return best[1] if best[0] else "\n"


# The first bytes any of _BOMS starts with: most files start with none of them.
_BOM_LEADS = frozenset(bom[0] for bom, _ in _BOMS)


def _split_bom(raw: bytes) -> tuple[bytes, str | None]:
    if not raw or raw[0] not in _BOM_LEADS:
        return b"", None
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return bom, encoding
    return b"", None


def decode(raw: bytes, *, python: bool) -> tuple[str, TextFormat]:
    """Decode ``raw``; Python sources honour PEP 263 cookies, other files fall back to latin-1.

    Raises :class:`DecodeError` for binary data or bytes that do not match the declared
    encoding. Latin-1 maps every byte to one character, so a non-Python file in an unknown
    8-bit encoding still round-trips byte for byte.
    """
    bom, bom_encoding = _split_bom(raw)
    body = raw[len(bom) :]
    if bom_encoding is not None and bom_encoding.startswith(("utf-16", "utf-32")):
        try:
            text = body.decode(bom_encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"invalid {bom_encoding} data: {exc.reason}") from None
        return text, TextFormat(bom_encoding, bom, detect_newline(text))
    if b"\x00" in body:
        raise DecodeError("binary data (NUL bytes)")
    encoding = bom_encoding or "utf-8"
    if python and b"coding" not in body[: _second_newline(body)]:
        try:  # no PEP 263 cookie can be there: UTF-8, without tokenize's line reader
            text = body.decode("utf-8")
            return text, _format("utf-8", bom, detect_newline(text))
        except UnicodeDecodeError:
            pass  # the slow path below says why, in tokenize's words
    if python:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        except SyntaxError as exc:
            if "invalid or missing encoding declaration" in str(exc):
                raise DecodeError("not valid utf-8 and no coding declaration") from None
            raise DecodeError(str(exc)) from None
        encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        if python:
            raise DecodeError(f"not valid {encoding}: {exc.reason} at byte {exc.start}") from None
        encoding = "latin-1"
        text = body.decode(encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    return text, _format(encoding, bom, detect_newline(text))


def _second_newline(body: bytes) -> int:
    """Where the second line of ``body`` ends (its length if it has fewer than two
    newlines): a PEP 263 cookie can only be before that."""
    first = body.find(b"\n")
    second = body.find(b"\n", first + 1) if first >= 0 else -1
    return second if second >= 0 else len(body)


def _format(encoding: str, bom: bytes, newline: str) -> TextFormat:
    """The :class:`TextFormat`; the shared :data:`UTF8` when it is that one (most files)."""
    if encoding == "utf-8" and newline == "\n" and not bom:
        return UTF8
    return TextFormat(encoding, bom, newline)


def encode(text: str, fmt: TextFormat) -> bytes:
    """Bytes for ``text`` in ``fmt``; raises :class:`DecodeError` if a character does not fit."""
    try:
        return fmt.bom + text.encode(fmt.encoding)
    except UnicodeEncodeError as exc:
        raise DecodeError(
            f"cannot store {exc.object[exc.start : exc.end]!r} in {fmt.encoding}"
        ) from None


_LINE_END = re.compile(r"\r\n|\r|\n")  # how Python (and ast) counts lines


def line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts (``[0, ...]``), counting ``\r\n``, ``\r`` and
    ``\n`` as line ends, as Python's ``ast`` does."""
    return [0, *(match.end() for match in _LINE_END.finditer(text))]
