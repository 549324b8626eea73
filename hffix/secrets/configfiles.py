"""Secrets in configuration files: ``.ini``, ``.cfg``, ``.toml``, ``.yaml`` (compose files'
``environment:`` lists and maps), ``.json`` settings, ``.properties``.

Each line is read as the format writes a name and its value: ``- SECRET_KEY=…`` (a compose
list), ``SECRET_KEY: …`` / ``secret_key = …`` (YAML, INI, TOML, properties), ``"api_key":
"…"`` (JSON, several on a line). A value is a secret when its shape says so
(:func:`hffix.secrets.classify.recognise`), or when its name does and the value looks like
a credential rather than a word: random-looking (a 32-character hex API key), or six
characters or more mixing letters and digits. ``Passwort`` under ``password`` in a
translation file is a word; ``hunter2-prod-9`` is not. A URL logging in with a well-known
default password on a local host (``postgresql://postgres:postgres@localhost/app``) is
reported as weak. Documentation keys (``example``, ``description``) and OpenAPI documents
are not read. Any other shaped value on a line is still found by its shape.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from hffix.secrets.classify import (
    Detection,
    Verdict,
    classify,
    default_credentials,
    recognise,
)
from hffix.secrets.names import env_name

_JSON_PAIR = re.compile(r'"(?P<name>[A-Za-z_][\w.\-]*)"\s*:\s*"(?P<value>(?:[^"\\]|\\.)*)"')
_LIST_ITEM = re.compile(
    r"""^\s*-\s*(?P<q>["']?)(?P<name>[A-Za-z_][\w.\-]*)\s*=(?P<value>.*?)(?P=q)\s*$"""
)
_KEY_VALUE = re.compile(
    r"""^\s*(?P<q>["']?)(?P<name>[A-Za-z_][\w.\-]*)(?P=q)\s*[:=]\s*(?P<value>[^\s].*?)\s*,?\s*$"""
)
_COMMENT = re.compile(r"\s+[#;].*$")
# Keys whose values document, never configure.
_DOCUMENTATION = frozenset({"example", "examples", "description", "summary", "title", "default"})
_OPENAPI = ("openapi", "swagger")


@dataclass(frozen=True)
class ConfigSecret:
    """A secret on a line of a configuration file."""

    line: int
    col: int  # 1-based, where the secret starts
    detection: Detection
    variable: str
    weak: bool = False  # default credentials: a known value, nothing to rotate


def is_documentation(path: str) -> bool:
    """An OpenAPI / Swagger document: its tokens are examples."""
    return posixpath.basename(path).lower().startswith(_OPENAPI)


def _unquote(value: str) -> tuple[str, int]:
    """The value without its quotes (or a trailing comment), and how far it moved."""
    text = value.strip()
    if text[:1] in ("'", '"'):
        quote = text[0]
        end = text.find(quote, 1)
        return (text[1:end] if end > 0 else text[1:]), 1
    return _COMMENT.sub("", text).strip(), 0


def _pairs(line: str) -> list[tuple[str, str, int]]:
    """(name, value, 0-based offset of the value) of the name-value pairs on ``line``."""
    pairs = [(m["name"], m["value"], m.start("value")) for m in _JSON_PAIR.finditer(line)]
    if pairs:
        return pairs
    match = _LIST_ITEM.match(line) or _KEY_VALUE.match(line)
    if match is None:
        return []
    value, moved = _unquote(match["value"])
    start = line.find(value, match.start("value")) if value else match.start("value") + moved
    return [(match["name"], value, max(start, 0))]


def looks_like_credential(value: str) -> bool:
    """A value a secret name could hold in a configuration file: random-looking, or six
    characters or more mixing letters and digits (not a word, a version or a date)."""
    from hffix.secrets.entropy import is_high_entropy

    if is_high_entropy(value):
        return True
    return (
        len(value) >= 6
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and not value.isdigit()
    )


def _named(name: str, value: str) -> ConfigSecret | None:
    """What ``value`` held under ``name`` is, at offset 0 of the value."""
    if not value or name.lower() in _DOCUMENTATION:
        return None
    shaped = recognise(value)
    if shaped is not None:
        variable = shaped.variable or env_name(name) or "SECRET"
        return ConfigSecret(0, shaped.start, shaped, variable)
    weak = default_credentials(value)
    if weak is not None:
        return ConfigSecret(0, weak.start, weak, weak.variable or env_name(name), weak=True)
    found = classify(value, name)
    if found is None or found.verdict is not Verdict.SAFE or not looks_like_credential(value):
        return None
    return ConfigSecret(0, found.start, found, env_name(name) or "SECRET")


def config_secrets(text: str) -> list[ConfigSecret]:
    """The secrets of a configuration file, line by line (see the module docstring)."""
    found: list[ConfigSecret] = []
    for number, line in enumerate(text.splitlines(), start=1):
        taken: list[tuple[int, int]] = []
        for name, value, offset in _pairs(line):
            secret = _named(name, value)
            if secret is None:
                continue
            start = offset + secret.col
            end = offset + secret.detection.end
            taken.append((start, end))
            found.append(
                ConfigSecret(number, start + 1, secret.detection, secret.variable, secret.weak)
            )
        if taken or _pairs_documentation(line):
            continue
        shaped = recognise(line)
        if shaped is not None:
            variable = shaped.variable or "SECRET"
            found.append(ConfigSecret(number, shaped.start + 1, shaped, variable))
    return found


def _pairs_documentation(line: str) -> bool:
    return any(name.lower() in _DOCUMENTATION for name, _, _ in _pairs(line))
