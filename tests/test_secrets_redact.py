"""redact(): secret values masked in a rendered patch, text and binary."""

from __future__ import annotations

import base64
import zlib

from hffix.repository.patch import render_patch
from hffix.repository.workspace import FileChange
from hffix.secrets.redact import redact

KEY = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
PASSWORD = "npg_FAKEGdv5fXSM"


def _change(path: str, old: bytes, new: bytes) -> FileChange:
    return FileChange(path, path, old, new, 0o100644, 0o100644)


def test_text_patch_is_masked() -> None:
    old = f'API_KEY = "{KEY}"\nDB = "postgresql://u:{PASSWORD}@h/db"\n'.encode()
    new = b'API_KEY = os.environ.get("OPENAI_API_KEY")\nDB = os.environ.get("DATABASE_URL")\n'
    patch = render_patch([_change("config.py", old, new)])
    assert KEY.encode() in patch and PASSWORD.encode() in patch
    redacted = redact(patch, {KEY, PASSWORD})
    assert KEY.encode() not in redacted and PASSWORD.encode() not in redacted
    assert "sk-p…wM".encode() in redacted and "npg_…SM".encode() in redacted
    assert b'+API_KEY = os.environ.get("OPENAI_API_KEY")' in redacted  # the rest is kept


def test_nothing_to_redact_returns_the_patch_unchanged() -> None:
    patch = render_patch([_change("a.py", b"x = 1\n", b"x = 2\n")])
    assert redact(patch, set()) == patch
    assert redact(patch, {KEY}) == patch


def test_latin1_file_is_masked() -> None:
    secret = "pässwörd-FAKE-123"
    old = f'PASSWORD = "{secret}"\n'.encode("latin-1")
    patch = render_patch([_change("legacy.py", old, b'PASSWORD = os.environ.get("PASSWORD")\n')])
    assert secret.encode("latin-1") in patch
    assert secret.encode("latin-1") not in redact(patch, {secret})


def _literals(patch: bytes) -> list[bytes]:
    """The decoded contents of every ``literal`` block of a binary patch."""
    out = []
    lines = patch.split(b"\n")
    index = 0
    while index < len(lines):
        if lines[index].startswith(b"literal "):
            packed = b""
            index += 1
            while lines[index]:
                line = lines[index]
                size = line[0] - ord("A") + 1 if line[:1].isupper() else line[0] - ord("a") + 27
                packed += base64.b85decode(line[1:])[:size]
                index += 1
            out.append(zlib.decompress(packed))
        index += 1
    return out


def test_binary_patch_literals_are_masked() -> None:
    old = f'KEY = "{KEY}"\n'.encode("utf-16")
    new = 'KEY = os.environ.get("OPENAI_API_KEY")\n'.encode("utf-16")
    patch = render_patch([_change("utf16.py", old, new)])
    assert b"GIT binary patch" in patch
    assert any(KEY.encode("utf-16-le") in data for data in _literals(patch))
    redacted = redact(patch, {KEY})
    decoded = _literals(redacted)
    assert len(decoded) == 2
    assert not any(KEY.encode("utf-16-le") in data for data in decoded)
    assert any("sk-p…wM".encode("utf-16-le") in data for data in decoded)
