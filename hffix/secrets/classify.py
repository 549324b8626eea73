"""The verdict on one literal: is it a secret, and how sure are we?

Value and name are judged together (see :func:`classify`):

=====================================  ==========================================
value                                  verdict
=====================================  ==========================================
placeholder (``changeme``, ``<key>``)   not a secret, whatever the name
provider format, credentials URL,       ``SAFE`` (the fix is applied by ``--write``)
private key, bearer token
benign shape (path, sentence, URL       not a secret
without password, algorithm, template)
high entropy                            ``SAFE`` under a secret name, ``UNSAFE`` under
                                        a neutral or no name, nothing under an
                                        excluded name (``*_HASH``, ``*_ID``)
anything else                           ``SAFE`` under a strong name (``*_SECRET``,
                                        ``*_PASSWORD``, ``*_API_KEY``); ``UNSAFE`` under
                                        a weak one (``*_TOKEN``, ``*_KEY``) unless it
                                        is a plain word; nothing otherwise
=====================================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from hffix.secrets import names
from hffix.secrets.names import NameSignal

if TYPE_CHECKING:
    from hffix.secrets import urls

# formats, placeholders, urls and entropy compile dozens of regular expressions, so the
# functions below import them when first called: in most repositories no value gets past
# the rules' cheaper filters, and the process never needs them.


class Verdict(Enum):
    SAFE = "safe"  # recognisably a secret: fixed by --write
    UNSAFE = "unsafe"  # only a weak signal: fixed with --unsafe-fixes


@dataclass(frozen=True)
class Detection:
    """A secret inside a string value. Never print :attr:`secret`; use :attr:`masked`."""

    verdict: Verdict
    kind: str  # what it is, for messages: "OpenAI API key", "credentials URL", ...
    start: int  # span of the secret in the value
    end: int
    variable: str | None  # the conventional variable for this kind of secret, if any
    masked: str  # safe to print
    password_span: tuple[int, int] | None = None  # credentials URLs: the password alone
    password_variable: str | None = None

    def secret(self, value: str) -> str:
        return value[self.start : self.end]

    def whole(self, value: str) -> bool:
        """True when the secret is the entire value (no text around it)."""
        return self.start == 0 and self.end == len(value)


def mask(secret: str) -> str:
    """A printable stand-in: ``sk-p…9o`` for long secrets, less for short ones."""
    if len(secret) >= 16:
        return f"{secret[:4]}…{secret[-2:]}"
    if len(secret) >= 8:
        return f"{secret[:2]}…"
    return "…"


def mask_url(url: urls.CredentialsUrl) -> str:
    host = url.host if "{" not in url.host else "…"
    user = mask(url.user) if len(url.user) > 24 else url.user
    return f"{url.scheme}://{user}:…@{host}"


def recognise(value: str) -> Detection | None:
    """A secret recognisable by its shape alone, whatever holds it (provider token,
    credentials URL, private key, bearer token), anywhere in ``value``."""
    from hffix.secrets import formats, urls
    from hffix.secrets.entropy import is_high_entropy

    if not formats.may_have_shape(value):
        return None  # one search instead of one per provider: most strings stop here
    key = formats.PRIVATE_KEY.search(value)
    if key is not None:
        return Detection(
            Verdict.SAFE, formats.PRIVATE_KEY_LABEL, 0, len(value), "PRIVATE_KEY", "-----BEGIN …"
        )
    match = formats.first_provider_match(value)
    if match is not None:
        text = match.text(value)
        return Detection(
            Verdict.SAFE,
            match.provider.label,
            match.start,
            match.end,
            match.provider.variable,
            mask(text),
        )
    found = urls.credentials_urls(value)
    if found:
        url = found[0]
        return Detection(
            Verdict.SAFE,
            "credentials URL",
            url.start,
            url.end,
            url.variable,
            mask_url(url),
            (url.password_start, url.password_end),
            url.password_variable,
        )
    bearer = formats.BEARER.search(value)
    if bearer is not None and is_high_entropy(bearer.group(1)):
        token = bearer.group(1)
        return Detection(
            Verdict.SAFE, "bearer token", bearer.start(1), bearer.end(1), "API_TOKEN", mask(token)
        )
    return None


# Values that name a credential rather than hold one (``dict(password="passwd")``).
NAME_WORDS = frozenset(
    {"password", "passwd", "pass", "pwd", "secret", "token", "key", "apikey", "api_key", "auth"}
)


def classify(value: str, name: str | None = None, *, slot: bool = False) -> Detection | None:
    """The secret in ``value`` held under ``name`` (a variable, field, keyword or key), or None.

    ``name`` is any spelling (``openaiApiKey``, ``OPENAI_API_KEY``); ``None`` when the value
    has no name at all (a positional argument, a list element). ``slot`` says the place only
    ever takes a secret (the key of ``jwt.encode``): even ``"secret"`` is one there.
    """
    from hffix.secrets import placeholders
    from hffix.secrets.entropy import is_high_entropy

    found = recognise(value)  # checks its own placeholders (``sk-xxxx…``, ``user:password@``)
    if found is not None:
        return found
    if placeholders.is_placeholder(value) or placeholders.is_benign(value):
        return None
    signal = names.signal(name)
    if signal is NameSignal.EXCLUDED or (name and names.words(value) == names.words(name)):
        return None  # `apiKey = "apiKey"` (enum members), `password = "password"`
    whole = (0, len(value))
    if is_high_entropy(value) and not placeholders.is_uuid(value):
        verdict = Verdict.SAFE if signal in (NameSignal.STRONG, NameSignal.WEAK) else Verdict.UNSAFE
        return Detection(verdict, "high-entropy string", *whole, None, mask(value))
    if value.lower() in NAME_WORDS and not slot:
        return None
    if signal is NameSignal.STRONG and len(value) >= 4 and any(c.isalnum() for c in value):
        return Detection(Verdict.SAFE, "hardcoded secret", *whole, None, mask(value))
    if signal is NameSignal.WEAK and _secretish(value):
        return Detection(Verdict.UNSAFE, "possible secret", *whole, None, mask(value))
    return None


def may_be_named_secret(value: str, signal: NameSignal) -> bool:
    """Whether a name with ``signal`` (``STRONG`` for a secret position) could make
    :func:`classify` call ``value`` a secret: a cheap necessary condition of its named
    branches, for values it calls nothing without a name."""
    from hffix.secrets import placeholders

    if signal is NameSignal.STRONG:
        admitted = len(value) >= 4 and any(c.isalnum() for c in value)
    elif signal is NameSignal.WEAK:
        admitted = _secretish(value)
    else:
        return False
    return admitted and not placeholders.is_placeholder(value) and not placeholders.is_benign(value)


def _secretish(value: str) -> bool:
    """A value a weak name (``*_TOKEN``, ``*_KEY``) could hold as a credential."""
    from hffix.secrets import placeholders

    if len(value) < 6 or placeholders.is_identifier_like(value):
        return False
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def is_distinctive(value: str) -> bool:
    """Whether another occurrence of this exact value is surely the same secret.

    ``"admin"`` under ``PASSWORD`` and ``"admin"`` as a role name are different things; a
    value of eight or more characters that is not a lower-case word is not.
    """
    return len(value) >= 8 and not value.isalpha()


# Values that are no secret but stand where one should: reported as weak (``UNSAFE``), for
# the fix needs a variable the Space may not have yet.
PLACEHOLDER_KEY = "placeholder signing key"
VARIABLE_NAME_KEY = "variable name used as a signing key"
DEFAULT_CREDENTIALS = "default credentials URL"
WEAK_KINDS = frozenset({PLACEHOLDER_KEY, VARIABLE_NAME_KEY, DEFAULT_CREDENTIALS})


def weak_key(value: str, name: str | None = None) -> Detection | None:
    """A public value where a signing key belongs: a placeholder (``change-me-in-production``,
    ``your-secret-key``), a word naming the credential (``secret``), the holder's own name
    (``SECRET_KEY = "secret_key"``) or an environment variable's name (``MY_APP_SECRET``).
    ``None`` for anything else, empty values included. The caller decides whether the place
    is a signing key's (:func:`hffix.secrets.names.is_signing_key_name`, or a value passed to
    ``jwt.encode``); a Space started without the variable then signs with a known value."""
    from hffix.secrets import placeholders

    text = value.strip()
    if not text or len(text) > 200 or "\n" in text:
        return None
    whole = (0, len(value))
    if placeholders.is_variable_name(text) and not (name and text == name):
        return Detection(Verdict.UNSAFE, VARIABLE_NAME_KEY, *whole, None, mask(value))
    named = bool(name) and names.words(value) == names.words(name or "")
    if placeholders.is_placeholder(value) or value.lower() in NAME_WORDS or named:
        return Detection(Verdict.UNSAFE, PLACEHOLDER_KEY, *whole, None, mask(value))
    return None


def default_credentials(value: str) -> Detection | None:
    """The first URL of ``value`` that logs in with a well-known default password on a
    local host (:func:`hffix.secrets.urls.default_credentials_urls`), as a weak finding."""
    if "://" not in value:
        return None
    from hffix.secrets import urls

    found = urls.default_credentials_urls(value)
    if not found:
        return None
    url = found[0]
    return Detection(
        Verdict.UNSAFE,
        DEFAULT_CREDENTIALS,
        url.start,
        url.end,
        url.variable,
        mask_url(url),
        (url.password_start, url.password_end),
        url.password_variable,
    )
