"""Packages the app needs at run time that no import statement names.

FastAPI, Starlette, pydantic and SQLAlchemy import some packages only when a feature is
used: a ``Form`` parameter needs python-multipart, ``EmailStr`` needs email-validator, a
``postgresql+asyncpg://`` URL needs asyncpg. Each :class:`Need` carries the requirement to
add, the reason shown to the user, and where the code showed it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hffix.deps.modules import imports_of, parse_or_none


@dataclass(frozen=True)
class Need:
    requirement: str  # the line to add, e.g. "python-multipart"
    name: str  # canonical distribution name
    reason: str
    path: str
    line: int
    # Only a declaration whose versions all lie below this one satisfies the need ("5" for
    # bcrypt under passlib); None: any declaration does.
    below: str | None = None


# (module, imported name) -> (requirement, canonical name, reason)
_BY_NAME: dict[tuple[str, str], tuple[str, str, str]] = {}


def _names(modules: Iterable[str], names: Iterable[str], need: tuple[str, str, str]) -> None:
    for module in modules:
        for name in names:
            _BY_NAME[(module, name)] = need


_MULTIPART = (
    "python-multipart",
    "python-multipart",
    "FastAPI parses form and file uploads (`{name}`) with python-multipart",
)
_names(("fastapi", "fastapi.param_functions", "fastapi.params"), ("Form", "File"), _MULTIPART)
_names(("fastapi", "fastapi.datastructures"), ("UploadFile",), _MULTIPART)
_names(
    ("fastapi.security", "fastapi.security.oauth2"),
    ("OAuth2PasswordRequestForm", "OAuth2PasswordRequestFormStrict"),
    _MULTIPART,
)
_names(
    ("pydantic", "pydantic.networks"),
    ("EmailStr", "NameEmail"),
    ("email-validator", "email-validator", "pydantic's `{name}` validates with email-validator"),
)
_names(
    ("fastapi.templating", "starlette.templating"),
    ("Jinja2Templates",),
    ("jinja2", "jinja2", "`{name}` renders with Jinja2"),
)
_names(
    ("fastapi", "starlette.websockets", "fastapi.websockets"),
    ("WebSocket",),
    (
        "websockets",
        "websockets",
        "uvicorn serves WebSocket routes (`{name}`) only with the websockets package",
    ),
)
_names(
    ("starlette.middleware.sessions",),
    ("SessionMiddleware",),
    ("itsdangerous", "itsdangerous", "Starlette's `{name}` signs cookies with itsdangerous"),
)
_names(
    ("fastapi.responses", "starlette.responses"),
    ("ORJSONResponse",),
    ("orjson", "orjson", "`{name}` serialises with orjson"),
)
_names(
    ("fastapi.responses", "starlette.responses"),
    ("UJSONResponse",),
    ("ujson", "ujson", "`{name}` serialises with ujson"),
)
_GREENLET = (
    "greenlet",
    "greenlet",
    "SQLAlchemy's asyncio support (`{name}`) runs on greenlet, which SQLAlchemy 2.1 no "
    "longer installs by itself",
)
_names(
    ("sqlalchemy.ext.asyncio", "sqlmodel.ext.asyncio.session"),
    ("create_async_engine", "AsyncSession", "async_sessionmaker", "AsyncEngine"),
    _GREENLET,
)

# SQLAlchemy URL schemes -> the driver package they load. A bare `postgresql://` loads
# psycopg (3) from SQLAlchemy 2.1 on, which current sqlmodel installs, and psycopg2 before
# that (seen here: SQLAlchemy 2.1.9 raises "No module named 'psycopg'" for such a URL).
_POSTGRES_21 = ("psycopg[binary]", "psycopg")
_POSTGRES_20 = ("psycopg2-binary", "psycopg2-binary")
_BARE_POSTGRES = frozenset({"postgresql", "postgres"})
_DRIVERS: dict[str, tuple[str, str]] = {
    "postgresql": _POSTGRES_21,
    "postgres": _POSTGRES_21,
    "postgresql+psycopg2": ("psycopg2-binary", "psycopg2-binary"),
    "postgresql+asyncpg": ("asyncpg", "asyncpg"),
    "postgresql+psycopg": ("psycopg[binary]", "psycopg"),
    "postgresql+psycopg_async": ("psycopg[binary]", "psycopg"),
    "postgresql+pg8000": ("pg8000", "pg8000"),
    "mysql+pymysql": ("PyMySQL", "pymysql"),
    "mysql+aiomysql": ("aiomysql", "aiomysql"),
    "mysql+mysqlconnector": ("mysql-connector-python", "mysql-connector-python"),
    "sqlite+aiosqlite": ("aiosqlite", "aiosqlite"),
    "mssql+pyodbc": ("pyodbc", "pyodbc"),
}
_URL = re.compile(r"\b(?P<scheme>(?:postgres(?:ql)?|mysql|sqlite|mssql)(?:\+\w+)?)://")
_SQL_TOOLKITS = frozenset({"sqlalchemy", "sqlmodel", "databases", "alembic"})
_CRYPT_CONTEXT_BCRYPT = re.compile(r"CryptContext\s*\([^)]*[\"']bcrypt[\"']", re.DOTALL)
_FORM_CALL = re.compile(r"\bawait\s+[\w.]+\.form\s*\(")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _string_constants(source: str, tree: ast.Module | None) -> Iterator[tuple[str, int]]:
    if tree is None:
        for match in _URL.finditer(source):
            yield match.group(0), _line_of(source, match.start())
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, node.lineno


def python_needs(
    path: str, source: str, tree: ast.Module | None = None, *, sqlalchemy_20: bool = False
) -> list[Need]:
    """What the code of one runtime file implies (``tree``: its ``ast``, if already parsed)."""
    needs: list[Need] = []
    if tree is None:
        tree = parse_or_none(source)
    uses = imports_of(source, tree)
    modules = {use.module.split(".")[0] for use in uses if not use.level}
    for use in uses:
        for name in use.names:
            found = _BY_NAME.get((use.module, name))
            if found is not None:
                requirement, canonical, reason = found
                needs.append(Need(requirement, canonical, reason.format(name=name), path, use.line))
    for attribute, module in (("Form", "fastapi"), ("File", "fastapi"), ("UploadFile", "fastapi")):
        if f"{module}.{attribute}" not in source:  # the plain test first: the search is dearer
            continue
        match = re.search(rf"\b{module}\.{attribute}\b", source)
        if match:
            reason = _MULTIPART[2].format(name=attribute)
            needs.append(Need(*_MULTIPART[:2], reason, path, _line_of(source, match.start())))
    match = _FORM_CALL.search(source) if ".form" in source else None
    if match:
        reason = "Starlette's `request.form()` parses form data with python-multipart"
        needs.append(Need(*_MULTIPART[:2], reason, path, _line_of(source, match.start())))
    if "passlib" in modules:
        match = _CRYPT_CONTEXT_BCRYPT.search(source)
        bcrypt_import = next(
            (u for u in uses if u.module == "passlib.hash" and "bcrypt" in u.names), None
        )
        line = (
            _line_of(source, match.start()) if match else bcrypt_import.line if bcrypt_import else 0
        )
        if line:
            needs.append(
                Need(
                    "bcrypt<5",
                    "bcrypt",
                    "passlib hashes bcrypt passwords with the bcrypt package, and passlib "
                    "1.7.4 fails with bcrypt 5 (ValueError: password cannot be longer than "
                    "72 bytes)",
                    path,
                    line,
                    below="5",
                )
            )
    # A database URL is written with its "://" (an escaped one is not seen): the plain test
    # spares the walk over every string of the many modules that import the toolkit.
    if modules & _SQL_TOOLKITS and "://" in source:
        for text, line in _string_constants(source, tree):
            needs.extend(url_needs(text, path, line, sqlalchemy_20=sqlalchemy_20))
    return needs


def url_needs(
    text: str, path: str, line: int = 0, *, sqlalchemy_20: bool = False
) -> Iterator[Need]:
    """Drivers named by database URL schemes in ``text`` (values are never copied).

    ``sqlalchemy_20``: the requirements hold SQLAlchemy below 2.1, whose `postgresql://`
    default driver is psycopg2 rather than psycopg (3)."""
    for match in _URL.finditer(text):
        scheme = match["scheme"].lower()
        driver = _DRIVERS.get(scheme)
        if driver is None:
            continue
        at = line or _line_of(text, match.start())
        if scheme in _BARE_POSTGRES:
            driver = _POSTGRES_20 if sqlalchemy_20 else _POSTGRES_21
            version = "2.0" if sqlalchemy_20 else "2.1"
            reason = f"SQLAlchemy {version} loads {driver[0]} for `{scheme}://` URLs"
        else:
            reason = f"SQLAlchemy loads the {driver[0]} driver for `{scheme}://` URLs"
        yield Need(driver[0], driver[1], reason, path, at)
