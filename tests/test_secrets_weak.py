"""The pieces behind weak findings and the secrets/variables split: names that hold
credentials or signing keys, placeholders in other languages, placeholder signing keys,
default credentials, the names an app signs with, configuration files, and the one notion of
test code."""

from __future__ import annotations

import ast

import pytest

from hffix.config import Config
from hffix.secrets import configfiles
from hffix.secrets.classify import (
    DEFAULT_CREDENTIALS,
    PLACEHOLDER_KEY,
    VARIABLE_NAME_KEY,
    default_credentials,
    weak_key,
)
from hffix.secrets.data import is_seed_path
from hffix.secrets.names import holds_credential, is_signing_key_name
from hffix.secrets.placeholders import is_placeholder
from hffix.secrets.scope import TestCode
from hffix.secrets.signing import signing_names


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DATABASE_URL", True),
        ("REDIS_URL", True),
        ("CELERY_BROKER_URL", True),
        ("MONGO_URI", True),
        ("OPENAI_API_KEY", True),
        ("HF_TOKEN", True),
        ("POSTGRES_PASSWORD", True),
        ("BETTER_AUTH_SECRET", True),
        ("DB_HOST", False),
        ("POSTGRES_USER", False),
        ("FRONTEND_URL", False),
        ("SENTRY_DSN", False),
        ("ACCESS_TOKEN_EXPIRE_MINUTES", False),
        ("ALGORITHM", False),
        ("DEBUG", False),
    ],
)
def test_holds_credential(name: str, secret: bool) -> None:
    assert holds_credential(name) is secret


@pytest.mark.parametrize(
    ("name", "signing"),
    [
        ("SECRET_KEY", True),
        ("secret_key", True),
        ("JWT_SECRET", True),
        ("JWT_KEY", True),
        ("SESSION_SECRET", True),
        ("FERNET_KEY", True),
        ("NEXTAUTH_SECRET", True),
        ("OPENAI_API_KEY", False),
        ("CLIENT_SECRET", False),
        ("STRIPE_SECRET_KEY", False),
        ("API_KEY", False),
        ("JWT_ALGORITHM", False),
        (None, False),
    ],
)
def test_is_signing_key_name(name: str | None, signing: bool) -> None:
    assert is_signing_key_name(name) is signing


@pytest.mark.parametrize(
    "value",
    [
        "sua-chave-aqui",
        "votre-cle-ici",
        "tu-clave-aqui",
        "ihr-schlüssel",
        "tua_chiave",
        "jouw-sleutel",
        "sua_senha",
        "dein-passwort-hier",
        "insira-sua-chave",
    ],
)
def test_placeholders_in_other_languages(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value", ["k3y-for-signing-tokens!", "hunter2-prod-9", "Zq8vX2mLp9rT4wKe7Hs1Jf5G", "tuba-9Xq"]
)
def test_real_looking_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    ("value", "name", "kind"),
    [
        ("change-me-in-production", "SECRET_KEY", PLACEHOLDER_KEY),
        ("your-secret-key", "JWT_KEY", PLACEHOLDER_KEY),
        ("secret", "SECRET_KEY", PLACEHOLDER_KEY),
        ("secret_key", "SECRET_KEY", PLACEHOLDER_KEY),
        ("SECRET_KEY", "SECRET_KEY", PLACEHOLDER_KEY),
        ("MY_APP_SECRET", "SECRET_KEY", VARIABLE_NAME_KEY),
        ("", "SECRET_KEY", None),
        ("s3cr3t-Value!", "SECRET_KEY", None),  # a real one: classify's, not weak
    ],
)
def test_weak_key(value: str, name: str, kind: str | None) -> None:
    found = weak_key(value, name)
    assert (found.kind if found else None) == kind


@pytest.mark.parametrize(
    ("value", "variable"),
    [
        ("postgresql://postgres:postgres@localhost/app", "DATABASE_URL"),
        ("amqp://guest:guest@localhost//", "AMQP_URL"),
        ("redis://:redis@redis:6379/0", "REDIS_URL"),
        ("mysql://root:root@127.0.0.1:3306/app", "DATABASE_URL"),
        ("postgresql://user:password@host:5432/dbname", None),  # a template
        ("postgresql://postgres:postgres@db.example.com/app", None),  # a real host: a secret
        ("sqlite:///./app.db", None),
    ],
)
def test_default_credentials(value: str, variable: str | None) -> None:
    found = default_credentials(value)
    assert (found.variable if found else None) == variable
    if found:
        assert found.kind == DEFAULT_CREDENTIALS
        assert ":…@" in found.masked  # the password never shows


def test_signing_names() -> None:
    tree = ast.parse(
        "import jwt, hmac\nfrom itsdangerous import URLSafeTimedSerializer\n"
        "from cryptography.fernet import Fernet\nfrom starlette.middleware.sessions import "
        "SessionMiddleware\n"
        "jwt.encode(p, KEY_A)\njwt.decode(t, key=settings.jwt_key)\n"
        "URLSafeTimedSerializer(str(KEY_B))\nFernet(KEY_C.encode())\nhmac.new(KEY_D, b'x')\n"
        "app.add_middleware(SessionMiddleware, secret_key=KEY_E)\n"
        "app.config['SECRET_KEY'] = KEY_F\napp.secret_key = KEY_G\n"
        "app.config['DEBUG'] = NOT_A_KEY\nprint(NOT_EITHER)\n"
        "hmac.new(key, b'x')\njwt.encode(p, secret)\n"  # parameters: too generic to follow
    )
    assert signing_names(tree) == {
        "KEY_A",
        "jwt_key",
        "KEY_B",
        "KEY_C",
        "KEY_D",
        "KEY_E",
        "KEY_F",
        "KEY_G",
    }


CONFIG = """\
services:
  api:
    environment:
      - SECRET_KEY=Xk93jfLq02mZp7RtW4
      - OPENAI_API_KEY=${OPENAI_API_KEY}
      - DATABASE_URL=postgresql://postgres:postgres@db:5432/app
    worker:
      JWT_SECRET: "s0me-r3al-v4lue-77"
      POSTGRES_PASSWORD: postgres
      API_VERSION: 1.4.2
{"api_key": "4f2a9c7e1b3d5f6a8c0e2d4b6f8a1c3e", "password": "Passwort", "example": "hunter2-prod-9"}
secret_key = q8Zr2pLm5Kx9  ; a comment
"""


def test_config_file_secrets() -> None:
    found = [
        (s.line, s.col, s.variable, s.weak, s.detection.kind)
        for s in configfiles.config_secrets(CONFIG)
    ]
    assert found == [
        (4, 20, "SECRET_KEY", False, "hardcoded secret"),
        (6, 22, "DATABASE_URL", True, DEFAULT_CREDENTIALS),
        (8, 20, "JWT_SECRET", False, "hardcoded secret"),
        (11, 14, "API_KEY", False, "high-entropy string"),
        (12, 14, "SECRET_KEY", False, "hardcoded secret"),
    ]
    assert configfiles.is_documentation("docs/openapi.json")


@pytest.mark.parametrize(
    ("path", "seed"),
    [
        ("seed.py", True),
        ("scripts/seed_db.py", True),
        ("app/demo_data.py", True),
        ("initial_data.py", True),
        ("seeds/users.py", True),
        ("demo/main.py", False),  # a whole app in a demo/ folder is still an app
        ("app/config.py", False),
    ],
)
def test_seed_paths(path: str, seed: bool) -> None:
    assert is_seed_path(path) is seed


def test_test_code_by_path_or_by_imports() -> None:
    tests = TestCode(Config())
    tree = ast.parse("import pytest\n")
    assert tests("tests/test_x.py") and tests.module("conftest.py", "", lambda: None)
    assert tests.module("app/test.py", "import pytest\n", lambda: tree)
    assert tests.module(
        "verify_api.py",
        "from unittest import TestCase\n",
        lambda: ast.parse("from unittest import TestCase\n"),
    )
    mock = "from unittest.mock import patch\n"
    assert not tests.module("app/clock.py", mock, lambda: ast.parse(mock))
    asked: list[bool] = []
    assert not tests.module("app/main.py", "x = 1\n", lambda: asked.append(True) or None)
    assert asked == []  # no framework named: the ast is not asked for
    everything = TestCode(Config().with_overrides(options={"test-paths": []}))
    assert not everything("tests/test_x.py")
    assert not everything.module("app/test.py", "import pytest\n", lambda: tree)
