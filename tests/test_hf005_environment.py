"""HF005 and the Space's environment: every variable the Space's code reads, split into Space
secrets and Space variables in the API, the JSON report and the summary; placeholder signing
keys and default credentials as weak findings; what is data stays as it is."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix import envfile
from hffix.cli import main
from hffix.findings import Status
from tests.conftest import CORPUS

EVERY = CORPUS / "hf005-env-every-variable-listed" / "before"
SECRETS = [
    "APP_JWT_SECRET",
    "DB_URL",
    "HF_TOKEN",
    "MAIL_API_KEY",
    "OPENAI_API_KEY",
    "POSTGRES_PASSWORD",
    "REDIS_URL",
    "REPLICA_DATABASE_URL",
]
VARIABLES = [
    "APP_DB__HOST",
    "APP_DB__PORT",
    "APP_DEBUG",
    "APP_TITLE",
    "DB_PORT",
    "FEATURE_SEARCH",
    "LOG_LEVEL",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "SENTRY_DSN",
    "SMTP_HOST",
]


def test_the_api_lists_secrets_and_variables_apart() -> None:
    result = hffix.check(EVERY, select=["HF001", "HF005"])
    assert result.error is None
    assert result.secrets == SECRETS
    assert result.space_variables == VARIABLES
    assert result.variables == sorted(SECRETS + VARIABLES)  # all of them, as before
    # The script the app never imports and the test are not the Space's.
    assert "BACKFILL_TOKEN" not in result.variables
    assert "TEST_DATABASE_URL" not in result.variables


def test_the_json_report_and_the_summary_split_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--check", "--format", "json", "--select", "HF001,HF005", str(EVERY)]) == 1
    [repository] = json.loads(capsys.readouterr().out)["repositories"]
    assert repository["secrets"] == SECRETS
    assert repository["space_variables"] == VARIABLES
    assert repository["variables"] == sorted(SECRETS + VARIABLES)
    assert main(["--check", "--no-color", "--select", "HF001,HF005", str(EVERY)]) == 1
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).splitlines()
    assert f"Set these as Space secrets: {', '.join(SECRETS)}." in lines
    assert f"Set these as Space variables: {', '.join(VARIABLES)}." in lines


def test_the_example_file_says_where_and_whether_a_default(tmp_path: Path) -> None:
    root = shutil.copytree(EVERY, tmp_path / "repo")
    assert hffix.fix(root, write=True, select=["HF001", "HF005"]).error is None
    text = (root / ".env.example").read_text()
    secrets, variables = text.split(envfile.VARIABLES_HEADING)
    assert envfile.declared_names(secrets) == set(SECRETS)
    assert envfile.declared_names(variables) == set(VARIABLES)
    assert "# read at app/db.py:3; no default: the app needs it\nDB_URL=\n" in text
    assert "# read at app/db.py:4; has a default\nDB_PORT=\n" in text
    assert "# read at app/checks.py:13; no default: the app needs it\nPOSTGRES_USER=\n" in text
    assert all(line.startswith("#") or line.endswith("=") for line in text.splitlines() if line)
    assert hffix.fix(root, write=True, select=["HF001", "HF005"]).changes == []


def test_with_no_app_chosen_every_module_but_tests_counts(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "service/api.py": "import os\n\nA = os.environ['A_URL']\n",
            "scripts/job.py": "import os\n\nB = os.environ['B_TOKEN']\n",
            "checks/verify_api.py": "import os\nimport pytest\n\nC = os.environ['C_KEY']\n",
        }
    )
    result = hffix.check(root, select=["HF005"])
    assert result.variables == ["A_URL", "B_TOKEN"]
    assert result.secrets == ["B_TOKEN"]


def test_only_optional_variables_write_no_example(make_repo: Callable[..., Path]) -> None:
    """A new .env.example is written when the app needs one: a variable without a default,
    or one that holds a credential. Optional settings are still listed in the report."""
    root = make_repo({"main.py": "import os\n\nDEBUG = os.getenv('DEBUG', '0') == '1'\n"})
    result = hffix.check(root, select=["HF005"])
    assert result.findings == [] and result.variables == ["DEBUG"]
    root2 = make_repo({"main.py": "import os\n\nDEBUG = os.environ['DEBUG']\n"}, name="r2")
    assert [f.path for f in hffix.check(root2, select=["HF005"]).findings] == [
        ".env.example",
        ".gitignore",
    ]


def test_frontend_env_files_are_not_space_variables() -> None:
    before = CORPUS / "hf005-env-frontend-files-are-not-the-backends" / "before"
    result = hffix.check(before, select=["HF005"])
    assert result.variables == ["DEBUG"]
    assert [f.path for f in result.findings] == [".env"]


def test_placeholder_keys_are_weak_and_only_where_the_app_signs(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo(
        {
            "auth.py": "import jwt\n\n"
            'SIGNER = "changeme"\n'  # a neutral name, passed to jwt.encode
            'OTHER = "changeme"\n'  # a neutral name, never signed with
            'OPENAI_API_KEY = "your-openai-key"\n'  # a placeholder API key: the call fails
            'SECRET_KEY = "secret"\n'  # the word itself, under a signing key's name
            'APP_SECRET = ""\n\n\n'  # empty: left alone
            "def sign(claims):\n    return jwt.encode(claims, SIGNER)\n"
        }
    )
    result = hffix.check(root, select=["HF005"])
    found = [(f.line, f.status) for f in result.findings if f.path == "auth.py"]
    assert found == [(3, Status.UNSAFE_FIX), (6, Status.UNSAFE_FIX)]
    assert all("signs with this public value" in f.message for f in result.findings)


def test_a_comparison_is_never_rewritten(make_repo: Callable[..., Path]) -> None:
    source = (
        "import os\n\nSECRET_KEY = os.getenv('SECRET_KEY', 'dev-fallback-key')\n"
        "if SECRET_KEY == 'dev-fallback-key':\n    print('development key')\n"
        "if os.getenv('ADMIN_PASSWORD') == 'hunter2-admin':\n    print('default admin')\n"
    )
    root = make_repo({"app.py": source, ".env.example": "SECRET_KEY=\nADMIN_PASSWORD=\n"})
    result = hffix.fix(root, write=True, select=["HF005"], unsafe_fixes=True)
    text = (root / "app.py").read_text()
    assert text.splitlines()[2] == "SECRET_KEY = os.getenv('SECRET_KEY')"  # the default moved
    assert text.splitlines()[3:] == source.splitlines()[3:]  # both comparisons as they were
    assert [(f.line, f.status) for f in result.findings] == [(3, Status.FIXED)]


def test_default_credentials_are_weak_in_code_and_manual_in_config(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo(
        {
            "db.py": 'URL = "postgresql://postgres:postgres@localhost/app"\n'
            'REAL = "postgresql://app:Xk93jfLq02mZp7@db.example.com/app"\n',
            "alembic.ini": "[alembic]\nsqlalchemy.url = mysql://root:root@127.0.0.1/app\n",
        }
    )
    result = hffix.check(root, select=["HF005"])
    found = [(f.path, f.line, f.status, f.secret) for f in result.findings]
    assert ("alembic.ini", 2, Status.MANUAL, False) in found
    assert ("db.py", 1, Status.UNSAFE_FIX, False) in found
    assert ("db.py", 2, Status.FIXED, True) in found  # a real password: a committed secret


def test_state_store_keys_and_other_call_keys(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "store.py": 'store.put(key="conversation-123", value=1)\n'
            'cache.set(key="user-42:session", value=1)\n'
            'client = Client(token="abc123def456")\n'  # a client takes credentials
            'login(token="abc123def456x")\n'  # so does a call named for it
            'store.put(key="Zq4mN8vR2tL6xW0yB3cF7hJ1")\n'  # random-looking: a secret anywhere
        }
    )
    result = hffix.check(root, select=["HF005"])
    assert sorted(f.line for f in result.findings if f.path == "store.py") == [3, 4, 5]
