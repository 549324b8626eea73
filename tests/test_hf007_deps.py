"""HF007's building blocks: manifests, requirement files, modules, the distribution table."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hffix.deps import distributions, implied, manifests, modules, reqfiles
from hffix.deps.stdlib import STDLIB_310, is_stdlib, newer_module
from hffix.repository.workspace import Workspace


def workspace(root: Path, files: dict[str, str | bytes]) -> Workspace:
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return Workspace.load(root)


# ---------------------------------------------------------------- Poetry / PEP 621 / Pipfile
@pytest.mark.parametrize(
    ("poetry", "pep440"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^1.2", ">=1.2,<2.0"),
        ("^1", ">=1,<2"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0.0", ">=0.0,<0.1"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.4.2", "~=1.4.2"),
        ("*", ""),
        ("1.2.3", "==1.2.3"),
        ("1.2.*", "==1.2.*"),
        (">=1.2,<1.5", ">=1.2,<1.5"),
        (">= 1.2 < 1.5", ">=1.2,<1.5"),
    ],
)
def test_poetry_constraints_convert_exactly(poetry: str, pep440: str) -> None:
    assert manifests.poetry_constraint(poetry) == pep440


def test_poetry_or_constraint_is_refused() -> None:
    with pytest.raises(manifests.ConversionError):
        manifests.poetry_constraint("^1.0 || ^2.0")


def test_poetry_tables() -> None:
    text = """
[tool.poetry.dependencies]
python = "^3.10"
uvicorn = {version = "^0.29", extras = ["standard"], markers = "sys_platform == 'linux'"}
orjson = [{version = "^3.9", python = "<3.12"}, {version = "^3.10", python = ">=3.12"}]
lib = {git = "https://github.com/org/lib.git", tag = "v1.0"}
local = {path = "../local", develop = true}
extra = {version = "*", optional = true}
[tool.poetry.group.dev.dependencies]
pytest = "*"
"""
    [declared] = manifests.pyproject_dependencies("pyproject.toml", text)
    assert declared.lines == [
        "uvicorn[standard]>=0.29,<0.30; sys_platform == 'linux'",
        'orjson>=3.9,<4.0; python_version < "3.12"',
        'orjson>=3.10,<4.0; python_version >= "3.12"',
        "lib @ git+https://github.com/org/lib.git@v1.0",
    ]
    assert len(declared.problems) == 1 and "local path" in declared.problems[0]
    for line in declared.lines:
        Requirement(line)


def test_pep621_keeps_lines_and_reports_invalid() -> None:
    text = '[project]\ndependencies = ["fastapi>=0.110", "bad req ^^"]\n'
    [declared] = manifests.pyproject_dependencies("pyproject.toml", text)
    assert declared.lines == ["fastapi>=0.110"]
    assert declared.problems and "bad req" in declared.problems[0]


def test_pipfile_packages() -> None:
    text = (
        '[packages]\nfastapi = "*"\nuvicorn = {version = ">=0.29", extras = ["standard"]}\n'
        'pywin32 = {version = "*", sys_platform = "== \'win32\'"}\n'
        '[dev-packages]\npytest = "*"\n'
    )
    declared = manifests.pipfile_packages("Pipfile", text)
    assert declared.lines == [
        "fastapi",
        "uvicorn[standard]>=0.29",
        "pywin32; sys_platform == 'win32'",
    ]


def test_invalid_toml_is_a_problem_not_a_crash() -> None:
    [declared] = manifests.pyproject_dependencies("pyproject.toml", "[project\n")
    assert declared.problems


# ---------------------------------------------------------------- requirement files
def test_utf16_without_bom_is_recovered(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {"requirements.txt": "fastapi\r\nuvicorn\r\n".encode("utf-16-le")})
    read = reqfiles.read(ws, "requirements.txt")
    assert read is not None
    assert read.text == "fastapi\r\nuvicorn\r\n"
    assert read.recovered == "UTF-16 without BOM"
    assert not read.is_utf8


def test_utf16_with_bom_is_read_by_the_workspace(tmp_path: Path) -> None:
    raw = "\ufefffastapi\n".encode("utf-16-be")
    ws = workspace(tmp_path, {"requirements.txt": raw})
    read = reqfiles.read(ws, "requirements.txt")
    assert read is not None and read.text == "fastapi\n" and read.recovered is None
    assert not read.is_utf8


def test_flatten_follows_includes_and_rebases_constraints(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path,
        {
            "backend/requirements.txt": "-r reqs/base.txt\nfastapi\n",
            "backend/reqs/base.txt": "-c pins.txt\n-r ../requirements.txt\nsqlmodel\n",
            "backend/reqs/pins.txt": "sqlalchemy<2.1\n",
        },
    )
    flat = reqfiles.flatten(ws, "backend/requirements.txt")
    assert [line.text for line in flat.lines] == ["-c backend/reqs/pins.txt", "sqlmodel", "fastapi"]
    assert flat.files == ["backend/requirements.txt", "backend/reqs/base.txt"]


def test_flatten_reports_missing_includes(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {"backend/requirements.txt": "-r nowhere.txt\n"})
    assert reqfiles.flatten(ws, "backend/requirements.txt").missing == ["backend/nowhere.txt"]


# ---------------------------------------------------------------- modules
def test_first_party_names(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path,
        {
            "main.py": "",
            "app/__init__.py": "",
            "services/ns/mod.py": "",  # namespace package
            "backend/api/__init__.py": "",
            "src/pkg/__init__.py": "",
            "not-a-module/x.py": "",
        },
    )
    assert modules.first_party_names(ws, ["", "backend"]) == {
        "main",
        "app",
        "services",
        "backend",
        "api",
        "pkg",
    }


def test_imports_of_marks_guards() -> None:
    source = (
        "import os\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import boto3\n"
        "try:\n    import ujson\nexcept ImportError:\n    ujson = None\n"
        "from . import sibling\nfrom ..pkg import thing\n"
        "def f():\n    import requests\n"
    )
    uses = {u.module or f"{'.' * u.level}": u for u in modules.imports_of(source)}
    assert uses["boto3"].type_checking and not uses["boto3"].optional
    assert uses["ujson"].optional
    assert uses["requests"].line == 12 and not uses["requests"].optional
    assert uses["pkg"].level == 2


def test_imports_of_unparsable_source_falls_back_to_lines() -> None:
    source = "import httpx\ntype X = int\nfrom yaml import safe_load\n"
    names = [u.module for u in modules.imports_of(source)]
    assert "httpx" in names and "yaml" in names


def test_runtime_files_follow_first_party_imports(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path,
        {
            "main.py": "from app.routes import router\n",
            "app/__init__.py": "",
            "app/routes.py": "from .deps import x\n",
            "app/deps.py": "",
            "app/plugins/extra.py": "import plugin_lib\n",
            "scripts/seed.py": "import faker\n",
            "tests/test_app.py": "import pytest\n",
        },
    )
    files = modules.runtime_files(ws, ["main.py"], [""])
    assert files == [
        "app/__init__.py",
        "app/deps.py",
        "app/plugins/extra.py",
        "app/routes.py",
        "main.py",
    ]


# ---------------------------------------------------------------- stdlib and table
def test_stdlib_is_310s() -> None:
    assert len(STDLIB_310) == 303
    assert "tomllib" not in STDLIB_310 and "binhex" in STDLIB_310 and "distutils" in STDLIB_310
    assert is_stdlib("concurrent.futures") and not is_stdlib("fastapi")
    assert newer_module("tomllib") == "3.11" and newer_module("wsgiref.types") == "3.11"
    assert newer_module("wsgiref") is None


def test_table_has_the_issues_examples() -> None:
    table = distributions.IMPORT_DISTRIBUTIONS
    assert len(table) >= 150
    expected = {
        "jwt": "PyJWT",
        "jose": "python-jose",
        "yaml": "PyYAML",
        "dotenv": "python-dotenv",
        "PIL": "Pillow",
        "cv2": "opencv-python-headless",
        "sklearn": "scikit-learn",
        "bs4": "beautifulsoup4",
        "psycopg2": "psycopg2-binary",
        "multipart": "python-multipart",
        "google.generativeai": "google-generativeai",
        "langchain_openai": "langchain-openai",
        # Imports whose own name on PyPI is another project: never guess them.
        "decouple": "python-decouple",
        "fitz": "PyMuPDF",
        "whisper": "openai-whisper",
        "ffmpeg": "ffmpeg-python",
        "telegram": "python-telegram-bot",
    }
    for module, dist in expected.items():
        assert table[module] == dist


def test_resolve_uses_longest_prefix_and_never_guesses() -> None:
    assert distributions.resolve("google.generativeai.types") == distributions.Resolution(
        "google-generativeai", "table"
    )
    assert distributions.resolve("google") is None
    assert distributions.resolve("acme_internal_sdk_xyz") is None
    # Not in the table but installed here (hffix's own dependency): found in the metadata.
    found = distributions.resolve("pathspec")
    assert found is not None and found.source in {"table", "environment"}
    assert distributions.resolve("pathspec", environment=False) in {
        None,
        distributions.Resolution("pathspec", "table"),
    }


def _installed_files() -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for dist in importlib.metadata.distributions():
        name = str(canonicalize_name(dist.metadata["Name"]))
        files[name] = [str(f) for f in dist.files or []]
    return files


def test_table_entries_match_installed_metadata() -> None:
    """Every entry whose distribution is installed here ships the module it maps."""
    installed = _installed_files()
    checked = 0
    for module, dist in distributions.IMPORT_DISTRIBUTIONS.items():
        files = installed.get(str(canonicalize_name(dist)))
        if files is None:
            continue
        path = module.replace(".", "/")
        assert any(f.startswith((f"{path}/", f"{path}.")) for f in files), (module, dist)
        checked += 1
    assert checked >= 10


# ---------------------------------------------------------------- runtime-implied needs
def test_implied_needs() -> None:
    source = (
        "from fastapi import FastAPI, File, UploadFile\nfrom pydantic import EmailStr\n"
        "from passlib.context import CryptContext\nimport sqlalchemy\n"
        'pwd = CryptContext(schemes=["bcrypt"])\n'
        'URL = "postgresql+psycopg://u@h/db"\nOTHER = "mysql+pymysql://h/db"\n'
    )
    needs = {(n.requirement, n.line) for n in implied.python_needs("main.py", source)}
    assert needs == {
        ("python-multipart", 1),
        ("email-validator", 2),
        ("bcrypt<5", 5),
        ("psycopg[binary]", 6),
        ("PyMySQL", 7),
    }


def test_urls_without_a_sql_toolkit_are_ignored() -> None:
    source = 'URL = "postgresql+asyncpg://h/db"\n'
    assert implied.python_needs("main.py", source) == []


def test_a_module_importing_a_test_framework_is_test_code() -> None:
    import ast

    from hffix.project.layout import is_test_module

    def module(source: str, path: str = "app/check.py") -> bool:
        return is_test_module(path, ast.parse(source))

    assert module("import pytest\n")
    assert module("from hypothesis import given\n")
    assert module("import unittest\n")
    assert not module("from unittest import mock\nimport httpx\n")
    assert not module("from unittest.mock import patch\n")
    assert not module("import httpx\n")
    assert module("import httpx\n", path="tests/helpers.py")
    assert not module("def f():\n    import pytest\n")  # only module-level imports count


# ---------------------------------------------------------------- issue 17: pins, drivers, APIs
@pytest.mark.parametrize(
    ("url", "requirement"),
    [
        ("mysql://u@h/db", "mysqlclient"),
        ("mysql+mysqldb://u@h/db", "mysqlclient"),
        ("mysql+pymysql://u@h/db", "PyMySQL"),
        ("mysql+aiomysql://u@h/db", "aiomysql"),
        ("mysql+asyncmy://u@h/db", "asyncmy"),
        ("mariadb+pymysql://u@h/db", "PyMySQL"),
        ("postgresql+psycopg://u@h/db", "psycopg[binary]"),
        ("postgresql+asyncpg://u@h/db", "asyncpg"),
        ("mssql+pyodbc://u@dsn", "pyodbc"),
        ("mssql+pymssql://u@h/db", "pymssql"),
        ("sqlite+aiosqlite:///x.db", "aiosqlite"),
        ("oracle+oracledb://u@h/db", "oracledb"),
    ],
)
def test_a_driver_for_every_url_scheme(url: str, requirement: str) -> None:
    assert [n.requirement for n in implied.url_needs(url, "x.py", 1)] == [requirement]


def test_mongodb_srv_needs_dnspython_only_with_a_mongo_driver() -> None:
    url = 'URL = "mongodb+srv://cluster0.example.net/app"\n'
    assert implied.python_needs("db.py", url) == []
    assert [n.requirement for n in implied.python_needs("db.py", "import motor\n" + url)] == [
        "dnspython"
    ]
    sql_only = frozenset({implied.SQL})
    assert list(implied.url_needs(url, "db.py", databases=sql_only)) == []


def test_urls_are_read_wherever_the_app_uses_a_toolkit() -> None:
    source = 'URL = "postgresql+asyncpg://h/db"\n'  # the module imports no toolkit itself
    families = implied.database_families({"sqlalchemy", "httpx"})
    needs = implied.python_needs("urls.py", source, databases=families)
    assert [n.requirement for n in needs] == ["asyncpg"]


def test_sqlalchemy_below_2_1_means_psycopg2_and_brings_greenlet() -> None:
    source = (
        "from sqlalchemy import create_engine\n"
        "from sqlalchemy.ext.asyncio import create_async_engine\n"
        'engine = create_engine("postgresql://u@h/db")\n'
    )
    pinned = implied.python_needs("db.py", source, sqlalchemy="SQLAlchemy==1.4.52", greenlet=False)
    assert [(n.requirement, n.reason) for n in pinned] == [
        (
            "psycopg2-binary",
            "`SQLAlchemy==1.4.52`, below 2.1, loads psycopg2-binary for `postgresql://` URLs",
        )
    ]
    newest = implied.python_needs("db.py", source)
    assert {n.requirement for n in newest} == {"greenlet", "psycopg[binary]"}


ROOT_VALIDATORS = (
    "from pydantic import root_validator\n"
    "class A:\n"
    "    @root_validator\n"
    "    def a(cls, v): ...\n"
    "    @root_validator(skip_on_failure=True)\n"
    "    def b(cls, v): ...\n"
)


@pytest.mark.parametrize(
    ("source", "uses"),
    [
        ("from pydantic import BaseSettings\n", [(1, True)]),
        ("from pydantic import BaseModel, validator\n", [(1, False)]),
        ("from pydantic.env_settings import BaseSettings\n", [(1, True)]),
        ("from pydantic import Field\nx = Field(..., regex='a')\n", [(1, True)]),
        (ROOT_VALIDATORS, [(1, False), (1, True)]),  # the import, then the bare decorator
        ("from pydantic import ConfigDict, field_validator\n", [(2, False), (2, False)]),
        ("from pydantic_settings import BaseSettings\n", [(2, False)]),
        ("class A:\n    model_config = {}\n", []),  # no pydantic in the module at all
        ("import pydantic\nclass A(pydantic.BaseModel):\n    model_config = {}\n", [(2, False)]),
    ],
)
def test_pydantic_api(source: str, uses: list[tuple[int, bool]]) -> None:
    import ast

    found = implied.pydantic_api("m.py", source, ast.parse(source))
    assert [(u.version, u.breaks) for u in found] == uses


def test_pydantic_api_says_what_it_saw() -> None:
    import ast

    source = "from pydantic import BaseSettings, validator\n"
    found = implied.pydantic_api("config.py", source, ast.parse(source))
    assert [(u.what, u.path, u.line) for u in found] == [
        ("`from pydantic import BaseSettings`", "config.py", 1),
        ("`from pydantic import validator`", "config.py", 1),
    ]


def test_setup_py_install_requires_only() -> None:
    text = (
        "from setuptools import setup\n"
        'DEPS = ["fastapi>=0.110", "Markdown"]\n'
        "setup(name='x', install_requires=DEPS, setup_requires=['setuptools', 'wheel'],\n"
        "      extras_require={'dev': ['pytest']})\n"
    )
    found = manifests.setup_py_requirements("setup.py", text)
    assert found is not None and found.lines == ["fastapi>=0.110", "Markdown"]
    computed = "setup(install_requires=open('r.txt').read().split())\n"
    assert manifests.setup_py_requirements("setup.py", computed) is None
    assert manifests.setup_py_requirements("setup.py", "setup(\n") is None


def test_alternatives_provide_the_same_import() -> None:
    assert distributions.alternatives("psycopg2") == {"psycopg2-binary"}
    assert "opencv-python" in distributions.alternatives("opencv-python-headless")
    assert distributions.alternatives("psycopg") == frozenset()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("app/main.py", True),
        ("backend/app/routes.py", True),
        (".claude/skills/api/template.py", False),
        ("docs/tutorial/main.py", False),
        ("examples/chat/main.py", False),
        ("{{cookiecutter.name}}/main.py", False),
        ("tests/conftest.py", False),
    ],
)
def test_what_may_be_the_app(path: str, expected: bool) -> None:
    from hffix.deps.tree import is_app_code

    assert is_app_code(path) is expected


def test_manifest_folders_are_one_service(tmp_path: Path) -> None:
    from hffix.deps.tree import manifest_folders
    from hffix.facts import AppLocation, Facts

    app = "from fastapi import FastAPI\napp = FastAPI()\n"
    ws = workspace(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'cli'\n",
            "one/backend/main.py": app,
            "one/backend/requirements.txt": "fastapi==0.95\n",
            "two/backend/app/main.py": app,
            "two/backend/requirements.txt": "fastapi==0.115\n",
        },
    )
    chosen = Facts(app=AppLocation("two/backend/app/main.py", "app", "two/backend"))
    assert manifest_folders(ws, chosen) == ["two/backend"]  # not the root CLI's pyproject
    assert manifest_folders(ws, Facts()) == [""]  # two services, none chosen: the root only
    alone = workspace(tmp_path / "alone", {"pyproject.toml": "", "api/main.py": app})
    assert manifest_folders(alone, Facts()) == [""]
