"""HF005 on each place a secret can sit: the rewritten code, the variable chosen, the status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix import envfile
from hffix.findings import Finding, Status

KEY = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
GROQ = "gsk_FAKEH5MeDRmitmDXJTHBLv47aF1PvrCNg0jzs8jaDkjQWL3Ecs0H"
HF = "hf_FAKEOkSWPJJAVepElDtJpJPityTDrmIwMk"
NEON = "postgresql://neondb_owner:npg_FAKEGdv5fXSM@ep-fake-123456.us-east-2.aws.neon.tech/neondb"
SIGNING = "k3y-for-signing-tokens!"

Run = Callable[..., tuple["hffix.Result", dict[str, str]]]


def in_code(result: hffix.Result) -> list[Finding]:
    """The findings about Python files (not the .env.example / .gitignore they lead to)."""
    return [f for f in result.findings if f.path.endswith(".py")]


@pytest.fixture
def run(make_repo: Callable[..., Path]) -> Run:
    count = 0

    def go(files: dict[str, str], *, unsafe: bool = False) -> tuple[hffix.Result, dict[str, str]]:
        nonlocal count
        count += 1
        root = make_repo(files, name=f"repo{count}")
        result = hffix.fix(root, write=True, select=["HF005"], unsafe_fixes=unsafe)
        assert result.error is None, result.error
        after = {
            p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in root.rglob("*")
            if p.is_file()
        }
        again = hffix.fix(root, write=False, select=["HF005"], unsafe_fixes=unsafe)
        assert again.changes == [], "not idempotent"
        return result, after

    return go


CASES: list[tuple[str, str, str, list[str]]] = [
    (
        "module constant",
        f'SECRET_KEY = "{SIGNING}"  # signing\n',
        'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY")  # signing\n',
        ["SECRET_KEY"],
    ),
    (
        "annotated constant keeps its annotation",
        'BETTER_AUTH_SECRET: str = "better-auth-s3cret-0123"\n',
        'import os\n\nBETTER_AUTH_SECRET: str = os.environ.get("BETTER_AUTH_SECRET")\n',
        ["BETTER_AUTH_SECRET"],
    ),
    (
        "credentials URL under its own name",
        f'SQLALCHEMY_DATABASE_URI = "{NEON}"\n',
        'import os\n\nSQLALCHEMY_DATABASE_URI = os.environ.get("SQLALCHEMY_DATABASE_URI")\n',
        ["SQLALCHEMY_DATABASE_URI"],
    ),
    (
        "credentials URL passed positionally",
        f'from sqlalchemy import create_engine\n\nengine = create_engine("{NEON}")\n',
        "from sqlalchemy import create_engine\nimport os\n\n"
        'engine = create_engine(os.environ.get("DATABASE_URL"))\n',
        ["DATABASE_URL"],
    ),
    (
        "keyword argument of a known client",
        f"from openai import OpenAI\n\nclient = OpenAI(api_key='{KEY}')\n",
        "from openai import OpenAI\nimport os\n\n"
        "client = OpenAI(api_key=os.environ.get('OPENAI_API_KEY'))\n",
        ["OPENAI_API_KEY"],
    ),
    (
        "generic keyword qualified by the client's module",
        'import redis\n\ncache = redis.Redis(host="cache", password="r3dis-Pa55-word")\n',
        "import redis\nimport os\n\n"
        'cache = redis.Redis(host="cache", password=os.environ.get("REDIS_PASSWORD"))\n',
        ["REDIS_PASSWORD"],
    ),
    (
        "jwt.encode key position",
        "import jwt\n\n\ndef sign(p):\n"
        '    return jwt.encode(p, "s1gning-Key-42", algorithm="HS256")\n',
        "import jwt\nimport os\n\n\ndef sign(p):\n"
        '    return jwt.encode(p, os.environ.get("JWT_SECRET"), algorithm="HS256")\n',
        ["JWT_SECRET"],
    ),
    (
        "dict entry",
        f'HEADERS = {{"api_key": "{GROQ}", "accept": "json"}}\n',
        'import os\n\nHEADERS = {"api_key": os.environ.get("GROQ_API_KEY"), "accept": "json"}\n',
        ["GROQ_API_KEY"],
    ),
    (
        "os.getenv default",
        f'import os\n\nKEY = os.getenv("OPENAI_API_KEY", "{KEY}")\n',
        'import os\n\nKEY = os.getenv("OPENAI_API_KEY")\n',
        ["OPENAI_API_KEY"],
    ),
    (
        "os.environ.get default keyword",
        'import os\n\nS = os.environ.get("APP_SECRET", default="s3cr3t-Value-1")\n',
        'import os\n\nS = os.environ.get("APP_SECRET")\n',
        ["APP_SECRET"],
    ),
    (
        "or fallback after an environment read",
        'import os\n\nJWT_SECRET = os.getenv("JWT_SECRET") or "fallback-s3cret-value"\n',
        'import os\n\nJWT_SECRET = os.getenv("JWT_SECRET")\n',
        ["JWT_SECRET"],
    ),
    (
        "os.environ assignment removed",
        f'import os\n\nos.environ["HF_TOKEN"] = "{HF}"\nDEBUG = True\n',
        "DEBUG = True\n",  # `import os` is no longer used
        ["HF_TOKEN"],
    ),
    (
        "f-string embedding a URL password",
        "import os\n\nURL = f\"postgresql://admin:Sup3rS3cretPw@{os.getenv('DB_HOST')}/db\"\n",
        "import os\n\nURL = f\"postgresql://admin:{os.environ.get('DB_PASSWORD')}"
        "@{os.getenv('DB_HOST')}/db\"\n",
        ["DB_PASSWORD"],
    ),
    (
        "string embedding a token",
        f'AUTH = "Bearer {KEY}"\n',
        "import os\n\nAUTH = f\"Bearer {os.environ.get('OPENAI_API_KEY')}\"\n",
        ["OPENAI_API_KEY"],
    ),
    (
        "concatenation",
        f'AUTH = "Bearer " + "{KEY}"\n',
        'import os\n\nAUTH = "Bearer " + os.environ.get("OPENAI_API_KEY", "")\n',
        ["OPENAI_API_KEY"],
    ),
    (
        "parameter default",
        f'def client(api_key="{GROQ}"):\n    return api_key\n',
        'import os\n\ndef client(api_key=os.environ.get("GROQ_API_KEY")):\n    return api_key\n',
        ["GROQ_API_KEY"],
    ),
    (
        "subscript assignment",
        "from flask import Flask\n\napp = Flask(__name__)\n"
        'app.config["SECRET_KEY"] = "fl4sk-Key!"\n',
        "from flask import Flask\nimport os\n\napp = Flask(__name__)\n"
        'app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY")\n',
        ["SECRET_KEY"],
    ),
    (
        "dataclass field",
        "from dataclasses import dataclass, field\n\n\n@dataclass\nclass Mail:\n"
        '    password: str = field(default="smtp-Pa55word!")\n',
        "from dataclasses import dataclass, field\nimport os\n\n\n@dataclass\nclass Mail:\n"
        '    password: str = field(default=os.environ.get("MAIL_PASSWORD"))\n',
        ["MAIL_PASSWORD"],
    ),
    (
        "pydantic model field",
        "from pydantic import BaseModel\n\n\nclass Stripe(BaseModel):\n"
        '    api_key: str = "sk_live_FAKEVdHnOm27ZrE2ke02Ne6gfEHUZIGUdIKSxr2Hv9Y1"\n',
        "from pydantic import BaseModel\nimport os\n\n\nclass Stripe(BaseModel):\n"
        '    api_key: str = os.environ.get("STRIPE_SECRET_KEY")\n',
        ["STRIPE_SECRET_KEY"],
    ),
]


@pytest.mark.parametrize(
    ("label", "before", "after", "variables"), CASES, ids=[c[0] for c in CASES]
)
def test_place(run: Run, label: str, before: str, after: str, variables: list[str]) -> None:
    result, files = run({"app.py": before})
    assert files["app.py"] == after
    assert [f.status for f in result.findings] == [Status.FIXED] * len(result.findings)
    assert sorted({v for f in result.findings for v in f.variables}) == variables
    assert all(v in files[".env.example"].splitlines() for v in (f"{x}=" for x in variables))


def test_a_comparison_operand_is_reported_never_rewritten(run: Run) -> None:
    """`password == os.environ.get(...)` would change what the check tests (a guard against a
    known dev key would pass once the variable is unset): the finding is left for the user."""
    before = 'def ok(password):\n    return password == "adm1n-Pa55-Check"\n'
    result, files = run({"app.py": before})
    assert files["app.py"] == before
    assert [f.status for f in result.findings] == [Status.MANUAL]
    assert "a comparison with `password`" in result.findings[0].message


def test_settings_fields_lose_their_default(run: Run) -> None:
    before = (
        "from pydantic import Field\n"
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
        "class Settings(BaseSettings):\n"
        '    model_config = SettingsConfigDict(env_file=".env")\n'
        f'    openai_api_key: str = "{KEY}"\n'
        '    jwt_secret: str | None = "jwt-s3cret-value-42"\n'
        '    admin_password: str = Field("Adm1n-Pa55!", description="admin")\n'
        '    database_url: str = "sqlite:///./app.db"\n'
    )
    result, files = run({"config.py": before})
    assert files["config.py"] == (
        "from pydantic import Field\n"
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
        "class Settings(BaseSettings):\n"
        '    model_config = SettingsConfigDict(env_file=".env")\n'
        "    openai_api_key: str\n"
        "    jwt_secret: str | None = None\n"
        '    admin_password: str = Field(description="admin")\n'
        '    database_url: str = "sqlite:///./app.db"\n'
    )
    assert sorted(v for f in result.findings for v in f.variables) == [
        "ADMIN_PASSWORD",
        "JWT_SECRET",
        "OPENAI_API_KEY",
    ]
    # Secrets first (moved, or named so), then variables; where each is read, on disk.
    assert files[".env.example"] == (
        f"{envfile.HEADER}\n\n{envfile.SECRETS_HEADING}\n"
        "# read at config.py:9; no default: the app needs it\nADMIN_PASSWORD=\n"
        "# read at config.py:10; has a default\nDATABASE_URL=\n"
        "# read at config.py:8; no default: the app needs it\nJWT_SECRET=\n"
        "# read at config.py:7; no default: the app needs it\nOPENAI_API_KEY=\n"
    )


def test_settings_prefix_and_alias_name_the_variable(run: Run) -> None:
    before = (
        "from pydantic import Field\nfrom pydantic_settings import BaseSettings\n\n\n"
        "class Settings(BaseSettings):\n"
        "    class Config:\n"
        '        env_prefix = "APP_"\n\n'
        '    secret_key: str = "s3cr3t-Value-1"\n'
        '    hf_token: str = Field(default="' + HF + '", validation_alias="HF_TOKEN")\n'
    )
    result, _ = run({"settings.py": before})
    assert sorted(v for f in result.findings for v in f.variables) == ["APP_SECRET_KEY", "HF_TOKEN"]


def test_same_secret_in_several_files_is_one_variable(run: Run) -> None:
    files = {
        "config.py": f'SECRET_KEY = "{SIGNING}"\n',
        "auth.py": f'import jwt\n\n\ndef decode(t):\n    return jwt.decode(t, "{SIGNING}")\n',
        "worker.py": f'SIGNER = make_signer("{SIGNING}")\n',
    }
    result, after = run(files)
    assert after["config.py"].endswith('SECRET_KEY = os.environ.get("SECRET_KEY")\n')
    assert 'jwt.decode(t, os.environ.get("SECRET_KEY"))' in after["auth.py"]
    assert 'make_signer(os.environ.get("SECRET_KEY"))' in after["worker.py"]
    assert {v for f in result.findings for v in f.variables} == {"SECRET_KEY"}
    assert len(in_code(result)) == 3
    listed = [f for f in result.findings if f.path == ".env.example"]
    assert len(listed) == 1 and "`SECRET_KEY`" in listed[0].message, "one listing, once"


def test_two_secrets_never_share_a_variable(run: Run) -> None:
    files = {
        "a.py": 'import redis\n\nA = redis.Redis(password="r3dis-Pa55-one")\n',
        "b.py": 'import redis\n\nB = redis.Redis(password="r3dis-Pa55-two")\n',
    }
    _, after = run(files)
    assert 'os.environ.get("REDIS_PASSWORD")' in after["a.py"]
    assert 'os.environ.get("REDIS_PASSWORD_2")' in after["b.py"]


def test_weak_signal_is_an_unsafe_fix(run: Run) -> None:
    source = 'AUTH_TOKEN = "abc123xyz"\n'
    result, files = run({"app.py": source})
    assert files["app.py"] == source
    assert [f.status for f in result.findings] == [Status.UNSAFE_FIX]
    assert result.findings[0].variables == ()
    result, files = run({"app.py": source}, unsafe=True)
    assert files["app.py"] == 'import os\n\nAUTH_TOKEN = os.environ.get("AUTH_TOKEN")\n'
    assert [f.status for f in in_code(result)] == [Status.FIXED]


def test_bytes_literal_is_reported_for_manual_work(run: Run) -> None:
    source = 'SECRET_KEY = b"k3y-for-signing-tokens!"\n'
    result, files = run({"app.py": source})
    assert files["app.py"] == source
    assert [f.status for f in result.findings] == [Status.MANUAL]


@pytest.mark.parametrize(
    "line",
    [
        f'SECRET_KEY = "{SIGNING}"  # hffix: ignore[HF005]\n',
        f'SECRET_KEY = "{SIGNING}"  # hffix: ignore\n',
        f'SECRET_KEY = "{SIGNING}"  # pragma: allowlist secret\n',
        f'# pragma: allowlist nextline secret\nSECRET_KEY = "{SIGNING}"\n',
    ],
)
def test_suppressions(run: Run, line: str) -> None:
    result, files = run({"app.py": line})
    assert files["app.py"] == line
    assert result.findings == []


def test_tests_are_left_alone_unless_configured(run: Run) -> None:
    files = {
        "tests/test_api.py": f'KEY = "{KEY}"\n',
        "conftest.py": f'KEY = "{KEY}"\n',
        "app/fixtures/data.py": f'KEY = "{KEY}"\n',
    }
    result, after = run(files)
    assert result.findings == [] and after == files
    configured = {**files, "pyproject.toml": "[tool.hffix]\ntest-paths = []\n"}
    result, after = run(configured)
    assert len(in_code(result)) == 3
    assert after["conftest.py"] == 'import os\n\nKEY = os.environ.get("OPENAI_API_KEY")\n'


def test_messages_never_contain_the_secret(run: Run) -> None:
    files = {"app.py": "".join(before for _, before, _, _ in CASES if "def " not in before)}
    result, _ = run(files)
    assert result.findings
    secrets = [KEY, GROQ, HF, "npg_FAKEGdv5fXSM", SIGNING, "Sup3rS3cretPw", "fallback-s3cret-value"]
    for finding in result.findings:
        for secret in secrets:
            assert secret not in finding.message
    assert {KEY, SIGNING} <= result.facts.secret_values
    assert KEY not in repr(result.facts)


@pytest.mark.parametrize(
    "written",
    ['"q9Zx7Lm2Wp4Rt8"', '"q9Zx7Lm2\\x57p4Rt8"'],  # as it is, and with an escape (\x57 is W)
    ids=["verbatim", "escaped"],
)
def test_a_repeat_in_a_module_the_filters_pass_over(run: Run, written: str) -> None:
    """The repeated value sits in a module with no word the filters look for."""
    files = {
        "settings.py": 'SECRET_KEY = "q9Zx7Lm2Wp4Rt8"\n',
        "client.py": f"import httpx\n\nclient = httpx.Client(headers={{'X-Sig': {written}}})\n",
    }
    result, after = run(files)
    assert [f.path for f in in_code(result)] == ["client.py", "settings.py"]
    assert "q9Zx7Lm2" not in after["client.py"]
    assert 'os.environ.get("SECRET_KEY")' in after["client.py"]
