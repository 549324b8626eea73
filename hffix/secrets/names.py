"""What a name says about the value it holds, and environment variable names derived from names.

A name is split into lower-case words (``openaiApiKey``, ``OPENAI_API_KEY``, ``openai-api-key``
all give ``openai api key``). Its *signal* is:

* ``STRONG``: the value is a secret unless it is a placeholder (``…SECRET``, ``…PASSWORD``,
  ``…API_KEY``, ``…PRIVATE_KEY``, ``BETTER_AUTH_SECRET`` and the like);
* ``WEAK``: a bare ``key`` / ``token`` / ``auth`` / ``credentials`` / ``salt`` hints at one;
* ``EXCLUDED``: the name describes something about a secret that is not the secret itself
  (``ACCESS_TOKEN_EXPIRE_MINUTES``, ``TOKEN_URL``, ``ALGORITHM``, ``API_KEY_HEADER``,
  ``PUBLIC_KEY``, ``CLIENT_ID``, ``PASSWORD_HASH``); URL-like names (``DATABASE_URL``) are
  excluded too: for them the value decides (a URL with ``user:password@`` is a secret);
* ``NEUTRAL``: anything else.
"""

from __future__ import annotations

import functools
import itertools
import re
from enum import Enum


class NameSignal(Enum):
    STRONG = "strong"
    WEAK = "weak"
    NEUTRAL = "neutral"
    EXCLUDED = "excluded"


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_|$)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

STRONG_WORDS = frozenset(
    {"secret", "secrets", "password", "passwords", "passwd", "passphrase", "apikey", "apisecret"}
)
# (previous word, word) pairs that make a strong name wherever they end it.
STRONG_PAIRS = frozenset(
    {
        ("api", "key"),
        ("private", "key"),
        ("secret", "key"),
        ("access", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("service", "key"),
        ("license", "key"),
        ("db", "pass"),
        ("database", "pass"),
        ("smtp", "pass"),
        ("db", "pwd"),
        ("database", "pwd"),
        ("smtp", "pwd"),
        ("mail", "pass"),
        ("redis", "pass"),
        ("user", "pass"),
        ("admin", "pass"),
        ("email", "pass"),
    }
)
WEAK_WORDS = frozenset(
    {"key", "keys", "token", "tokens", "auth", "credential", "credentials", "creds", "salt", "pass"}
)
# Every STRONG or WEAK name holds one of these, lower-cased: what a text filter looks for.
SIGNAL_STEMS = ("secret", "pass", "key", "token", "auth", "cred", "salt", "pw")
# Words naming a property of a secret (its lifetime, where it is sent, how it is checked) or
# something public: such names never hold the secret itself.
EXCLUDED_WORDS = frozenset(
    {
        "expire",
        "expires",
        "expiry",
        "expiration",
        "exp",
        "ttl",
        "lifetime",
        "age",
        "minutes",
        "seconds",
        "hours",
        "days",
        "timeout",
        "algorithm",
        "algorithms",
        "alg",
        "algo",
        "endpoint",
        "path",
        "paths",
        "route",
        "prefix",
        "suffix",
        "header",
        "headers",
        "name",
        "names",
        "type",
        "types",
        "field",
        "fields",
        "param",
        "params",
        "length",
        "len",
        "size",
        "count",
        "limit",
        "max",
        "min",
        "file",
        "filename",
        "dir",
        "folder",
        "env",
        "var",
        "variable",
        "public",
        "publishable",
        "pub",
        "anon",
        "id",
        "ids",
        "hash",
        "hashed",
        "digest",
        "checksum",
        "sha",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "etag",
        "fingerprint",
        "commit",
        "revision",
        "format",
        "pattern",
        "regex",
        "policy",
        "mode",
        "scheme",
        "location",
        "scope",
        "scopes",
        "schema",
        "version",
        "model",
        "encoding",
        "label",
        "title",
        "message",
        "msg",
        "error",
        "placeholder",
        "hint",
        "description",
        "text",
        "column",
        "table",
        "attr",
        "attribute",
        "index",
        "reset",
        "example",
        "examples",
        "sample",
        "regexp",
        "template",
        "store",
        "storage",
        "bucket",
        "region",
        "kind",
        "status",
        "state",
        "enabled",
        "required",
        "usage",
        "usages",
        "budget",
        "hashing",
        "hasher",
        "hashes",
    }
)
URL_WORDS = frozenset(
    {"url", "urls", "uri", "uris", "dsn", "host", "hostname", "domain", "link", "redirect"}
)
# Words that, right before ``key``/``token``, make it a data key rather than a secret.
DATA_KEY_QUALIFIERS = frozenset(
    {
        "primary",
        "foreign",
        "sort",
        "cache",
        "partition",
        "lookup",
        "dict",
        "map",
        "group",
        "order",
        "unique",
        "composite",
        "row",
        "object",
        "s3",
        "redis",
        "i18n",
        "translation",
        "config",
        "setting",
        "settings",
        "idempotency",
        "hot",
        "shortcut",
        "next",
        "page",
        "pagination",
        "cursor",
        "continuation",
        "csrf",
        "xsrf",
        "max",
        "eos",
        "bos",
        "pad",
        "unk",
        "sep",
        "cls",
        "mask",
        "special",
        "start",
        "end",
        "stop",
    }
)
# The spec's three (SP-HF-08) are strong whatever the splitting says.
SPEC_VARIABLES = ("DATABASE_URL", "BETTER_AUTH_SECRET", "OPENAI_API_KEY")
# Names too generic to be a good environment variable on their own (``password=`` of a call).
GENERIC = frozenset(
    {
        "KEY",
        "KEYS",
        "TOKEN",
        "TOKENS",
        "SECRETS",
        "PASSWORDS",
        "API_KEYS",
        "AUTHORIZATION",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "PWD",
        "PASS",
        "AUTH",
        "CREDENTIALS",
        "CREDS",
        "API_KEY",
        "APIKEY",
        "ACCESS_TOKEN",
        "AUTH_TOKEN",
        "API_TOKEN",
        "BEARER_TOKEN",
        "DSN",
        "URL",
        "URI",
        "CONNECTION_STRING",
    }
)


_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
_SPACE = re.compile(r"\s")


def words(name: str) -> list[str]:
    """``"openaiAPIKey2"`` -> ``["openai", "api", "key", "2"]``; separators are dropped."""
    found: list[str] = []
    for chunk in _SEPARATORS.split(name):
        found.extend(w.lower() for w in _WORD.findall(chunk))
    return found


def env_name(name: str) -> str:
    """The conventional variable for ``name``: ``openaiApiKey`` -> ``OPENAI_API_KEY``."""
    return "_".join(w.upper() for w in words(name))


def is_url_name(name: str) -> bool:
    return _is_url_words(words(name))


def _is_url_words(w: list[str]) -> bool:
    return bool(w) and (
        any(x in URL_WORDS for x in w)
        or w[-2:] in (["connection", "string"], ["conn", "str"], ["conn", "string"])
    )


@functools.lru_cache(maxsize=8192)
def signal(name: str | None) -> NameSignal:
    """How much ``name`` says that its value is a secret (see the module docstring).

    Cached: the same names (``token``, ``api_key``) recur in every module that is read."""
    if not name or _SPACE.search(name.strip()):
        return NameSignal.NEUTRAL  # no name, or a label ("Password Hashing")
    w = words(name)
    if w in (["better", "auth", "secret"], ["openai", "api", "key"]):
        return NameSignal.STRONG
    if not w or not EXCLUDED_WORDS.isdisjoint(w) or _is_url_words(w):
        return NameSignal.EXCLUDED
    if not STRONG_WORDS.isdisjoint(w):
        return NameSignal.STRONG
    for previous, word in itertools.pairwise(w):
        singular = word[:-1] if word.endswith("s") else word
        if (previous, word) in STRONG_PAIRS or (previous, singular) in STRONG_PAIRS:
            return NameSignal.STRONG
    if w[-1] in ("pwd", "pw"):
        return NameSignal.STRONG if len(w) > 1 else NameSignal.WEAK
    # A weak word counts at the end of the name (AUTH_TOKEN, STRIPE_KEY, token_2), not
    # before another noun (token_variants, key_bindings).
    tail = [x for x in w if not x.isdigit() and x not in ("value", "str", "string")]
    if tail and tail[-1] in WEAK_WORDS:
        data_key = len(tail) > 1 and tail[-2] in DATA_KEY_QUALIFIERS
        if tail[-1] in ("key", "keys", "token", "tokens") and data_key:
            return NameSignal.NEUTRAL
        return NameSignal.WEAK
    return NameSignal.NEUTRAL


def is_generic(variable: str) -> bool:
    return variable in GENERIC


def qualified(prefix: str | None, variable: str) -> str:
    """``REDIS`` + ``PASSWORD`` -> ``REDIS_PASSWORD``; a missing or redundant prefix adds none."""
    if not prefix:
        return variable
    head = env_name(prefix)
    for suffix in ("_CONFIG", "_CONF", "_SETTINGS", "_OPTIONS", "_PARAMS", "_KWARGS", "_ARGS"):
        if head.endswith(suffix) and head != suffix.lstrip("_"):
            head = head[: -len(suffix)]
    if head == "DATABASES":  # Django's DATABASES = {"default": {"PASSWORD": ...}}
        head = "DATABASE"
    if not head or head in ("CONFIG", "SETTINGS", "OPTIONS", "PARAMS", "KWARGS", "DATA"):
        return variable
    if variable.startswith(head + "_") or variable == head:
        return variable
    return f"{head}_{variable}"


# Words that make a URL-like name hold credentials: the services whose URLs carry a
# user and password (``DATABASE_URL``, ``REDIS_URL``, ``CELERY_BROKER_URL``).
CREDENTIAL_URL_WORDS = frozenset(
    {
        "database",
        "databases",
        "db",
        "postgres",
        "postgresql",
        "pg",
        "psql",
        "mysql",
        "mariadb",
        "mssql",
        "sqlalchemy",
        "mongo",
        "mongodb",
        "redis",
        "rediss",
        "amqp",
        "rabbitmq",
        "rabbit",
        "broker",
        "celery",
        "neo4j",
        "cassandra",
        "elasticsearch",
        "smtp",
    }
)


@functools.lru_cache(maxsize=4096)
def holds_credential(name: str) -> bool:
    """Whether the variable ``name`` holds a credential, so that a Space keeps it among its
    Secrets rather than its Variables: a secret name (``…SECRET``, ``…API_KEY``,
    ``HF_TOKEN``: :func:`signal` is ``STRONG`` or ``WEAK``), the spec's three, or the URL
    of a service that takes a password (``DATABASE_URL``, ``REDIS_URL``, ``MONGO_URI``)."""
    if name in SPEC_VARIABLES:
        return True
    strength = signal(name)
    if strength in (NameSignal.STRONG, NameSignal.WEAK):
        return True
    w = words(name)
    url = not _CONNECTION_WORDS.isdisjoint(w) or w[-2:] in (
        ["connection", "string"],
        ["conn", "str"],
        ["conn", "string"],
    )
    return url and not CREDENTIAL_URL_WORDS.isdisjoint(w)


_CONNECTION_WORDS = frozenset({"url", "urls", "uri", "uris", "dsn"})


# Words that, with ``secret`` or ``key``, name the key an app signs or encrypts with.
SIGNING_WORDS = frozenset(
    {
        "jwt",
        "jws",
        "jwe",
        "signing",
        "sign",
        "signature",
        "session",
        "sessions",
        "cookie",
        "cookies",
        "hmac",
        "csrf",
        "auth",
        "nextauth",
        "token",
        "app",
        "flask",
        "django",
        "fernet",
        "encryption",
        "encrypt",
        "crypto",
        "webhook",
    }
)


@functools.lru_cache(maxsize=4096)
def is_signing_key_name(name: str | None) -> bool:
    """Whether ``name`` holds a key the app signs or encrypts with (``SECRET_KEY``,
    ``JWT_SECRET``, ``JWT_KEY``, ``SESSION_SECRET``, ``BETTER_AUTH_SECRET``,
    ``FERNET_KEY``): a public placeholder there lets anyone forge what the app signs.
    Provider credentials (``OPENAI_API_KEY``, ``CLIENT_SECRET``) are not signing keys."""
    if not name or signal(name) not in (NameSignal.STRONG, NameSignal.WEAK):
        return False
    w = [x for x in words(name) if not x.isdigit()]
    if not w or w[-1] not in ("secret", "key", "secrets", "keys", "salt", "pepper"):
        return False
    if w in (["secret"], ["secret", "key"], ["secretkey"], ["secret", "key", "base"]):
        return True
    return not SIGNING_WORDS.isdisjoint(w[:-1])
