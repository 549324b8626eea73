"""Values that are not secrets whatever they are called: placeholders and benign shapes.

A *placeholder* marks a value the reader is meant to fill in (``<your-key>``, ``changeme``,
``your_api_key_here``, ``${VAR}``, ``xxx``, ``sk-...``). A *benign* value has a shape no
secret has: a URL path, a sentence, an algorithm name, a template, the name of another
environment variable, an HTTP header name.
"""

from __future__ import annotations

import re

PLACEHOLDER_WORDS = frozenset(
    {
        "changeme",
        "change_me",
        "change-me",
        "changethis",
        "change_this",
        "change-this",
        "replaceme",
        "replace_me",
        "replace-me",
        "placeholder",
        "example",
        "sample",
        "todo",
        "tbd",
        "fixme",
        "none",
        "null",
        "nil",
        "undefined",
        "n/a",
        "na",
        "empty",
        "unset",
        "notset",
        "not-set",
        "not_set",
        "redacted",
        "test",
        "testing",
        "demo",
        "hidden",
        "secret-here",
        "key-here",
        "token-here",
        "...",
        "…",
    }
)
_FILL_IN = re.compile(
    r"""(?ix)
    ^<[^<>]*>$                                  # <your-key>
    | ^\[[^\[\]]*\]$                            # [YOUR_KEY]
    | ^\{\{.*\}\}$ | ^\{[A-Za-z_][\w.]*\}$       # {{ key }}  {key}
    | ^\$\{?[A-Za-z_]\w*(?:[:?]?[-=?][^}]*)?\}?$  # $VAR ${VAR} ${VAR:-default}
    | ^%\([A-Za-z_]\w*\)s$ | ^%s$               # %(key)s
    | ^os\.environ | ^os\.getenv | ^env\(          # code pasted into a string
    """
)
_FILL_IN_WORDS = re.compile(
    r"""(?ix)
    (?:^|[\W_])your
    | change[-_ ]?(?:me|this|it|in[-_ ]?prod)
    | replace[-_ ]?(?:me|this|with|in[-_ ]?prod)
    | placeholder | (?:^|[\W_])example(?:[\W_]|$) | insert[-_ ]?(?:your|key|here)
    | put[-_ ]?your | fill[-_ ]?(?:me|in) | (?:[-_ ]|^)here$ | [-_ ]goes[-_ ]here
    | ^(?:dummy|fake|mock)(?:[-_ ]?(?:key|token|secret|password|value))?$
    | ^not[-_ ]?(?:a[-_ ]?)?(?:real|set|secret)
    """
)
# The same in other languages: "your" before a word (``sua-chave-aqui``, ``votre-cle-ici``,
# ``tu-clave-aqui``, ``ihr-schlüssel``, ``tua_chiave``, ``jouw-sleutel``), "here" after one,
# "put / insert your ..." before one.
_FOREIGN_FILL_IN = re.compile(
    r"""(?ix)
    (?:^|[\W_])(?:sua|seu|tua|tuo|tu|su|votre|ton|ihr|ihre|dein|deine|uw|jouw|twoj|twój)[\W_]
    | [\W_](?:aqui|aquí|ici|hier|qui|aca|acá|tutaj)$
    | ^(?:coloque|insira|inserisci|insérez|inserez|ingrese|introduce|mettez|trage)[\W_]
    """
)
_REPEATED = re.compile(r"^(.)\1+$|^(?:x{3,}|X{3,}|\*{3,}|\.{3,}|#{3,}|-{3,}|_{3,}|0{4,})$")
_MASKED_RUN = re.compile(r"(?i)x{4,}|\*{3,}|\.{3}|…|#{4,}")

ALGORITHMS = re.compile(
    r"""(?ix)^(?:
        (?:HS|RS|ES|PS)(?:256|384|512) | EdDSA | none
        | sha-?(?:1|224|256|384|512) | md5 | bcrypt | argon2(?:id|i|d)? | scrypt
        | pbkdf2(?:[_-]sha\d+)? | hmac(?:[_-]?sha-?\d+)? | aes(?:-?\d+)?(?:-?(?:gcm|cbc|ctr))?
        | fernet | rsa | ecdsa | ed25519 | plain | bearer | basic | digest | oauth2? | jwt
    )$"""
)
_TEMPLATE = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdr]|%[sd]\b|\$\{\w+\}|^\$[A-Za-z_]\w*$")
_ENV_VAR_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z][A-Z_]*$")
_HEADER_NAME = re.compile(r"^(?:X-)?[A-Z][A-Za-z]*(?:-[A-Za-z]+)*$")
_HEADERS = frozenset({"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "Bearer"})
_IDENTIFIER_WORDS = re.compile(r"^[a-z]+(?:[_.:\-][a-z]+)*$")
_REGEX = re.compile(r"\[[^\]]*\]|\(\?|^\^|[+*?]\)?\$?$")
_DOTTED_NAME = re.compile(r"^\.*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE_OR_VERSION = re.compile(r"^v?\d+(?:[.\-/:]\d+)+(?:[-+.]?[A-Za-z0-9]+)*$")


def is_placeholder(value: str) -> bool:
    """True for empty values and values meant to be filled in."""
    text = value.strip()
    if not text:
        return True
    lower = text.lower()
    if lower in PLACEHOLDER_WORDS or _REPEATED.match(text):
        return True
    if _FILL_IN.match(text) or _FILL_IN_WORDS.search(lower) or _FOREIGN_FILL_IN.search(lower):
        return True
    return len(text) < 64 and bool(_MASKED_RUN.search(text))


_VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def is_variable_name(value: str) -> bool:
    """An environment variable's name (``MY_APP_SECRET``): a key that is one was meant to
    be read from the environment, not used as it is."""
    return bool(_VARIABLE_NAME.match(value))


_RANDOM_PART = 16  # a dotted name's part this long that mixes cases and digits is no word


def has_random_part(dotted: str) -> bool:
    """Whether a dotted value has a part no name has: sixteen characters or more mixing
    upper case, lower case and digits (a Discord token's ``MTIzNDU2Nzg5MDEyMzQ1Njc4``), where
    a module path has words (``app.core.security``, ``backends.ModelBackend``)."""
    return any(
        len(part) >= _RANDOM_PART
        and any(c.isupper() for c in part)
        and any(c.islower() for c in part)
        and any(c.isdigit() for c in part)
        for part in dotted.split(".")
    )


def is_identifier_like(value: str) -> bool:
    """Lower-case words (``users``, ``access_token``, ``auth.login``): data keys, not secrets."""
    return bool(_IDENTIFIER_WORDS.match(value))


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def is_benign(value: str) -> bool:
    """A shape no secret has (see the module docstring); placeholders are checked separately."""
    text = value.strip()
    if text != value or any(c.isspace() for c in text):
        return True  # sentences, commands, padded text
    if text.startswith(("/", "./", "../", "~/", "\\")) or "\\" in text or _REGEX.search(text):
        return True  # paths and regular expressions
    if text.startswith(".") and _DOTTED_NAME.match(text):
        return True  # relative module names: ".types"
    if (
        "." in text
        and _DOTTED_NAME.match(text)
        and text.count(".") >= 2
        and not has_random_part(text)
    ):
        return True  # dotted module paths: "app.core.security"
    if _URL.match(text) or _EMAIL.match(text):
        return True  # URLs carrying credentials are caught before this check
    if ALGORITHMS.match(text) or _ENV_VAR_NAME.match(text) or _DATE_OR_VERSION.match(text):
        return True
    if _TEMPLATE.search(text):
        return True
    return bool(_HEADER_NAME.match(text)) and (text.startswith("X-") or text in _HEADERS)
