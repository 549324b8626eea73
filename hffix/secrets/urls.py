"""Connection URLs that carry a password: ``scheme://user:password@host/...``.

The password is a placeholder (``user:password@``, ``${DB_PASSWORD}``) or a local development
default (``postgres:postgres@localhost``, ``guest:guest@rabbitmq``) in templates and compose
set-ups; such URLs are not secrets. Anything else is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hffix.secrets.placeholders import is_placeholder

CREDENTIALS_URL = re.compile(
    r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*)://(?P<user>[^\s:/@?#{}\"']*):"
    r"(?P<password>[^\s/@?#{}\"']+)@(?P<host>[^\s/?#@\"']*)"
)
# Passwords a template or a local set-up uses; secrets only on a real host.
DEV_PASSWORDS = frozenset(
    {
        "postgres",
        "postgresql",
        "root",
        "admin",
        "guest",
        "mysql",
        "mariadb",
        "redis",
        "mongo",
        "mongodb",
        "rabbitmq",
        "test",
        "testing",
        "user",
        "dev",
        "development",
        "local",
        "docker",
        "app",
        "airflow",
        "celery",
        "example",
    }
)
TEMPLATE_PASSWORDS = frozenset(
    {"password", "pass", "passwd", "pwd", "pw", "secret", "mypassword", "yourpassword", "changeme"}
)
LOCAL_HOSTS = frozenset(
    {"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]", "host.docker.internal"}
)

_SQL = ("postgres", "postgresql", "mysql", "mariadb", "mssql", "oracle", "cockroachdb", "sqlite")


@dataclass(frozen=True)
class CredentialsUrl:
    scheme: str
    user: str
    host: str  # without the port
    start: int  # span of the whole URL in the value (to its first whitespace or quote)
    end: int
    password_start: int
    password_end: int

    @property
    def variable(self) -> str:
        """``DATABASE_URL`` for SQL databases, ``REDIS_URL``, ``MONGODB_URI``, ``AMQP_URL``..."""
        base = self.scheme.lower().split("+")[0]
        if base.startswith(_SQL):
            return "DATABASE_URL"
        if base in ("redis", "rediss"):
            return "REDIS_URL"
        if base.startswith("mongodb"):
            return "MONGODB_URI"
        if base in ("amqp", "amqps"):
            return "AMQP_URL"
        return "SERVICE_URL"

    @property
    def password_variable(self) -> str:
        """The variable for the password alone, when only the password can be moved out."""
        head = self.variable.rsplit("_", 1)[0]
        return "DB_PASSWORD" if head == "DATABASE" else f"{head}_PASSWORD"


def _local(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return not name or name in LOCAL_HOSTS or "." not in name  # docker-compose service names


def _is_template(password: str) -> bool:
    return is_placeholder(password) or password.lower() in TEMPLATE_PASSWORDS


def _is_default(password: str, host: str) -> bool:
    """A well-known default password (``postgres``, ``guest``) on a local or compose host."""
    return password.lower() in DEV_PASSWORDS and _local(host)


def credentials_urls(value: str) -> list[CredentialsUrl]:
    """Every URL in ``value`` whose password is real-looking (see the module docstring)."""
    return _urls(
        value, lambda password, host: not (_is_template(password) or _is_default(password, host))
    )


def default_credentials_urls(value: str) -> list[CredentialsUrl]:
    """Every URL in ``value`` that logs in with a well-known default password on a local
    or compose host (``postgresql://postgres:postgres@localhost/app``,
    ``amqp://guest:guest@rabbitmq//``): not a secret, but a Space that uses it runs with a
    password everyone knows, or fails to connect. Template passwords are not."""
    return _urls(
        value, lambda password, host: not _is_template(password) and _is_default(password, host)
    )


def _urls(value: str, wanted: Callable[[str, str], bool]) -> list[CredentialsUrl]:
    found: list[CredentialsUrl] = []
    for match in CREDENTIALS_URL.finditer(value):
        host = match.group("host")
        if not wanted(match.group("password"), host):
            continue
        end = match.end()
        while end < len(value) and not value[end].isspace() and value[end] not in "\"'{}":
            end += 1
        found.append(
            CredentialsUrl(
                scheme=match.group("scheme"),
                user=match.group("user"),
                host=host.rsplit(":", 1)[0] if host.count(":") == 1 else host,
                start=match.start(),
                end=end,
                password_start=match.start("password"),
                password_end=match.end("password"),
            )
        )
    return found
