"""Decoding keeps what is needed to write a file back byte for byte."""

from __future__ import annotations

import pytest

from hffix.textio import DecodeError, decode, detect_newline, encode

SAMPLES = [
    (b"x = 1\n", True),
    (b"x = 1\r\ny = 2\r\n", True),
    (b"\xef\xbb\xbfx = '\xc3\xa9'\n", True),
    ("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1"), True),
    ("# vim: set fileencoding=cp1252 :\nx = '€'\n".encode("cp1252"), True),
    ("\ufefffastapi\nuvicorn\n".encode("utf-16-le"), False),
    ("\ufefffastapi\nuvicorn\n".encode("utf-16-be"), False),
    (b"caf\xe9\n", False),  # unknown 8-bit text: latin-1 round-trips every byte
    (b"no newline at end", False),
    (b"", True),
]


@pytest.mark.parametrize(("raw", "python"), SAMPLES)
def test_round_trip(raw: bytes, python: bool) -> None:
    text, fmt = decode(raw, python=python)
    assert encode(text, fmt) == raw


@pytest.mark.parametrize("raw", [b"x = '\xff'\n", b"a = 1\nb = 2\nc = '\xff'\n"])
def test_python_file_with_bad_bytes_is_refused(raw: bytes) -> None:
    with pytest.raises(DecodeError, match="not valid utf-8"):
        decode(raw, python=True)


def test_binary_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00", python=False)


def test_unknown_cookie_is_refused() -> None:
    with pytest.raises(DecodeError):
        decode(b"# -*- coding: klingon -*-\nx = 1\n", python=True)


def test_encoding_a_character_that_does_not_fit() -> None:
    _, fmt = decode("# -*- coding: latin-1 -*-\n".encode("latin-1"), python=True)
    with pytest.raises(DecodeError, match="cannot store"):
        encode("x = '€'\n", fmt)


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("a\nb\n", "\n"),
        ("a\r\nb\r\n", "\r\n"),
        ("a\rb\r", "\r"),
        ("a\r\nb\nc\r\n", "\r\n"),
        ("", "\n"),
    ],
)
def test_detect_newline(text: str, newline: str) -> None:
    assert detect_newline(text) == newline


@pytest.mark.parametrize(
    ("raw", "python", "encoding", "bom", "newline"),
    [
        (b"x = 1\n", True, "utf-8", b"", "\n"),
        (b"x = 1\r\n", True, "utf-8", b"", "\r\n"),
        (b"\xef\xbb\xbfx = 1\n", True, "utf-8", b"\xef\xbb\xbf", "\n"),
        (b"\xffx\n", False, "latin-1", b"", "\n"),  # 0xff starts a BOM, but not this one
        (b"\xfe\n", False, "latin-1", b"", "\n"),
        (b"\xef\xbb\n", False, "latin-1", b"", "\n"),
        (b"# a\n# coding: latin-1\nx = '\xe9'\n", True, "iso-8859-1", b"", "\n"),
        (b"# a\n# b\n# coding: latin-1\nx = 1\n", True, "utf-8", b"", "\n"),  # third line
        (b"# coding: latin-1", True, "iso-8859-1", b"", "\n"),  # no newline at all
    ],
)
def test_decode_formats(raw: bytes, python: bool, encoding: str, bom: bytes, newline: str) -> None:
    text, fmt = decode(raw, python=python)
    assert (fmt.encoding, fmt.bom, fmt.newline) == (encoding, bom, newline)
    assert encode(text, fmt) == raw
