"""HF005's precision and recall on a labelled set built here: real-looking secrets (which must
be reported) and lookalikes (which must not), in code and in configuration files.

Every value is made up in this file: provider tokens are drawn from a seeded generator in
the providers' published shapes, the rest is written out. Each sample is one file of one
repository, so a finding says which sample it is about. The counts per label are pinned:
a change to HF005 that finds one more or one fewer changes them, and the test says which
sample moved. Weak findings (a placeholder signing key, a default password) are neither:
they are tested in ``tests/test_hf005_environment.py`` and the corpus.
"""

# ruff: noqa: E501 - each sample is a file, written on one line as a repository has it

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hffix

_RANDOM = random.Random(16)
ALNUM = string.ascii_letters + string.digits


def _token(length: int, alphabet: str = ALNUM) -> str:
    return "".join(_RANDOM.choice(alphabet) for _ in range(length))


def _hex(length: int) -> str:
    return _token(length, "0123456789abcdef")


@dataclass(frozen=True)
class Sample:
    name: str
    path: str  # the file of the repository the sample is
    text: str
    secret: bool  # the label: a real-looking secret, or a lookalike

    @property
    def where(self) -> str:
        return "config" if not self.path.endswith(".py") else "code"


def _code(name: str, text: str, secret: bool) -> Sample:
    return Sample(name, f"{'s' if secret else 'l'}_{name}.py", text, secret)


def _config(name: str, suffix: str, text: str, secret: bool) -> Sample:
    folder = "secrets" if secret else "lookalikes"
    return Sample(name, f"{folder}/{name}{suffix}", text, secret)


def secrets() -> list[Sample]:
    """Real-looking secrets: every one must be reported."""
    openai = f"sk-proj-{_token(48)}"
    anthropic = f"sk-ant-api03-{_token(90)}"
    hf = f"hf_{_token(34)}"
    github = f"ghp_{_token(36)}"
    aws = f"AKIA{_token(16, string.ascii_uppercase + string.digits)}"
    google = f"AIza{_token(35)}"
    stripe = f"sk_live_{_token(24)}"
    slack = f"xoxb-{_token(12, string.digits)}-{_token(24)}"
    sendgrid = f"SG.{_token(22)}.{_token(43)}"
    groq = f"gsk_{_token(52)}"
    jwt_token = f"eyJ{_token(20)}.eyJ{_token(40)}.{_token(43)}"
    password = f"{_token(6)}-{_token(4)}!{_token(3, string.digits)}"
    url = f"postgresql://app:{_token(16)}@db.{_token(6).lower()}.example-cloud.com:5432/app"
    mongo = f"mongodb+srv://svc:{_token(14)}@cluster0.{_token(5).lower()}.mongodb.net/app"
    redis = f"redis://default:{_token(18)}@redis-1.{_token(5).lower()}.cache.cloud:6379"
    high = _token(40, ALNUM + "-_")
    hex32 = _hex(32)
    hex40 = _hex(40)
    key = (
        "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow" + _token(40) + "\\n-----END RSA PRIVATE KEY-----"
    )
    code = [
        _code(
            "openai_client", f'from openai import OpenAI\nc = OpenAI(api_key="{openai}")\n', True
        ),
        _code("anthropic_const", f'ANTHROPIC_API_KEY = "{anthropic}"\n', True),
        _code("hf_token", f'HF_TOKEN = "{hf}"\n', True),
        _code("github_dict", f'HEADERS = {{"Authorization": "token {github}"}}\n', True),
        _code(
            "aws_kwarg", f'import boto3\ns3 = boto3.client("s3", aws_access_key_id="{aws}")\n', True
        ),
        _code(
            "google_default", f'import os\nKEY = os.getenv("GOOGLE_API_KEY", "{google}")\n', True
        ),
        _code("stripe_attr", f'import stripe\nstripe.api_key = "{stripe}"\n', True),
        _code("slack_const", f'SLACK_BOT_TOKEN = "{slack}"\n', True),
        _code(
            "sendgrid_arg",
            f'from sendgrid import SendGridAPIClient\nsg = SendGridAPIClient("{sendgrid}")\n',
            True,
        ),
        _code(
            "groq_settings",
            "from pydantic_settings import BaseSettings\n\n\nclass S(BaseSettings):\n"
            f'    groq_api_key: str = "{groq}"\n',
            True,
        ),
        _code("jwt_bearer", f'AUTH = "Bearer {jwt_token}"\n', True),
        _code(
            "db_url_engine",
            f'from sqlalchemy import create_engine\nengine = create_engine("{url}")\n',
            True,
        ),
        _code(
            "mongo_client", f'from pymongo import MongoClient\nc = MongoClient("{mongo}")\n', True
        ),
        _code("redis_url", f'REDIS_URL = "{redis}"\n', True),
        _code("password_const", f'DB_PASSWORD = "{password}"\n', True),
        _code("secret_key", f'SECRET_KEY = "{password}x"\n', True),
        _code("high_entropy_named", f'WEBHOOK_SECRET = "{high}"\n', True),
        _code("hex_api_key", f'WEATHER_API_KEY = "{hex32}"\n', True),
        _code("hex_token_kwarg", f'client = Client(token="{hex40}")\n', True),
        _code("private_key", f'PRIVATE_KEY = "{key}"\n', True),
        _code(
            "smtp_login",
            f'import smtplib\ns = smtplib.SMTP("smtp.example.org")\ns.login("me", "{password}y")\n',
            True,
        ),
        _code(
            "jwt_encode",
            f'import jwt\n\n\ndef t(p):\n    return jwt.encode(p, "{password}z")\n',
            True,
        ),
        _code(
            "fstring_password",
            f'HOST = "db"\nURL = f"postgresql://app:{_token(14)}@{{HOST}}.example-cloud.com/app"\n',
            True,
        ),
        _code(
            "environ_set",
            f'import os\nos.environ["OPENAI_API_KEY"] = "sk-proj-{_token(48)}"\n',
            True,
        ),
    ]
    config = [
        _config(
            "compose_list",
            ".yml",
            f"services:\n  api:\n    environment:\n      - SECRET_KEY={password}q\n",
            True,
        ),
        _config(
            "compose_map",
            ".yml",
            f"services:\n  api:\n    environment:\n      JWT_SECRET: {password}w\n",
            True,
        ),
        _config(
            "compose_openai",
            ".yaml",
            f"services:\n  api:\n    environment:\n      - OPENAI_API_KEY=sk-proj-{_token(48)}\n",
            True,
        ),
        _config("settings_hex", ".json", f'{{"api_key": "{_hex(32)}"}}\n', True),
        _config("settings_secret", ".json", f'{{\n  "secret_key": "{password}e"\n}}\n', True),
        _config("settings_url", ".json", f'{{"database": {{"url": "{url}"}}}}\n', True),
        _config("app_ini", ".ini", f"[auth]\nsecret_key = {password}r\n", True),
        _config("alembic", ".ini", f"[alembic]\nsqlalchemy.url = {url}\n", True),
        _config("toml_password", ".toml", f'[mail]\nsmtp_password = "{password}t"\n', True),
        _config(
            "yaml_token",
            ".yaml",
            f"github:\n  token: ghp_{_token(36)}\n",
            True,
        ),
        _config("yaml_hex", ".yaml", f"weather:\n  api_key: {_hex(40)}\n", True),
        _config("properties", ".properties", f"db.password={password}u\n", True),
        _config("cfg_key", ".cfg", f"[stripe]\nkey = sk_live_{_token(24)}\n", True),
        _config("conf_mongo", ".conf", f"MONGO_URI = {mongo}\n", True),
        _config(
            "compose_redis",
            ".yml",
            f"services:\n  worker:\n    environment:\n      - REDIS_URL={redis}\n",
            True,
        ),
        _config("pem", ".pem", key.replace("\\n", "\n") + "\n", True),
    ]
    # Harder ones, written without looking at what HF005 finds.
    harder = [
        _code(
            "psycopg_connect",
            "import psycopg2\n"
            f'c = psycopg2.connect(host="db.example-cloud.com", password="{password}a")\n',
            True,
        ),
        _code("bytes_secret", f'SECRET_KEY = b"{password}b"\n', True),
        _code("twilio_hex", f'TWILIO_AUTH_TOKEN = "{_hex(32)}"\n', True),
        _code(
            "discord_token",
            f'DISCORD_TOKEN = "{_token(24)}.{_token(6)}.{_token(27, ALNUM + "-_")}"\n',
            True,
        ),
        _code(
            "azure_connection",
            "AZURE_STORAGE_CONNECTION_STRING = "
            f'"DefaultEndpointsProtocol=https;AccountName=notes;AccountKey={_token(86)}==;'
            'EndpointSuffix=core.windows.net"\n',
            True,
        ),
        _code("return_password", f'def get_db_password():\n    return "{password}c"\n', True),
        _code("neutral_random", f'BUILD_SALT_VALUE = "{_token(32, ALNUM + "+/")}"\n', True),
        _config("yaml_short_password", ".yaml", "database:\n  password: hunter2\n", True),
        _config("json_camel_case", ".json", f'{{"apiKey": "{_token(32)}"}}\n', True),
        _config(
            "toml_token", ".toml", f'[bot]\ntoken = "{_token(24)}.{_token(6)}.{_token(27)}"\n', True
        ),
    ]
    return code + config + harder + held_out_secrets()


def held_out_secrets() -> list[Sample]:
    """Written after the fixes the harder ones led to, and kept whatever HF005 makes of them."""
    word = f"{_token(5)}{_token(3, string.digits)}"
    return [
        _code("mailgun_kwarg", f'send(api_key="key-{_hex(32)}", domain="mg.example.org")\n', True),
        _code(
            "settings_field_password",
            f'class Settings(BaseSettings):\n    smtp_password: str = "{word}"\n',
            True,
        ),
        _code(
            "dict_in_call",
            f'client = Redis(**{{"host": "cache.example.org", "password": "{word}"}})\n',
            True,
        ),
        _code(
            "self_attribute",
            f'class C:\n    def __init__(self):\n        self.api_token = "{_token(28)}"\n',
            True,
        ),
        _code(
            "param_default",
            f'def connect(user="app", password="{word}!"):\n    return user\n',
            True,
        ),
        _config("yaml_nested_secret", ".yaml", f"auth:\n  jwt:\n    secret: {word}x\n", True),
        _config(
            "json_nested_token",
            ".json",
            f'{{"slack": {{"bot_token": "xoxb-{_token(12, string.digits)}-{_token(24)}"}}}}\n',
            True,
        ),
        _config("ini_password_colon", ".ini", f"[smtp]\npassword: {word}y\n", True),
        _config(
            "compose_quoted",
            ".yml",
            f'services:\n  api:\n    environment:\n      - "API_KEY={_token(32)}"\n',
            True,
        ),
        _config(
            "toml_db_url",
            ".toml",
            f'[database]\nurl = "mysql://app:{_token(12)}@mysql.example-cloud.com/app"\n',
            True,
        ),
    ]


def held_out_lookalikes() -> list[Sample]:
    """Written after the fixes the harder ones led to, and kept whatever HF005 makes of them."""
    return [
        _code(
            "password_field_label",
            'LABELS = {"password": "Password", "api_key": "API key"}\n',
            False,
        ),
        _code("secret_manager_name", 'SECRET_NAME = "prod/notes/db"\n', False),
        _code(
            "token_endpoint_kwarg",
            'oauth = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")\n',
            False,
        ),
        _code("keyring_lookup", 'password = keyring.get_password("notes", "admin")\n', False),
        _code("api_key_header_name", 'api_key_header = APIKeyHeader(name="X-API-KEY")\n', False),
        _config(
            "yaml_secret_ref",
            ".yaml",
            "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}\n",
            False,
        ),
        _config(
            "json_schema_password",
            ".json",
            '{"password": {"type": "string", "minLength": 8}}\n',
            False,
        ),
        _config("ini_env_reference", ".ini", "[app]\nsecret_key = ${SECRET_KEY}\n", False),
        _config(
            "compose_healthcheck",
            ".yml",
            "services:\n  db:\n    healthcheck:\n      test: [CMD, pg_isready, -U, postgres]\n",
            False,
        ),
        _config("toml_key_path", ".toml", '[tls]\nkey_file = "certs/server.key"\n', False),
    ]


def lookalikes() -> list[Sample]:
    """Lookalikes: none may be reported."""
    code_lines = {
        "env_read": 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY")\n',
        "env_read_empty_default": 'import os\nOPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "")\n',
        "placeholder_angle": 'OPENAI_API_KEY = "<your-openai-key>"\n',
        "placeholder_words": 'HF_TOKEN = "your_hf_token_here"\n',
        "placeholder_dollar": 'STRIPE_SECRET_KEY = "${STRIPE_SECRET_KEY}"\n',
        "placeholder_x": 'GITHUB_TOKEN = "xxxxxxxxxxxxxxxx"\n',
        "placeholder_sk_dots": 'API_KEY = "sk-..."\n',
        "placeholder_pt": 'OPENAI_API_KEY = "sua-chave-aqui"\n',
        "placeholder_fr": 'DB_PASSWORD = "votre-cle-ici"\n',
        "placeholder_es": 'STRIPE_API_KEY = "tu-clave-aqui"\n',
        "placeholder_de": 'HF_TOKEN = "ihr-schlüssel"\n',
        "empty_password": 'ADMIN_PASSWORD = ""\n',
        "sqlite_url": 'DATABASE_URL = "sqlite:///./app.db"\n',
        "template_url": 'DATABASE_URL_EXAMPLE = "postgresql://user:password@host:5432/dbname"\n',
        "algorithm": 'ALGORITHM = "HS256"\n',
        "token_url": 'TOKEN_URL = "/auth/token"\n',
        "expiry": 'ACCESS_TOKEN_EXPIRE_MINUTES = "30"\n',
        "model_name": 'OPENAI_MODEL = "gpt-4o-mini"\n',
        "embedding_model": 'EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"\n',
        "public_key": 'JWT_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\\nMIIBFAKE\\n-----END PUBLIC KEY-----"\n',
        "publishable_key": f'STRIPE_PUBLISHABLE_KEY = "pk_live_{_token(24)}"\n',
        "client_id": 'GOOGLE_CLIENT_ID = "1234567890-abcdefg.apps.googleusercontent.com"\n',
        "header_name": 'API_KEY_NAME = "X-API-Key"\n',
        "token_type": 'TOKEN_TYPE = "bearer"\n',
        "cache_key": 'CACHE_KEY = "users:all"\n',
        "cookie_name": 'SESSION_COOKIE_NAME = "session"\n',
        "password_hash": 'PASSWORD_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5Fh1z8xn1tXxg5QxL0AQq2p0n1Jk1Gu"\n',
        "commit_sha": f'BUILD_COMMIT_SHA = "{_hex(40)}"\n',
        "uuid": 'TENANT_ID = "123e4567-e89b-12d3-a456-426614174000"\n',
        "docstring": f'"""Set OPENAI_API_KEY="sk-proj-{_token(48)}" in your environment."""\n',
        "comment_only": "# API_KEY = 'q9Zx7Lm2Wp4Rt8Kd'\nx = 1\n",
        "openapi_examples": f'from pydantic import BaseModel, Field\n\n\nclass L(BaseModel):\n    api_key: str = Field(..., examples=["sk-proj-{_token(48)}"])\n',
        "openapi_json_schema_extra": 'from pydantic import BaseModel\n\n\nclass L(BaseModel):\n    model_config = {"json_schema_extra": {"example": {"password": "S3cure-Pa55!"}}}\n',
        "state_store_key": 'store.put(key="conversation-123", value=1)\n',
        "cache_set_key": 'cache.set(key="user-42:session", value=1)\n',
        "hash_password": 'DEMO_HASH = hash_password("temp-Pa55w0rd")\n',
        "comparison_guard": 'import os\nSECRET_KEY = os.getenv("SECRET_KEY")\nif SECRET_KEY == "dev-fallback-key-7":\n    raise SystemExit(1)\n',
        "comparison_attr_guard": 'if settings.JWT_SECRET == "local-dev-jwt-secret-1":\n    raise SystemExit(1)\n',
        "denylist": 'WEAK_SECRETS = ["changeme-please", "local-dev-jwt-secret"]\n',
        "i18n_message": 'PASSWORD_TOO_SHORT = "Le mot de passe doit contenir au moins 8 caractères"\n',
        "enum_member": 'class Kind:\n    API_KEY = "api_key"\n    PASSWORD = "password"\n',
        "path_value": 'SECRETS_FILE = "/etc/app/secrets.json"\n',
        "version": 'API_VERSION = "2024-06-01"\n',
        "regex": 'TOKEN_PATTERN = r"^[A-Za-z0-9]{32}$"\n',
        "pytest_module": f'import pytest\n\nAPI_KEY = "q9Zx7Lm2Wp4Rt8Kd{_token(4)}"\n',
        "primary_key": "from sqlmodel import Field\nid: int = Field(default=None, primary_key=True)\n",
        "env_var_name_value": 'OPENAI_API_KEY_ENV = "OPENAI_API_KEY"\n',
    }
    code = [_code(name, text, False) for name, text in code_lines.items()]
    code.append(
        Sample(
            "seed_model",
            "seed_users.py",
            'from models import User\nUSERS = [User(name="ana", password="temp")]\n',
            False,
        )
    )
    code.append(Sample("models", "models.py", "class User:\n    pass\n", False))
    config = [
        _config(
            "compose_reference",
            ".yml",
            "services:\n  api:\n    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n",
            False,
        ),
        _config(
            "compose_default_password",
            ".yml",
            "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: postgres\n",
            False,
        ),
        _config(
            "compose_plain",
            ".yml",
            "services:\n  api:\n    environment:\n      - LOG_LEVEL=info\n      - APP_VERSION=1.4.2\n",
            False,
        ),
        _config(
            "json_translation",
            ".json",
            '{"password": "Passwort", "token": "Token", "secret_key": "Geheimer Schlüssel"}\n',
            False,
        ),
        _config(
            "json_placeholder",
            ".json",
            '{"api_key": "<your-api-key>", "secret": "changeme"}\n',
            False,
        ),
        _config("json_example", ".json", '{"example": "hunter2-prod-9"}\n', False),
        _config(
            "ini_template",
            ".ini",
            "[alembic]\nsqlalchemy.url = postgresql://user:password@localhost/dbname\n",
            False,
        ),
        _config("ini_paths", ".ini", "[auth]\ntoken_url = /auth/token\nalgorithm = HS256\n", False),
        _config(
            "toml_versions",
            ".toml",
            '[tool.app]\nversion = "1.2.3"\nsecret_key_file = "/run/keys/app"\n',
            False,
        ),
        _config("yaml_env_reference", ".yaml", "openai:\n  api_key: ${OPENAI_API_KEY}\n", False),
        _config("yaml_sqlite", ".yaml", "database:\n  url: sqlite:///./app.db\n", False),
        _config(
            "openapi_doc",
            ".json",
            f'{{"example": {{"token": "eyJ{_token(20)}.eyJ{_token(40)}.{_token(43)}"}}}}\n',
            False,
        ),
        _config("properties_name", ".properties", "auth.header=X-API-Key\n", False),
    ]
    # Harder ones, written without looking at what HF005 finds.
    harder = [
        _code("aws_docs_example", 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n', False),
        _code("key_length", 'SECRET_KEY_LENGTH = "64"\n', False),
        _code("reset_url", 'PASSWORD_RESET_URL = "https://notes.example.org/reset"\n', False),
        _code("header_lookup", 'token = request.headers.get("Authorization", "")\n', False),
        _code("token_prefix", 'TOKEN_PREFIX = "Bearer "\n', False),
        _code("auth_scheme_dict", 'SCHEMES = {"auth": "oauth2", "token": "jwt"}\n', False),
        _code("test_constant_name", 'TEST_USER_PASSWORD_FIELD = "password"\n', False),
        _code(
            "sentinel_none",
            'API_KEY = None\nif API_KEY is None:\n    API_KEY = "not-set"\n',
            False,
        ),
        _config(
            "json_docs_key",
            ".json",
            '{"apiKey": "AIzaSyEXAMPLE-EXAMPLE-EXAMPLE-EXAMPLE1"}\n',
            False,
        ),
        _config(
            "yaml_vault_ref", ".yaml", "db:\n  password: !vault secret/data/db#password\n", False
        ),
        _config("ini_interpolation", ".ini", "[db]\npassword = %(DB_PASSWORD)s\n", False),
        _config(
            "compose_secrets_file",
            ".yml",
            "services:\n  api:\n    environment:\n      - DB_PASSWORD_FILE=/run/secrets/db_password\n",
            False,
        ),
    ]
    return code + config + harder + held_out_lookalikes()


def _reported(make_repo: Callable[..., Path], samples: list[Sample]) -> set[str]:
    """The names of the samples HF005 reports anything about (any status)."""
    root = make_repo({sample.path: sample.text for sample in samples})
    result = hffix.check(root, select=["HF005"])
    assert result.error is None, result.error
    by_path = {sample.path: sample for sample in samples}
    return {by_path[f.path].name for f in result.findings if f.path in by_path}


def test_the_labelled_set_is_large_enough() -> None:
    real, alike = secrets(), lookalikes()
    assert len(real) >= 40 and len(alike) >= 60
    assert {s.where for s in real} == {s.where for s in alike} == {"code", "config"}
    # Both labels are in both kinds of file, in numbers.
    for samples in (real, alike):
        assert min(sum(s.where == kind for s in samples) for kind in ("code", "config")) >= 20
    assert len({s.path for s in real + alike}) == len(real + alike)


def test_precision_and_recall(make_repo: Callable[..., Path]) -> None:
    real, alike = secrets(), lookalikes()
    reported = _reported(make_repo, real + alike)
    missed = sorted(s.name for s in real if s.name not in reported)
    false_alarms = sorted(s.name for s in alike if s.name in reported)
    true_positives = len(real) - len(missed)
    precision = true_positives / (true_positives + len(false_alarms))
    recall = true_positives / len(real)
    # Pinned, per label: each name listed is a sample that moved.
    assert (missed, false_alarms) == ([], [])
    assert (len(real), true_positives, len(alike), len(alike) - len(false_alarms)) == (
        60,
        60,
        84,
        84,
    )
    assert precision >= 0.95 and recall >= 0.95
