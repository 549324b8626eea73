"""Generated apps that read their configuration from the environment boot under
``hffix verify`` with only the variables ``.env.example`` lists given, and without them fail
naming one.

The apps are :mod:`tests.test_properties`'s generated FastAPI modules (server starts,
``__main__`` blocks, a hardcoded key), each with reads appended that crash at import when
their variable is unset: ``os.environ[...]``, ``int(os.getenv(...))``, pydantic-settings
classes (``env_prefix``, an alias, a nested model with ``env_nested_delimiter``), a loop over
required names, a helper that passes its parameter to ``os.environ``, ``dotenv_values``
merged with the environment, a method called on ``os.environ.get(...)``. After
``hffix --write``, the app is booted in a clean environment holding only the names the new
``.env.example`` lists (each set to ``1``): every one must answer.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hffix
from hffix.verify import VerifyOptions, verify
from hffix.verify.envvars import example_names
from tests.test_properties import SPEC_REQUIREMENTS, Module, modules

pytestmark = [
    pytest.mark.slow,  # boots two servers per generated app
    pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX"),
]

READS: dict[str, list[str]] = {
    "subscript": ['DB_URL = os.environ["DB_URL"]'],
    "int": ['DB_PORT = int(os.getenv("DB_PORT"))'],
    "method_on_none": ['API_BASE = os.environ.get("API_BASE").rstrip("/")'],
    "settings": [
        "from pydantic_settings import BaseSettings, SettingsConfigDict",
        "class Settings(BaseSettings):",
        '    model_config = SettingsConfigDict(env_prefix="APP_")',
        "    jwt_secret: str",
        "    workers: int",
        "settings = Settings()",
    ],
    "alias": [
        "from pydantic import Field",
        "from pydantic_settings import BaseSettings",
        "class Keys(BaseSettings):",
        '    openai: str = Field(alias="OPENAI_KEY")',
        "keys = Keys()",
    ],
    "nested": [
        "from pydantic import BaseModel",
        "from pydantic_settings import BaseSettings, SettingsConfigDict",
        "class Database(BaseModel):",
        "    host: str",
        "    port: int",
        "class Store(BaseSettings):",
        '    model_config = SettingsConfigDict(env_nested_delimiter="__")',
        "    db: Database",
        "store = Store()",
    ],
    "loop": [
        'REQUIRED = ("POSTGRES_USER", "POSTGRES_DB")',
        "_missing = [name for name in REQUIRED if not os.getenv(name)]",
        "if _missing:",
        '    raise RuntimeError("Missing environment variables: " + ", ".join(_missing))',
    ],
    "helper": [
        "def require_env(name):",
        "    value = os.environ.get(name)",
        "    if value is None:",
        '        raise RuntimeError(f"{name} is not set")',
        "    return value",
        'SENTRY_DSN = require_env("SENTRY_DSN")',
    ],
    "dotenv": [
        "from dotenv import dotenv_values",
        '_config = {**dotenv_values(".env"), **os.environ}',
        'SMTP_HOST = _config["SMTP_HOST"]',
    ],
    "signing_default": ['SECRET_KEY = os.getenv("SECRET_KEY", "change-me")'],
}
REQUIRED = sorted(name for name in READS if name != "signing_default")


@st.composite
def apps(draw: st.DrawFn) -> tuple[Module, list[str]]:
    module = draw(modules())
    chosen = draw(st.lists(st.sampled_from(sorted(READS)), min_size=1, max_size=4, unique=True))
    if not any(name in REQUIRED for name in chosen):
        chosen.append(draw(st.sampled_from(REQUIRED)))
    return module, chosen


def _write(root: Path, module: Module, chosen: list[str]) -> None:
    newline = "\r\n" if "\r\n" in module.text else "\n"
    lines = [line for name in chosen for line in READS[name]]
    text = module.text.rstrip("\r\n") + newline * 2 + newline.join(lines) + newline
    root.mkdir()
    (root / "main.py").write_text(text, newline="")
    (root / "requirements.txt").write_text(SPEC_REQUIREMENTS + "pydantic-settings\n")


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(app=apps())
def test_generated_apps_boot_with_what_the_example_lists(app: tuple[Module, list[str]]) -> None:
    module, chosen = app
    with tempfile.TemporaryDirectory(prefix="hffix-env-") as tmp:
        root = Path(tmp) / "repo"
        _write(root, module, chosen)
        written = hffix.fix(root, write=True)
        assert written.error is None, written.error
        listed = example_names(root)
        assert listed, "no .env.example was written"
        bare = verify(root, VerifyOptions(clean_env=True, timeout=30, shutdown_timeout=5))
        assert not bare.boot.ok, f"{chosen}: boots without its variables"
        assert any(name in bare.reason() for name in listed), bare.reason()
        given_env = {name: "1" for name in listed}
        report = verify(
            root,
            VerifyOptions(variables=given_env, clean_env=True, timeout=30, shutdown_timeout=5),
        )
        failure = report.boot.failure
        detail = failure.detail if failure is not None else ""
        assert report.boot.ok, f"{chosen}: {report.reason()}\n{detail}"
