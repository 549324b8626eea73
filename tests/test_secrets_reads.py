"""What a module reads of the environment, and what a Space cannot give it
(:mod:`hffix.secrets.reads`), read from the ``ast``."""

# ruff: noqa: E501 - the sources read are written one statement a line, as modules have them

from __future__ import annotations

import ast

import pytest

from hffix.secrets.reads import scan, wrappers_in


def _reads(source: str) -> list[tuple[str, int, bool]]:
    tree = ast.parse(source)
    return [(r.variable, r.line, r.default) for r in scan(tree, wrappers_in(tree)).reads]


def _unprovided(source: str) -> list[tuple[str, int, str, tuple[str, ...]]]:
    tree = ast.parse(source)
    return [(u.kind, u.line, u.subject, u.variables) for u in scan(tree).unprovided]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('import os\nA = os.environ["A"]\n', [("A", 2, False)]),
        ('import os\nA = os.environ.get("A")\n', [("A", 2, False)]),
        ('import os\nA = os.environ.get("A", None)\n', [("A", 2, False)]),
        ('import os\nA = os.environ.get("A", "x")\n', [("A", 2, True)]),
        ('import os\nA = os.getenv("A", default="")\n', [("A", 2, True)]),
        ('from os import getenv\nA = getenv("A")\n', [("A", 2, False)]),
        (
            'from os import environ as E\nA = E["A"]\nB = E.get("B", 1)\n',
            [("A", 2, False), ("B", 3, True)],
        ),
        ('import os as o\nA = o.environ["A"]\n', [("A", 2, False)]),
        ('import os\nENV = os.environ\nA = ENV["A"]\n', [("A", 3, False)]),
        ('import os\nos.environ.setdefault("A", "1")\n', [("A", 2, True)]),
        ('import os\nos.environ["A"] = "1"\n', []),  # a write, not a read
        (
            'from decouple import config\nA = config("A")\nB = config("B", default=1)\n',
            [("A", 2, False), ("B", 3, True)],
        ),
        (
            "from decouple import AutoConfig\nsettings = AutoConfig()\nA = settings('A', cast=int)\n",
            [("A", 3, False)],
        ),
        (
            'from environs import Env\nenv = Env()\nA = env("A")\nB = env.int("B", 3)\nC = env.bool("C")\n',
            [("A", 3, False), ("B", 4, True), ("C", 5, False)],
        ),
        (
            "import environ\nenv = environ.Env(DEBUG=(bool, False))\nD = env('DEBUG')\nDB = env.db()\n",
            [("DEBUG", 3, True), ("DATABASE_URL", 4, False)],
        ),
        (
            'import os\nfrom dotenv import dotenv_values\ncfg = {**dotenv_values(".env"), **os.environ}\n'
            'A = cfg["A"]\nB = cfg.get("B", "x")\n',
            [("A", 4, False), ("B", 5, True)],
        ),
        (
            "import os\nREQUIRED = ('A', 'B')\nmissing = [n for n in REQUIRED if not os.getenv(n)]\n",
            [("A", 3, False), ("B", 3, False)],
        ),
        (
            "import os\nfor name in ['A', 'B']:\n    os.environ[name]\n",
            [("A", 3, False), ("B", 3, False)],
        ),
        (
            "import os\n\ndef need(name, default=None):\n    return os.getenv(name, default)\n\n"
            "A = need('A')\nB = need('B', 'x')\n",
            [("A", 6, False), ("B", 7, True)],
        ),
        ('import os\nA = os.environ[f"{P}_A"]\n', []),  # a name made at run time
        (  # the loop's variable, not a parameter spelt the same elsewhere
            "import os\n\ndef need(name):\n    return os.environ[name]\n\n"
            "missing = [name for name in ('A',) if not os.getenv(name)]\n",
            [("A", 6, False)],
        ),
    ],
)
def test_reads(source: str, expected: list[tuple[str, int, bool]]) -> None:
    assert _reads(source) == expected


SETTINGS = """\
from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Database(BaseModel):
    host: str
    port: int = 5432


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__")

    title: str = "Notes"
    jwt_secret: str
    token: str = Field(...)
    key: str = Field(validation_alias=AliasChoices("OPENAI_API_KEY", "OPENAI_KEY"))
    hf: str | None = Field(default=None, alias="hf_token")
    made: list[str] = Field(default_factory=list)
    db: Database
    _private: str = "x"


class Child(Settings):
    extra: int = 1
"""


def test_pydantic_settings_fields() -> None:
    assert _reads(SETTINGS) == [
        ("APP_TITLE", 13, True),
        ("APP_JWT_SECRET", 14, False),
        ("APP_TOKEN", 15, False),  # Field(...) is required
        ("OPENAI_API_KEY", 16, False),  # an alias: no prefix
        ("HF_TOKEN", 17, True),
        ("APP_MADE", 18, True),
        ("APP_DB__HOST", 19, False),  # the nested model's fields, where the class names it
        ("APP_DB__PORT", 19, True),
        ("APP_EXTRA", 24, True),  # a subclass keeps the prefix
    ]


def test_pydantic_v1_config_class_and_env() -> None:
    source = (
        "from typing import Optional\nfrom pydantic import BaseSettings, Field\n\n\n"
        "class S(BaseSettings):\n    a: str\n    b: Optional[str]\n"
        '    c: str = Field(..., env="CEE")\n\n    class Config:\n        env_prefix = "X_"\n'
        "        case_sensitive = True\n"
    )
    # v1: Optional means a default of None; case_sensitive keeps the field's spelling.
    assert _reads(source) == [("X_a", 6, False), ("X_b", 7, True), ("CEE", 8, False)]


def test_what_a_space_cannot_provide() -> None:
    source = (
        "import os\nfrom pathlib import Path\nfrom dotenv import dotenv_values, load_dotenv\n"
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n"
        'KEY = open("/run/secrets/secret_key").read()\n'
        "os.environ.clear()\n"
        'load_dotenv(Path("/home/dev/app/.env"))\n'
        'load_dotenv(".env")\n'
        'cfg = dotenv_values(".env")\nA = cfg["OPENAI_API_KEY"]\n'
        "class S(BaseSettings):\n"
        '    model_config = SettingsConfigDict(env_file="/etc/app.env", secrets_dir="/run/secrets")\n'
        '"""Docker secrets in /run/secrets are not read here."""\n'
    )
    assert _unprovided(source) == [
        ("docker-secret", 5, "/run/secrets/secret_key", ("SECRET_KEY",)),
        ("environ-clear", 6, "os.environ.clear()", ()),
        ("fixed-env-file", 7, "/home/dev/app/.env", ()),
        ("dotenv-file", 9, "cfg", ("OPENAI_API_KEY",)),
        ("fixed-env-file", 12, "/etc/app.env", ()),
    ]
    # A dotenv mapping that the environment overrides is a plain read.
    merged = 'import os\nfrom dotenv import dotenv_values\ncfg = {**dotenv_values(), **os.environ}\nA = cfg["A"]\n'
    assert _unprovided(merged) == []
    assert [read.file_only for read in scan(ast.parse(source)).reads] == [True]


def test_wrappers_are_found_where_they_are_defined() -> None:
    tree = ast.parse(
        "import os\n\ndef get_env(key, fallback=None):\n    return os.environ.get(key, fallback)\n\n"
        "class Config:\n    def require(self, name):\n        return os.environ[name]\n"
    )
    found = wrappers_in(tree)
    assert set(found) == {"get_env", "require"}
    assert (found["require"].index, found["require"].default) == (0, False)
    # Used from another module, by name.
    other = ast.parse("from app.env import get_env\nA = get_env('A')\nB = get_env('B', '1')\n")
    assert [(r.variable, r.default) for r in scan(other, found).reads] == [
        ("A", False),
        ("B", True),
    ]
