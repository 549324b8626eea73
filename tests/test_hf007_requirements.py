"""HF007 on small repositories: what it adds, comments out, reports and how it writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import hffix
from hffix.findings import Status

FIVE = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"


def _run(
    make_repo: Callable[..., Path], files: dict[str, str | bytes], name: str = "repo"
) -> tuple[Path, hffix.Result]:
    root = make_repo(files, name=name)
    result = hffix.fix(root, write=True, select=["HF007"])
    assert result.error is None, result.error
    return root, result


def test_jwt_distribution_is_replaced_only_with_unsafe_fixes(
    make_repo: Callable[..., Path],
) -> None:
    files: dict[str, str | bytes] = {
        "main.py": "import jwt\nfrom fastapi import FastAPI\napp = FastAPI()\n",
        "requirements.txt": FIVE + "jwt\n",
    }
    root, result = _run(make_repo, files)
    assert (root / "requirements.txt").read_text() == FIVE + "jwt\n"
    assert [f.status for f in result.findings] == [Status.UNSAFE_FIX]

    root = make_repo(files, name="unsafe")
    result = hffix.fix(root, write=True, select=["HF007"], unsafe_fixes=True)
    assert (root / "requirements.txt").read_text() == (FIVE + "# jwt  # hffix: not PyJWT\nPyJWT\n")


def test_bcrypt_pinned_too_high_is_reported(make_repo: Callable[..., Path]) -> None:
    source = (
        "from fastapi import FastAPI\nfrom passlib.context import CryptContext\n"
        'ctx = CryptContext(schemes=["bcrypt"])\napp = FastAPI()\n'
    )
    _, result = _run(
        make_repo, {"main.py": source, "requirements.txt": FIVE + "passlib\nbcrypt>=4\n"}
    )
    [finding] = result.findings
    assert finding.status is Status.MANUAL and "bcrypt<5" in finding.message
    _, result = _run(
        make_repo,
        {"main.py": source, "requirements.txt": FIVE + "passlib[bcrypt]\nbcrypt==4.0.1\n"},
        name="pinned",
    )
    assert result.findings == []


def test_passlib_bcrypt_extra_still_gets_the_pin(make_repo: Callable[..., Path]) -> None:
    source = "from passlib.hash import bcrypt\nfrom fastapi import FastAPI\napp = FastAPI()\n"
    root, _ = _run(make_repo, {"main.py": source, "requirements.txt": FIVE + "passlib[bcrypt]\n"})
    assert (root / "requirements.txt").read_text() == FIVE + "passlib[bcrypt]\nbcrypt<5\n"


def test_utf16_without_bom_is_rewritten_as_utf8(make_repo: Callable[..., Path]) -> None:
    raw = FIVE.replace("\n", "\r\n").encode("utf-16-le")
    root, result = _run(make_repo, {"main.py": "import fastapi\n", "requirements.txt": raw})
    assert (root / "requirements.txt").read_bytes() == FIVE.replace("\n", "\r\n").encode()
    assert any("UTF-16 without BOM" in f.message for f in result.findings)


def test_environment_lookup_can_be_turned_off(make_repo: Callable[..., Path]) -> None:
    files: dict[str, str | bytes] = {
        "main.py": "import pathspec\nfrom fastapi import FastAPI\napp = FastAPI()\n",
        "requirements.txt": FIVE,
        "pyproject.toml": "[tool.hffix]\nenvironment-metadata = false\n",
    }
    _, result = _run(make_repo, files)
    [finding] = result.findings
    # Not looked up: its own name is only a guess, applied with --unsafe-fixes.
    assert finding.status is Status.UNSAFE_FIX and finding.path == "main.py" and finding.line == 1
    assert "--unsafe-fixes adds `pathspec`" in finding.message


def test_an_unknown_import_is_added_under_its_own_name_only_with_unsafe_fixes(
    make_repo: Callable[..., Path],
) -> None:
    source = "import acme_billing\nimport _private_helpers\nfrom fastapi import FastAPI\n"
    root = make_repo({"main.py": source, "requirements.txt": FIVE})
    result = hffix.fix(root, write=True, select=["HF007"], unsafe_fixes=True)
    assert "acme-billing" in (root / "requirements.txt").read_text().split()
    added = [f for f in result.findings if "acme-billing" in f.message]
    assert [f.applicability.value for f in added] == ["unsafe"]
    private = [f for f in result.findings if "_private_helpers" in f.message]
    assert [f.status for f in private] == [Status.MANUAL]  # never guessed


def test_suppression_comment_silences_an_unknown_import(make_repo: Callable[..., Path]) -> None:
    source = "import acme_sdk  # hffix: ignore[HF007]\nfrom fastapi import FastAPI\n"
    _, result = _run(make_repo, {"main.py": source, "requirements.txt": FIVE})
    assert result.findings == []


def test_second_run_changes_nothing(make_repo: Callable[..., Path]) -> None:
    files: dict[str, str | bytes] = {
        "main.py": "import yaml\nfrom fastapi import FastAPI, File\napp = FastAPI()\n",
        "requirements.txt": "typing\nfastapi\n",
    }
    root, first = _run(make_repo, files)
    assert first.findings
    again = hffix.fix(root, write=True, select=["HF007"])
    assert again.changes == [] and again.findings == []


def test_an_import_named_like_a_folder_of_the_repository_is_never_guessed(
    make_repo: Callable[..., Path],
) -> None:
    """`from services.x import y` where tools/vendored/services/ exists: this project's code under
    another root, not PyPI's `services`."""
    root = make_repo(
        {
            "main.py": "from services.tasks import run\nfrom fastapi import FastAPI\n",
            "tools/vendored/services/__init__.py": "",
            "requirements.txt": FIVE,
        }
    )
    result = hffix.fix(root, write=True, select=["HF007"], unsafe_fixes=True)
    assert "services" not in (root / "requirements.txt").read_text()
    assert [f for f in result.findings if f.status is not Status.MANUAL] == []


def test_pydantic_1_and_2_api_mixed_is_reported(make_repo: Callable[..., Path]) -> None:
    root, result = _run(
        make_repo,
        {
            "main.py": "from fastapi import FastAPI\nfrom pydantic import BaseSettings\n"
            "from pydantic import ConfigDict\napp = FastAPI()\n",
        },
    )
    lines = (root / "requirements.txt").read_text().splitlines()
    assert "pydantic" in lines and "pydantic<2" not in lines
    [mixed] = [f for f in result.findings if f.status is Status.MANUAL]
    assert "mixes pydantic 1 API" in mixed.message and "main.py:2" in mixed.message


def test_pydantic_1_code_beside_pydantic_settings_is_reported(
    make_repo: Callable[..., Path],
) -> None:
    root, result = _run(
        make_repo,
        {
            "main.py": "from fastapi import FastAPI\nfrom pydantic import BaseSettings\n"
            "app = FastAPI()\n",
            "requirements.txt": "fastapi\nuvicorn\npydantic-settings>=2.1\n",
        },
    )
    assert "pydantic<2" not in (root / "requirements.txt").read_text()
    [clash] = [f for f in result.findings if f.status is Status.MANUAL]
    assert "`pydantic-settings>=2.1` needs pydantic 2" in clash.message


def test_a_spec_package_no_release_of_which_fits_is_reported(
    make_repo: Callable[..., Path],
) -> None:
    root, result = _run(
        make_repo,
        {
            "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "requirements.txt": "fastapi\nuvicorn\npydantic\npython-dotenv\nSQLAlchemy==1.3.24\n",
        },
    )
    assert "sqlmodel" not in (root / "requirements.txt").read_text()
    [refused] = [f for f in result.findings if f.status is Status.MANUAL]
    assert "`sqlmodel`" in refused.message and "`SQLAlchemy==1.3.24`" in refused.message


def test_build_and_test_tools_are_not_merged(make_repo: Callable[..., Path]) -> None:
    root, result = _run(
        make_repo,
        {
            "backend/app/__init__.py": "",
            "backend/app/main.py": "import pkg_resources\nfrom fastapi import FastAPI\n"
            "app = FastAPI()\n",
            "backend/requirements.txt": "httpx\npytest==8.2.2\nblack\nsetuptools>=69\n",
            "requirements.txt": FIVE,
        },
    )
    lines = (root / "requirements.txt").read_text().splitlines()
    assert "httpx" in lines and "setuptools>=69" in lines  # pkg_resources: setuptools is used
    assert not {"pytest==8.2.2", "black"} & set(lines)
    merged = [f.message for f in result.findings if "merged" in f.message]
    assert merged and "left out build and test tools pytest, black" in merged[0]


def test_mysqlclient_brings_its_build_packages(make_repo: Callable[..., Path]) -> None:
    source = (
        "from fastapi import FastAPI\nfrom sqlalchemy import create_engine\n"
        'engine = create_engine("mysql://app@db/app")\napp = FastAPI()\n'
    )
    root, _ = _run(
        make_repo,
        {"main.py": source, "requirements.txt": FIVE + "SQLAlchemy\n", "packages.txt": "ffmpeg"},
    )
    assert "mysqlclient" in (root / "requirements.txt").read_text().splitlines()
    assert (root / "packages.txt").read_text() == (
        "ffmpeg\ndefault-libmysqlclient-dev\npkg-config\n"
    )
    again = hffix.fix(root, write=True, select=["HF007"])
    assert again.changes == []


def test_drivers_do_not_depend_on_the_run_that_adds_the_spec_s_packages(
    make_repo: Callable[..., Path],
) -> None:
    """A UTF-16 requirements.txt without the spec's sqlmodel and a module naming a
    postgres:// URL: whatever HF007 adds for that URL, it adds in the first run (before, the
    first run re-encoded the file and added sqlmodel, and only the second added a driver,
    because it then found SQLAlchemy declared)."""
    text = "fastapi==0.110.0\nuvicorn==0.27.1\npydantic==2.6.3\npython-dotenv==1.0.1\n"
    root = make_repo(
        {
            "main.py": "from fastapi import FastAPI\n\nfrom app import jobs\n\napp = FastAPI()\n",
            "app/__init__.py": "",
            "app/jobs.py": 'DB = "postgres://reports.internal:5432/backend"\n',
            "requirements.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        }
    )
    first = hffix.fix(root, write=True)
    assert first.error is None and first.written
    second = hffix.fix(root, write=True)
    assert second.changes == [], [f.message for f in second.findings]
