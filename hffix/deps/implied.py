"""Packages the app needs at run time that no import statement names.

FastAPI, Starlette, pydantic, SQLAlchemy and pymongo import some packages only when a
feature is used: a ``Form`` parameter needs python-multipart, ``EmailStr`` needs
email-validator, a ``postgresql+asyncpg://`` URL needs asyncpg, a ``mongodb+srv://`` URL
needs dnspython. Each :class:`Need` carries the requirement to add, the reason shown to the
user, and where the code showed it.

:func:`pydantic_api` tells which pydantic the code is written for: v1-only API
(``from pydantic import BaseSettings``, ``@validator``) next to no v2-only API means the
Space must keep ``pydantic<2``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from hffix.deps.modules import ImportUse, imports_of, parse_or_none


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
    # Debian packages its installation needs (a driver compiled against a C library):
    # packages.txt, which a Space installs before requirements.txt.
    apt: tuple[str, ...] = ()


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
# that (seen here: SQLAlchemy 2.1.9 raises "No module named 'psycopg'" for such a URL). A
# bare `mysql://` (and `mariadb://`) loads MySQLdb, which mysqlclient provides; a bare
# `mssql://` loads pyodbc.
_POSTGRES_21 = ("psycopg[binary]", "psycopg")
_POSTGRES_20 = ("psycopg2-binary", "psycopg2-binary")
_BARE_POSTGRES = frozenset({"postgresql", "postgres"})
_MYSQLCLIENT = ("mysqlclient", "mysqlclient")
_PYMYSQL = ("PyMySQL", "pymysql")
# What mysqlclient's build needs from Debian (its sdist is all there is for Linux).
MYSQLCLIENT_APT = ("default-libmysqlclient-dev", "pkg-config")
_DRIVERS: dict[str, tuple[str, str]] = {
    "postgresql": _POSTGRES_21,
    "postgres": _POSTGRES_21,
    "postgresql+psycopg2": ("psycopg2-binary", "psycopg2-binary"),
    "postgresql+asyncpg": ("asyncpg", "asyncpg"),
    "postgresql+psycopg": ("psycopg[binary]", "psycopg"),
    "postgresql+psycopg_async": ("psycopg[binary]", "psycopg"),
    "postgresql+pg8000": ("pg8000", "pg8000"),
    "mysql": _MYSQLCLIENT,
    "mysql+mysqldb": _MYSQLCLIENT,
    "mysql+pymysql": _PYMYSQL,
    "mysql+aiomysql": ("aiomysql", "aiomysql"),
    "mysql+asyncmy": ("asyncmy", "asyncmy"),
    "mysql+mysqlconnector": ("mysql-connector-python", "mysql-connector-python"),
    "mariadb": _MYSQLCLIENT,
    "mariadb+mysqldb": _MYSQLCLIENT,
    "mariadb+pymysql": _PYMYSQL,
    "mariadb+mariadbconnector": ("mariadb", "mariadb"),
    "sqlite+aiosqlite": ("aiosqlite", "aiosqlite"),
    "mssql": ("pyodbc", "pyodbc"),
    "mssql+pyodbc": ("pyodbc", "pyodbc"),
    "mssql+aioodbc": ("aioodbc", "aioodbc"),
    "mssql+pymssql": ("pymssql", "pymssql"),
    "oracle+oracledb": ("oracledb", "oracledb"),
}
# MongoDB drivers resolve `mongodb+srv://` hosts through DNS SRV records with dnspython,
# which pymongo only installs by itself from 4.3 on (motor and older pins need it declared).
_MONGO_SRV = ("dnspython", "dnspython")
_URL = re.compile(
    r"\b(?P<scheme>(?:postgres(?:ql)?|mysql|mariadb|sqlite|mssql|oracle)(?:\+\w+)?"
    r"|mongodb\+srv)://"
)
_SQL_TOOLKITS = frozenset({"sqlalchemy", "sqlmodel", "databases", "alembic"})
MONGO_DRIVERS = frozenset({"pymongo", "motor", "beanie", "mongoengine", "odmantic"})
SQL = "sql"  # a database family the app's code uses (see python_needs' `databases`)
MONGO = "mongo"
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
    path: str,
    source: str,
    tree: ast.Module | None = None,
    *,
    uses: Sequence[ImportUse] | None = None,
    sqlalchemy: str | None = None,
    databases: frozenset[str] | None = None,
    greenlet: bool = True,
) -> list[Need]:
    """What the code of one runtime file implies (``tree``: its ``ast``, and ``uses``: its
    imports, if the caller has them already).

    ``databases``: the database families the whole app uses (:func:`database_families`),
    whose URLs in this file name drivers; ``None``: those this file's own imports show.
    ``sqlalchemy``: see :func:`url_needs`. ``greenlet``: whether SQLAlchemy's asyncio
    needs greenlet declared (SQLAlchemy below 2.1 installs it by itself)."""
    needs: list[Need] = []
    if tree is None:
        tree = parse_or_none(source)
    if uses is None:
        uses = imports_of(source, tree)
    modules = {use.module.split(".")[0] for use in uses if not use.level}
    for use in uses:
        for name in use.names:
            found = _BY_NAME.get((use.module, name))
            if found is not None:
                requirement, canonical, reason = found
                if found is _GREENLET and not greenlet:
                    continue
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
    if databases is None:
        databases = frozenset(
            family
            for family, toolkits in ((SQL, _SQL_TOOLKITS), (MONGO, MONGO_DRIVERS))
            if modules & toolkits
        )
    if databases and "://" in source and _URL.search(source):
        for text, line in _string_constants(source, tree):
            needs.extend(url_needs(text, path, line, sqlalchemy=sqlalchemy, databases=databases))
    return needs


def database_families(modules: Iterable[str]) -> frozenset[str]:
    """The database families (:data:`SQL`, :data:`MONGO`) whose toolkits ``modules``
    (top-level names) include: their URLs name a driver to install."""
    names = set(modules)
    return frozenset(
        family
        for family, toolkits in ((SQL, _SQL_TOOLKITS), (MONGO, MONGO_DRIVERS))
        if names & toolkits
    )


def url_needs(
    text: str,
    path: str,
    line: int = 0,
    *,
    sqlalchemy: str | None = None,
    databases: frozenset[str] = frozenset({SQL}),
) -> Iterator[Need]:
    """Drivers named by database URL schemes in ``text`` (values are never copied).

    ``sqlalchemy``: the declared SQLAlchemy requirement when it holds SQLAlchemy below 2.1
    (``SQLAlchemy==1.4.52``), whose `postgresql://` default driver is psycopg2 rather than
    psycopg (3). ``databases``: the families the code uses; other schemes are ignored."""
    for match in _URL.finditer(text):
        scheme = match["scheme"].lower()
        at = line or _line_of(text, match.start())
        if scheme == "mongodb+srv":
            if MONGO in databases:
                reason = (
                    "pymongo resolves `mongodb+srv://` hosts with dnspython, which it does not "
                    "install by itself before 4.3"
                )
                yield Need(*_MONGO_SRV, reason, path, at)
            continue
        driver = _DRIVERS.get(scheme)
        if driver is None or SQL not in databases:
            continue
        if scheme in _BARE_POSTGRES:
            driver = _POSTGRES_20 if sqlalchemy else _POSTGRES_21
            which = f"`{sqlalchemy}`, below 2.1," if sqlalchemy else "SQLAlchemy 2.1"
            reason = f"{which} loads {driver[0]} for `{scheme}://` URLs"
        elif driver == _MYSQLCLIENT:
            reason = (
                f"SQLAlchemy loads MySQLdb, which mysqlclient provides, for `{scheme}://` URLs "
                "(it compiles against the MySQL client library, so packages.txt gets "
                "default-libmysqlclient-dev and pkg-config)"
            )
            yield Need(*driver, reason, path, at, apt=MYSQLCLIENT_APT)
            continue
        else:
            reason = f"SQLAlchemy loads the {driver[0]} driver for `{scheme}://` URLs"
        yield Need(driver[0], driver[1], reason, path, at)


@dataclass(frozen=True)
class ApiUse:
    """Code written for one major version of pydantic."""

    what: str  # "`from pydantic import BaseSettings`"
    path: str
    line: int
    version: int  # 1 or 2
    breaks: bool = False  # pydantic 1 API that pydantic 2 removed: the import fails there


# pydantic 1 names pydantic 2 removed: importing one raises there (from pydantic's own
# migration table, pydantic/_migration.py, and its BaseSettings error).
_V1_REMOVED = {
    "pydantic": frozenset(
        {
            "BaseSettings", "ConstrainedBytes", "ConstrainedDate", "ConstrainedDecimal",
            "ConstrainedFloat", "ConstrainedFrozenSet", "ConstrainedInt", "ConstrainedList",
            "ConstrainedSet", "ConstrainedStr", "JsonWrapper", "NoneBytes", "NoneStr",
            "NoneStrBytes", "Protocol", "Required", "StrBytes", "compiled",
            "create_model_from_namedtuple", "create_model_from_typeddict", "parse_file_as",
            "parse_raw_as", "stricturl", "validate_model",
        }
    ),
    "pydantic.env_settings": frozenset({"*"}),
    "pydantic.typing": frozenset({"*"}),
    "pydantic.datetime_parse": frozenset({"*"}),
    "pydantic.error_wrappers": frozenset({"ErrorWrapper"}),
    "pydantic.fields": frozenset({"ModelField"}),
    "pydantic.types": frozenset(
        {
            "ConstrainedBytes", "ConstrainedDate", "ConstrainedDecimal", "ConstrainedFloat",
            "ConstrainedFrozenSet", "ConstrainedInt", "ConstrainedList", "ConstrainedSet",
            "ConstrainedStr", "JsonWrapper", "NoneBytes", "NoneStr", "NoneStrBytes", "StrBytes",
        }
    ),
}  # fmt: skip
# pydantic 1 API that pydantic 2 still runs, deprecated.
_V1_DEPRECATED = frozenset({"validator", "root_validator", "parse_obj_as"})
# Names only pydantic 2 has.
_V2_ONLY = frozenset(
    {
        "field_validator", "model_validator", "ConfigDict", "computed_field", "field_serializer",
        "model_serializer", "TypeAdapter", "ValidationInfo", "AliasChoices", "AliasPath",
        "SerializeAsAny", "PlainSerializer", "BeforeValidator", "AfterValidator",
        "PlainValidator", "WrapValidator",
    }
)  # fmt: skip
# Calls whose `regex=` pydantic 2 rejects (it is `pattern=` there).
_REGEX_CALLS = frozenset({"Field", "constr", "conbytes"})


def pydantic_api(
    path: str, source: str, tree: ast.Module | None, uses: Sequence[ImportUse] | None = None
) -> list[ApiUse]:
    """What the module at ``path`` uses of pydantic that only one major version has
    (``uses``: its imports, if the caller has them already)."""
    if "pydantic" not in source or tree is None:
        return []
    found: list[ApiUse] = []
    for use in imports_of(source, tree) if uses is None else uses:
        if use.level:
            continue
        top = use.module.split(".")[0]
        if top == "pydantic_settings":
            found.append(ApiUse(f"`{_written(use)}`", path, use.line, 2))
        elif top == "pydantic" and use.names:
            found.extend(_imported_api(path, use.module, use.names, use.line))
    # The rest needs the whole tree: walked only when the text can hold it.
    if not any(word in source for word in ("root_validator", "regex", "model_config")):
        return found
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.extend(_root_validators(path, node))
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name in _REGEX_CALLS and any(k.arg == "regex" for k in node.keywords):
                found.append(ApiUse(f"`{name}(regex=...)`", path, node.lineno, 1, breaks=True))
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "model_config" for t in node.targets
        ):
            found.append(ApiUse("`model_config = ...`", path, node.lineno, 2))
    return found


def _written(use: ImportUse) -> str:
    return f"from {use.module} import ..." if use.names else f"import {use.module}"


def _imported_api(path: str, module: str, names: tuple[str, ...], line: int) -> Iterator[ApiUse]:
    removed = _V1_REMOVED.get(module, frozenset())
    for name in names:
        what = f"`from {module} import {name}`"
        if name in removed or "*" in removed:
            yield ApiUse(what, path, line, 1, breaks=True)
        elif module == "pydantic" and name in _V1_DEPRECATED:
            yield ApiUse(what, path, line, 1)
        elif module == "pydantic" and name in _V2_ONLY:
            yield ApiUse(what, path, line, 2)


def _root_validators(path: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ApiUse]:
    """``@root_validator`` used the pydantic 1 way (no ``skip_on_failure=True``, not
    ``pre=True``), which pydantic 2 refuses when the class is defined."""
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
        if name != "root_validator":
            continue
        keywords = {
            k.arg: k.value.value
            for k in (call.keywords if call is not None else [])
            if isinstance(k.value, ast.Constant)
        }
        if keywords.get("skip_on_failure") is not True and keywords.get("pre") is not True:
            yield ApiUse("`@root_validator`", path, decorator.lineno, 1, breaks=True)
